"""Issue 21 item 5: one language at a time in every CLI output of the sample city.

Each command runs in-process in Indonesian and in English (once with --lang, once with
PROBIS_LANG); stdout and stderr are scanned for the other language's words with
tests/language_scan.py (the Pemda's own names and the field's terms excluded). That covers the
``--help`` page of every command (built-in and plugin), import-excel's notes and problems,
``status``, and ``restructure --verbose`` over a disk cache it must refuse (its notes).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from language_scan import leaks, workspace_names
from probis.engine.cli import main
from testkit import AS_OF, SAMPLE_CITY

DATE = AS_OF.isoformat()


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """``probis ARGS`` in this process: exit code and stdout + stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    code = 0
    try:
        # the program's name as installed (in-process, click would say `python -m pytest`)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                mock.patch("click.core._detect_program_name", return_value="probis"):
            try:
                main(args)
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue() + err.getvalue()


def _command_names() -> list[str]:
    """Every command ``probis --help`` lists: the built-in ones and the plugins'."""
    import click
    from probis.engine.cli import cli

    ctx = click.Context(cli)
    return [name for name in cli.list_commands(ctx)  # not a command another test left
            if getattr(getattr(cli.get_command(ctx, name), "callback", None), "__module__",
                       "probis").startswith("probis")]


def _inputs(tmp: Path, lang: str) -> None:
    """What the commands below read: a workbook with a note (a sheet without a heading row)
    and problems, an output folder holding a file import-excel did not write, and a copy of
    the sample city whose disk cache was written elsewhere (restructure refuses it, saying so
    with --verbose)."""
    from openpyxl import Workbook

    wb = Workbook()
    info = wb.active
    info.title = "Info Peta"
    info.append(["Kode Peta", "UJ"])
    info.append(["Level", 0])
    data = wb.create_sheet("Proses")
    data.append(["Kode Peta", "Kode", "Nama Proses", "Penanggung Jawab", "Keluaran"])
    data.append(["UJ", "UJ.01", "Satu", "u1", "A; B"])
    data.append(["UJ", None, "Tanpa kode", "u1", None])
    wb.create_sheet("Catatan").append(["Disusun oleh Bagian Organisasi"])
    wb.save(tmp / "isian.xlsx")
    (tmp / "taken").mkdir()
    (tmp / "taken" / "UJ.yaml").write_text("# disunting tangan\n", "utf-8")
    ws = tmp / "kota"
    shutil.copytree(SAMPLE_CITY, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    (ws / ".probis-cache").mkdir()
    (ws / ".probis-cache" / "results.json").write_bytes(b"probis-cache v0\n{}")
    # a copy with map files that could not be read: status names them (and exits 2)
    broken = tmp / "kota-unread"
    shutil.copytree(SAMPLE_CITY, broken, ignore=shutil.ignore_patterns(".probis-cache"))
    (broken / "peta" / "diskominfo" / "PB.10.yaml").write_text("", "utf-8")
    (broken / "peta" / "x").mkdir()
    (broken / "peta" / "x" / "PB.99.yaml").write_text("kind: peta-proses\ncode: PB.99\n", "utf-8")


def commands(tmp: Path) -> dict[str, list[str]]:
    ws = str(SAMPLE_CITY)
    helps = {f"help-{name}": [name, "--help"] for name in _command_names()}
    return {
        "check": ["check", ws, "--as-of", DATE, "--all"],
        "check-txt": ["check", ws, "--as-of", DATE, "-o", str(tmp / "laporan.txt")],
        "restructure": ["restructure", ws, "--to", "sotk/sotk-2025.yaml", "--as-of", DATE,
                        "--no-cache"],
        # a copy whose disk cache was not written by this user: the notes say it is refused
        "restructure-verbose": ["restructure", str(tmp / "kota"), "--to", "sotk/sotk-2025.yaml",
                                "--as-of", DATE, "--verbose"],
        "status": ["status", ws, "--as-of", DATE],
        "status-unread": ["status", str(tmp / "kota-unread"), "--as-of", DATE],
        "import-excel": ["import-excel", str(tmp / "isian.xlsx"), "-o", str(tmp / "out")],
        "import-excel-refused": ["import-excel", str(tmp / "isian.xlsx"), "-o",
                                 str(tmp / "taken")],
        "import-excel-no-file": ["import-excel", str(tmp / "nothing.xlsx"), "-o",
                                 str(tmp / "out")],
        "diff-no-file": ["diff", str(tmp / "nothing.json"), str(tmp / "nothing.json")],
        "init-bad-period": ["init", str(tmp / "baru"), "--instansi", "Pemerintah Kota Contoh",
                            "--periode", "2025-2020", "--opd", "Dinas Contoh"],
        "docs-unknown-plugin": ["docs", "--plugin", "nope", str(tmp / "d")],
        "version": ["--version"],  # click words it once, in English: no words at all
        "help": ["--help"],
        **helps,
        "coverage": ["coverage", ws],
        "trace": ["trace", ws, "PB.06.01"],
        "overlap": ["overlap", ws, "--as-of", DATE],
        "check-many": ["check-many", str(SAMPLE_CITY.parent), "--as-of", DATE, "-j", "1"],
        "rules": ["rules"],
        "plugins": ["plugins"],
        "docs": ["docs", str(tmp / "docs")],
        "explain-REG005": ["explain", "REG005"],
        "explain-ALN001": ["explain", "ALN001"],
        "explain-STR001": ["explain", "STR001"],
        "explain-OVL001": ["explain", "OVL001"],
        "export-bpmn": ["export-bpmn", ws, "PB.05.02.02", "-o", str(tmp / "m.bpmn")],
        # errors and usage errors
        "no-folder": ["check", str(tmp / "nothing-here")],
        "unknown-rule": ["explain", "REG999"],
        "unknown-rule-set": ["rules", "--rule-set", "regulasx"],
        "bad-extension": ["check", ws, "-o", str(tmp / "laporan.xyz")],
        "bad-date": ["check", ws, "--as-of", "2026-13-01"],
        "bad-option": ["check", ws, "--nope"],
        "missing-argument": ["check"],
        "restructure-usage": ["restructure", ws],
    }


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], str]]:
    tmp = tmp_path_factory.mktemp("lang")
    got: dict[tuple[str, str], str] = {}
    from probis.engine.cli import cli

    # a command another test of this worker added to the group is not probis's to scan
    strays = {name: cmd for name, cmd in cli.commands.items()
              if not getattr(cmd.callback, "__module__", "probis").startswith("probis")}
    for name in strays:
        del cli.commands[name]
    for lang in ("id", "en"):
        (tmp / lang).mkdir()
        _inputs(tmp / lang, lang)
        for name, args in commands(tmp / lang).items():
            # wide enough that no name is shortened (the scan removes the Pemda's names whole);
            # half the commands take the language from PROBIS_LANG, half from --lang
            if len(got) % 2:
                code, text = run(args, {"PROBIS_LANG": lang, "COLUMNS": "400",
                                        "XDG_CACHE_HOME": str(tmp / "xdg")})
            else:
                other = "id" if lang == "en" else "en"
                code, text = run([*args, "--lang", lang], {"PROBIS_LANG": other,
                                                           "COLUMNS": "400",
                                                           "XDG_CACHE_HOME": str(tmp / "xdg")})
            if name == "check-txt":
                text += (tmp / lang / "laporan.txt").read_text(encoding="utf-8")
            got[(name, lang)] = text
    cli.commands.update(strays)
    yield got


# the Pemda's words as OVL001/OVL003 quote them (lower-case, without commas) and an acronym
# the field spells out in English (SIPOC)
# one worker runs every CLI output once (the module fixture), not each worker
pytestmark = pytest.mark.xdist_group("one-language")

NAMES = (*workspace_names(SAMPLE_CITY), "usaha mikro kecil dan menengah",
         "Supplier, Input, Process, Output, Customer")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", list(commands(Path("."))))
def test_every_output_keeps_to_one_language(outputs: dict[tuple[str, str], str], name: str,
                                            lang: str) -> None:
    text = outputs[(name, lang)]
    assert text.strip(), f"{name} printed nothing"
    assert "Traceback" not in text
    if name == "help" or name.startswith("help-"):
        text = _help_values(text)
    found = leaks(text, lang, names=NAMES)
    assert not found, f"`probis {name}` in {lang} speaks the other language:\n" + "\n".join(
        found[:15])


def _help_values(page: str) -> str:
    """A help page without what is typed as it is, in any language: command names in the
    command list, an option's choices ``[error|warning|...]`` and a choice's default."""
    names = "|".join(re.escape(n) for n in _command_names())
    page = re.sub(rf"^  (?:{names})(?=\s)", " ", page, flags=re.M)
    page = re.sub(r"\[[\w|-]+\]", " ", page)
    return re.sub(r"\[(?:bawaan|default):\s+[\w-]+\]", " ", page)


def test_the_scan_finds_the_words_issue_21_reported() -> None:
    """The scan itself: the leaks quoted in issue 21 are found, in both directions."""
    assert leaks("Skor workspace: 98.5 | step s4, lane OPD", "id")
    assert leaks("  #  event  unit/sasaran  to  source\n0 unit_renamed", "id")
    assert leaks("Tingkat bawaan: error", "id")
    assert leaks("154 facts sent; Default severity: galat", "en")
    assert leaks("Findings per rule: 3 temuan yang terbuka", "en")
    assert not leaks("Findings per OPD; sasaran S1.1 of the RPJMD", "en")
    assert not leaks("Dinas Pendidikan (disdik)", "en", names=["Dinas Pendidikan"])


def test_usage_errors_exit_2_in_one_language(outputs: dict[tuple[str, str], str]) -> None:
    assert "folder tidak ditemukan" in outputs[("no-folder", "id")]
    assert "folder not found" in outputs[("no-folder", "en")]
    assert "Galat: Opsi '--nope' tidak dikenal." in outputs[("bad-option", "id")]


def test_engine_internals_only_with_verbose(outputs: dict[tuple[str, str], str]) -> None:
    for lang in ("id", "en"):
        assert "durable-rules" not in outputs[("restructure", lang)]
        assert "durable-rules" in outputs[("restructure-verbose", lang)]
    assert "unit diganti nama" in outputs[("restructure", "id")]
    assert "unit_renamed" not in outputs[("restructure", "id")] + outputs[("restructure", "en")]


def test_the_new_outputs_say_what_they_are_about(outputs: dict[tuple[str, str], str]) -> None:
    """The scan above is not vacuous: each of issue 21's remaining outputs printed its text."""
    for lang, said in (("id", ("tidak ditandatangani", "dilewati", "kode proses kosong",
                               "Penggunaan:", "Opsi", "Tampilkan pesan ini",
                               "Kemajuan peta per OPD", "Tidak ada yang ditulis",
                               "berkas tidak ditemukan")),
                       ("en", ("not signed with this user's key", "skipped", "code is empty",
                               "Usage:", "Options", "Show this message", "Map progress per OPD",
                               "Nothing was written", "file not found"))):
        joined = "\n".join(text for (name, lg), text in outputs.items() if lg == lang)
        for phrase in said:
            assert phrase in joined, (lang, phrase)
    for name in _command_names():  # every command's page, in the language asked for
        assert "Penggunaan: probis " + name in outputs[(f"help-{name}", "id")]
        assert "Usage: probis " + name in outputs[(f"help-{name}", "en")]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_bpmn_import_notes_keep_to_one_language(lang: str) -> None:
    """The notes the BPMN import puts on steps and boundary flows (gateways, events,
    sub-processes) are in the run's language only."""
    from probis.engine.i18n import reset_lang, use_lang
    from probis.plugins.interop.bpmn_reader import read_bpmn_as

    use_lang(lang)
    try:
        docs = read_bpmn_as(NOTES_BPMN.encode(), "PB.01.01")
    finally:
        reset_lang()
    notes = [s["note"] for d in docs for s in d["steps"] if s.get("note")]
    labels = [str(f.get("label")) for d in docs for f in d["flows"] if f.get("label")]
    assert len(notes) >= 7, notes
    found = leaks("\n".join(notes + labels), lang)
    assert not found, found
    if lang == "id":
        assert any("gerbang paralel" in n for n in notes) and any("waktu" in n for n in notes)
    else:
        assert any("parallel gateway" in n for n in notes) and any("timer" in n for n in notes)


NOTES_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
  <process id="P">
    <startEvent id="S"><messageEventDefinition/></startEvent>
    <parallelGateway id="Fork"/>
    <task id="A" name="Memeriksa"/>
    <callActivity id="Call" name="Memanggil" calledElement="PB.02"/>
    <inclusiveGateway id="Or"/>
    <intermediateCatchEvent id="Wait"><timerEventDefinition/></intermediateCatchEvent>
    <boundaryEvent id="Late" attachedToRef="A"><timerEventDefinition/></boundaryEvent>
    <task id="Remind" name="Mengingatkan"/>
    <subProcess id="Sub" name="Rincian"><startEvent id="S2"/><task id="In" name="Di dalam"/>
      <endEvent id="E2"/>
      <sequenceFlow id="g1" sourceRef="S2" targetRef="In"/>
      <sequenceFlow id="g2" sourceRef="In" targetRef="E2"/></subProcess>
    <adHocSubProcess id="Adhoc" name="Bebas"><task id="X1" name="Satu"/></adHocSubProcess>
    <endEvent id="E"><terminateEventDefinition/></endEvent>
    <sequenceFlow id="f1" sourceRef="S" targetRef="Fork"/>
    <sequenceFlow id="f2" sourceRef="Fork" targetRef="A"/>
    <sequenceFlow id="f3" sourceRef="Fork" targetRef="Call"/>
    <sequenceFlow id="f4" sourceRef="A" targetRef="Or"/>
    <sequenceFlow id="f5" sourceRef="Call" targetRef="Or"/>
    <sequenceFlow id="f6" sourceRef="Or" targetRef="Wait"/>
    <sequenceFlow id="f7" sourceRef="Or" targetRef="Sub"/>
    <sequenceFlow id="f8" sourceRef="Wait" targetRef="Adhoc"/>
    <sequenceFlow id="f9" sourceRef="Sub" targetRef="Adhoc"/>
    <sequenceFlow id="f10" sourceRef="Adhoc" targetRef="E"/>
    <sequenceFlow id="f11" sourceRef="Late" targetRef="Remind"/>
    <sequenceFlow id="f12" sourceRef="Remind" targetRef="E"/>
  </process>
</definitions>
"""


def test_probis_lang_sets_the_default_and_lang_overrides_it() -> None:
    code, text = run(["explain", "REG005"], {"PROBIS_LANG": "en"})
    assert code == 0 and "Default severity: error" in text
    code, text = run(["explain", "REG005", "--lang", "id"], {"PROBIS_LANG": "en"})
    assert "Tingkat bawaan: galat" in text and "error" not in text.split("\n")[2]
    code, text = run(["explain", "REG005"], {"PROBIS_LANG": "fr"})  # not a language: id
    assert "Tingkat bawaan: galat" in text
    assert sys.modules["probis.engine.i18n"].default_lang() in ("id", "en")
