"""The report: one plain dict built from an AuditResult; every renderer reads only this.

Its JSON form is the contract of format.md ("Report contract"). Ordering is fixed and no
value depends on the clock, the machine or the absolute path, so the same inputs and
``--as-of`` give a byte-identical JSON report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from . import __version__
from .conditions import fields_used
from .engine_rules import ENGINE_RULES
from .facts import FACT_SOURCES
from .findings import SEVERITIES, Finding
from .gcpause import paused_gc
from .i18n import first_few
from .nearmatch import close_matches
from .rule import RuleInfo
from .runner import AuditResult
from .scoring import failed_tally
from .verdict import (
    Verdict,
    completeness,
    scope_verdict,
    unread_maps,
    unread_plans,
    workspace_verdict,
)

REPORT_FORMAT_VERSION = 1


@paused_gc()  # see engine/gcpause.py
def build_report(result: AuditResult) -> dict[str, Any]:
    ws = result.workspace
    scores = result.scores
    unit_names = {uid: ws.unit_name(uid) for uid in scores.by_unit}
    findings = [f.to_dict(copy_texts=False) for f in result.findings]
    _mark_after_input_errors(findings, ws.docs, result.registry.rules)
    _mark_after_unread_maps(findings, result)
    by_severity, by_rule, by_rule_set = summary_counts(result.findings)
    done = completeness(((d.file, d.kind) for d in ws.docs), result.input_errors,
                        len(ws.maps) + len(ws.lf_maps),
                        sum(1 for rid in result.registry.rules
                            if result.settings.get(rid, "off") != "off"),
                        len(result.engine_findings))
    verdict = workspace_verdict(scores.workspace.score, result.findings, done,
                                scores.workspace.applicable)
    unit_verdicts, map_verdicts = _scope_verdicts(result)
    report: dict[str, Any] = {
        "probis": {"version": __version__, "report_format": REPORT_FORMAT_VERSION},
        "workspace": {
            "name": ws.name,
            "instansi": ws.manifest.instansi if ws.manifest else None,
            "sotk": ws.sotk.id if ws.sotk else None,
            "rpjmd": ws.rpjmd.id if ws.rpjmd else None,
            "as_of": result.as_of.isoformat(),
            "counts": {
                "units": len(ws.units),
                "maps": len(ws.maps),
                "processes": len(ws.processes),
                "cross_functional_maps": len(ws.lf_maps),
                "files": len(ws.docs),
            },
        },
        "score": scores.workspace.score,
        "grade": verdict.grade,
        "verdict": {
            "grade": verdict.grade,
            "reasons": verdict.reasons_dicts(),
            "completeness": done.to_dict(),
        },
        "scores": {
            "workspace": scores.workspace.to_dict(),
            "by_unit": {
                uid: dict(cell.to_dict(), name=unit_names[uid], grade=unit_verdicts[uid].grade,
                          grade_reasons=unit_verdicts[uid].reasons_dicts())
                for uid, cell in sorted(scores.by_unit.items())
            },
            "by_map": {
                code: dict(cell.to_dict(), grade=map_verdicts[code].grade,
                           grade_reasons=map_verdicts[code].reasons_dicts())
                for code, cell in sorted(scores.by_map.items())
            },
            "by_rule_set": {rs: cell.to_dict() for rs, cell in sorted(scores.by_rule_set.items())},
            "by_rule": {rid: cell.to_dict() for rid, cell in sorted(scores.by_rule.items())},
        },
        "summary": {
            "findings": len(result.findings),
            "by_severity": {sev: by_severity.get(sev, 0) for sev in SEVERITIES},
            "by_rule": dict(sorted(by_rule.items())),
            "by_rule_set": {
                rs: {sev: c.get(sev, 0) for sev in SEVERITIES}
                for rs, c in sorted(by_rule_set.items())
            },
            "waived": len(result.waived),
            "input_errors": len(result.input_errors),
            "engine_findings": len(result.engine_findings),
        },
        "findings": findings,
        "waived": [f.to_dict() for f in result.waived],
        "expired_waivers": result.expired_waivers,
        "unused_waivers": _unused_waivers(result),
        "engine_findings": [f.to_dict() for f in result.engine_findings],
        "input_errors": [e.to_dict() for e in result.input_errors],
        "notices": [e.to_dict() for e in result.workspace.notices],
        "rules": {
            rid: dict(
                {
                    "rule_set": rule.info.rule_set,
                    "setting": result.settings.get(rid, rule.info.severity),
                    "default_severity": rule.info.severity,
                    "title": dict(rule.info.title),
                    "plugin": result.registry.plugin_of(rid),
                },
                **_rule_docs(rule.info),
            )
            for rid, rule in result.registry.rules.items()
        },
        "checks": _checks(result),
        "run": {
            "plugins": [
                {
                    "name": p.name,
                    "distribution": p.distribution,
                    "version": p.version,
                    "rules": p.rule_ids,
                }
                for p in result.registry.plugins
            ],
            "files": ws.file_hashes(),
        },
    }
    laporan = ws.manifest.laporan if ws.manifest else None
    if laporan is not None:  # only when probis.yaml has it: other reports keep their bytes
        report["workspace"]["laporan"] = laporan.model_dump(mode="json", exclude_none=True)
    # engine rules (ENG*) are not registered by a plugin; reports that list rules (SARIF)
    # still need their metadata when one of their findings is present
    for f in result.engine_findings:
        info = ENGINE_RULES.get(f.rule)
        if info is not None and f.rule not in report["rules"]:
            report["rules"][f.rule] = dict(
                {
                    "rule_set": info.rule_set,
                    "setting": info.severity,
                    "default_severity": info.severity,
                    "title": dict(info.title),
                    "plugin": None,
                },
                **_rule_docs(info),
            )
    for key, section in result.sections.items():
        if key not in report:
            report[key] = section
    return report


def summary_counts(findings: list[Finding]
                   ) -> tuple[Counter[str], Counter[str], dict[str, Counter[str]]]:
    """Findings per severity, per rule and per rule set and severity: the summary's counts,
    from one count of (rule, rule set, severity) made in C (a few hundred distinct ones)."""
    by_severity: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    by_rule_set: dict[str, Counter[str]] = {}
    for (rule, rule_set, severity), n in Counter(map(_summary_key, findings)).items():
        by_severity[severity] += n
        by_rule[rule] += n
        by_rule_set.setdefault(rule_set, Counter())[severity] += n
    return by_severity, by_rule, by_rule_set


_summary_key = attrgetter("rule", "rule_set", "severity")


def _unused_waivers(result: AuditResult) -> list[dict[str, Any]]:
    """Unused waivers; one whose element exists nowhere in the workspace says so with the
    closest ids (usually a typo), instead of passing for a finding that was fixed."""
    if not result.unused_waivers:
        return result.unused_waivers
    ws = result.workspace
    known: set[str] = set(ws.maps_by_code) | set(ws.processes_by_code) | set(ws.units)
    known |= set(ws.sasaran) | set(ws.indicators) | set(ws.lf_by_process)
    known |= {u.id for sotk, _ in ws.sotk_versions.values() for u in sotk.units}
    known |= {r.id for r, _ in ws.renstras} | set(ws.rpjmd_versions)
    known |= {f.ref.element for f in (*result.findings, *result.waived)}
    out = []
    for waiver in result.unused_waivers:
        element = str(waiver["element"])
        if element in known or element.split("#", 1)[0] in known:
            out.append(waiver)
            continue
        closest = close_matches(element, sorted(known), n=3, cutoff=0.6)
        out.append(dict(waiver, unknown_element=True, closest=closest))
    return out


def _mark_after_input_errors(findings: list[dict[str, Any]], docs: list[Any],
                             rules: Mapping[str, Any] | None = None) -> None:
    """A finding on an element whose value the loader had to ignore may follow from that input
    error rather than from the map: it says so, naming the field (engine/lenient.py).

    A finding of a rule file names the ignored fields its case reads (``FACT_SOURCES``): the
    element's own, on its line, and for a map the map's other top-level ones (``adopted.date``
    sits on the line of ``adopted:``, not the map's). Where what a finding reads is not known
    (Python rules, plugin fact kinds), the ignored fields on the finding's own line."""
    pruned: dict[tuple[str, int | None], list[str]] = {}
    of_map: dict[tuple[str, str], list[str]] = {}  # (file, map code): its own ignored fields
    for doc in docs:
        code = getattr(doc.model, "code", None) if doc.kind == "peta-proses" else None
        for line, name in doc.pruned:
            pruned.setdefault((doc.file, line), []).append(name)
            if isinstance(code, str) and "[" not in name:
                of_map.setdefault((doc.file, code), []).append(name)
    if not pruned:
        return
    for f in findings:
        names = pruned.get((f["file"], f["line"])) or []
        sources = _fields_read(f, rules) if (names or of_map) else None
        if sources is not None:
            if f["element_type"] == "map":
                names = [*names, *(n for n in of_map.get((f["file"], f["element"]), [])
                                   if n not in names)]
            names = [n for n in names if any(_related(_own_path(n), s) for s in sources)]
        if names:
            fields = ", ".join(f"`{n}`" for n in names)
            f["after_input_error"] = names
            f["message"] = {
                "id": f"{f['message'].get('id', '')} (mungkin akibat galat input pada {fields})",
                "en": f"{f['message'].get('en', '')} (may follow from the input error in {fields})",
            }


def _fields_read(f: dict[str, Any], rules: Mapping[str, Any] | None) -> set[str] | None:
    """The element's document fields a rule file's finding was decided on: the fields its
    matched case reads, traced to the document (None when that is not known)."""
    rule = rules.get(f["rule"]) if rules else None
    cases = getattr(rule, "cases", None)
    case = (f.get("evidence") or {}).get("case")
    sources = FACT_SOURCES.get(f["element_type"])
    if not cases or sources is None or not isinstance(case, int) or not 0 <= case < len(cases):
        return None
    return {s for name in fields_used(cases[case].when) for s in sources.get(name, (name,))}


def _own_path(name: str) -> str:
    """``processes[1].owner`` -> ``owner``: the field within its element, list indices out."""
    return re.sub(r"\[\d+\]", "", name.rsplit("].", 1)[-1])


def _related(field: str, source: str) -> bool:
    """The same field, or one holds the other (``adopted`` and ``adopted.date``)."""
    return (field == source or field.startswith(source + ".")
            or source.startswith(field + "."))


def _mark_after_unread_maps(findings: list[dict[str, Any]], result: AuditResult) -> None:
    """A finding that something is missing across the workspace may be wrong when a map file
    could not be read: it names those files instead of reading as a plain fact."""
    unread = sorted({e.file for e in result.input_errors
                     if e.dropped_kind in ("peta-proses", "peta-lintas-fungsi")})
    if not unread:
        return
    absence = {rid for rid, rule in result.registry.rules.items() if rule.info.finds_absence}
    shown = first_few(unread)
    for f in findings:
        if f["rule"] in absence:
            f["after_input_error"] = [*f.get("after_input_error", []), *unread]
            f["message"] = {
                "id": f"{f['message'].get('id', '')} (mungkin akibat peta yang tidak terbaca: "
                      f"{shown})",
                "en": f"{f['message'].get('en', '')} (may follow from the map files that could "
                      f"not be read: {shown})",
            }


def _scope_verdicts(result: AuditResult) -> tuple[dict[str, Verdict], dict[str, Verdict]]:
    """Each unit's and map's grade under the workspace's rules: its own open errors, the
    input errors in its own files, and any rule of the run that did not run cap it."""
    ws = result.workspace
    errors_in_file = Counter(e.file for e in result.input_errors)
    open_errors_unit: Counter[str | None] = Counter()
    open_errors_map: Counter[str | None] = Counter()
    for f in result.findings:
        if f.severity == "error":
            open_errors_unit[f.ref.unit] += 1
            open_errors_map[f.ref.map] += 1
    files_of_map: dict[str, set[str]] = {}
    files_of_unit: dict[str, set[str]] = {}
    for entry in ws.maps:
        files_of_map.setdefault(entry.map.code, set()).add(entry.file)
        unit = ws.map_unit(entry.map)
        if unit is not None:
            files_of_unit.setdefault(unit, set()).add(entry.file)
    for lf in ws.lf_maps:
        files_of_map.setdefault(lf.lf.process, set()).add(lf.file)

    # a unit whose map file could not be read is capped like one whose file loaded with
    # errors; a map file of no known unit may be anyone's, so it caps every unit
    unread = unread_maps(ws, result.input_errors)

    def verdict_of(cell_score: float, applicable: int, errors: int, files: set[str],
                   unread_files: Sequence[str] = (), unknown: Sequence[str] = ()) -> Verdict:
        return scope_verdict(cell_score, applicable > 0, errors,
                             sum(errors_in_file[f] for f in files), unread_files, unknown,
                             not_run, plans)

    not_run = len(result.engine_findings)  # a rule that did not run may have judged any scope
    plans = unread_plans(ws, result.input_errors)  # every unit's findings depend on them

    units = {uid: verdict_of(cell.score, cell.applicable, open_errors_unit[uid],
                             files_of_unit.get(uid, set()), unread.by_unit.get(uid, ()),
                             unread.unknown)
             for uid, cell in result.scores.by_unit.items()}
    maps = {code: verdict_of(cell.score, cell.applicable, open_errors_map[code],
                             files_of_map.get(code, set()))
            for code, cell in result.scores.by_map.items()}
    return units, maps


def _rule_docs(info: RuleInfo) -> dict[str, Any]:
    """Rule documentation for renderers that explain rules (SARIF rules, HTML, Markdown)."""
    return {
        "checks": dict(info.checks),
        "basis": dict(info.basis),
        "rationale": dict(info.rationale),
        "fix": dict(info.fix),
        "applies_to": info.applies_to,
    }


def _checks(result: AuditResult) -> list[dict[str, Any]]:
    """Applicable checks per (rule, map, unit): what JUnit needs for passing test cases.

    One row per tally key the runner already keeps (never one per element), so the size grows
    with rules x maps, not with the number of elements. Waived checks are already out of
    ``applicable``; ``failed`` counts distinct failed elements of active findings (the tally
    the runner scored with, when it kept it).
    """
    failed = result.failed if result.failed is not None else failed_tally(result.findings)
    applicable = result.applicable
    # per tally key, in the tallies' order (the runner's): its applicable count (at least
    # its failed one) and failed count, taken in C-level passes over parallel lists
    keys = [*applicable, *(k for k in failed if k not in applicable)]
    n_failed = list(map(failed.get, keys, repeat(0)))
    n_applicable = list(map(max, chain(applicable.values(),
                                       repeat(0, len(keys) - len(applicable))), n_failed))
    # one row per (rule, map or "", unit or ""): keys of one check under several severities
    # add up into the first one's row (its map and unit as written)
    row_keys = [(rule, map_code or "", unit or "") for rule, _severity, map_code, unit in keys]
    if len(set(row_keys)) < len(row_keys):
        first: dict[tuple[str, str, str], int] = {}
        for i, row_key in enumerate(row_keys):
            j = first.setdefault(row_key, i)
            if j != i:
                n_applicable[j] += n_applicable[i]
                n_failed[j] += n_failed[i]
                n_applicable[i] = 0  # (rows with nothing applicable are left out)
    order = sorted(range(len(keys)), key=row_keys.__getitem__)  # stable: the first row first
    return [{"rule": key[0], "map": key[2], "unit": key[3], "applicable": n, "failed": f,
             "passed": n - f}
            for key, n, f in zip(map(keys.__getitem__, order),
                                 map(n_applicable.__getitem__, order),
                                 map(n_failed.__getitem__, order), strict=True) if n]
