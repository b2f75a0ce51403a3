"""``probis export-bpmn`` and ``probis import-excel`` (added through probis_register_commands)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from probis.engine.atomic import write_output
from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import pick, text
from probis.engine.langoption import lang_option

EXIT_INPUT = 2


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
        raise ProbisUsageError(text(id=f"tidak dapat menulis {output}: {exc.strerror}",
                                    en=f"cannot write {output}: {exc.strerror}")) from None
    counts = (len(entry.lf.steps), len(entry.lf.flows), len(entry.lf.lanes))
    click.echo(f"{output}: " + pick(text("{} langkah, {} alur, {} lajur", "{} steps, {} flows, "
                                         "{} lanes"), lang).format(*counts) + f" ({entry.file})")


@click.command("import-excel")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the peta-proses YAML files (one per map code).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--force", is_flag=True,
              help="Replace YAML files that already exist in the output folder.")
def import_excel_command(file: str, out_dir: str, lang: str, force: bool) -> None:
    """Turn a process-map workbook (FILE.xlsx) into format-v1 YAML in a folder."""
    from .excel_import import OutputConflict, import_workbook, write_maps

    if not Path(file).is_file():
        raise ProbisUsageError(f"{file}: berkas tidak ditemukan / file not found")
    result = import_workbook(Path(file))
    try:
        # nothing imported: leave no empty output folder behind
        written = (write_maps(result.maps, Path(out_dir), force=force) if result.maps
                   else [])
    except OutputConflict as exc:
        raise ProbisUsageError(str(exc)) from None
    except OSError as exc:
        raise ProbisUsageError(
            f"tidak dapat menulis ke / cannot write to {out_dir}: {exc.strerror}") from None
    for path in written:
        click.echo(f"{path}")
    for note in result.notes:
        click.echo(f"probis: {note}", err=True)
    for problem in result.problems:
        click.echo(f"probis: {problem.describe(lang)}", err=True)
    click.echo(f"{len(written)} peta / maps, {sum(len(m['processes']) for m in result.maps)} "
               f"proses / processes, {len(result.problems)} baris tak terbaca / unreadable rows",
               err=bool(result.problems))
    if result.problems:
        sys.exit(EXIT_INPUT)
