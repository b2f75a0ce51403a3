"""`probis validate WORKSPACE`: the input checks of `probis check` only (files, YAML, fields,
references between documents that the loader checks, the profile's and waivers' rule ids),
no rule evaluation; fast enough for an editor or a pre-commit hook. Exit 0 or 2."""

from __future__ import annotations

import sys

import click

from ..i18n import pick, text
from ..langoption import lang_option
from ..safetext import printable


@click.command("validate")
@click.argument("workspace", type=click.Path(file_okay=False))
@lang_option(help="Language of messages.")
def validate_command(workspace: str, lang: str) -> None:
    """Check WORKSPACE's files against the input format, without running rules (exit 0/2)."""
    from ..loader import load_workspace
    from ..plugins import active_registry
    from ..runner import loader_config, prepare

    registry = active_registry()
    ws = load_workspace(workspace, loader_config(registry))
    prepare(ws, registry)  # the profile's and waivers' rule ids: input errors of `check` too
    for error in ws.input_errors:
        click.echo(f"{pick(text('galat', 'error'), lang)}: {error.describe(lang)}", err=True)
    for notice in ws.notices:
        click.echo(f"{pick(text('catatan', 'note'), lang)}: {notice.describe(lang)}", err=True)
    files = len({d.file for d in ws.docs})
    summary = text(f"{files} berkas dibaca, {len(ws.input_errors)} galat masukan, "
                   f"{len(ws.notices)} catatan",
                   f"{_en(files, 'file')} read, {_en(len(ws.input_errors), 'input error')}, "
                   f"{_en(len(ws.notices), 'note')}")
    click.echo(printable(f"probis validate {workspace}: {pick(summary, lang)}"))
    sys.exit(2 if ws.input_errors else 0)


def _en(n: int, noun: str) -> str:
    """``1 input error``, ``2 input errors``: English counts agree with their noun."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
