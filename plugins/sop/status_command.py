"""The `probis status` command: where each OPD stands (added through probis_register_commands)."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click
from probis.engine.langoption import lang_option
from probis.engine.safetext import printable

from .sop_command import load
from .status import status_section
from .status_render import render_status

EXIT_INPUT = 2


@click.command("status")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["terminal", "json", "markdown"]),
              default="terminal", show_default=True)
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="date the 12-month evaluation window ends (default: today)")
@lang_option()
def status_command(workspace: str, fmt: str, as_of: dt.datetime | None, lang: str) -> None:
    """Map progress per OPD, ranked: who to call first."""
    ws = load(workspace, lang)
    section = status_section(ws, as_of.date() if as_of else dt.date.today())
    if fmt == "json":
        click.echo(json.dumps(section, ensure_ascii=False, indent=2))
    else:  # workspace names reach the terminal: no control character may (security.md)
        rendered = render_status(section, fmt, lang)
        click.echo(printable(rendered, keep_newlines=True) if fmt == "terminal" else rendered)
    if ws.input_errors:  # as `coverage` and `trace`: the table is partial (engine/cli.py)
        sys.exit(EXIT_INPUT)
