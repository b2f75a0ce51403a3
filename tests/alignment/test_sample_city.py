"""The sample city: every planted ALN defect of DEFECTS.md, and the coverage matrix.

The coverage figures were counted by hand from rencana/rpjmd-2025-2029.yaml, the Renstra
files and every process's `supports` (see the branch notes): 21 sasaran, S2.2.2 unserved.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .workspace import AS_OF, aln

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_maps" / "kota-metro"

pytestmark = pytest.mark.skipif(not (SAMPLE / "DEFECTS.md").is_file(),
                                reason="sample city not present")


def planted() -> set[tuple[str, str]]:
    rows = re.findall(r"^\| (ALN\d{3}) \| [^|]+ \| ([^|]+) \|", (SAMPLE / "DEFECTS.md").read_text(
        encoding="utf-8").split("## Waivers")[0], flags=re.M)
    return {(rule, element.strip()) for rule, element in rows}


@pytest.fixture(scope="module")
def result():
    import os

    from probis.engine.plugins import build_registry
    from probis.engine.runner import audit

    saved = os.environ.get("PROBIS_LOAD_PLUGINS")
    os.environ["PROBIS_LOAD_PLUGINS"] = "alignment"
    try:
        return audit(SAMPLE, as_of=AS_OF, registry=build_registry())
    finally:
        if saved is None:
            os.environ.pop("PROBIS_LOAD_PLUGINS", None)
        else:
            os.environ["PROBIS_LOAD_PLUGINS"] = saved


def test_every_planted_aln_defect_and_nothing_else(result) -> None:
    expected = planted()
    assert len(expected) == 14
    assert {(f.rule, f.ref.element) for f in aln(result)} == expected


def test_aln001_severity_follows_map_status(result) -> None:
    severities = {f.ref.element: f.severity for f in aln(result, "ALN001")}
    assert severities == {"PB.08.01.02.01": "warning", "PB.01.02": "error"}


def test_coverage_matches_the_hand_count(result) -> None:
    cov = result.sections["coverage"]
    assert [(m["id"], m["sasaran_served"], m["sasaran_total"]) for m in cov["misi"]] == [
        ("M1", 6, 6), ("M2", 3, 4), ("M3", 4, 4), ("M4", 7, 7)]
    assert cov["totals"] == {"sasaran_total": 21, "sasaran_served": 20, "share_percent": 95.2}
    rows = {s["id"]: s for m in cov["misi"] for t in m["tujuan"] for s in t["sasaran"]}
    # served only through Renstra sasaran DIK.S2
    assert rows["S1.1.2"]["direct"] == []
    assert [(x["process"], x["via"]) for x in rows["S1.1.2"]["via_renstra"]] == [
        ("PB.06.02.03", "DIK.S2")]
    assert rows["S2.2.2"]["served"] is False and rows["S2.2.2"]["renstra_opds"] == ["dpmptsp"]
    # the Dinas Sosial Renstra names the old RPJMD: its links do not count, the direct ones do
    assert rows["S1.3.1"]["via_renstra"] == [] and rows["S1.3.1"]["direct"]


def test_trace_of_a_duplicated_process_code_shows_both(capsys) -> None:
    from .test_coverage_trace import cli

    code, out, _ = cli(capsys, "trace", str(SAMPLE), "PB.07.02.01", "--lang", "en")
    assert code == 0
    assert out.startswith("! process code PB.07.02.01 is used by 2 processes (REG004)\n")
    assert "→ Renstra sasaran DINSOS.S1" in out and "→ Renstra sasaran DINSOS.S2" in out
