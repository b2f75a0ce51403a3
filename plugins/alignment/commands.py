"""The `probis coverage` and `probis trace` commands (added through probis_register_commands)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import text
from probis.engine.langoption import lang_option
from probis.engine.loader import load_workspace
from probis.engine.safetext import printable
from probis.engine.workspace import Workspace

from .coverage import coverage_section
from .render import render_full, render_markdown
from .trace import UnknownCode, render_trace, trace

EXIT_INPUT = 2


def load(path: str, lang: str) -> Workspace:
    """Load a workspace with the document kinds and readers plugins registered (as `check`
    does), and say on stderr which files could not be read."""
    from probis.engine.plugins import active_registry
    from probis.engine.runner import loader_config

    ws = load_workspace(path, loader_config(active_registry()))
    for error in ws.input_errors:
        click.echo(f"probis: {error.describe(lang)}", err=True)
    return ws


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@click.command("coverage")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(["terminal", "json", "markdown"]),
              default="terminal", show_default=True)
@lang_option()
def coverage_command(workspace: str, fmt: str, lang: str) -> None:
    """Coverage matrix: each RPJMD misi → tujuan → sasaran with the processes serving it."""
    ws = load(workspace, lang)
    if ws.rpjmd is None:
        raise ProbisUsageError(text(
            id=f"{workspace}: tidak ada RPJMD yang berlaku (`rpjmd:` di probis.yaml)",
            en=f"{workspace}: no RPJMD in force (`rpjmd:` in probis.yaml)"))
    section = coverage_section(ws)
    if fmt == "json":
        click.echo(_dump(section), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(section, lang))
    else:
        click.echo(printable(render_full(section, lang), keep_newlines=True))
    if ws.input_errors:
        sys.exit(EXIT_INPUT)


@click.command("trace")
@click.argument("workspace", type=click.Path(file_okay=False))
@click.argument("code")
@click.option("-f", "--format", "fmt", type=click.Choice(["terminal", "json"]),
              default="terminal", show_default=True)
@lang_option()
def trace_command(workspace: str, code: str, fmt: str, lang: str) -> None:
    """Trace CODE: a process up to the visi, or a sasaran down to every process serving it."""
    ws = load(workspace, lang)
    try:
        data = trace(ws, code)
    except UnknownCode as exc:
        from probis.engine.verdict import unread_maps

        hint_id = f" Yang mirip: {', '.join(exc.near)}." if exc.near else ""
        hint_en = f" Nearest: {', '.join(exc.near)}." if exc.near else ""
        # the code may be in a map file that could not be read: say so, not only "no such code"
        if unread := unread_maps(ws, ws.input_errors).files:
            files = ", ".join(unread)
            hint_id += f" Mungkin ada di berkas peta yang tidak terbaca: {files}."
            hint_en += f" It may be in a map file that could not be read: {files}."
        raise ProbisUsageError(text(
            id=f"`{code}` bukan kode proses atau id sasaran di {workspace}.{hint_id}",
            en=f"`{code}` is not a process code or sasaran id in {workspace}.{hint_en}"),
        ) from None
    click.echo(_dump(data) if fmt == "json" else
               printable(render_trace(data, lang), keep_newlines=True), nl=False)
    if ws.input_errors:
        sys.exit(EXIT_INPUT)
