"""``probis export-bpmn``, ``import-excel``, ``export-excel`` and ``template`` (added through
probis_register_commands)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from probis.engine.atomic import write_output
from probis.engine.errors import ProbisUsageError, ProbisWriteError
from probis.engine.helptext import help_text
from probis.engine.i18n import pick, say, text
from probis.engine.langoption import lang_option

from .excel_layout import TEMPLATE_FILE  # a path only: no openpyxl import

if TYPE_CHECKING:
    from .excel_import import PlannedFile

EXIT_INPUT = 2
EXIT_REFUSED = 4  # a file would be overwritten: nothing written, --force to go ahead


@click.command("export-bpmn")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.argument("process_code")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The .bpmn file to write.")
@lang_option()
def export_bpmn_command(workspace: str, process_code: str, output: str, lang: str) -> None:
    """Write the cross-functional map of PROCESS_CODE in WORKSPACE as BPMN 2.0 (with layout)."""
    from probis.engine.loader import load_workspace
    from probis.engine.plugins import active_registry
    from probis.engine.runner import loader_config

    from .bpmn_export import export_bpmn

    ws = load_workspace(workspace, loader_config(active_registry()))
    entries = ws.lf_by_process.get(process_code) or []
    if not entries:
        known = ", ".join(sorted(ws.lf_by_process)[:20]) or "-"
        bad = [e for e in ws.input_errors if e.file.endswith(("-LF.yaml", ".bpmn"))]
        raise ProbisUsageError(text(
            id=f"tidak ada peta lintas fungsi untuk proses {process_code}"
               + (f" ({len(bad)} berkas gagal dibaca)" if bad else "") + f". Yang ada: {known}",
            en=f"no cross-functional map for process {process_code}"
               + (f" ({len(bad)} files failed to load)" if bad else "") + f". Available: {known}"))
    entry = entries[0]
    title = None
    proc = ws.processes_by_code.get(process_code)
    if proc:
        title = f"{process_code} {proc[0].process.name or ''}".strip()
    data = export_bpmn(entry.lf, title)
    try:
        write_output(output, data)
    except OSError as exc:
        raise ProbisWriteError(output, exc, lang) from None
    counts = (len(entry.lf.steps), len(entry.lf.flows), len(entry.lf.lanes))
    click.echo(f"{output}: " + pick(text("{} langkah, {} alur, {} lajur", "{} steps, {} flows, "
                                         "{} lanes"), lang).format(*counts) + f" ({entry.file})")


_TEMPLATE_HELP = help_text(
    id=f"Buku kerja templatnya ikut terpasang bersama probis ({TEMPLATE_FILE}); `probis "
       "template -o DIR` menyalinnya keluar. Isi satu lembar per peta; lihat lembar "
       "'Petunjuk' di dalamnya dan docs/excel.md.",
    en=f"The template workbook ships with probis ({TEMPLATE_FILE}); `probis template -o DIR` "
       "copies it out. Fill one sheet per map; see its sheet 'Petunjuk' and docs/excel.md.")


def _template_path() -> Path:
    return TEMPLATE_FILE


@click.command("import-excel", epilog=_TEMPLATE_HELP)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help='Folder for the `peta-proses` YAML files (one per map; the "Berkas" cell '
                   "names a file below it).")
@lang_option()
@click.option("--force", is_flag=True,
              help="Also replace files changed since the last import (or not written by it).")
@click.option("--dry-run", is_flag=True,
              help="Say what would be written or refused, and write nothing.")
def import_excel_command(file: str, out_dir: str, lang: str, force: bool,
                         dry_run: bool) -> None:
    """Turn a process-map workbook (FILE.xlsx, e.g. a filled-in copy of the shipped template)
    into format-v1 YAML in a folder, merging with what an earlier import wrote there.

    Exit codes: 0 every cell read; 2 cells or rows that could not be read (the rest is
    written) or a usage error; 3 the folder or a file in it could not be written; 4 refused:
    a file changed since the last import would be replaced (nothing written; --force replaces
    it).
    """
    from probis.engine.i18n import counted, pick, text

    from .excel_import import (
        CHANGED,
        NEW,
        SAME,
        UPDATE,
        LocalChanges,
        OutputConflict,
        apply_plan,
        import_workbook,
        plan_writes,
    )

    if not Path(file).is_file():
        raise ProbisUsageError(say(f"{file}: berkas tidak ditemukan", f"{file}: file not found",
                                   lang))
    result = import_workbook(Path(file))
    target = Path(out_dir)
    try:
        plan = plan_writes(result.maps, target, result.files, result.recorded)
    except OutputConflict as exc:
        raise ProbisUsageError(pick(exc.message, lang)) from None
    labels = {NEW: text("baru", "new"), UPDATE: text("diperbarui", "updated"),
              SAME: text("tidak berubah", "unchanged"),
              CHANGED: text("diubah sejak impor terakhir", "changed since the last import")}
    if force:
        labels[CHANGED] = text("diubah sejak impor terakhir, ditimpa (--force)",
                               "changed since the last import, replaced (--force)")
    refused = [p for p in plan if p.action == CHANGED and not force]
    if dry_run or refused:
        for item in plan:
            click.echo(f"{pick(labels[item.action], lang)}: {item.path}")
    written: list[Path] = []
    if not dry_run and not refused:
        try:
            written = apply_plan(plan, target, force)
        except LocalChanges:  # a file changed between planning and writing
            refused = [p for p in plan if p.action == CHANGED]
        except OSError as exc:
            raise ProbisWriteError(exc.filename or out_dir, exc, lang) from None
        else:
            for item in plan:
                click.echo(f"{pick(labels[item.action], lang)}: {item.path}")
    for note in result.notes:
        click.echo(f"probis: {pick(note, lang)}", err=True)
    for problem in result.problems:
        click.echo(f"probis: {problem.describe(lang)}", err=True)
    gone = _left_behind(target, plan)
    for relative in gone:
        click.echo("probis: " + pick(text(
            f"{target / relative}: tidak ada lagi di buku kerja; dibiarkan (hapus sendiri bila "
            "perlu)", f"{target / relative}: no longer in the workbook; left as it is (delete "
            "it yourself if it should go)"), lang), err=True)
    processes = sum(len(m["processes"]) for m in result.maps)
    click.echo(pick(text(
        f"{len(plan)} peta, {processes} proses, {len(result.problems)} masalah input; "
        f"{len(written)} berkas ditulis",
        f"{counted(len(plan), 'map')}, {counted(processes, 'process', 'processes')}, "
        f"{counted(len(result.problems), 'input problem')}; "
        f"{counted(len(written), 'file')} written"), lang), err=bool(result.problems))
    if refused:
        click.echo("probis: " + pick(text(
            f"{len(refused)} berkas diubah sejak impor terakhir (atau tidak ditulis oleh "
            "import-excel) dan akan ditimpa: " + ", ".join(str(p.path) for p in refused)
            + ". Tidak ada yang ditulis. Pakai --force untuk menimpanya, atau pindahkan "
            "perubahannya ke buku kerja dulu.",
            f"{len(refused)} files changed since the last import (or not written by "
            "import-excel) would be replaced: " + ", ".join(str(p.path) for p in refused)
            + ". Nothing was written. Use --force to replace them, or carry the changes into "
            "the workbook first."), lang), err=True)
        sys.exit(EXIT_REFUSED)
    if result.problems:
        sys.exit(EXIT_INPUT)


def _left_behind(target: Path, plan: list[PlannedFile]) -> list[str]:
    """Files an earlier import wrote that this workbook no longer holds (never deleted)."""
    from .excel_import import read_manifest

    planned = {p.relative for p in plan}
    return sorted(r for r in read_manifest(target) if r not in planned
                  and (target / r).is_file())


@click.command("template")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="A folder (the file keeps its name) or a .xlsx file name.")
@click.option("--force", is_flag=True, help="Replace a file that exists.")
@lang_option()
def template_command(output: str, force: bool, lang: str) -> None:
    """Copy the process-map template workbook (`peta-proses-template.xlsx`) out of the installed
    package, to fill in and convert with `probis import-excel`. Exit code 4: the file exists
    and --force was not given."""
    from probis.engine.i18n import pick, text

    source = _template_path()
    target = Path(output)
    if not output.lower().endswith(".xlsx"):
        target = target / source.name
    if target.exists() and not force:
        click.echo("probis: " + pick(text(
            f"{target} sudah ada; tidak ditimpa. Pakai --force untuk menimpanya",
            f"{target} exists; not replaced. Use --force to replace it"), lang), err=True)
        sys.exit(EXIT_REFUSED)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_output(target, source.read_bytes())
    except OSError as exc:
        raise ProbisWriteError(target, exc, lang) from None
    click.echo(str(target))


@click.command("export-excel")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The .xlsx workbook to write.")
@click.option("--force", is_flag=True, help="Replace a workbook that exists.")
@lang_option()
def export_excel_command(workspace: str, output: str, force: bool, lang: str) -> None:
    """Write the process maps (`peta-proses`) of WORKSPACE into one workbook in the template
    layout: a sheet per map, drop-down lists of units and sasaran from the SOTK and plans, the
    penetapan and evaluation cells, and the instruction sheet. Edit it and bring it back with
    `probis import-excel FILE -o WORKSPACE/<maps folder>`.

    Exit codes: 0 written; 2 some files of the workspace could not be read (the workbook holds
    the rest) or a usage error; 3 the workbook could not be written; 4 the workbook exists and
    --force was not given.
    """
    from probis.engine.i18n import counted, pick, text
    from probis.engine.loader import load_workspace
    from probis.engine.plugins import active_registry
    from probis.engine.runner import loader_config

    from .excel_export import export_workbook

    target = Path(output)
    if target.exists() and not force:
        click.echo("probis: " + pick(text(
            f"{target} sudah ada; tidak ditimpa (mungkin berisi isian yang belum diimpor). "
            "Pakai --force untuk menimpanya",
            f"{target} exists; not replaced (it may hold edits not imported yet). Use --force "
            "to replace it"), lang), err=True)
        sys.exit(EXIT_REFUSED)
    ws = load_workspace(workspace, loader_config(active_registry()))
    data, notes = export_workbook(ws)
    try:
        write_output(target, data)
    except OSError as exc:
        raise ProbisWriteError(output, exc, lang) from None
    for note in notes:
        click.echo(f"probis: {pick(note, lang)}", err=True)
    for error in ws.input_errors:
        click.echo(f"probis: {error.describe(lang)}", err=True)
    processes = sum(len(e.map.processes) for e in ws.maps)
    click.echo(pick(text(
        f"{target}: {len(ws.maps)} peta, {processes} proses; {len(ws.input_errors)} galat input",
        f"{target}: {counted(len(ws.maps), 'map')}, {counted(processes, 'process', 'processes')}; "
        f"{counted(len(ws.input_errors), 'input error')}"), lang))
    if ws.input_errors:
        sys.exit(EXIT_INPUT)
