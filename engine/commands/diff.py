"""`probis diff OLD.json NEW.json`: what changed between two JSON reports, without auditing.

Exit codes: 0 no new finding; 1 new findings (or findings checked for the first time, in a
file the old run could not read); 2 a file is missing, unreadable or not a
probis JSON report, or a bad option; 3 the output could not be written.
"""

from __future__ import annotations

import sys

import click

from ..i18n import cannot_write
from ..langoption import lang_option

EXIT_OK, EXIT_NEW, EXIT_INTERNAL = 0, 1, 3


@click.command("diff")
@click.argument("old", metavar="OLD.json")
@click.argument("new", metavar="NEW.json")
@click.option("-f", "--format", "fmt", type=click.Choice(["terminal", "json", "markdown"]),
              default="terminal", show_default=True, help="Output format.")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Write to FILE (atomically) instead of standard output.")
@lang_option()
def diff_command(old: str, new: str, fmt: str, output: str | None, lang: str) -> None:
    """Compare two JSON reports of `probis check -f json`: new, still open and fixed findings
    (by fingerprint), score and grade change per OPD. Exit 1 when there is a new finding."""
    from ..atomic import write_output, write_stdout
    from ..baseline import compare, load_report
    from ..render.json_format import dumps_report
    from ..render.markdown import _text
    from ..render.trend import trend_lines, trend_markdown
    from ..safetext import printable_data

    before, after = load_report(old), load_report(new)
    section, statuses = compare(before, after, old)
    fresh = [f for f, status in zip(after["findings"], statuses, strict=True) if status == "new"]
    # in a file the old run could not read: not a new defect, but not known before either
    first = [f for f, status in zip(after["findings"], statuses, strict=True)
             if status == "first_checked"]
    view = {"baseline": section, "score": after.get("score"), "grade": after.get("grade")}
    if fmt == "json":
        text = dumps_report(dict(section, new_file=new, score_after=after.get("score"),
                                 grade_after=after.get("grade"), new_findings=fresh,
                                 first_checked_findings=first))
    elif fmt == "markdown":
        text = "\n".join(trend_markdown(view, lang, _text, new_findings=fresh,
                                        first_checked=first))
    else:
        # names from files: no control characters
        text = "\n".join(trend_lines(printable_data(view), lang,
                                     new_findings=printable_data(fresh),
                                     first_checked=printable_data(first)))
    if output is None:
        write_stdout(text)
    else:
        try:
            write_output(output, text)
        except OSError as exc:
            click.echo("probis: " + cannot_write(output, exc.strerror, lang), err=True)
            sys.exit(EXIT_INTERNAL)
    # a finding checked for the first time was not in the old report either: a gate fails on it
    sys.exit(EXIT_NEW if fresh or first else EXIT_OK)
