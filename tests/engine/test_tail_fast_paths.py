"""The serial tail after evaluation (i24-tail, docs/design-notes.md): each faster computation
against the straightforward one it replaced, kept here as the reference."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import chain
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from probis.engine import waivers
from probis.engine.findings import ElementRef, Finding
from probis.engine.report import _checks, summary_counts
from probis.engine.runner import keyed_tally, overridden, tally_keys
from probis.engine.scoring import failed_tally

RULES = ["REG001", "ALN002", "OVL001"]
SEVERITIES = ["error", "warning", "info"]
tally_key = st.tuples(st.sampled_from(RULES), st.sampled_from(SEVERITIES),
                      st.sampled_from([None, "", "PB.01", "PB.02"]),
                      st.sampled_from([None, "", "bapenda", "dinkes"]))
# (key, count) pairs in order: the tallies' order is part of what is compared
ordered_tally = st.lists(st.tuples(tally_key, st.integers(min_value=0, max_value=6)),
                         max_size=25)


def _counter(pairs: list[tuple[Any, int]]) -> Counter[Any]:
    out: Counter[Any] = Counter()
    for key, n in pairs:
        out[key] = n
    return out


# --- runner.overridden ------------------------------------------------------------------

def _overridden_reference(settings: dict[str, str], evaluations: list[Any],
                          applicable: Counter[Any], sign: int = 1) -> None:
    for ev in evaluations:
        for key, n in tally_keys(settings, ev):
            applicable[key] += n * sign


def _evaluation(rule: str, severity: str, tally: list[tuple[Any, int]]) -> Any:
    return SimpleNamespace(info=SimpleNamespace(id=rule, severity=severity),
                           applicable_tally=_counter(tally))


part_key = st.tuples(st.sampled_from(SEVERITIES), st.sampled_from([None, "PB.01", "PB.02"]),
                     st.sampled_from([None, "bapenda"]))
evaluation = st.builds(_evaluation, st.sampled_from(RULES), st.sampled_from(SEVERITIES),
                       st.lists(st.tuples(part_key, st.integers(min_value=0, max_value=5)),
                                max_size=8))
profile = st.dictionaries(st.sampled_from(RULES),
                          st.sampled_from(["off", "error", "warning", "info", "x"]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(profile, st.lists(evaluation, max_size=6), ordered_tally, st.sampled_from([1, -1]))
def test_overridden_adds_as_key_by_key(settings_: dict[str, str], evaluations: list[Any],
                                       start: list[tuple[Any, int]], sign: int) -> None:
    """Same counts, same zero entries, same key order as ``+=`` key by key (several
    evaluations of one rule, keys already there, severities an override merges)."""
    got, expected = _counter(start), _counter(start)
    overridden(settings_, evaluations, got, sign)
    _overridden_reference(settings_, evaluations, expected, sign)
    assert list(got.items()) == list(expected.items())
    for ev in evaluations:
        assert list(keyed_tally(settings_, ev).items()) == list(dict(tally_keys(settings_,
                                                                                  ev)).items())


# --- scoring.failed_tally ---------------------------------------------------------------

def _failed_tally_reference(findings: list[Finding]) -> Counter[Any]:
    seen: set[tuple[str, str, str]] = set()
    out: Counter[Any] = Counter()
    for f in findings:
        check = (f.rule, f.ref.kind, f.ref.element)
        if check in seen:
            continue
        seen.add(check)
        out[(f.rule, f.severity, f.ref.map, f.ref.unit)] += 1
    return out


def _finding(rule: str, severity: str, kind: str, element: str, map_code: str | None,
             unit: str | None, rule_set: str = "regulation") -> Finding:
    return Finding(rule=rule, rule_set=rule_set, severity=severity,  # type: ignore[arg-type]
                   ref=ElementRef(element, kind, "peta/a.yaml", 3, map_code, unit),
                   message={"id": "pesan", "en": "message"}, basis={}, fix={})


finding = st.builds(_finding, st.sampled_from(RULES), st.sampled_from(SEVERITIES),
                    st.sampled_from(["process", "step"]), st.sampled_from(["P1", "P2", "S1"]),
                    st.sampled_from([None, "PB.01", "PB.02"]),
                    st.sampled_from([None, "bapenda", "dinkes"]),
                    st.sampled_from(["regulation", "alignment"]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(finding, max_size=30))
def test_failed_tally_as_counted_one_by_one(findings: list[Finding]) -> None:
    got, expected = failed_tally(findings), _failed_tally_reference(findings)
    assert list(got.items()) == list(expected.items())
    assert list(failed_tally(iter(findings)).items()) == list(expected.items())


# --- waivers.apply without waivers ------------------------------------------------------

@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.lists(finding, max_size=10))
def test_no_waiver_keeps_every_finding_active(findings: list[Finding]) -> None:
    outcome = waivers.apply(iter(findings), [], dt.date(2026, 11, 28))
    assert [id(f) for f in outcome.active] == [id(f) for f in findings]
    assert outcome.waived == outcome.expired == outcome.unused == []
    assert outcome.use == Counter()
    assert all(f.waiver is None for f in findings)


# --- report.summary_counts --------------------------------------------------------------

@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(finding, max_size=30))
def test_summary_counts_as_three_counters(findings: list[Finding]) -> None:
    by_severity, by_rule, by_rule_set = summary_counts(findings)
    expected_sets: dict[str, Counter[str]] = {}
    for (rule_set, severity), n in Counter((f.rule_set, f.severity) for f in findings).items():
        expected_sets.setdefault(rule_set, Counter())[severity] += n
    assert by_severity == Counter(f.severity for f in findings)
    assert by_rule == Counter(f.rule for f in findings)
    assert by_rule_set == expected_sets
    # the report reads them sorted or by SEVERITIES: no count of 0 may appear as a key
    assert all(n > 0 for c in (by_severity, by_rule, *by_rule_set.values()) for n in c.values())


# --- report._checks ---------------------------------------------------------------------

def _checks_reference(result: Any) -> list[dict[str, Any]]:
    """report._checks as it was before i24-tail: one dict row per (rule, map, unit)."""
    failed, applicable = result.failed, result.applicable
    rows: dict[tuple[str, str, str], list[Any]] = {}
    extra = [(k, 0) for k in failed if k not in applicable]
    for key, n_applicable in chain(applicable.items(), extra):
        rule, _severity, map_code, unit = key
        n_failed = failed.get(key, 0)
        if n_applicable < n_failed:
            n_applicable = n_failed
        row_key = (rule, map_code or "", unit or "")
        row = rows.get(row_key)
        if row is None:
            rows[row_key] = [n_applicable, n_failed, map_code, unit]
        else:
            row[0] += n_applicable
            row[1] += n_failed
    return [{"rule": key[0], "map": map_code, "unit": unit, "applicable": n_applicable,
             "failed": n_failed, "passed": n_applicable - n_failed}
            for key, (n_applicable, n_failed, map_code, unit) in sorted(rows.items())
            if n_applicable]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(ordered_tally, ordered_tally)
def test_checks_rows_as_merged_one_by_one(applicable: list[tuple[Any, int]],
                                          failed: list[tuple[Any, int]]) -> None:
    """Keys of one check under several severities, None beside "", failed keys with no
    applicable count or more failed than applicable, rows that add up to nothing."""
    result = SimpleNamespace(applicable=_counter(applicable), failed=_counter(failed),
                             findings=[])
    got = _checks(result)  # type: ignore[arg-type]
    assert got == _checks_reference(result)
    assert [list(row.items()) for row in got] == [
        list(row.items()) for row in _checks_reference(result)]


def test_checks_row_keeps_the_first_keys_map_and_unit() -> None:
    applicable = _counter([(("REG001", "warning", None, "dinkes"), 2),
                           (("REG001", "error", "", "dinkes"), 3)])
    failed = _counter([(("REG001", "error", "", "dinkes"), 1)])
    rows = _checks(SimpleNamespace(applicable=applicable, failed=failed,  # type: ignore[arg-type]
                                   findings=[]))
    assert rows == [{"rule": "REG001", "map": None, "unit": "dinkes", "applicable": 5,
                     "failed": 1, "passed": 4}]


# --- Workspace.process_units ------------------------------------------------------------

def test_process_units_as_asked_one_by_one() -> None:
    """The report sections take every process's unit in one call: the same answers as
    ``process_unit`` per entry, with a cold memo, a warm one, and after the units change."""
    from probis.engine.loader import load_workspace
    from probis.engine.plugins import build_registry
    from probis.engine.runner import loader_config
    from testkit import SAMPLE_CITY

    ws = load_workspace(SAMPLE_CITY, loader_config(build_registry()))
    entries = list(ws.processes)
    assert len(entries) > 10 and {ws.process_unit(e) for e in entries} - {None}
    cold = ws.process_units(entries)
    assert cold == [ws.process_unit(e) for e in entries]
    assert ws.process_units(reversed(entries)) == cold[::-1]
    # a unit gone from the SOTK: the memo is dropped and both ask again
    some = next(u for u in (ws.process_unit(e) for e in entries) if u is not None)
    del ws.units[some]
    again = ws.process_units(entries)
    assert again == [ws.process_unit(e) for e in entries] and again != cold
