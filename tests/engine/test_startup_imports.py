"""Start-up (issue 24): a command imports only what it uses, and commands register lazily."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import click
from click.testing import CliRunner
from probis.engine import cli as cli_module
from probis.engine import hookimpl
from probis.engine.entrypoints import entry_points

HEAVY = ("pydantic", "durable", "openpyxl", "rapidfuzz", "defusedxml", "yaml",
         "probis.plugins", "probis.engine.plugins", "probis.engine.model")


def _modules_after(args: list[str]) -> list[str]:
    """The modules a fresh interpreter holds after running ``probis ARGS``."""
    return _run_fresh(args)[1]


def _run_fresh(args: list[str], env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """Exit code and loaded modules of ``probis ARGS`` in a fresh interpreter (``env``: its
    environment variables, added to this one's)."""
    code = textwrap.dedent(f"""
        import json, sys
        from probis.engine.cli import main
        code = 0
        try:
            main({args!r})
        except SystemExit as exc:
            code = exc.code
        print(json.dumps([code, sorted(sys.modules)]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120, env={**os.environ, **(env or {})})
    exit_code, modules = json.loads(out.stdout.strip().splitlines()[-1])
    return exit_code, modules


def test_version_imports_no_plugin_and_no_heavy_library() -> None:
    loaded = _modules_after(["--version"])
    assert "probis.engine.cli" in loaded
    heavy = [m for m in loaded if m.startswith(HEAVY)]
    assert heavy == []


BPMN = Path(__file__).parents[1] / "corpora" / "bpmn-miwg" / "Reference" / "A.1.0.bpmn"
# what a one-map JSON check does not use: other formats' renderers and their libraries, the
# spawned worker's and --jobs machinery, the result cache, durable-rules itself (it runs in
# the forked worker), the overlap stemmer and its kamus (one process has no pair to
# compare), what only a failing or overrunning hook needs (traceback, ctypes), and
# importlib.metadata with the email parser (plugin names and versions come from METADATA
# headers: engine/entrypoints.py; pydantic's plugins: engine/pydanticplugins.py), nor
# importlib.resources' readers with zipfile (rule files: engine/packagefiles.py)
NOT_FOR_ONE_MAP = ("jinja2", "babel", "openpyxl", "docx", "weasyprint", "durable",
                   "email", "importlib.metadata", "importlib.resources", "zipfile",
                   "durable_rules_engine", "multiprocessing", "concurrent.futures",
                   "Sastrawi", "rapidfuzz", "probis.engine.incremental",
                   "probis.plugins.overlap.normalize", "probis.plugins.overlap.lexicon",
                   "probis.plugins.overlap.learn", "traceback", "ctypes",
                   "probis.engine.render.html",
                   "probis.engine.render.docx", "probis.engine.render.pdf",
                   "probis.engine.render.lhp_model", "probis.engine.render.terminal",
                   "probis.engine.render.markdown", "probis.engine.render.sarif")


def test_one_map_check_imports_only_what_it_uses(tmp_path: Path) -> None:
    ws = tmp_path / "satu-peta"
    (ws / "peta").mkdir(parents=True)
    (ws / "probis.yaml").write_text(
        "kind: workspace\ninstansi: Pemerintah Kota Satu Peta\nmaps: peta/\n", "utf-8")
    shutil.copy(BPMN, ws / "peta" / "PB.01.01.01-LF.bpmn")  # linked by the naming rule
    out = tmp_path / "laporan.json"
    # probis's own plugins only: another installed plugin (the SOP example, when the suite
    # runs with it) imports what it likes, and that is not probis's start-up
    builtin = [ep.name for ep in entry_points("probis") if ep.value.startswith("probis.plugins.")]
    code, loaded = _run_fresh(["check", str(ws), "-f", "json", "-o", str(out),
                               "--fail-on", "never"],
                              env={"PROBIS_LOAD_PLUGINS": ",".join(builtin)})
    report = json.loads(out.read_text("utf-8"))
    assert code == 0 and not report["input_errors"] and not report["engine_findings"]
    assert report["verdict"]["completeness"]["maps"]["audited"] == 1  # really evaluated
    assert any(f["rule"] == "FLW005" for f in report["findings"])  # a rule file (durable) ran
    assert "probis.engine.render.json_format" in loaded
    assert [m for m in loaded if m.startswith(NOT_FOR_ONE_MAP)] == []


def _fresh_start(monkeypatch) -> None:
    """The group as a new `probis` process starts: its own commands, no registry yet."""
    builtin = {name: cmd for name, cmd in cli_module.cli.commands.items()
               if cmd.callback is not None and cmd.callback.__module__ == cli_module.__name__}
    monkeypatch.setattr(cli_module.cli, "commands", builtin)
    cli_module._registry_built.clear()


def test_help_still_lists_builtin_and_plugin_commands(monkeypatch) -> None:
    _fresh_start(monkeypatch)
    result = CliRunner().invoke(cli_module.cli, ["--help"])
    cli_module._registry_built.clear()
    assert result.exit_code == 0, result.output
    for name in ("check", "rules", "explain", "restructure", "overlap", "import-excel"):
        assert f"  {name} " in result.output


@click.command("hello-lazy")
def hello_lazy() -> None:
    """Say hello (a lazily registered command of the test)."""
    click.echo("hello from a lazy command")


def test_lazy_table_entry_is_imported_on_use_and_listed(monkeypatch) -> None:
    monkeypatch.setitem(cli_module.LAZY_COMMANDS, "hello-lazy",
                        f"{__name__}:hello_lazy")
    monkeypatch.delitem(cli_module.cli.commands, "hello-lazy", raising=False)
    runner = CliRunner()
    listed = runner.invoke(cli_module.cli, ["--help"])
    assert "hello-lazy" in listed.output
    result = runner.invoke(cli_module.cli, ["hello-lazy"])
    assert result.exit_code == 0, result.output
    assert result.output == "hello from a lazy command\n"
    monkeypatch.delitem(cli_module.cli.commands, "hello-lazy", raising=False)


def test_lazy_table_entry_that_is_no_command_is_an_error(monkeypatch) -> None:
    monkeypatch.setitem(cli_module.LAZY_COMMANDS, "not-a-command", "json:dumps")
    result = CliRunner().invoke(cli_module.cli, ["not-a-command"])
    assert isinstance(result.exception, TypeError)
    assert "not a click command" in str(result.exception)


def test_plugin_may_not_take_a_lazy_builtin_name(monkeypatch) -> None:
    """A name in the lazy table belongs to probis even before its module is imported."""
    monkeypatch.setitem(cli_module.LAZY_COMMANDS, "hello-lazy", f"{__name__}:hello_lazy")
    _fresh_start(monkeypatch)
    stolen = click.Command("hello-lazy", callback=lambda: None)

    class Thief:
        @staticmethod
        @hookimpl
        def probis_register_commands(cli: click.Group) -> None:
            cli.add_command(stolen)

    from probis.engine import plugins as plugins_module

    real_build = plugins_module.build_registry

    def build_with_thief():
        registry = real_build()
        registry.pm.register(Thief, name="thief")
        return registry

    monkeypatch.setattr(plugins_module, "build_registry", build_with_thief)
    try:
        registry = cli_module._plugin_registry()
        assert registry is not None
        assert cli_module.cli.commands.get("hello-lazy") is not stolen
        assert any(f.plugin == "thief" and "probis itself" in f.error
                   for f in registry.failures)
    finally:
        cli_module._registry_built.clear()
        cli_module.cli.commands.pop("hello-lazy", None)
