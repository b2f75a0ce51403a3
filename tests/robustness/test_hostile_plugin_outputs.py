"""Workspace text that reaches the terminal or a spreadsheet through the plugins' own commands
(`overlap`, `status`, `coverage`, `trace`): escape sequences are shown, never run, and a
formula is shown, never computed. `check` already escaped; these printed raw."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from testkit import SAMPLE_CITY, run_cli

HOSTILE = '=HYPERLINK(\\"http://x.example\\") Pelayanan Izin Mendirikan Bangunan \\e]0;PWN\\a'


@pytest.fixture(scope="module")
def hostile_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    city = Path(shutil.copytree(SAMPLE_CITY, tmp_path_factory.mktemp("inj") / "kota"))
    path = city / "peta" / "dputr" / "PB.08.02.yaml"
    plain = "    name: Pelayanan Izin Mendirikan Bangunan\n"
    body = path.read_text(encoding="utf-8")
    assert plain in body
    path.write_text(body.replace(plain, f'    name: "{HOSTILE}"\n'), encoding="utf-8")
    # a unit's name (status) and a sasaran's (coverage) carry the same sequence
    for rel, key, value in (
            ("sotk/sotk-2025.yaml", "name", "Dinas Pekerjaan Umum dan Tata Ruang"),
            ("rencana/rpjmd-2025-2029.yaml", "text",
             "Meningkatnya akses dan mutu layanan pendidikan dasar dan PAUD")):
        path = city / rel
        body = path.read_text(encoding="utf-8")
        assert f"{key}: {value}\n" in body, rel
        path.write_text(body.replace(f"{key}: {value}\n", f'{key}: "{value} \\e]0;PWN\\a"\n'),
                        encoding="utf-8")
    return city


@pytest.mark.parametrize("command", [["overlap"], ["status"], ["coverage"],
                                     ["trace", "PB.08.02.02"]])
def test_escape_sequences_from_the_workspace_never_reach_the_terminal(
        hostile_city: Path, command: list[str]) -> None:
    extra = ["--as-of", "2026-11-28"] if command[0] in ("overlap", "status") else []
    _code, out, err = run_cli(command[0], str(hostile_city), *command[1:], *extra)
    assert "Traceback" not in err
    assert "\\x1b]0;PWN\\x07" in out  # the name is there, shown escaped
    assert "\x1b" not in out and "\x07" not in out


def test_overlap_csv_cells_never_start_a_formula(hostile_city: Path) -> None:
    _code, out, _err = run_cli("overlap", str(hostile_city), "--as-of", "2026-11-28",
                               "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    names = [r[k] for r in rows for k in ("a_name", "b_name") if "HYPERLINK" in r[k]]
    assert names and all(n.startswith("'=HYPERLINK(") for n in names), names
    assert not [v for r in rows for v in r.values() if v.startswith(("=", "+", "@"))]
