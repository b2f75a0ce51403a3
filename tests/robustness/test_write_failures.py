"""Every command that writes a file or folder says a target it cannot write as `cannot write
TARGET: REASON (what to do)`, with exit code 3 (engine/cli.py: a report that could not be
written), never as an internal error (a bug) and never as exit code 2 (a bad argument)."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import SAMPLE_CITY, run_cli

CITY = str(SAMPLE_CITY)

# command line with {t} for a target below a file (which no folder can be made in)
COMMANDS = {
    "check": ["check", CITY, "--as-of", "2026-11-28", "-o", "{t}/r.json"],
    "sop-docx": ["sop", CITY, "PB.14.01", "-o", "{t}/s.docx"],
    "sop-xlsx": ["sop", CITY, "PB.14.01", "-o", "{t}/s.xlsx"],
    "sop-yaml": ["sop", CITY, "PB.14.01", "-o", "{t}/s.yaml"],
    "sop-all-into-a-file": ["sop", CITY, "--all", "-o", "{f}"],
    "sop-all": ["sop", CITY, "--all", "-o", "{t}/drafts"],
    "export-bpmn": ["export-bpmn", CITY, "PB.14.01", "-o", "{t}/x.bpmn"],
    "export-excel": ["export-excel", CITY, "-o", "{t}/x.xlsx"],
    "import-excel": ["import-excel", "{x}", "-o", "{t}/peta"],
    "template": ["template", "-o", "{t}/tpl"],
    "docs": ["docs", "{t}/docs"],
    "schema": ["schema", "-o", "{t}/schema"],
    "init": ["init", "{t}/ws", "--instansi", "Kota Contoh", "--periode", "2025-2029",
             "--opd", "dinkes=Dinas Kesehatan"],
}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "peta.xlsx"
    code, _, err = run_cli("export-excel", CITY, "-o", str(path))
    assert code == 0, err
    return path


# each command in one language (alternating; `check` and `sop-docx` in both): every command is
# a subprocess that loads the sample city, and the message is one helper for all of them
BOTH = ("check", "sop-docx")
CASES = [(command, lang) for i, command in enumerate(sorted(COMMANDS))
         for lang in (("id", "en") if command in BOTH else (("id", "en")[i % 2],))]


@pytest.mark.parametrize(("command", "lang"), CASES)
def test_a_target_that_cannot_be_written_is_exit_code_3(command: str, lang: str,
                                                        workbook: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file, not a folder", "utf-8")
    args = [a.format(t=blocker, f=blocker, x=workbook) for a in COMMANDS[command]]
    if command != "init":  # init speaks the language of PROBIS_LANG only
        args += ["--lang", lang]
    code, _, err = run_cli(*args, env={"PROBIS_LANG": lang})
    said = ("tidak dapat menulis", "periksa") if lang == "id" else ("cannot write", "check that")
    assert code == 3, err
    assert all(s in err for s in said) and str(blocker) in err, err
    assert "bug" not in err and "Traceback" not in err, err
    assert blocker.read_text("utf-8") == "a file, not a folder"
