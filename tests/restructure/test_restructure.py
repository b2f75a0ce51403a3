"""Structure-change triggers end to end: event -> trigger -> impact -> findings.

The workspace tests/restructure/kota-uji has SOTK 2023 in force; sotk-2025 renames bappeda,
merges diskopukm+disdag, splits disdikbud, abolishes dinas-x, creates a bidang and moves
disdukcapil.pias; rpjmd-2025-2029 starts a new period, removes S2 and renames S3 (new id).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from probis.engine.runner import audit
from probis.plugins.restructure.command import public, run_restructure

HERE = Path(__file__).parent
BASE = HERE / "kota-uji"
AS_OF = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation,restructure")


@pytest.fixture(scope="module")
def report() -> dict:
    import os

    # a module-scoped fixture cannot use monkeypatch: set and restore the allow-list by hand,
    # so later test modules see the environment they started with
    saved = os.environ.get("PROBIS_LOAD_PLUGINS")
    os.environ["PROBIS_LOAD_PLUGINS"] = "regulation,restructure"
    try:
        return run_restructure(BASE, "sotk/sotk-2025.yaml", "rencana/rpjmd-2025-2029.yaml",
                               AS_OF, use_disk_cache=False)
    finally:
        if saved is None:
            os.environ.pop("PROBIS_LOAD_PLUGINS", None)
        else:
            os.environ["PROBIS_LOAD_PLUGINS"] = saved


def _affected(report: dict, file: str) -> dict:
    return next(a for a in report["affected"] if a["file"] == file)


def _events(report: dict, kind: str) -> list[dict]:
    return [e for e in report["events"] if e["kind"] == kind]


def _findings(report: dict, rule: str) -> dict[str, dict]:
    return {f["element"]: f for f in report["findings"]["affected_after"] if f["rule"] == rule}


# --- one test per change kind: event, impact, findings ------------------------------------


def test_rename(report: dict) -> None:
    [event] = [e for e in _events(report, "unit_renamed") if e["unit"] == "bappeda"]
    assert event["to"] == "bapperida" and event["inferred"] is False
    sub = [e for e in _events(report, "unit_renamed") if e["unit"] == "bappeda.perencanaan"]
    assert sub and sub[0]["via"] == "prefix" and sub[0]["to"] == "bapperida.perencanaan"
    a = _affected(report, "peta/bappeda.yaml")
    assert a["code"] == "PB.01"
    assert a["proposed"] == {"bappeda": ["bapperida"],
                             "bappeda.perencanaan": ["bapperida.perencanaan"]}
    lf = _affected(report, "peta/bappeda-lf.yaml")
    assert lf["code"] == "PB.01.01" and lf["kind"] == "peta-lintas-fungsi"
    f = _findings(report, "STR001")
    assert f["PB.01.01"]["evidence"]["units"][0]["proposed"] == ["bapperida.perencanaan"]
    assert f["PB.01.01#ren"]["element_type"] == "lane"


def test_merge(report: dict) -> None:
    merged = {e["unit"]: e["to"] for e in _events(report, "unit_merged")}
    assert merged == {"diskopukm": "diskopdag", "disdag": "diskopdag"}
    assert _affected(report, "peta/disdag.yaml")["proposed"] == {"disdag": ["diskopdag"]}
    f = _findings(report, "STR001")
    assert "diskopdag" in f["PB.02.01"]["message"]["en"]
    # disdag's metrologi function went nowhere in sotk-2025
    lost = _findings(report, "STR004")
    assert lost["disdag"]["evidence"]["functions"] == ["Pengawasan metrologi legal"]
    assert "diskopukm" not in lost


def test_split_ranks_candidates_by_functions(report: dict) -> None:
    [event] = _events(report, "unit_split")
    assert event["unit"] == "disdikbud" and set(event["to"].split(",")) == {"disdik", "disbud"}
    f = _findings(report, "STR001")
    school = f["PB.04.01"]["evidence"]["units"][0]["ranking"]
    heritage = f["PB.04.02"]["evidence"]["units"][0]["ranking"]
    assert school[0]["unit"] == "disdik" and school[0]["score"] > school[1]["score"]
    assert heritage[0]["unit"] == "disbud" and heritage[0]["score"] > heritage[1]["score"]


def test_move(report: dict) -> None:
    [event] = _events(report, "unit_moved")
    assert event["unit"] == "disdukcapil.pias" and event["to"] == "diskominfo.pias"
    a = _affected(report, "peta/disdukcapil.yaml")
    assert a["proposed"] == {"disdukcapil.pias": ["diskominfo.pias"]}
    # the new parent's maps re-open too
    changes = _affected(report, "peta/diskominfo.yaml")["changes"]
    assert any(c["event"] == "unit_moved" for c in changes)
    assert "diskominfo.pias" in _findings(report, "STR001")["PB.06.02"]["message"]["en"]


def test_abolish(report: dict) -> None:
    [event] = _events(report, "unit_abolished")
    assert event["unit"] == "dinas-x"
    assert _affected(report, "peta/dinas-x.yaml")["proposed"] == {"dinas-x": []}
    assert "no replacing unit" in _findings(report, "STR001")["PB.05.01"]["message"]["en"]
    assert "dinas-x" in _findings(report, "STR004")


def test_create(report: dict) -> None:
    [event] = _events(report, "unit_created")
    assert event["unit"] == "diskominfo.persandian" and event["parent"] == "diskominfo"
    a = _affected(report, "peta/diskominfo.yaml")
    assert any(c["event"] == "unit_created" for c in a["changes"])
    assert not _findings(report, "STR001").get("PB.07.01")  # nothing in it is outdated


def test_new_rpjmd_period(report: dict) -> None:
    [event] = _events(report, "rpjmd_period_changed")
    assert event["date"] == "2025-01-01"
    a = _affected(report, "peta/bappeda.yaml")
    assert any(c["event"] == "rpjmd_period_changed" for c in a["changes"])
    f = _findings(report, "STR003")
    assert "before the period of rpjmd-2025-2029" in f["PB.01"]["message"]["en"]


def test_sasaran_removed_and_renamed(report: dict) -> None:
    assert [e["sasaran"] for e in _events(report, "sasaran_removed")] == ["S2"]
    [renamed] = _events(report, "sasaran_renamed")
    assert renamed["sasaran"] == "S3" and renamed["to"] == "S3.1" and renamed["inferred"]
    assert any(c["event"] == "sasaran_removed"
               for c in _affected(report, "peta/diskopukm.yaml")["changes"])
    f = _findings(report, "STR003")
    assert f["PB.02.01"]["evidence"]["sasaran"] == ["S2"]
    assert f["PB.06.01"]["evidence"]["replaced_by"] == {"S3": "S3.1"}


def test_scores_before_and_after(report: dict) -> None:
    before, after = report["scores"]["before"], report["scores"]["after"]
    assert after["workspace"]["score"] < before["workspace"]["score"]
    assert report["findings"]["by_rule"]["before"].get("STR001", 0) == 0
    assert report["findings"]["by_rule"]["after"]["STR001"] > 0


def test_report_is_deterministic(report: dict) -> None:
    again = run_restructure(BASE, "sotk/sotk-2025.yaml", "rencana/rpjmd-2025-2029.yaml", AS_OF,
                            use_disk_cache=False)
    assert json.dumps(public(again), sort_keys=True) == json.dumps(public(report), sort_keys=True)


# --- triggers are data ---------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    return ws


def test_perwali_changed_reopens_the_units_maps(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    (ws / "peristiwa.yaml").write_text(
        "kind: peristiwa\nevents:\n  - {event: perwali_changed, unit: disdukcapil, "
        "regulation: Perwali 12/2025, date: 2025-07-01}\n", "utf-8")
    rep = run_restructure(ws, "sotk/sotk-2023.yaml", None, AS_OF, use_disk_cache=False)
    [event] = rep["events"]
    assert event["kind"] == "perwali_changed" and event["source"] == "declared"
    files = {a["file"] for a in rep["affected"]}
    # disdukcapil's own map, and the bappeda maps where its dafduk takes part
    assert files == {"peta/disdukcapil.yaml", "peta/bappeda.yaml", "peta/bappeda-lf.yaml"}
    reason = rep["affected"][0]["changes"][0]["reason"]["en"]
    assert "Perwali 12/2025" in reason


def test_auditor_adds_a_trigger_without_python(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    (ws / "pemicu-urusan.yaml").write_text(yaml.safe_dump({
        "kind": "pemicu", "id": "TRG-urusan", "when": {"kind": "urusan_transferred"},
        "reopen": ["unit_references"],
        "reason": {"id": "urusan {unit} dialihkan", "en": "affairs of {unit} transferred"}}),
        "utf-8")
    (ws / "peristiwa.yaml").write_text(
        "kind: peristiwa\nevents:\n  - {event: urusan_transferred, unit: dinas-x}\n", "utf-8")
    rep = run_restructure(ws, "sotk/sotk-2023.yaml", None, AS_OF, use_disk_cache=False)
    assert [a["file"] for a in rep["affected"]] == ["peta/dinas-x.yaml"]
    assert rep["triggers"][0]["trigger"] == "TRG-urusan"
    assert rep["triggers"][0]["source"] == "pemicu-urusan.yaml"


def test_bad_trigger_file_is_an_input_error(tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    (ws / "pemicu.yaml").write_text(
        "kind: pemicu\nid: X\nwhen: {kind: a}\nreopen: [everything]\nreason: {id: a, en: b}\n",
        "utf-8")
    result = audit(ws, AS_OF)
    assert any(e.file == "pemicu.yaml" and "reopen" in (e.field or "")
               for e in result.input_errors)


# --- --apply ---------------------------------------------------------------------------------


def test_apply_writes_copies_only(tmp_path: Path) -> None:
    from probis.engine.errors import ProbisUsageError
    from probis.plugins.restructure.apply import apply

    ws = _copy(tmp_path)
    original = (ws / "peta/bappeda.yaml").read_bytes()
    rep = run_restructure(ws, "sotk/sotk-2025.yaml", None, AS_OF, use_disk_cache=False)
    written = apply(ws, rep["_impact"], tmp_path / "out")
    assert (ws / "peta/bappeda.yaml").read_bytes() == original
    copy = (tmp_path / "out/peta/bappeda.yaml").read_text("utf-8")
    assert "owner: bapperida.perencanaan" in copy and "unit: bapperida" in copy
    assert "# comment kept by --apply" in copy
    lf = yaml.safe_load((tmp_path / "out/peta/bappeda-lf.yaml").read_text("utf-8"))
    assert lf["lanes"][0]["unit"] == "bapperida.perencanaan"
    assert lf["lanes"][1]["unit"] == "disdukcapil.dafduk"
    split = next(w for w in written if w["file"] == "peta/disdikbud.yaml")
    assert set(split["choose"]["disdikbud"]) == {"disdik", "disbud"}
    with pytest.raises(ProbisUsageError):
        apply(ws, rep["_impact"], ws / "copies")


def test_apply_says_the_choice_in_a_sentence_and_marks_it_in_the_copy(tmp_path: Path) -> None:
    """A split's pending choice: a sentence in the run's language (it was a Python dict), and a
    `# probis:` comment on each line of the copy that got the provisional unit."""
    for lang, sentence in (("en", r"choose (disbud or disdik|disdik or disbud) for disdikbud "
                                  r"\((disbud|disdik) written for now\)"),
                           ("id", r"pilih (disbud atau disdik|disdik atau disbud) untuk "
                                  r"disdikbud \(sementara ditulis (disbud|disdik)\)")):
        out_dir = tmp_path / lang
        proc = subprocess.run(
            [sys.executable, "-c", "from probis.engine.cli import main; main()", "restructure",
             str(BASE), "--to", "sotk/sotk-2025.yaml", "--as-of", "2026-11-28", "--lang", lang,
             "--apply", str(out_dir)], capture_output=True, text=True, timeout=120,
            env={**os.environ, "PROBIS_LOAD_PLUGINS": "regulation,restructure"})
        assert proc.returncode == 0, proc.stderr
        line = next(ln for ln in proc.stdout.splitlines() if "disdikbud.yaml:" in ln)
        assert re.search(sentence, line) and "{" not in line, line
        copy = (out_dir / "peta/disdikbud.yaml").read_text("utf-8")
        marked = [ln for ln in copy.splitlines() if "# probis: " in ln]
        assert len(marked) == 3 and all(re.search(sentence, ln) for ln in marked), copy
        plain = re.sub(r"  # probis: .*", "", copy)
        assert yaml.safe_load(copy) == yaml.safe_load(plain)


def test_apply_leaves_out_marks_that_would_change_the_copy(tmp_path: Path) -> None:
    from probis.plugins.restructure.apply import apply

    ws = _copy(tmp_path)
    path = ws / "peta/disdikbud.yaml"
    # a comment after `unit: disdikbud` inside a block scalar would become part of its text
    path.write_text(path.read_text("utf-8") + "catatan: |\n  unit: disdikbud\n", "utf-8")
    rep = run_restructure(ws, "sotk/sotk-2025.yaml", None, AS_OF, use_disk_cache=False)
    written = apply(ws, rep["_impact"], tmp_path / "out", "en")
    entry = next(w for w in written if w["file"] == "peta/disdikbud.yaml")
    copy = (tmp_path / "out/peta/disdikbud.yaml").read_text("utf-8")
    assert "# probis:" not in copy and entry["marked"] == 0 and "error" not in entry
    assert yaml.safe_load(copy)["unit"] == entry["replaced"]["disdikbud"]


def test_cli_unknown_sotk_exits_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from probis.engine.cli import main; main()", "restructure",
         str(BASE), "--to", "sotk/nope.yaml"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "sotk/sotk-2025.yaml" in proc.stderr and "Traceback" not in proc.stderr
