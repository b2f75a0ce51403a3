"""The coverage matrix (report section, `probis check`, `probis coverage`) and `probis trace`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probis.engine.cli import main
from probis.engine.report import build_report
from probis.plugins.alignment.render import render_markdown

from .workspace import make_workspace, replace, run


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)  # main returns normally when a command does not call sys.exit
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def unserved_workspace(root: Path) -> Path:
    # PB.02.01 no longer serves S1.1.1: misi M1 has 0/1, M2 1/1 (through the Renstra)
    pb02 = replace("peta/PB.02.yaml", "supports: [S1.1.1]", "supports: [DUK.S1]")
    return make_workspace(root, {"peta/PB.02.yaml": pb02})


def test_coverage_section_counts_per_misi(tmp_path: Path) -> None:
    cov = run(unserved_workspace(tmp_path)).sections["coverage"]
    assert [(m["id"], m["sasaran_served"], m["sasaran_total"], m["share_percent"])
            for m in cov["misi"]] == [("M1", 0, 1, 0.0), ("M2", 1, 1, 100.0)]
    assert cov["totals"] == {"sasaran_total": 2, "sasaran_served": 1, "share_percent": 50.0}
    s211 = cov["misi"][1]["tujuan"][0]["sasaran"][0]
    assert s211["processes"] == ["PB.01.01", "PB.02.01"]
    assert s211["opds"] == ["dinkes", "disdukcapil"]
    assert cov["renstra_sasaran"][0]["processes"] == ["PB.01.01", "PB.02.01"]


def test_coverage_in_json_report_is_deterministic(tmp_path: Path) -> None:
    root = unserved_workspace(tmp_path)
    first = json.dumps(build_report(run(root)), ensure_ascii=False, sort_keys=False)
    second = json.dumps(build_report(run(root)), ensure_ascii=False, sort_keys=False)
    assert first == second
    assert json.loads(first)["coverage"]["totals"]["sasaran_served"] == 1


def test_check_terminal_shows_compact_coverage(tmp_path: Path, capsys) -> None:
    root = unserved_workspace(tmp_path)
    code, out, _ = cli(capsys, "check", str(root), "--as-of", "2026-11-28", "--lang", "en",
                       "--fail-on", "never")
    assert code == 0
    assert "RPJMD sasaran coverage rpjmd-2025-2029: 1/2 served (50.0%)" in out
    row = next(line for line in out.splitlines() if line.startswith("M1 "))
    assert row.split() == ["M1", "0/1", "0.0%", "S1.1.1"]


def test_coverage_command_terminal_and_json(tmp_path: Path, capsys) -> None:
    root = unserved_workspace(tmp_path)
    code, out, _ = cli(capsys, "coverage", str(root), "--lang", "en")
    assert code == 0
    assert "[ ] S1.1.1 Meningkatnya cakupan imunisasi" in out
    assert "via Renstra: PB.01.01 [disdukcapil] ← DUK.S1, PB.02.01 [dinkes] ← DUK.S1" in out
    assert "Total: 1/2 served (50.0%)" in out
    code, out, _ = cli(capsys, "coverage", str(root), "--format", "json")
    assert code == 0
    assert json.loads(out)["totals"]["share_percent"] == 50.0


def test_coverage_markdown(tmp_path: Path) -> None:
    md = render_markdown(run(unserved_workspace(tmp_path)).sections["coverage"], "en")
    assert "| M1 | 0/1 | 0.0% |" in md
    assert "| T1.1 | S1.1.1 Meningkatnya cakupan imunisasi | ✘ | - | - | - |" in md


def test_coverage_without_rpjmd_is_a_usage_error(tmp_path: Path, capsys) -> None:
    root = make_workspace(tmp_path, {"rpjmd-2025-2029.yaml": None})
    code, _, err = cli(capsys, "coverage", str(root), "--lang", "en")
    assert code == 2
    assert "no RPJMD in force" in err and "Traceback" not in err


def test_trace_process_up_to_visi(tmp_path: Path, capsys) -> None:
    code, out, _ = cli(capsys, "trace", str(make_workspace(tmp_path)), "PB.01.01", "--lang", "en")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    expected = [
        "Process PB.01.01 Penerbitan Kartu Keluarga  [disdukcapil, map PB.01, peta/PB.01.yaml]",
        "indicator: DUK.S1.I1 Persentase anak ber-KIA (persen; 2029: 60)",
        "→ Renstra sasaran DUK.S1 Meningkatnya kepemilikan dokumen  "
        "[renstra-disdukcapil-2025-2029, disdukcapil]",
        "indicator: DUK.S1.I1 Persentase anak ber-KIA (persen; 2029: 60)",
        "→ RPJMD sasaran S2.1.1 Meningkatnya kepemilikan dokumen kependudukan",
        "indicator: IKU.2 Persentase penduduk ber-KTP-el (persen; 2029: 99)",
        "→ Tujuan T2.1 Meningkatkan pelayanan publik",
        "→ Misi M2 Mewujudkan tata kelola yang baik",
        "→ Visi: Kota Uji yang Sehat dan Tertib",
    ]
    assert lines == expected


def test_trace_process_json(tmp_path: Path, capsys) -> None:
    root = make_workspace(tmp_path)
    code, out, _ = cli(capsys, "trace", str(root), "PB.02.01", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "process"
    [link] = data["supports"]
    assert (link["kind"], link["id"], link["tujuan"]["id"], link["misi"]["id"]) == (
        "rpjmd-sasaran", "S1.1.1", "T1.1", "M1")


def test_trace_sasaran_lists_processes_direct_and_via_renstra(tmp_path: Path, capsys) -> None:
    pb02 = replace("peta/PB.02.yaml", "supports: [S1.1.1]", "supports: [S1.1.1, S2.1.1]")
    root = make_workspace(tmp_path, {"peta/PB.02.yaml": pb02})
    code, out, _ = cli(capsys, "trace", str(root), "S2.1.1", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0] == ("RPJMD sasaran S2.1.1 Meningkatnya kepemilikan dokumen "
                                   "kependudukan")
    direct = out.split("Processes (direct):\n")[1].split("Processes via Renstra:\n")
    assert direct[0] == "  PB.02.01 Pelayanan Imunisasi [dinkes]\n"
    assert direct[1] == ("  DUK.S1 [renstra-disdukcapil-2025-2029, disdukcapil]:\n"
                         "    PB.01.01 Penerbitan Kartu Keluarga [disdukcapil]\n")


def test_trace_renstra_sasaran(tmp_path: Path, capsys) -> None:
    code, out, _ = cli(capsys, "trace", str(make_workspace(tmp_path)), "DUK.S1", "--lang", "en")
    assert code == 0
    assert "→ RPJMD sasaran S2.1.1" in out
    assert out.endswith("Process:\n  PB.01.01 Penerbitan Kartu Keluarga [disdukcapil]\n")


def test_trace_unknown_code_names_nearest(tmp_path: Path, capsys) -> None:
    code, out, err = cli(capsys, "trace", str(make_workspace(tmp_path)), "PB.01.03", "--lang", "en")
    assert code == 2 and out == ""
    assert "`PB.01.03` is not a process code or sasaran id" in err
    assert "Nearest: PB.01.02, PB.01.01" in err
    assert "Traceback" not in err


def test_trace_unknown_code_names_the_unread_map_files(tmp_path: Path, capsys) -> None:
    """A code that may sit in a map file the loader could not read: trace says so, not only
    that the code does not exist (found on a workspace whose PB.04.yaml lacked `level`)."""
    ws = make_workspace(tmp_path, {"peta/PB.03.yaml": "kind: peta-proses\ncode: PB.03\n\t- x\n"})
    code, out, err = cli(capsys, "trace", str(ws), "PB.03.01", "--lang", "en")
    assert code == 2 and out == ""
    assert "`PB.03.01` is not a process code or sasaran id" in err
    assert "It may be in a map file that could not be read: peta/PB.03.yaml." in err
    code, _, err = cli(capsys, "trace", str(ws), "PB.03.01", "--lang", "id")
    assert "Mungkin ada di berkas peta yang tidak terbaca: peta/PB.03.yaml." in err
    code, _, err = cli(capsys, "trace", str(make_workspace(tmp_path / "ok")), "PB.03.01")
    assert "tidak terbaca" not in err  # every file read: no such hint


def test_coverage_renstra_table_has_no_empty_column(tmp_path: Path, capsys) -> None:
    """Every Renstra points at the RPJMD in force: the table has four columns, no fifth one
    with no header and no value (it drew a stray `--` under nothing)."""
    code, out, _ = cli(capsys, "coverage", str(make_workspace(tmp_path)), "--lang", "en")
    assert code == 0
    table = out.split("Renstra sasaran: ")[1].splitlines()
    rule = next(line for line in table if line.startswith("---"))
    assert len(rule.split()) == 4, rule
