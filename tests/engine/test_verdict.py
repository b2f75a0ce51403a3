"""The grade cannot hide a problem: open errors, unread files and empty audits cap or void it
(docs/scoring.md, 'The grade')."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from probis.engine.errors import InputError
from probis.engine.i18n import text
from probis.engine.verdict import completeness, scope_verdict, workspace_verdict
from testkit import SAMPLE_CITY, run_cli

AS_OF = "2026-11-28"


def _done(loaded: int = 10, broken_maps: int = 0, rules: int = 5, engine: int = 0):
    docs = [(f"peta/m{i}.yaml", "peta-proses") for i in range(loaded)]
    errors = [InputError(f"peta/broken{i}.yaml", 3, "processes", text("x", "x"),
                         code="schema", dropped_kind="peta-proses")
              for i in range(broken_maps)]
    return completeness(docs, errors, loaded, rules, engine)


def test_complete_clean_audit_keeps_the_scores_letter() -> None:
    assert workspace_verdict(99.0, [], _done()).grade == "A"
    assert workspace_verdict(85.0, [], _done()).grade == "B"


def test_an_input_error_caps_below_a_and_names_the_coverage() -> None:
    done = _done(loaded=19, broken_maps=1)
    assert (done.files.audited, done.files.declared) == (19, 20)
    assert (done.maps.audited, done.maps.declared) == (19, 20)
    verdict = workspace_verdict(99.5, [], done)
    assert verdict.grade == "B"
    assert "19/20 berkas" in verdict.reasons[0]["id"]
    assert "19/20 files" in verdict.reasons[0]["en"]


def test_low_coverage_gives_the_coverage_letter() -> None:
    # 6 of 10 maps read: the coverage is graded on the score's own scale (60% -> D)
    assert workspace_verdict(100.0, [], _done(loaded=6, broken_maps=4)).grade == "D"


def test_a_rule_that_did_not_run_caps_below_a() -> None:
    verdict = workspace_verdict(100.0, [], _done(engine=1))
    assert verdict.grade == "B"
    assert "did not run" in verdict.reasons[0]["en"]


def test_nothing_to_grade() -> None:
    assert workspace_verdict(100.0, [], _done(loaded=0, broken_maps=3)).grade is None
    assert workspace_verdict(100.0, [], _done(rules=0)).grade is None


def test_scope_rules_match_the_workspace_rules() -> None:
    assert scope_verdict(95.0, True, 0, 0).grade == "A"
    assert scope_verdict(95.0, True, 1, 0).grade == "B"
    assert scope_verdict(95.0, True, 0, 2).grade == "B"
    assert scope_verdict(65.0, True, 1, 0).grade == "D"
    assert scope_verdict(100.0, False, 0, 0).grade is None


def _report(ws: Path, *extra: str) -> tuple[int, dict, str]:
    code, out, err = run_cli("check", str(ws), "--as-of", AS_OF, "-f", "json", *extra)
    return code, json.loads(out), err


def test_sample_city_is_b_because_of_its_open_errors() -> None:
    _code, report, _err = _report(SAMPLE_CITY)
    assert report["score"] >= 90
    assert report["grade"] == "B"
    assert report["verdict"]["completeness"]["complete"] is True
    assert "open error findings" in report["verdict"]["reasons"][0]["en"]
    for uid, cell in report["scores"]["by_unit"].items():
        errors = [f for f in report["findings"] if f["unit"] == uid and f["severity"] == "error"]
        if errors:
            assert cell["grade"] != "A", uid


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_CITY, tmp_path / "kota"))


def test_unreadable_maps_cost_coverage_and_the_a(city: Path) -> None:
    broken = sorted((city / "peta" / "dinkes").glob("*.yaml"))[0]
    broken.write_text(broken.read_text(encoding="utf-8") + "processes: [unclosed\n",
                      encoding="utf-8")
    code, report, _err = _report(city)
    assert code == 2
    done = report["verdict"]["completeness"]
    assert done["files"]["audited"] == done["files"]["declared"] - 1
    assert report["grade"] in {"B", "C", "D", "E"}
    assert any("incomplete audit" in r["en"] for r in report["verdict"]["reasons"])
    # "nothing serves sasaran X" may only be true of what was read: such findings say so
    absence = [f for f in report["findings"] if f["rule"] in ("ALN003", "REG002")]
    assert absence
    rel = broken.relative_to(city).as_posix()
    for f in absence:
        assert rel in f["after_input_error"] and "could not be read" in f["message"]["en"]


def test_no_map_loaded_has_no_grade_and_exits_2(city: Path) -> None:
    for path in (city / "peta").rglob("*.yaml"):
        path.write_text("kind: peta-proses\ncode: [unclosed\n", encoding="utf-8")
    code, report, _err = _report(city)
    assert code == 2
    assert report["grade"] is None
    assert report["verdict"]["completeness"]["maps"]["audited"] == 0
    code, out, _err = run_cli("check", str(city), "--as-of", AS_OF)
    assert code == 2
    assert "tidak dapat dinilai" in out.splitlines()[1]
    _code, out, _err = run_cli("check", str(city), "--as-of", AS_OF, "--lang", "en")
    assert "not gradable" in out.splitlines()[1]
    # Markdown and HTML from one run (-o's extension names the format)
    run_cli("check", str(city), "--as-of", AS_OF, "-o", str(city / "r.md"),
            "-o", str(city / "r.html"))
    assert "**tidak dapat dinilai**" in (city / "r.md").read_text(encoding="utf-8")
    html = (city / "r.html").read_text(encoding="utf-8")
    assert "tidak dapat dinilai" in html and 'id="verdict"' in html


def test_no_map_at_all_has_no_grade(city: Path) -> None:
    shutil.rmtree(city / "peta")
    code, out, err = run_cli("check", str(city), "--as-of", AS_OF, "--lang", "en")
    assert code == 2
    assert "not gradable" in out
    assert "no map could be read" in err


def test_scope_unread_map_files_cap_and_are_named() -> None:
    verdict = scope_verdict(99.0, True, 0, 0, unread=["peta/a/P1.yaml"])
    assert verdict.grade == "B"
    assert "peta/a/P1.yaml" in verdict.reasons[0]["en"]
    many = [f"peta/x/P{i}.yaml" for i in range(5)]
    verdict = scope_verdict(99.0, True, 0, 0, unread_unknown=many)
    assert verdict.grade == "B"
    assert "5 map files of unknown unit" in verdict.reasons[0]["en"]
    assert "(+2)" in verdict.reasons[0]["en"] and "(+2)" in verdict.reasons[0]["id"]


def _unit_cells(report: dict) -> dict[str, dict]:
    return report["scores"]["by_unit"]


def test_a_unit_whose_map_file_was_not_read_is_capped(city: Path) -> None:
    # attributed by the `unit` the dropped map states (its folder names no unit) ...
    stated = city / "peta" / "disdukcapil" / "PB.04.03.01.yaml"
    (city / "peta" / "arsip").mkdir()
    (city / "peta" / "arsip" / "PB.04.03.01.yaml").write_text(
        stated.read_text(encoding="utf-8").replace("level: 2\n", ""), encoding="utf-8")
    stated.unlink()
    # ... and by the unit folder on the path of a file that says nothing (empty)
    (city / "peta" / "kec-metro-barat" / "PB.16.01.yaml").write_text("", encoding="utf-8")
    code, report, _err = _report(city)
    assert code == 2
    cells = _unit_cells(report)
    for uid, rel in (("disdukcapil", "peta/arsip/PB.04.03.01.yaml"),
                     ("kec-metro-barat", "peta/kec-metro-barat/PB.16.01.yaml")):
        assert cells[uid]["score"] >= 90, uid
        assert cells[uid]["grade"] == "B", uid
        reasons = cells[uid]["grade_reasons"]
        assert any(rel in r["en"] and "of this unit could not be read" in r["en"]
                   for r in reasons), reasons
        assert any(rel in r["id"] and "tidak terbaca" in r["id"] for r in reasons), reasons
    # a unit whose files all loaded keeps its letter
    assert cells["kec-metro-timur"]["grade"] == "A"
    assert cells["kec-metro-timur"]["grade_reasons"] == []
    # the terminal says why under the unit table, in the run's language; open errors, which
    # the table's own count shows, are not repeated there
    for lang, head, said in (
            ("id", "Nilai unit dibatasi", "  kec-metro-barat: 1 berkas peta unit ini tidak "
                                          "terbaca (peta/kec-metro-barat/PB.16.01.yaml)"),
            ("en", "Unit grades limited", "  kec-metro-barat: 1 map file of this unit could "
                                          "not be read (peta/kec-metro-barat/PB.16.01.yaml)")):
        _code, out, _err = run_cli("--lang", lang, "check", str(city), "--as-of", AS_OF,
                                   env={"COLUMNS": "200"})
        lines = out.splitlines()
        at = lines.index(head)
        assert any(line.startswith(said) for line in lines[at:at + 4]), out
        assert "disdukcapil: " in out and "bappeda: " not in out


def test_an_unread_map_file_of_unknown_unit_caps_every_unit(city: Path) -> None:
    (city / "peta" / "lain").mkdir()
    (city / "peta" / "lain" / "rusak.yaml").write_text(
        "kind: peta-proses\ncode: PB.99\n\tlevel: 0\n", encoding="utf-8")
    code, report, _err = _report(city)
    assert code == 2
    graded = {uid: c for uid, c in _unit_cells(report).items() if c["grade"] is not None}
    assert graded
    for uid, cell in graded.items():
        assert cell["grade"] != "A", uid
        assert any("1 map file of unknown unit could not be read (peta/lain/rusak.yaml)"
                   in r["en"] for r in cell["grade_reasons"]), uid
    # per-map grades are left alone: the unread map has none, the others keep theirs
    assert any(c["grade"] == "A" for c in report["scores"]["by_map"].values())


def test_rules_that_did_not_run_cap_each_unit_and_map() -> None:
    """scoring.md: the same rules for each unit and map. A unit whose only error came from a
    rule that timed out was graded A, with no reason, beside a workspace capped at B."""
    capped = scope_verdict(100.0, True, 0, 0, engine_failures=1)
    assert capped.grade == "B"
    assert capped.reasons_dicts() == [{
        "id": "1 kegagalan mesin (aturan tidak berjalan): sebagian temuan bisa tidak ada; "
              "paling tinggi B",
        "en": "1 engine failure (rules did not run): some findings may be missing; at most B"}]
    assert scope_verdict(100.0, True, 0, 0).grade == "A"
    assert scope_verdict(100.0, False, 0, 0, engine_failures=1).grade is None


def test_a_unit_is_capped_when_the_rule_files_time_out(city: Path) -> None:
    # a rule-file budget far too short for the rules engine worker to answer in
    code, out, err = run_cli("check", str(city), "--as-of", AS_OF, "-f", "json",
                             env={"PROBIS_RULESET_TIMEOUT": "0.000001"})
    report = json.loads(out)
    assert report["engine_findings"], err
    graded = {uid: c for uid, c in _unit_cells(report).items() if c["grade"] is not None}
    assert graded and all(c["grade"] != "A" for c in graded.values()), graded
    assert all(any("rules did not run" in r["en"] for r in c["grade_reasons"])
               for c in graded.values())
    assert all(c["grade"] != "A" for c in report["scores"]["by_map"].values()
               if c["grade"] is not None)


def test_no_applicable_check_is_no_grade(city: Path) -> None:
    """A profile that leaves only a rule with nothing to apply to: 'Skor 100 (A)', exit 0, and
    the workspace ranked first by check-many. An audit of nothing has no letter."""
    assert workspace_verdict(100.0, [], _done(), 0).grade is None
    assert workspace_verdict(100.0, [], _done(), 5).grade == "A"
    code, listed, _err = run_cli("rules", "--lang", "en")
    ids = sorted({line.split()[0] for line in listed.splitlines()[2:]
                  if line.split() and line.split()[0][:3].isalpha()} - {"SOP001"})
    manifest = city / "probis.yaml"
    body = manifest.read_text(encoding="utf-8")
    assert "profile: {extends: [recommended]}\n" in body
    manifest.write_text(body.replace("profile: {extends: [recommended]}\n", "profile:\n  rules:\n"
                                     + "".join(f"    {r}: off\n" for r in ids)),
                        encoding="utf-8")
    shutil.rmtree(city / "sop")
    code, report, err = _report(city)
    assert code == 2 and report["grade"] is None, (report["grade"], err)
    assert report["verdict"]["reasons"][0]["en"] == "no check applied: there is nothing to grade"


def test_an_unread_sotk_in_force_caps_every_unit(city: Path) -> None:
    """With the SOTK in force unreadable, bappeda's STR001 errors (its rename is recorded
    there) vanished and bappeda showed 100 (A) with no reason beside a workspace capped at B."""
    sotk = city / "sotk" / "sotk-2025.yaml"
    sotk.write_text(sotk.read_text(encoding="utf-8") + "units: [unclosed\n", encoding="utf-8")
    code, report, _err = _report(city)
    assert code == 2
    graded = {uid: c for uid, c in _unit_cells(report).items() if c["grade"] is not None}
    assert graded and all(c["grade"] != "A" for c in graded.values())
    assert all(any("SOTK/RPJMD in force could not be read (sotk/sotk-2025.yaml)" in r["en"]
                   for r in c["grade_reasons"]) for c in graded.values())
