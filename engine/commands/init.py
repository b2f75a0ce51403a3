"""`probis init DIR`: a new workspace for one Pemda (engine/init_workspace.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ProbisUsageError, ProbisWriteError
from ..i18n import say, text


def is_interactive() -> bool:
    """A person at a terminal can answer prompts (not a script, CI job or pipe)."""
    return sys.stdin is not None and sys.stdin.isatty()


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--instansi", default=None, help="Name of the Pemda, e.g. \"Pemerintah Kabupaten "
                                               "Contoh\".")
@click.option("--sotk", "sotk_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="An existing SOTK file (kind: sotk) to copy in.")
@click.option("--opd", "opds", multiple=True, metavar="[ID=]NAME",
              help="An OPD of a new, empty SOTK (repeat), e.g. --opd \"dinkes=Dinas Kesehatan\".")
@click.option("--periode", default=None, metavar="YYYY-YYYY", help="RPJMD period, e.g. 2025-2029.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
def init_command(directory: str, instansi: str | None, sotk_file: str | None,
                 opds: tuple[str, ...], periode: str | None, force: bool) -> None:
    """Create a new workspace in DIRECTORY with commented templates to fill in (Indonesian)."""
    from ..init_workspace import InitPlan, create_workspace, parse_opd, parse_period

    if sotk_file is not None and opds:
        raise ProbisUsageError(text("pilih --sotk atau --opd, bukan keduanya",
                                    "give --sotk or --opd, not both"))
    interactive = is_interactive()
    missing = [flag for flag, value in (("--instansi", instansi), ("--periode", periode),
                                        ("--sotk/--opd", sotk_file or opds)) if not value]
    if missing and not interactive:
        raise ProbisUsageError(text(f"tidak interaktif: berikan {', '.join(missing)}",
                                    f"not interactive: give {', '.join(missing)}"))
    if instansi is None:
        instansi = click.prompt(say("Nama instansi (mis. Pemerintah Kabupaten Contoh)",
                                    "Name of the Pemda (e.g. Pemerintah Kabupaten Contoh)"))
    if periode is None:
        periode = click.prompt(say("Periode RPJMD", "RPJMD period"), default="2025-2029")
    if sotk_file is None and not opds:
        answer = click.prompt(say("Daftar OPD dipisah koma (mis. Dinas Kesehatan, Dinas "
                                  "Pendidikan)", "OPDs, comma-separated (e.g. Dinas Kesehatan, "
                                  "Dinas Pendidikan)"))
        opds = tuple(o for o in (a.strip() for a in answer.split(",")) if o)
    start, end = parse_period(periode)
    units = [parse_opd(o) for o in opds]
    seen: set[str] = set()
    for unit in units:
        if unit.id in seen:
            raise ProbisUsageError(text(
                f"--opd: id `{unit.id}` dua kali; beri id sendiri: --opd \"ID={unit.name}\"",
                f"--opd: id `{unit.id}` twice; give it its own id: --opd \"ID={unit.name}\""))
        seen.add(unit.id)
    plan = InitPlan(" ".join(instansi.split()), start, end, units,
                    Path(sotk_file) if sotk_file else None)
    try:
        written = create_workspace(Path(directory), plan, force=force)
    except OSError as exc:  # e.g. a parent that is a file, a read-only folder
        raise ProbisWriteError(exc.filename or directory, exc) from None
    click.echo(say(f"{len(written)} berkas -> {directory}\n"
                   f"  Baca {Path(directory) / 'README.txt'}; lalu: probis check {directory}",
                   f"{len(written)} files -> {directory}\n"
                   f"  Read {Path(directory) / 'README.txt'}; then: probis check {directory}"))
