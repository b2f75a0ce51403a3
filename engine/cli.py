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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__, termination
from .atomic import StdoutError, write_output, write_stdout
from .errors import ProbisUsageError
from .findings import SEVERITY_RANK
from .i18n import pick
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
            self.fail(f"{value!r} bukan tanggal YYYY-MM-DD / is not a YYYY-MM-DD date", param, ctx)


# Built-in commands that live in their own modules, imported only when run (or for --help):
# name -> "module:function", the module relative to probis.engine. Adding a command is one
# line here; the function is a click command. Plugin commands come from the
# probis_register_commands hook, called only when a command needs the plugins.
LAZY_COMMANDS: dict[str, str] = {
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
        ctx.meta.setdefault(REGISTRY_KEY, _plugin_registry)  # built when a command asks
        return super().invoke(ctx)


@click.group(cls=LazyGroup, lazy_commands=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="probis")
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
                   "-f in order.")
@click.option("--fail-on", default="error",
              type=click.Choice(["error", "warning", "info", "never"]),
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--as-of", type=_Date(), default=None,
              help="Audit date for date-dependent rules (default: today).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Language of messages and headings.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes for loading and evaluation (default 0: one per core); "
                   "the report is the same for every value.")
@click.option("--traceback", "show_tracebacks", is_flag=True,
              help="Print the full traceback of every plugin failure (ENG001) on stderr.")
def check(workspace: str, formats: Sequence[str], outputs: Sequence[str], fail_on: str,
          as_of: dt.date | None, lang: str, jobs: int, show_tracebacks: bool) -> None:
    """Audit WORKSPACE (a folder with probis.yaml) and report scored findings."""
    if show_tracebacks:
        click.get_current_context().call_on_close(_print_tracebacks)
    from .hookcall import call_each
    from .parallel import resolve_jobs
    from .plugins import active_registry, failure_message
    from .render import available
    from .report import build_report
    from .runner import audit

    registry = active_registry()
    renderers = available(registry.renderers)
    formats = list(formats) or ["terminal"]
    if len(outputs) > len(formats):
        raise ProbisUsageError("setiap -o butuh -f / every -o needs a -f before it")
    for fmt in formats:
        if fmt not in renderers:
            raise ProbisUsageError(
                f"format `{fmt}` tidak dikenal / unknown format; "
                f"gunakan / use: {', '.join(sorted(renderers))}")

    pairs = list(zip(formats, list(outputs) + [None] * (len(formats) - len(outputs)), strict=True))
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
    report = build_report(result)

    def section_renderer(name: str, section: Any, fmt: str = "terminal") -> str | None:
        # firstresult: the first plugin (in name order) that answers with text renders it
        for call in call_each(registry.pm, "probis_render_section",
                              {"name": name, "section": section, "format": fmt, "lang": lang},
                              check=_text_or_none):
            if not call.outcome.ok:
                _say(f"probis: plugin `{call.plugin}` gagal / failed at {call.hook} "
                           f"({name}, {fmt}): {call.outcome.error}")
            elif call.outcome.value is not None:
                return str(call.outcome.value)
        return None

    for fmt, target in pairs:
        try:
            rendered = renderers[fmt](report, lang=lang, section_renderer=section_renderer)
        except Exception as exc:  # a renderer plugin's bug: name it, write nothing half-done
            _say(f"probis: format `{fmt}` gagal dibuat / could not be rendered: "
                       f"{type(exc).__name__}: {exc}")
            sys.exit(EXIT_INTERNAL)
        if target is None:
            write_stdout(rendered)
        else:
            try:
                write_output(target, rendered)
            except OSError as exc:
                _say(f"probis: tidak dapat menulis / cannot write {target}: "
                           f"{exc.strerror}")
                sys.exit(EXIT_INTERNAL)
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
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run the workspaces here or on a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Address of the Dask scheduler (with --executor dask), e.g. tcp://host:8786.")
@click.option("--as-of", type=_Date(), default=None,
              help="Audit date for date-dependent rules (default: today).")
def check_many_command(folder: str, outdir: str | None, jobs: int, executor: str,
                       scheduler: str | None, as_of: dt.date | None) -> None:
    """Audit every workspace below FOLDER and rank the Pemda by score."""
    from pathlib import Path

    from .many import ReportWriter, check_many, ranking, terminal, write_ranking
    from .parallel import resolve_jobs

    as_of = as_of or dt.date.today()
    writer = ReportWriter(Path(outdir), write_output) if outdir is not None else None
    rows = check_many(folder, as_of, resolve_jobs(jobs), executor, scheduler, on_row=writer)
    table = ranking(rows)
    write_stdout(terminal(printable_data(table)))  # names from files: no control characters
    if writer is not None:
        try:
            if writer.error is not None:
                raise writer.error
            write_ranking(writer.outdir, table, as_of.isoformat(), write_output)
        except OSError as exc:
            _say(f"probis: tidak dapat menulis / cannot write {outdir}: {exc}")
            sys.exit(EXIT_INTERNAL)
    # like `check`: a workspace with input errors (or not audited) makes the exit code 2
    sys.exit(EXIT_INPUT if any(r["input_errors"] or r["status"] == "not-graded" for r in table)
             else EXIT_OK)


@cli.command("rules")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--rule-set", default=None, help="Only rules of this rule set.")
def rules_command(lang: str, rule_set: str | None) -> None:
    """List every rule with id, severity, rule set and title."""
    from tabulate import tabulate

    from .engine_rules import ENGINE_RULES
    from .plugins import active_registry

    registry = active_registry()
    infos = [r.info for r in registry.rules.values()] + list(ENGINE_RULES.values())
    known = sorted({i.rule_set for i in infos})
    if rule_set is not None and rule_set not in known:
        import difflib

        near = difflib.get_close_matches(rule_set, known, n=1, cutoff=0.5)
        hint = f" Mungkin / perhaps: {near[0]}." if near else ""
        raise ProbisUsageError(
            f"himpunan aturan `{rule_set}` tidak dikenal / unknown rule set.{hint} "
            f"Dikenal / known: {', '.join(known)}.{_failed_plugins(registry)}")
    rows = [[i.id, i.severity, i.rule_set, pick(i.title, lang)]
            for i in sorted(infos, key=lambda i: i.id) if rule_set in (None, i.rule_set)]
    click.echo(tabulate(rows, headers=["id", "severity", "rule set", "title"], tablefmt="simple"))
    for failure in registry.failures:  # rules that are missing from the table, and why
        _say(f"! {failure.plugin}: {failure.stage}: {failure.error}")


def _failed_plugins(registry: Registry) -> str:
    """The plugins that failed to load or register, with their errors: their rules are
    missing from what the registry knows."""
    failed = [f for f in registry.failures if f.rule is None]
    if not failed:
        return ""
    return (" Plugin yang gagal dimuat (aturannya tidak ada) / plugins that failed to load "
            "(their rules are missing): "
            + "; ".join(f"{f.plugin} ({f.stage}: {f.error})" for f in failed) + ".")


@cli.command()
@click.argument("rule_id")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def explain(rule_id: str, lang: str) -> None:
    """Print the full documentation of one rule (e.g. `probis explain REG005`)."""
    from .docs import rule_markdown
    from .engine_rules import ENGINE_RULES
    from .plugins import active_registry

    registry = active_registry()
    infos = {rid: r.info for rid, r in registry.rules.items()} | ENGINE_RULES
    info = infos.get(rule_id.upper())
    rejected = registry.rejected.get(rule_id.upper())
    if info is None and rejected is not None:
        raise ProbisUsageError(
            f"aturan `{rejected.rule}` dari plugin `{rejected.plugin}` tidak dimuat / rule of "
            f"plugin `{rejected.plugin}` was not loaded: {rejected.error}")
    if info is None:
        import difflib

        near = difflib.get_close_matches(rule_id.upper(), list(infos), n=3, cutoff=0.5)
        hint = f" Mungkin / perhaps: {', '.join(near)}." if near else ""
        raise ProbisUsageError(f"aturan `{rule_id}` tidak dikenal / unknown rule.{hint} "
                               f"Lihat / see `probis rules`.{_failed_plugins(registry)}")
    click.echo(rule_markdown(info, lang, plugin=registry.plugin_of(info.id)))


@cli.command()
@click.option("--traceback", "show_tracebacks", is_flag=True,
              help="Print the full traceback of every plugin failure on stderr.")
def plugins(show_tracebacks: bool) -> None:
    """List loaded plugins with version, implemented hooks and rule ids."""
    if show_tracebacks:
        click.get_current_context().call_on_close(_print_tracebacks)
    from tabulate import tabulate

    from .plugins import active_registry

    registry = active_registry()
    rows = [[p.name, p.distribution or "-", p.version or "-", ", ".join(p.hooks),
             ", ".join(p.rule_ids) or "-"] for p in registry.plugins]
    click.echo(tabulate(rows, headers=["plugin", "package", "version", "hooks", "rules"],
                        tablefmt="simple"))
    for failure in registry.failures:
        if failure.stage != COMMANDS_HOOK:  # said at start-up already
            _say(f"! {failure.plugin}: {failure.stage}: {failure.error}")


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
def docs_command(directory: str, plugin: str | None) -> None:
    """Write one Markdown page per rule and an index into DIRECTORY (as docs/rules/)."""
    from pathlib import Path

    from .docs import write_docs
    from .plugins import active_registry

    try:
        written = write_docs(Path(directory), plugin=plugin, registry=active_registry())
    except ValueError as exc:
        raise ProbisUsageError(str(exc)) from None
    click.echo(f"{len(written)} rule pages + README.md -> {directory}")


def _print_tracebacks() -> None:
    """Every plugin failure's traceback (``--traceback``), after the report: the report's
    ENG001 findings carry only the error and the last frames."""
    from .isolation import failure_tracebacks

    for call, text in failure_tracebacks():
        click.echo(f"probis: traceback of {call}:\n{text.rstrip()}", err=True)


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


def _plugin_registry() -> Registry | None:
    """This run's plugin registry, built (and the plugins' commands added) on first use."""
    if not _registry_built:
        _registry_built.append(_add_plugin_commands())
    return _registry_built[0]


def _add_plugin_commands() -> Registry | None:
    """Build this run's plugin registry and let each plugin add its commands, one plugin at a
    time: a plugin that fails, or takes a name another command has, adds none of its commands
    (said on stderr and, in `check`, as ENG001); the other plugins' commands stay."""
    from .hookcall import call_each
    from .plugins import PluginFailure, build_registry, failure_message

    try:
        registry = build_registry()
    except ProbisUsageError as exc:  # e.g. a bad PROBIS_RULE_TIMEOUT: wrong for every command
        _say(f"probis: {exc}")
        sys.exit(EXIT_INPUT)
    except Exception as exc:
        if os.environ.get("PROBIS_DEBUG"):
            raise
        _say(f"probis: plugin commands not loaded: {exc}")
        return None
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
            _say(f"probis: {failure_message(failure)['en']}")
            continue
        owners.update(dict.fromkeys(added, call.plugin))
        before = dict(cli.commands)
    return registry


def main(argv: Sequence[str] | None = None) -> None:
    if argv is None:  # probis is the program: SIGTERM stops it as Ctrl-C does
        termination.install()
    _registry_built.clear()  # the one registry of this run is built when first needed
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
        click.echo("probis: dihentikan / terminated (SIGTERM)", err=True)
        sys.exit(EXIT_TERMINATED)
    click.echo("probis: dibatalkan / aborted", err=True)
    sys.exit(EXIT_INTERRUPTED)


def _run(argv: Sequence[str] | None, registry: Registry | None = None) -> None:
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False,
                 obj=registry)
    except ProbisUsageError as exc:
        _say(f"probis: {exc}")
        sys.exit(EXIT_INPUT)
    except StdoutError as exc:
        _say("probis: tidak dapat menulis laporan ke keluaran standar / cannot write the "
                   f"report to standard output: {exc}")
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
    except Exception as exc:
        if os.environ.get("PROBIS_DEBUG"):
            raise
        error = printable(f"{type(exc).__name__}: {exc}")
        click.echo(
            f"probis: galat internal / internal error: {error}\n"
            "Ini adalah bug probis; laporkan beserta perintahnya. / This is a probis bug; "
            "please report it with the command (set PROBIS_DEBUG=1 for the traceback).",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
