"""The ``probis`` command line.

Exit codes (also in the README):
  0  no finding at or above --fail-on, no input error
  1  findings at or above --fail-on (default: error)
  2  input or usage errors (bad files, unknown rule in a profile, bad arguments);
     the report still covers everything that loaded
  3  probis itself failed (a bug: please report it) or a report could not be written
  130  interrupted with Ctrl-C (SIGINT); 143  stopped with SIGTERM (engine/termination.py)
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__, activity, termination
from .atomic import StdoutError, write_output, write_stdout
from .errors import ProbisUsageError, ProbisWriteError
from .findings import SEVERITY_RANK
from .i18n import cannot_write, default_lang, pick, say, text
from .langoption import lang_option
from .progress import TerminalProgress
from .safetext import printable, printable_data

if TYPE_CHECKING:
    from .plugins import Registry

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, termination.EXIT_TERMINATED  # Ctrl-C, SIGTERM


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(say(f"{value!r} bukan tanggal YYYY-MM-DD",
                          f"{value!r} is not a YYYY-MM-DD date"), param, ctx)


FORMAT_OF_EXTENSION = {".json": "json", ".html": "html", ".htm": "html", ".md": "markdown",
                       ".sarif": "sarif", ".xml": "junit", ".pdf": "pdf", ".docx": "docx",
                       ".txt": "terminal"}


def format_of(output: str) -> str:
    """The report format an -o file's extension names (``-``: terminal); a usage error for
    an extension that names none, rather than a guess."""
    if output == "-":
        return "terminal"
    suffix = os.path.splitext(output)[1].lower()
    if suffix == ".json" and output.lower().endswith(".sarif.json"):
        return "sarif"
    if suffix in FORMAT_OF_EXTENSION:
        return FORMAT_OF_EXTENSION[suffix]
    known = " ".join(FORMAT_OF_EXTENSION)
    raise ProbisUsageError(text(
        id=f"format untuk `{output}` tidak dapat ditentukan dari akhiran namanya; beri -f "
           f"FORMAT sebelum -o, atau pakai akhiran yang dikenal: {known}",
        en=f"cannot tell the report format of `{output}` from its extension; give -f FORMAT "
           f"before -o, or use a known extension: {known}"))


# Built-in commands that live in their own modules, imported only when run (or for --help):
# name -> "module:function", the module relative to probis.engine. Adding a command is one
# line here; the function is a click command. Plugin commands come from the
# probis_register_commands hook, called only when a command needs the plugins.
LAZY_COMMANDS: dict[str, str] = {
    "diff": ".commands.diff:diff_command",
    "init": ".commands.init:init_command",
    "schema": ".commands.schema:schema_command",
    "validate": ".commands.validate:validate_command",
}

REGISTRY_KEY = "probis.registry"  # ctx.meta key plugins.active_registry reads (the same text)


class LazyGroup(click.Group):
    """The ``probis`` group: `probis --version` or a built-in command imports neither the
    plugins nor a command module it does not run. Plugins are loaded (and add their commands)
    when a command asks for the registry, when a name is not built in, or for the list of
    commands in --help."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands if lazy_commands is not None else {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        _plugin_registry()  # --help lists the plugins' commands too
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is not None:
            return command
        target = self.lazy_commands.get(cmd_name)
        if target is None:  # perhaps a plugin's command
            _plugin_registry()
            return self.commands.get(cmd_name)
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module, __package__), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"LAZY_COMMANDS[{cmd_name!r}] = {target!r} is not a click command")
        self.commands[cmd_name] = command
        return command

    def invoke(self, ctx: click.Context) -> Any:
        # built when a command asks; a built-in command needs no plugin command added
        ctx.meta.setdefault(REGISTRY_KEY, _audit_registry)
        return super().invoke(ctx)


@click.group(cls=LazyGroup, lazy_commands=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="probis", message="%(prog)s %(version)s")
@lang_option(expose=False)
def cli() -> None:
    """probis: audit business process maps (Peta Proses Bisnis) of a Pemda.

    Start with `probis check sample_maps/kota-metro`.
    """


@cli.command()
@click.argument("workspace", type=click.Path(file_okay=False))
@click.option("-f", "--format", "formats", multiple=True,
              help="Report format (terminal, json, ...); repeat with -o for several outputs.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write the report to FILE (atomically; `-` is standard output); pairs with "
                   "-f in order; without -f the format follows FILE's extension (.json .html "
                   ".md .sarif .xml .pdf .docx .txt).")
@click.option("--fail-on", default="error",
              type=click.Choice(["error", "warning", "info", "never"]),
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--as-of", type=_Date(), default=None,
              help="Audit date for date-dependent rules (default: today).")
@lang_option()
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes for loading, evaluation and a large JSON report (default 0: "
                   "one per core); "
                   "the report is the same for every value.")
@click.option("--traceback", "show_tracebacks", is_flag=True,
              help="Print the full traceback of every plugin failure (ENG001) on stderr.")
@click.option("--all", "show_all", is_flag=True,
              help="Terminal report: every finding, not only the first ten.")
@click.option("--baseline", default=None, metavar="OLD.json",
              help="JSON report of an earlier run: mark each finding new or still open, list "
                   "the fixed ones and the score change per OPD.")
def check(workspace: str, formats: Sequence[str], outputs: Sequence[str], fail_on: str,
          as_of: dt.date | None, lang: str, jobs: int, show_tracebacks: bool,
          show_all: bool, baseline: str | None) -> None:
    """Audit WORKSPACE (a folder with probis.yaml) and report scored findings."""
    if show_tracebacks:
        click.get_current_context().call_on_close(_print_tracebacks)
    from .gcpause import paused_gc

    with paused_gc():  # modules, classes, the registry: they live as long as the run
        from .baseline import apply_baseline, load_report
        from .hookcall import call_each
        from .parallel import resolve_jobs
        from .plugins import active_registry, failure_message
        from .render import BUILTIN_RENDERERS, available, call_renderer
        from .report import build_report
        from .runner import audit

        registry = active_registry()
    renderers = available(registry.renderers)
    # an -o without its own -f: the format its extension names (laporan.html -> html)
    formats = list(formats) + [format_of(out) for out in outputs[len(formats):]]
    formats = formats or ["terminal"]
    for fmt in formats:
        if fmt not in renderers:
            raise ProbisUsageError(text(
                id=f"format `{fmt}` tidak dikenal; gunakan: {', '.join(sorted(renderers))}",
                en=f"unknown format `{fmt}`; use: {', '.join(sorted(renderers))}"))

    pairs = list(zip(formats, list(outputs) + [None] * (len(formats) - len(outputs)), strict=True))
    _check_targets([target for _, target in pairs])  # before the audit: all or none written
    earlier = load_report(baseline) if baseline is not None else None  # before the audit
    if sys.stdout is None and any(target in (None, "-") for _, target in pairs):
        raise StdoutError("standard output is closed")  # say so before the audit, not after
    # the bar goes to stderr on a terminal only, and not when a report is streamed to stdout
    # (someone watching a JSON or SARIF stream scroll by is better served without it)
    show_bar = TerminalProgress.wanted(sys.stderr) and all(
        target not in (None, "-") or fmt == "terminal" for fmt, target in pairs)
    bar = TerminalProgress(sys.stderr, lang) if show_bar else None
    try:
        result = audit(workspace, as_of=as_of, registry=registry, progress=bar,
                       jobs=resolve_jobs(jobs))
    finally:
        if bar is not None:
            bar.close()
    activity.now(text("menyusun laporan", "building the report"))
    report = build_report(result)
    if earlier is not None:
        apply_baseline(report, earlier, baseline or "")

    def section_renderer(name: str, section: Any, fmt: str = "terminal") -> str | None:
        # firstresult: the first plugin (in name order) that answers with text renders it
        for call in call_each(registry.pm, "probis_render_section",
                              {"name": name, "section": section, "format": fmt, "lang": lang},
                              check=_text_or_none):
            if not call.outcome.ok:
                _say("probis: " + say(
                    f"plugin `{call.plugin}` gagal pada {call.hook} ({name}, {fmt}): "
                    f"{call.outcome.error}",
                    f"plugin `{call.plugin}` failed at {call.hook} ({name}, {fmt}): "
                    f"{call.outcome.error}", lang))
            elif call.outcome.value is not None:
                return str(call.outcome.value)
        return None

    for fmt, target in pairs:
        activity.now(text(f"menulis laporan {fmt}", f"writing the {fmt} report"))
        try:
            if renderers[fmt] is BUILTIN_RENDERERS["json"]:  # written piece by piece as rendered
                from .render.json_format import render_json_pieces

                rendered: Any = _guarded(render_json_pieces(report, jobs=resolve_jobs(jobs)))
            else:
                rendered = call_renderer(renderers[fmt], report, lang=lang,
                                         section_renderer=section_renderer,
                                         workspace=result.workspace,
                                         **({"top": None} if show_all else {}))
        except Exception as exc:  # a renderer plugin's bug: name it, write nothing half-done
            _render_failed(fmt, exc, lang)
        try:
            if target is None:
                write_stdout(rendered)
            else:
                try:
                    write_output(target, rendered)
                except OSError as exc:
                    _say("probis: " + cannot_write(target, exc.strerror, lang))
                    sys.exit(EXIT_INTERNAL)
        except _RenderFailed as exc:  # a file is left as it was (engine/atomic.py)
            _render_failed(fmt, exc.__cause__ or exc, lang)
    _reports_written[:] = [True]  # every report is written and closed (engine/atomic.py)
    if report["grade"] is None:  # nothing was audited: no verdict to act on
        for reason in report["verdict"]["reasons"]:
            _say(f"probis: {pick(reason, lang)}")
    if all(fmt != "terminal" for fmt in formats) or any(outputs):
        # nothing on the screen shows the report: say which plugins were left out (the
        # report has them as ENG001), and the input errors
        for failure in registry.failures:
            if failure.stage != COMMANDS_HOOK:  # said at start-up already
                _say(f"probis: {pick(failure_message(failure), lang)}")
        if result.input_errors:
            for e in result.input_errors:
                _say(f"probis: {e.describe(lang)}")
    if result.input_errors:
        sys.exit(EXIT_INPUT)
    if report["grade"] is None:
        sys.exit(EXIT_INPUT)
    if fail_on != "never":
        threshold = SEVERITY_RANK[fail_on]
        reported = result.findings + result.engine_findings
        if any(SEVERITY_RANK[f.severity] >= threshold for f in reported):
            sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@cli.command("check-many")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("-o", "--outdir", type=click.Path(file_okay=False), default=None,
              help="Write one JSON report per workspace, ranking.json and ranking.md here.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Local worker processes, one workspace each (default 0: one per core).")
@lang_option()
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run the workspaces here or on a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Address of the Dask scheduler (with --executor dask), e.g. tcp://host:8786.")
@click.option("--as-of", type=_Date(), default=None,
              help="Audit date for date-dependent rules (default: today).")
@click.option("--fail-on", default="error",
              type=click.Choice(["error", "warning", "info", "never"]), show_default=True,
              help="Exit 1 when a workspace has a finding at or above this severity.")
def check_many_command(folder: str, outdir: str | None, jobs: int, lang: str, executor: str,
                       scheduler: str | None, as_of: dt.date | None, fail_on: str) -> None:
    """Audit every workspace below FOLDER and rank the Pemda by score."""
    from pathlib import Path

    from .many import ReportWriter, check_many, fails, ranking, terminal, write_ranking
    from .parallel import resolve_jobs

    as_of = as_of or dt.date.today()
    writer = ReportWriter(Path(outdir), write_output) if outdir is not None else None
    rows = check_many(folder, as_of, resolve_jobs(jobs), executor, scheduler, on_row=writer)
    table = ranking(rows)
    write_stdout(terminal(printable_data(table), lang))  # names from files: no control characters
    if writer is not None:
        try:
            if writer.error is not None:
                raise writer.error
            write_ranking(writer.outdir, table, as_of.isoformat(), write_output, lang)
        except OSError as exc:
            _say("probis: " + cannot_write(outdir, exc))
            sys.exit(EXIT_INTERNAL)
    # like `check`: a workspace with input errors (or not audited) makes the exit code 2,
    # then findings at or above --fail-on 1
    if any(r["input_errors"] or r["status"] == "not-graded" for r in table):
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if fails(table, fail_on) else EXIT_OK)


@cli.command("rules")
@lang_option()
@click.option("--rule-set", default=None,
              help="Only rules of this rule set (its English or Indonesian name).")
def rules_command(lang: str, rule_set: str | None) -> None:
    """List every rule with id, severity, rule set and title."""
    from tabulate import tabulate

    from .engine_rules import ENGINE_RULES
    from .plugins import active_registry
    from .render.common import rule_set_id, rule_set_label, severity_label

    registry = active_registry()
    infos = [r.info for r in registry.rules.values()] + list(ENGINE_RULES.values())
    known = sorted({i.rule_set for i in infos})
    if rule_set is not None:
        rule_set = rule_set_id(rule_set)
    if rule_set is not None and rule_set not in known:
        import difflib

        names = [rule_set_label(k, lang) for k in known]
        near = difflib.get_close_matches(rule_set, names, n=1, cutoff=0.5)
        raise ProbisUsageError(text(
            id=f"himpunan aturan `{rule_set}` tidak dikenal."
               + (f" Mungkin: {near[0]}." if near else "")
               + f" Yang dikenal: {', '.join(names)}.{_failed_plugins(registry, 'id')}",
            en=f"unknown rule set `{rule_set}`." + (f" Perhaps: {near[0]}." if near else "")
               + f" Known: {', '.join(names)}.{_failed_plugins(registry, 'en')}"))
    rows = [[i.id, severity_label(i.severity, lang), rule_set_label(i.rule_set, lang),
             pick(i.title, lang)]
            for i in sorted(infos, key=lambda i: i.id) if rule_set in (None, i.rule_set)]
    headers = (["id", "severity", "rule set", "title"] if lang == "en" else
               ["id", "tingkat", "himpunan aturan", "judul"])
    click.echo(tabulate(rows, headers=headers, tablefmt="simple"))
    for failure in registry.failures:  # rules that are missing from the table, and why
        _say(f"! {failure.plugin}: {failure.stage}: {failure.error_in(lang)}")


def _failed_plugins(registry: Registry, lang: str) -> str:
    """The plugins that failed to load or register, with their errors: their rules are
    missing from what the registry knows."""
    failed = [f for f in registry.failures if f.rule is None]
    if not failed:
        return ""
    return (say(" Plugin yang gagal dimuat (aturannya tidak ada): ",
                " Plugins that failed to load (their rules are missing): ", lang)
            + "; ".join(f"{f.plugin} ({f.stage}: {f.error_in(lang)})" for f in failed) + ".")


@cli.command()
@click.argument("rule_id")
@lang_option()
def explain(rule_id: str, lang: str) -> None:
    """Print the full documentation of one rule, such as REG005."""
    from .docs import rule_markdown
    from .engine_rules import ENGINE_RULES
    from .plugins import active_registry

    registry = active_registry()
    infos = {rid: r.info for rid, r in registry.rules.items()} | ENGINE_RULES
    info = infos.get(rule_id.upper())
    rejected = registry.rejected.get(rule_id.upper())
    if info is None and rejected is not None:
        raise ProbisUsageError(text(
            id=f"aturan `{rejected.rule}` dari plugin `{rejected.plugin}` tidak dimuat: "
               f"{rejected.error_in('id')}",
            en=f"rule `{rejected.rule}` of plugin `{rejected.plugin}` was not loaded: "
               f"{rejected.error}"))
    if info is None:
        import difflib

        near = difflib.get_close_matches(rule_id.upper(), list(infos), n=3, cutoff=0.5)
        raise ProbisUsageError(text(
            id=f"aturan `{rule_id}` tidak dikenal."
               + (f" Mungkin: {', '.join(near)}." if near else "")
               + f" Lihat `probis rules`.{_failed_plugins(registry, 'id')}",
            en=f"unknown rule `{rule_id}`." + (f" Perhaps: {', '.join(near)}." if near else "")
               + f" See `probis rules`.{_failed_plugins(registry, 'en')}"))
    click.echo(rule_markdown(info, lang, plugin=registry.plugin_of(info.id)))


@cli.command()
@click.option("--traceback", "show_tracebacks", is_flag=True,
              help="Print the full traceback of every plugin failure on stderr.")
@lang_option()
def plugins(show_tracebacks: bool, lang: str) -> None:
    """List loaded plugins with version, implemented hooks and rule ids."""
    if show_tracebacks:
        click.get_current_context().call_on_close(_print_tracebacks)
    from tabulate import tabulate

    from .plugins import active_registry

    _plugin_registry()  # the plugins' commands too: a plugin failing to add them is listed
    registry = active_registry()
    rows = [[p.name, p.distribution or "-", p.version or "-", ", ".join(p.hooks),
             ", ".join(p.rule_ids) or "-"] for p in registry.plugins]
    headers = (["plugin", "package", "version", "hooks", "rules"] if lang == "en" else
               ["plugin", "paket", "versi", "kait (hook)", "aturan"])
    click.echo(tabulate(rows, headers=headers, tablefmt="simple"))
    for failure in registry.failures:
        if failure.stage != COMMANDS_HOOK:  # said at start-up already
            _say(f"! {failure.plugin}: {failure.stage}: {failure.error_in(lang)}")


@cli.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=".",
              show_default=True, help="Folder to create the package in.")
@click.option("--prefix", default=None,
              help="Rule id prefix, 2-5 capital letters (default: from NAME).")
def new_plugin(name: str, directory: str, prefix: str | None) -> None:
    """Create a plugin package skeleton NAME (e.g. perda-banjir) whose tests pass at once."""
    from pathlib import Path

    from .plugins import active_registry
    from .scaffold import create_plugin

    target = create_plugin(name, Path(directory), prefix, taken_rule_ids=active_registry().rules)
    click.echo(f"{target}\n  cd {target} && pip install -e . && python -m pytest")


@cli.command("docs")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--plugin", "plugin", default=None, metavar="NAME",
              help="Write the pages of this plugin's rules (default: probis's own rules).")
@lang_option()
def docs_command(directory: str, plugin: str | None, lang: str) -> None:
    """Write one Markdown page per rule and an index into DIRECTORY (as docs/rules/)."""
    from pathlib import Path

    from .docs import write_docs
    from .plugins import active_registry

    try:
        written = write_docs(Path(directory), plugin=plugin, registry=active_registry())
    except ValueError as exc:
        raise ProbisUsageError(str(exc)) from None
    except OSError as exc:
        raise ProbisWriteError(exc.filename or directory, exc, lang) from None
    click.echo(say(f"{len(written)} halaman aturan + README.md -> {directory}",
                   f"{len(written)} rule pages + README.md -> {directory}", lang))




def _print_tracebacks() -> None:
    """Every plugin failure's traceback (``--traceback``), after the report: the report's
    ENG001 findings carry only the error and the last frames."""
    from .isolation import failure_tracebacks

    for call, trace_text in failure_tracebacks():
        click.echo(say(f"probis: traceback dari {call}", f"probis: traceback of {call}")
                   + f":\n{trace_text.rstrip()}", err=True)


class _RenderFailed(Exception):
    """A renderer failed while its pieces were being written (not a write error)."""


def _guarded(pieces: Iterator[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    try:
        yield from pieces
    except Exception as exc:
        raise _RenderFailed(str(exc)) from exc


def _render_failed(fmt: str, exc: BaseException, lang: str) -> NoReturn:
    _say("probis: " + say(f"format `{fmt}` gagal dibuat", f"format `{fmt}` could not "
                          "be rendered", lang) + f": {type(exc).__name__}: {exc}")
    sys.exit(EXIT_INTERNAL)


def _say(message: str) -> None:
    """One line on stderr: names and errors from files may hold control characters or
    newlines, shown escaped so they can neither drive the terminal nor fake a line."""
    click.echo(printable(message), err=True)


def _text_or_none(value: Any, _plugin: str = "") -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"probis_render_section must return text or None, "
                        f"got {type(value).__name__}")
    return value


COMMANDS_HOOK = "probis_register_commands"

_registry_built: list[Registry | None] = []  # this run's registry, once built (main resets it)
_commands_added: list[Registry] = []  # the registry whose plugins have added their commands


def _plugin_registry() -> Registry | None:
    """This run's plugin registry, with the plugins' commands added (for --help, a name
    that is not built in, `probis plugins`)."""
    registry = _audit_registry()
    if registry is not None and not (_commands_added and _commands_added[0] is registry):
        _commands_added[:] = [registry]
        _add_plugin_commands(registry)
    return registry


def _audit_registry() -> Registry | None:
    """This run's plugin registry, built on first use. A built-in command (`check`) does not
    call the plugins' probis_register_commands: their command modules stay unimported."""
    if not _registry_built:
        _registry_built.append(_build_registry())
    return _registry_built[0]


def _build_registry() -> Registry | None:
    from .plugins import build_registry

    try:
        return build_registry()
    except ProbisUsageError as exc:  # e.g. a bad PROBIS_RULE_TIMEOUT: wrong for every command
        _say(f"probis: {exc}")
        sys.exit(EXIT_INPUT)
    except Exception as exc:
        if os.environ.get("PROBIS_DEBUG"):
            raise
        _say(f"probis: plugin commands not loaded: {exc}")
        return None


def _add_plugin_commands(registry: Registry) -> None:
    """Let each plugin add its commands, one plugin at a time: a plugin that fails, or takes
    a name another command has, adds none of its commands (said on stderr); the other
    plugins' commands stay."""
    from .hookcall import call_each
    from .plugins import PluginFailure, failure_message

    owners = dict.fromkeys([*cli.commands, *LAZY_COMMANDS], "")
    before = dict(cli.commands)
    for call in call_each(registry.pm, COMMANDS_HOOK, {"cli": cli}):
        added = {name: cmd for name, cmd in cli.commands.items() if before.get(name) is not cmd}
        taken = sorted(name for name in added if name in owners)
        error = call.outcome.error
        if error is None and taken:
            error = "; ".join(
                f"command `{name}` is already registered by "
                + (f"plugin `{owners[name]}`" if owners[name] else "probis itself")
                for name in taken)
        if error is not None:
            cli.commands.clear()
            cli.commands.update(before)  # none of this plugin's commands, the others' stay
            failure = PluginFailure(call.plugin, COMMANDS_HOOK, error)
            registry.failures.append(failure)
            _say(f"probis: {pick(failure_message(failure), default_lang())}")
            continue
        owners.update(dict.fromkeys(added, call.plugin))
        before = dict(cli.commands)


def main(argv: Sequence[str] | None = None) -> None:
    try:
        _main(argv)
    except SystemExit as exc:
        if argv is None and _reports_written:
            _exit_at_once(exc)
        raise


def _main(argv: Sequence[str] | None) -> None:
    if argv is None:  # probis is the program: SIGTERM stops it as Ctrl-C does
        termination.install()
    from . import clicktext
    from .i18n import reset_lang
    from .langoption import use_args_lang

    reset_lang()
    activity.reset()
    use_args_lang(sys.argv[1:] if argv is None else argv)  # --help may precede --lang
    clicktext.install()  # click's usage errors and help headings in the run's language
    _registry_built.clear()  # the one registry of this run is built when first needed
    _reports_written.clear()
    try:
        _run(argv)
    except KeyboardInterrupt:  # outside click's own handling (e.g. while plugins load)
        _interrupted()
    finally:
        _stop_workers()
        if argv is None:
            # Run as the program (the `probis` script): the process exits next, every output
            # is written and closed, and what it holds needs no collecting. Freezing the heap
            # spares the interpreter's final collection, a walk over every object. A caller
            # passing argv may live on: no.
            gc.freeze()
        else:
            from .gcpause import thaw

            thaw()  # what the run's collector pauses froze: engine/gcpause.py


_reports_written: list[bool] = []  # `check` wrote its reports: the program may leave at once


def _exit_at_once(exc: SystemExit) -> None:
    """End the `probis` process with ``exc``'s status as soon as `check` has written its
    reports: what the interpreter's exit still does for others runs (the atexit functions,
    standard output and error flushed), tearing down every module and object does not
    (about 0.01 s of CPU; docs/design-notes.md). Returns, for the usual exit, while another
    thread runs, for a status that is not a number, or when a stream cannot be flushed (the
    interpreter reports that as it always does)."""
    import atexit
    import threading

    code = 0 if exc.code is None else exc.code
    if not isinstance(code, int) or not 0 <= code <= 255 or threading.active_count() != 1:
        return
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except Exception:
        return
    os._exit(code)


def _stop_workers() -> None:
    """Kill the idle durable-rules worker now: it holds no state, and the interpreter's exit
    would otherwise wait for it to shut down its own interpreter. After Ctrl-C or SIGTERM,
    end every other process the run left too."""
    if _stopped_early:
        termination.stop_children()
        return
    bridge = sys.modules.get("probis.engine.durable_bridge")
    if bridge is not None:
        bridge.shutdown()


_stopped_early = False  # the run was interrupted (Ctrl-C or SIGTERM)


def _interrupted() -> NoReturn:
    global _stopped_early
    _stopped_early = True
    if termination.terminated():
        click.echo("probis: " + say("dihentikan (SIGTERM)", "terminated (SIGTERM)"), err=True)
        sys.exit(EXIT_TERMINATED)
    click.echo("probis: " + say("dibatalkan", "aborted"), err=True)
    sys.exit(EXIT_INTERRUPTED)


def _check_targets(targets: Sequence[str | None]) -> None:
    """Every -o target's folder exists and is writable (click refuses a target that is a
    folder): said before the audit, so one bad target does not leave the others written
    (exit 3)."""
    from pathlib import Path

    for target in targets:
        if target in (None, "-"):
            continue
        folder = Path(target).parent
        if not folder.is_dir():
            raise ProbisWriteError(target, say("foldernya tidak ada",
                                               "its folder does not exist"))
        if not os.access(folder, os.W_OK):
            raise ProbisWriteError(target, say("foldernya tidak boleh ditulis",
                                               "its folder cannot be written to"))


def _out_of_memory() -> NoReturn:
    """Out of memory is no probis bug: say what was being done and what helps (exit 3,
    README: probis could not finish)."""
    stage = activity.current() or text("menjalankan perintah", "running the command")
    _say("probis: " + say(
        f"memori habis saat {stage['id']}; probis tidak dapat menyelesaikan pekerjaannya dan "
        "laporan yang belum ditulis tidak ditulis. Audit lebih sedikit berkas sekaligus "
        "(misalnya satu OPD), pecah berkas yang sangat besar, atau turunkan batas "
        "PROBIS_MAX_ELEMENTS atau PROBIS_MAX_STEPS agar berkas seperti itu ditolak lebih "
        "awal (docs/limits.md)",
        f"out of memory while {stage['en']}; probis could not finish, and reports not yet "
        "written are not written. Audit fewer files at once (one OPD, say), split very large "
        "files, or lower PROBIS_MAX_ELEMENTS or PROBIS_MAX_STEPS so that such files are "
        "refused early (docs/limits.md)"))
    sys.exit(EXIT_INTERNAL)


def _run(argv: Sequence[str] | None, registry: Registry | None = None) -> None:
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False,
                 obj=registry)
    except ProbisUsageError as exc:
        _say(f"probis: {exc}")
        sys.exit(EXIT_INPUT)
    except ProbisWriteError as exc:  # a target that cannot be written: as a report not written
        _say(f"probis: {exc}")
        sys.exit(EXIT_INTERNAL)
    except StdoutError as exc:
        _say("probis: " + say("tidak dapat menulis laporan ke keluaran standar",
                              "cannot write the report to standard output") + f": {exc}")
        sys.exit(EXIT_INTERNAL)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _interrupted()
    except click.ClickException as exc:
        exc.message = printable(exc.message)  # it may quote a file name
        exc.show()
        sys.exit(EXIT_INPUT)
    except SystemExit:
        raise
    except MemoryError:
        if os.environ.get("PROBIS_DEBUG"):
            raise
        _out_of_memory()
    except Exception as exc:
        if os.environ.get("PROBIS_DEBUG"):
            raise
        error = printable(f"{type(exc).__name__}: {exc}")
        click.echo(say(
            f"probis: galat internal: {error}\nIni adalah bug probis; laporkan beserta "
            "perintahnya (PROBIS_DEBUG=1 menampilkan traceback-nya).",
            f"probis: internal error: {error}\nThis is a probis bug; please report it with "
            "the command (set PROBIS_DEBUG=1 for the traceback)."), err=True)
        sys.exit(EXIT_INTERNAL)
