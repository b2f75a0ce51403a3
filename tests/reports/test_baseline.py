"""Trend since the last audit (`check --baseline`, `probis diff`): on a copy of the sample
city, fixing two findings and adding one gives 2 fixed / 1 new; edits that only move lines
or reorder lists give 0 new / 0 fixed (fingerprints carry no line number)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from probis.engine.baseline import compare
from probis.engine.cli import main
from probis.engine.render.markdown import render_markdown
from probis.engine.render.terminal import render_terminal
from probis.engine.render.trend import trend_lines
from testkit import SAMPLE_CITY, run_cli

AS_OF = "2026-11-28"
LF = "peta/dinkes/PB.05.02.02-LF.yaml"
MAP = "peta/dinkes/PB.05.02.yaml"


def _check(ws: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("check", str(ws), "--as-of", AS_OF, "-j", "1", *extra)


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the sample city and its JSON report."""
    root = tmp_path_factory.mktemp("baseline")
    ws = root / "city"
    shutil.copytree(SAMPLE_CITY, ws)
    old = root / "old.json"
    code, _, err = _check(ws, "-f", "json", "-o", str(old))
    assert code == 1, err  # the sample city has error findings
    return ws, old


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def after(before: tuple[Path, Path]) -> tuple[Path, Path, dict[str, Any]]:
    """Two findings fixed (FLW002 dead end s4, FLW004 flow from the deleted s10) and one
    added (REG001: category `utama`), checked with --baseline."""
    ws, old = before
    changed = ws.parent / "changed"
    shutil.copytree(ws, changed)
    _edit(changed / LF, "  - {from: s10, to: s9}\n", "")
    _edit(changed / LF, "  - {from: s8, to: s9}\n",
          "  - {from: s8, to: s9}\n  - {from: s4, to: s9}\n")
    _edit(changed / MAP, "    name: Pelayanan Imunisasi Dasar Lengkap\n    category: inti\n",
          "    name: Pelayanan Imunisasi Dasar Lengkap\n    category: utama\n")
    new = ws.parent / "new.json"
    code, _, err = _check(changed, "-f", "json", "-o", str(new), "--baseline", str(old))
    assert code == 1, err
    return changed, new, json.loads(new.read_text(encoding="utf-8"))


def test_without_baseline_the_report_has_no_trend(before: tuple[Path, Path]) -> None:
    report = json.loads(before[1].read_text(encoding="utf-8"))
    assert "baseline" not in report
    assert all("baseline_status" not in f for f in report["findings"])


def test_two_fixed_one_new(before: tuple[Path, Path], after) -> None:
    _, old = before
    _, _, report = after
    trend = report["baseline"]
    assert (trend["new"], trend["fixed"]) == (1, 2)
    assert trend["file"] == str(old)
    assert trend["open"] == len(report["findings"]) - 1
    assert sorted(f["rule"] for f in trend["fixed_findings"]) == ["FLW002", "FLW004"]
    new = [f for f in report["findings"] if f["baseline_status"] == "new"]
    assert [(f["rule"], f["element"]) for f in new] == [("REG001", "PB.05.02.01")]
    assert {f["baseline_status"] for f in report["findings"]} == {"new", "open"}
    old_report = json.loads(old.read_text(encoding="utf-8"))
    dinkes = trend["units"]["dinkes"]
    assert dinkes["score_before"] == old_report["scores"]["by_unit"]["dinkes"]["score"]
    assert dinkes["score_after"] == report["scores"]["by_unit"]["dinkes"]["score"]
    assert dinkes["score_before"] != dinkes["score_after"]
    assert set(trend["units"]) == set(old_report["scores"]["by_unit"])
    assert (trend["score_before"], trend["grade_before"]) == (old_report["score"],
                                                              old_report["grade"])


def test_terminal_and_markdown_show_the_trend(after) -> None:
    _, _, report = after
    out = render_terminal(report, lang="en")
    assert "Since the last audit" in out and "1 new" in out and "2 fixed" in out
    assert "FLW004 PB.05.02.02#s10->s9" in out and "dinkes 97.5 →" in out
    md = render_markdown(report, lang="id")
    # the LHP's page-1 box (engine/render/lhp_model.py)
    assert "### Sejak pemeriksaan terakhir" in md and "**1** baru" in md
    assert "**2** sudah diperbaiki" in md and "- sudah diperbaiki: " in md
    plain = {k: v for k, v in report.items() if k != "baseline"}
    assert "Since the last audit" not in render_terminal(plain, lang="en")


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`probis diff` through the real entry point, in this process (no audit to isolate)."""
    with pytest.raises(SystemExit) as stop:
        main(["diff", *args])
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err


def test_diff_prints_the_same_without_auditing(before: tuple[Path, Path], after,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _, old = before
    _, new, report = after
    code, out, err = run_cli("diff", str(old), str(new), "--format", "json")  # the real program
    assert code == 1, err  # a new finding
    data = json.loads(out)
    assert {k: data[k] for k in report["baseline"]} == report["baseline"]
    assert [f["rule"] for f in data["new_findings"]] == ["REG001"]
    code, out, _ = _diff(capsys, str(old), str(new), "--lang", "id")
    assert code == 1 and "1 baru" in out and "2 selesai" in out and "Temuan baru" in out
    code, out, _ = _diff(capsys, str(old), str(new), "-f", "markdown", "--lang", "en")
    assert code == 1 and out.startswith("## Since the last audit") and "### Fixed findings" in out
    code, out, _ = _diff(capsys, str(old), str(old))
    assert code == 0 and "0 baru" in out and "0 selesai" in out


def test_diff_speaks_probis_lang_and_one_language_when_it_cannot_write(
        before: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, old = before
    monkeypatch.setenv("PROBIS_LANG", "en")
    code, out, _ = _diff(capsys, str(old), str(old))
    assert code == 0 and "0 new" in out and "baru" not in out
    code, _, err = _diff(capsys, str(old), str(old), "-o", str(tmp_path / "no" / "such.txt"))
    assert code == 3 and "cannot write" in err and "tidak dapat" not in err


def test_line_shifts_and_reordered_lists_keep_every_fingerprint(before: tuple[Path, Path]
                                                                ) -> None:
    ws, old = before
    moved = ws.parent / "moved"
    shutil.copytree(ws, moved)
    for path in sorted(moved.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        if isinstance(data, dict) and path.name.endswith("-LF.yaml"):  # reorder the lists
            for key in ("lanes", "steps", "flows"):
                data[key] = data[key][::-1]
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        elif isinstance(data, dict) and isinstance(data.get("processes"), list):
            data["processes"] = data["processes"][::-1]
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text("# digeser / shifted\n\n\n" + text, encoding="utf-8")
    shifted = ws.parent / "shifted.json"
    _check(moved, "-f", "json", "-o", str(shifted), "--baseline", str(old))
    trend = json.loads(shifted.read_text(encoding="utf-8"))["baseline"]
    assert (trend["new"], trend["fixed"]) == (0, 0)
    old_lines = {f["fingerprint"]: f["line"] for f in
                 json.loads(old.read_text(encoding="utf-8"))["findings"]}
    new_lines = {f["fingerprint"]: f["line"] for f in
                 json.loads(shifted.read_text(encoding="utf-8"))["findings"]}
    assert old_lines.keys() == new_lines.keys()
    assert sum(old_lines[k] != new_lines[k] for k in old_lines) > 10  # the lines did move


@pytest.mark.parametrize("content, says", [
    (None, "berkas tidak ditemukan"),
    ("{not json", "bukan JSON yang sah (baris 1"),
    ('{"probis": {}, "findings": [{"rule": "X"}], "scores": {"by_unit": {}}}',
     "findings[0] tanpa `fingerprint`"),
    ("[1, 2]", "bukan laporan JSON probis"),
    # these two were an internal error (exit 3, "a probis bug") from the JSON reader itself
    ("[" * 100_000 + "]" * 100_000, "bersarang terlalu dalam"),
    ('{"probis": {}, "score": ' + "9" * 5000 + "}", "berisi angka yang terlalu panjang"),
    # junk printed as it was: "score NaN -> 98.5, grade ['A'] -> B"
    ('{"probis": {}, "findings": [], "scores": {"by_unit": {}}, "score": NaN}',
     "`score` bukan angka"),
    ('{"probis": {}, "findings": [], "scores": {"by_unit": {}}, "grade": ["A"]}',
     "`grade` bukan huruf nilai"),
])
def test_a_bad_report_is_a_usage_error(tmp_path: Path, content: str | None, says: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    good.write_text(json.dumps(_report([])), encoding="utf-8")
    for args in (("diff", str(bad), str(good)), ("diff", str(good), str(bad))):
        code, out, err = _diff(capsys, *args[1:])
        assert code == 2 and out == ""
        assert str(bad) in err and says in err and "Traceback" not in err
    if content is None:  # the real program, before any audit
        code, out, err = _check(SAMPLE_CITY, "--baseline", str(bad))
        assert code == 2 and str(bad) in err and "Traceback" not in err


def _f(fp: str, rule: str = "R1") -> dict[str, Any]:
    return {"fingerprint": fp, "rule": rule}


def _report(findings: list[dict[str, Any]], waived: list[dict[str, Any]] | None = None,
            units: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"probis": {}, "score": 90.0, "grade": "B", "findings": findings,
            "waived": waived or [], "scores": {"by_unit": units or {}}}


def test_compare_counts_repeated_fingerprints_and_leaves_waived_out() -> None:
    old = _report([_f("a"), _f("a"), _f("b"), _f("c")],
                  units={"x": {"score": 80.0, "grade": "C"}})
    new = _report([_f("a"), _f("d"), _f("a"), _f("a")], waived=[_f("c")],
                  units={"y": {"score": 99.0, "grade": "A"}})
    section, statuses = compare(old, new, "old.json")
    assert statuses == ["open", "new", "open", "new"]
    assert [f["fingerprint"] for f in section["fixed_findings"]] == ["b"]  # c is waived now
    assert (section["new"], section["open"], section["fixed"]) == (2, 2, 1)
    assert section["units"] == {
        "x": {"score_before": 80.0, "score_after": None, "grade_before": "C",
              "grade_after": None},
        "y": {"score_before": None, "score_after": 99.0, "grade_before": None,
              "grade_after": "A"}}


def _in(fp: str, file: str, map_code: str | None = None, kind: str = "process",
        unit: str = "u") -> dict[str, Any]:
    return {"fingerprint": fp, "rule": "R1", "file": file, "map": map_code,
            "element_type": kind, "unit": unit}


def _read(report: dict[str, Any], files: list[str], errors: list[str]) -> dict[str, Any]:
    report["run"] = {"files": [{"file": f} for f in files]}
    report["input_errors"] = [{"file": f, "line": 1, "field": None} for f in errors]
    return report


def test_findings_in_a_file_the_new_run_could_not_read_are_not_fixed() -> None:
    """A.yaml (map M) cannot be read now: its findings and the finding on map M from its
    cross-functional map are not checked again; B.yaml's gone finding is fixed; C.yaml, read
    with a value ignored, is read in part."""
    old = _read(_report([_in("a1", "A.yaml", "M"), _in("a2", "A.yaml", "M", "map"),
                         _in("lf", "A-LF.yaml", "M", "step"), _in("b", "B.yaml", "N"),
                         _in("c", "C.yaml", "P")],
                        units={"u": {"score": 90.0, "grade": "B"}}),
                ["A.yaml", "A-LF.yaml", "B.yaml", "C.yaml"], [])
    new = _read(_report([], units={"u": {"score": 95.0, "grade": "A"}}),
                ["A-LF.yaml", "B.yaml", "C.yaml"], ["A.yaml", "C.yaml"])
    section, _ = compare(old, new, "old.json")
    assert [f["fingerprint"] for f in section["fixed_findings"]] == ["b", "c"]
    assert [f["fingerprint"] for f in section["not_checked_again_findings"]] == ["a1", "a2",
                                                                                 "lf"]
    assert (section["fixed"], section["not_checked_again"]) == (2, 3)
    assert section["unread_files_after"] == ["A.yaml"]
    assert section["partly_read_files_after"] == ["C.yaml"]
    assert section["units"]["u"]["unread_files_after"] == ["A.yaml"]
    out = "\n".join(trend_lines({"baseline": section}, "en"))
    first, second = out.splitlines()[:2]
    assert "2 fixed, 3 not checked again" in first
    assert second.strip().startswith(
        "Warning: the new audit could not read 1 file (A.yaml); 3 earlier findings there")
    assert "Findings not checked again" in out and "u 90.0 → 95.0 (B → A; not read: A.yaml)" \
        in out
    assert "tidak diperiksa ulang" in "\n".join(trend_lines({"baseline": section}, "id"))
    # the reverse: what the old run could not read is checked for the first time, not new
    section, statuses = compare(new, old, "new.json")
    assert statuses == ["first_checked", "first_checked", "first_checked", "new", "new"]
    assert (section["new"], section["first_checked"]) == (2, 3)
    assert section["unread_files_before"] == ["A.yaml"]
    assert "checked for the first time, not new" in "\n".join(
        trend_lines({"baseline": section}, "en"))


def test_diff_does_not_count_an_unreadable_map_as_fixed(
        before: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    ws, old = before
    broken = ws.parent / "broken"
    shutil.copytree(ws, broken)
    unread = "peta/diskominfo/PB.10.yaml"  # three findings in the sample city
    path = broken / unread
    path.write_text(path.read_text(encoding="utf-8").replace("\n  ", "\n\t", 1),
                    encoding="utf-8")  # a tab: the file cannot be parsed
    new = ws.parent / "broken.json"
    _check(broken, "-f", "json", "-o", str(new))
    code, out, _ = _diff(capsys, str(old), str(new), "-f", "json")
    data = json.loads(out)
    assert data["unread_files_after"] == [unread]
    assert all(f["file"] != unread for f in data["fixed_findings"])
    # its own three, and three SOP findings on its map PB.10 (SOP011 compares with the map)
    assert [(f["file"], f["map"]) for f in data["not_checked_again_findings"]] == [
        (unread, "PB.10")] * 3 + [(f"sop/SOP-KOMINFO-00{i}.yaml", "PB.10") for i in (1, 3, 4)]
    assert (data["not_checked_again"], data["fixed"]) == (6, 0)
    code, out, _ = _diff(capsys, str(old), str(new), "--lang", "id")
    assert f"audit baru tidak dapat membaca 1 berkas ({unread})" in out.splitlines()[1]
    assert "0 selesai, 6 tidak diperiksa ulang" in out.splitlines()[0]
    code, out, _ = _diff(capsys, str(old), str(new), "-f", "markdown", "--lang", "en")
    assert "**Warning: the new audit could not read 1 file (peta/diskominfo/PB.10.yaml)" in out


def test_check_baseline_says_what_it_could_not_read(before: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    """`check --baseline` (the LHP's page-1 box) and the reverse: an unreadable map in the old
    audit makes its findings checked for the first time, not new."""
    ws, good = before
    broken = tmp_path / "broken"
    shutil.copytree(ws, broken)
    path = broken / "peta/diskominfo/PB.10.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  ", "\n\t", 1),
                    encoding="utf-8")
    old = tmp_path / "broken.json"
    _check(broken, "-f", "json", "-o", str(old))
    md = tmp_path / "lhp.md"
    _check(broken, "-f", "markdown", "-o", str(md), "--baseline", str(good), "--lang", "id")
    text = md.read_text(encoding="utf-8")
    assert "**6** tidak diperiksa ulang" in text
    assert "**Perhatian: audit baru tidak dapat membaca 1 berkas" in text
    new = tmp_path / "new.json"
    _check(ws, "-f", "json", "-o", str(new), "--baseline", str(old))
    report = json.loads(new.read_text(encoding="utf-8"))
    first = [f for f in report["findings"] if f["baseline_status"] == "first_checked"]
    assert report["baseline"]["first_checked"] == len(first) == 6
    assert {f["map"] for f in first} == {"PB.10"}
    assert report["baseline"]["unread_files_before"] == ["peta/diskominfo/PB.10.yaml"]


def test_findings_of_rules_that_did_not_run_are_not_fixed() -> None:
    """A timed-out rule file (ENG002), a rule that raised (ENG001), or a rule set left out by
    PROBIS_LOAD_PLUGINS: their findings vanished from the new report and were counted fixed
    ("20 selesai", B -> A)."""
    old = dict(_report([_f("a", "REG001"), _f("b", "REG011"), _f("c", "OVL001"),
                        _f("d", "ALN001")]),
               rules={"REG001": {}, "REG011": {}, "OVL001": {}, "ALN001": {}})
    new = dict(_report([]), rules={"REG001": {}, "REG011": {}, "ALN001": {}},
               engine_findings=[
                   {"rule": "ENG002", "evidence": {"rules": ["REG001", "REG005"]}},
                   {"rule": "ENG001", "evidence": {"rule": "REG011", "plugin": "regulation"}}])
    section, _ = compare(old, new, "old.json")
    assert [f["fingerprint"] for f in section["fixed_findings"]] == ["d"]  # ALN001 ran
    assert sorted(f["fingerprint"] for f in section["not_checked_again_findings"]) == \
        ["a", "b", "c"]
    # and the other way round: a finding of a rule the old run did not run is not new
    _section, statuses = compare(new, dict(old, findings=[_f("e", "REG001"),
                                                          _f("g", "ALN001")]), "new.json")
    assert statuses == ["first_checked", "new"]
