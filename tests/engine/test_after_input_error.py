"""A finding that may follow from a value the loader ignored names that value's field, and only
the fields the finding was decided on (engine/report.py ``_mark_after_input_errors``): a map's
top-level fields share the map's line, so the line alone cannot tell them apart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from probis.engine.report import _mark_after_input_errors
from testkit import SAMPLE_CITY, run_cli

MAP = "peta/setda/PB.01.yaml"  # final, adopted in full, evaluated 2026-03-16


def _hints(tmp_path: Path, *edits: tuple[str, str]) -> dict[str, list[str] | None]:
    city = Path(shutil.copytree(SAMPLE_CITY, tmp_path / "kota"))
    path = city / MAP
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "r.json"
    code, _, err = run_cli("check", str(city), "--as-of", "2026-11-28", "-j", "1",
                           "-f", "json", "-o", str(out))
    assert code == 2, err  # input errors
    report = json.loads(out.read_text(encoding="utf-8"))
    return {f["rule"]: f.get("after_input_error") for f in report["findings"]
            if f["element"] == "PB.01" and f["rule"] in ("REG010", "REG011")}


BAD_DATE = ("  date: 2025-03-03\n", "  date: 03-03-2025\n")
BAD_EVALUATED = ("last_evaluated: 2026-03-16\n", "last_evaluated: 16/03/2026\n")


def test_a_bad_adoption_date_is_named_by_the_adoption_finding(tmp_path: Path) -> None:
    # `adopted.date` sits on the line of `adopted:`, not on the map's line
    assert _hints(tmp_path, BAD_DATE) == {"REG010": ["adopted.date"]}


def test_two_bad_dates_each_named_by_its_own_finding(tmp_path: Path) -> None:
    assert _hints(tmp_path, BAD_DATE, BAD_EVALUATED) == {"REG010": ["adopted.date"],
                                                         "REG011": ["last_evaluated"]}


def _finding(rule: str, line: int, kind: str = "process", element: str = "P.01",
             case: int | None = None) -> dict[str, Any]:
    return {"rule": rule, "file": "m.yaml", "line": line, "element": element,
            "element_type": kind, "evidence": {} if case is None else {"case": case},
            "message": {"id": "pesan", "en": "message"}}


@pytest.mark.parametrize("rules", [None, {}])
def test_a_finding_whose_fields_are_not_known_keeps_the_line_match(rules) -> None:
    """A Python rule's finding (no case, or no rule file): the ignored fields on its line."""
    doc = SimpleNamespace(file="m.yaml", kind="peta-proses", model=SimpleNamespace(code="M"),
                          pruned=[(7, "processes[0].owner"), (2, "adopted.date")])
    on_line, elsewhere = _finding("PY1", 7), _finding("PY1", 9)
    _mark_after_input_errors([on_line, elsewhere], [doc], rules)
    assert on_line["after_input_error"] == ["processes[0].owner"]
    assert "may follow from the input error in `processes[0].owner`" in on_line["message"]["en"]
    assert "galat input pada `processes[0].owner`" in on_line["message"]["id"]
    assert "after_input_error" not in elsewhere


def test_a_rule_file_finding_names_only_the_fields_its_case_reads() -> None:
    """A process's category and owner both ignored on its line: REG001 (category) names
    `category` only; a map finding on `processes` (process_count) names nothing of a map's
    dates."""
    doc = SimpleNamespace(file="m.yaml", kind="peta-proses", model=SimpleNamespace(code="M"),
                          pruned=[(7, "processes[0].category"), (7, "processes[0].owner"),
                                  (2, "last_evaluated")])
    case = SimpleNamespace(when={"$nex": {"category": 1}})
    count = SimpleNamespace(when={"$lt": {"process_count": 1}})
    rules = {"R1": SimpleNamespace(cases=(case,)), "R2": SimpleNamespace(cases=(count,))}
    category, empty_map = _finding("R1", 7, case=0), _finding("R2", 2, "map", "M", case=0)
    _mark_after_input_errors([category, empty_map], [doc], rules)
    assert category["after_input_error"] == ["processes[0].category"]
    assert "after_input_error" not in empty_map


def test_fact_sources_name_declared_fact_fields() -> None:
    from probis.engine.facts import CORE_FACT_KINDS, FACT_SOURCES
    for kind, sources in FACT_SOURCES.items():
        assert set(sources) <= set(CORE_FACT_KINDS[kind]), kind
