"""`probis schema [--kind K] [-o DIR]`: the JSON Schema of the input format (engine/schema.py)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ProbisUsageError, ProbisWriteError
from ..i18n import pick, text
from ..langoption import lang_option


@click.command("schema")
@click.option("--kind", "kind", default=None, metavar="KIND",
              help="Only the schema of this document kind (default: every kind and the "
                   "combined schema keyed on `kind`).")
@click.option("-o", "--outdir", type=click.Path(file_okay=False), default=None,
              help="Write <kind>.schema.json files into DIR (default: print the schema).")
@lang_option(help="Language of the descriptions an editor shows.")
def schema_command(kind: str | None, outdir: str | None, lang: str) -> None:
    """Print or write the JSON Schema of the input format, for editors (VS Code YAML)."""
    from ..model import CORE_KINDS
    from ..plugins import active_registry
    from ..schema import COMBINED, file_name, generate, write

    kinds = dict(CORE_KINDS) | dict(active_registry().kinds)
    if kind is not None and kind not in kinds:
        raise ProbisUsageError(pick(text(
            f"kind `{kind}` tidak dikenal; gunakan salah satu dari: {', '.join(sorted(kinds))}",
            f"unknown kind `{kind}`; use one of: {', '.join(sorted(kinds))}"), lang))
    files = generate(kinds, lang)
    if kind is not None:
        files = {file_name(kind): files[file_name(kind)]}
    if outdir is None:
        click.echo(files[file_name(kind or COMBINED)], nl=False)
        return
    try:
        written = write(files, Path(outdir))
    except OSError as exc:
        raise ProbisWriteError(exc.filename or outdir, exc, lang) from None
    for path in written:
        click.echo(str(path))
