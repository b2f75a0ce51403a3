"""The `probis sop` command: SOP drafts (.docx, .xlsx, or a `kind: sop` .yaml) from the
cross-functional maps of a workspace (added through probis_register_commands)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import yaml
from probis.engine.atomic import write_output
from probis.engine.errors import ProbisWriteError
from probis.engine.i18n import pick, text
from probis.engine.langoption import lang_option
from probis.engine.loader import load_workspace
from probis.engine.safetext import printable
from probis.engine.workspace import Workspace

from .draft import Draft, DraftError, build_draft, lowest_level_with_lf

EXIT_INPUT = 2
FORMATS = (".docx", ".xlsx", ".yaml", ".yml")


def load(path: str, lang: str) -> Workspace:
    """The workspace with the document kinds and readers plugins registered, as `check` loads
    it; unreadable files are said on stderr."""
    from probis.engine.plugins import active_registry
    from probis.engine.runner import loader_config

    ws = load_workspace(path, loader_config(active_registry()))
    for error in ws.input_errors:
        click.echo(f"probis: {error.describe(lang)}", err=True)
    return ws


def yaml_text(draft: Draft) -> str:
    header = ("# Draf SOP dari peta lintas fungsi (probis sop); isi bagian bertanda "
              "\"(diisi ...)\"\n")
    return header + yaml.safe_dump(draft.doc, allow_unicode=True, sort_keys=False, width=100)


def write(draft: Draft, path: Path, instansi: str, lang: str) -> None:
    """Write the draft whole or not at all (an interrupted run leaves the old file); a path
    that cannot be written is a ProbisWriteError (exit code 3)."""
    content = _content(draft, path.suffix.lower(), instansi)
    try:
        write_output(path, content)
    except OSError as exc:
        raise ProbisWriteError(path, exc, lang) from None


def _content(draft: Draft, suffix: str, instansi: str) -> bytes | str:
    if suffix == ".docx":
        from .sop_docx import docx_bytes

        return docx_bytes(draft, instansi)
    if suffix == ".xlsx":
        from .sop_xlsx import xlsx_bytes

        return xlsx_bytes(draft, instansi)
    return yaml_text(draft)


def _fail(lang: str, id_text: str, en_text: str) -> None:
    click.echo(f"probis sop: {pick(text(id_text, en_text), lang)}", err=True)
    sys.exit(EXIT_INPUT)


@click.command("sop")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.argument("process_code", required=False)
@click.option("-o", "--output", "output", required=True, type=click.Path(),
              help="FILE (.docx, .xlsx or .yaml); with --all a folder")
@click.option("--all", "all_", is_flag=True,
              help="every lowest-level process with a cross-functional map")
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx", "yaml"]), default="docx",
              show_default=True, help="file type written with --all")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="creation date (tanggal pembuatan) of the draft (default: today)")
@lang_option()
def sop_command(workspace: str, process_code: str | None, output: str, all_: bool, fmt: str,
                as_of: dt.datetime | None, lang: str) -> None:
    """SOP draft (PermenPANRB 35/2012) from a process's cross-functional map."""
    made = as_of.date() if as_of else dt.date.today()
    if all_ == bool(process_code):
        _fail(lang, "sebutkan satu KODE_PROSES, atau --all dengan -o FOLDER",
              "give one PROCESS_CODE, or --all with -o FOLDER")
    ws = load(workspace, lang)
    instansi = (ws.manifest.instansi if ws.manifest and ws.manifest.instansi else ws.name)
    target = Path(output)
    if not all_:
        if target.suffix.lower() not in FORMATS:
            _fail(lang, f"{output}: akhiran berkas harus .docx, .xlsx atau .yaml",
                  f"{output}: the file must end in .docx, .xlsx or .yaml")
        try:
            draft = build_draft(ws, str(process_code), made)
        except DraftError as exc:
            _fail(lang, exc.message["id"], exc.message["en"])
            return
        write(draft, target, instansi, lang)
        click.echo(str(target))
        return
    codes = lowest_level_with_lf(ws)
    if not codes:
        _fail(lang, "tidak ada proses tingkat terendah dengan peta lintas fungsi",
              "no lowest-level process has a cross-functional map")
    if target.exists() and not target.is_dir():
        raise ProbisWriteError(target, pick(text("ini berkas, bukan folder; --all menulis satu "
                                                 "berkas per proses ke sebuah folder",
                                                 "it is a file, not a folder; --all writes one "
                                                 "file per process into a folder"), lang), lang)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProbisWriteError(target, exc, lang) from None
    refused, failed = 0, None
    for code in codes:  # one process that cannot be written must not cost the others
        if not _safe_name(code):
            refused += 1
            click.echo("probis sop: " + pick(text(
                f"kode proses `{printable(code)}` tidak dapat menjadi nama berkas (garis miring, "
                "`..` atau karakter kendali); perbaiki kodenya di petanya",
                f"process code `{printable(code)}` cannot be a file name (a slash, `..` or a "
                "control character); correct the code in its map"), lang), err=True)
            continue
        path = target / f"SOP-{code}.{fmt}"
        try:
            write(build_draft(ws, code, made), path, instansi, lang)
        except DraftError as exc:
            refused += 1
            click.echo(f"probis sop: {pick(exc.message, lang)}", err=True)
            continue
        except ProbisWriteError as exc:
            failed = failed or exc
            continue
        click.echo(str(path))
    if failed is not None:
        raise failed
    if refused:
        sys.exit(EXIT_INPUT)


def _safe_name(code: str) -> bool:
    """A process code that can name a file in the output folder and nowhere else."""
    return (bool(code) and not code.startswith(".") and ".." not in code
            and not any(c in code for c in "/\\:") and code.isprintable())
