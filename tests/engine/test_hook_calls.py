"""Every hook is called through pluggy, one plugin at a time (engine/hookcall.py): with only the
arguments an implementation declares, only for ``@hookimpl`` functions, with unknown hook names
and duplicate registrations refused naming the plugins, and one registry per command line run.

The plugins are real distributions found through entry points (plugin_factory), run by the real
``probis`` command in a subprocess.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from plugin_factory import GOOD, make_plugin
from probis.engine import cli as cli_module
from probis.engine import many, plugins
from testkit import run_cli

# each hook takes only some of the arguments its hookspec offers
LEAN = '''
from probis.engine import hookimpl

calls = []

@hookimpl
def probis_facts(workspace):
    calls.append(["facts", len(workspace.processes)])
    return []

@hookimpl
def probis_report_sections(result):
    return {"lean": {"calls": calls, "findings": len(result.findings)}}

@hookimpl
def probis_render_section(name, format):
    return f"lean section in {format}" if name == "lean" else None
'''

TYPO = '''
from probis.engine import hookimpl

@hookimpl
def probis_register_rule(register):  # no such hook: probis_register_rules
    raise AssertionError("never called")
'''

UNMARKED = '''
from probis.engine import hookimpl

def probis_report_sections(workspace, result):  # no @hookimpl: not a hook
    return {"unmarked": {"called": True}}

@hookimpl
def probis_register_profiles(register):
    register("unmarked-profile", {})
'''


def _commands(command: str, *, fail: bool = False) -> str:
    return f'''
import click
from probis.engine import hookimpl

@hookimpl
def probis_register_commands(cli):
    @cli.command("{command}")
    def hello():
        click.echo("{command} says hi")
    if {fail}:
        raise RuntimeError("commands bug")
'''


def _registers(reader: str, fmt: str, kind: str, profile: str, rule_id: str) -> str:
    return f'''
from probis.engine import hookimpl
from probis.engine.i18n import text
from probis.engine.model import Model
from probis.engine.rule import PythonRule, RuleInfo

class Doc(Model):
    kind: str

class Rule(PythonRule):
    info = RuleInfo(id="{rule_id}", rule_set="dup", severity="info", title=text("x", "x"),
                    checks=text("x", "x"), basis=text("x", "x"), rationale=text("x", "x"),
                    fix=text("x", "x"), applies_to="process")

    def check(self, ctx, out):
        pass

@hookimpl
def probis_register_rules(register):
    register(Rule())

@hookimpl
def probis_register_readers(register):
    register("{reader}", lambda path, raw, limits: [])

@hookimpl
def probis_register_renderers(register):
    register("{fmt}", lambda report, lang, **options: "")

@hookimpl
def probis_register_document_kinds(register):
    register("{kind}", Doc)

@hookimpl
def probis_register_profiles(register):
    register("{profile}", {{}})
'''


def _env(site: Path, plugins: str) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
            "PROBIS_LOAD_PLUGINS": plugins}


def _check(ws: Path, env: dict[str, str], fmt: str = "json") -> tuple[int, str, str]:
    return run_cli("check", str(ws), "-f", fmt, "--as-of", "2026-11-28", "--fail-on", "never",
                   env=env)


def test_hooks_that_leave_out_arguments_are_called(example_workspace: Path,
                                                   tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-lean", "lean", "probis_lean", LEAN)
    env = _env(site, "regulation,lean")  # regulation's rule files make probis_facts run
    code, out, err = _check(example_workspace, env)
    assert code == 0, err
    report = json.loads(out)
    assert report["engine_findings"] == []
    (facts_call,) = report["lean"]["calls"]  # probis_facts ran once, with the workspace
    assert facts_call[0] == "facts" and facts_call[1] > 0
    assert report["lean"]["findings"] == len(report["findings"])
    code, out, err = _check(example_workspace, env, "terminal")
    assert code == 0 and "lean section in terminal" in out, err


def test_unknown_hook_name_refuses_that_plugin_only(example_workspace: Path,
                                                   tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-typo", "typo", "probis_typo", TYPO)
    make_plugin(site, "probis-good", "good", "probis_good", GOOD)
    env = _env(site, "typo,good")
    pluggy_text = "unknown hook 'probis_register_rule' in plugin <module 'probis_typo'"

    code, out, err = run_cli("check", str(example_workspace), "-f", "json", "--as-of",
                             "2026-11-28", env=env)
    assert code == 1 and "Traceback" not in err, err
    report = json.loads(out)
    (eng,) = report["engine_findings"]
    assert eng["rule"] == "ENG001" and eng["element"] == "typo"
    message = eng["message"]["en"]
    assert pluggy_text in message and "did you mean probis_register_rules?" in message
    # the report goes to stdout as JSON: the refusal is also said on the terminal (stderr)
    assert pluggy_text in err and "`typo`" in err
    assert any(f["rule"] == "GOOD001" for f in report["findings"])  # the other plugin stands

    code, out, err = _check(example_workspace, env, "terminal")
    out = " ".join(out.split())  # the terminal wraps long messages to its width
    assert pluggy_text in out and "did you mean probis_register_rules?" in out
    code, out, err = run_cli("plugins", env=env)
    assert "typo" not in out and "good" in out
    assert "typo: load:" in err and pluggy_text in err


def test_a_broken_register_commands_leaves_the_other_plugins_commands(tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-bcmd", "bcmd", "probis_bcmd",
                       _commands("b-hello"))
    # the last entry-point name: pluggy's own call order (last registered first) would have
    # called it first, and its exception used to drop every plugin's commands
    make_plugin(site, "probis-zbroken", "zbroken", "probis_zbroken",
                _commands("z-hello", fail=True))
    make_plugin(site, "probis-ccmd", "ccmd", "probis_ccmd", _commands("check"))
    make_plugin(site, "probis-dcmd", "dcmd", "probis_dcmd", _commands("b-hello"))
    env = {**_env(site, "alignment,bcmd,ccmd,dcmd,zbroken"), "PROBIS_LANG": "en"}

    code, out, err = run_cli("b-hello", env=env)
    assert code == 0 and out == "b-hello says hi\n", err
    assert "plugin `zbroken` failed at probis_register_commands: RuntimeError: commands bug" in err
    assert "command `check` is already registered by probis itself" in err
    assert "command `b-hello` is already registered by plugin `bcmd`" in err
    assert "`dcmd`" in err and "`ccmd`" in err
    code, out, err = run_cli("--help", env=env)
    assert code == 0 and "b-hello" in out and "coverage" in out  # alignment's stays too
    assert "z-hello" not in out  # the broken plugin adds none of its commands
    code, out, err = run_cli("z-hello", env=env)
    assert code == 2 and "No such command" in err
    code, out, err = run_cli("plugins", env=env)
    assert err.count("commands bug") == 1  # said once, at start-up


def test_a_function_without_hookimpl_is_not_called(example_workspace: Path,
                                                   tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-unmarked", "unmarked", "probis_unmarked",
                       UNMARKED)
    env = _env(site, "unmarked")
    code, out, err = _check(example_workspace, env)
    # the plugin registers no rule, and no other plugin is loaded: nothing to grade
    assert code == 2 and "tidak ada aturan yang berjalan" in err, err
    assert "unmarked" not in json.loads(out)
    code, out, err = run_cli("plugins", env=env)
    (row,) = [line for line in out.splitlines() if line.startswith("unmarked")]
    assert "probis_register_profiles" in row and "probis_report_sections" not in row


def test_duplicate_registrations_name_both_plugins(tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-dupa", "dupa", "probis_dupa",
                       _registers(".dup", "dupfmt", "dup-kind", "dup-profile", "DUP001"))
    make_plugin(site, "probis-dupb", "dupb", "probis_dupb",
                _registers(".dup", "dupfmt", "dup-kind", "dup-profile", "DUP001"))
    # names probis has itself: a core kind, a built-in reader, format and profile
    make_plugin(site, "probis-dupc", "dupc", "probis_dupc",
                _registers(".yaml", "json", "peta-proses", "strict", "DUP003"))
    code, out, err = run_cli("plugins", env={**_env(site, "dupa,dupb,dupc"), "PROBIS_LANG": "en"})
    assert code == 0, err
    for what in ("reader for `.dup`", "renderer `dupfmt`", "document kind `dup-kind`",
                 "profile `dup-profile`", "rule id DUP001"):
        assert f"{what} of plugin `dupb` is already registered by plugin `dupa`" in err, what
    for what in ("reader for `.yaml`", "renderer `json`", "document kind `peta-proses`",
                 "profile `strict`"):
        assert f"{what} of plugin `dupc` is already registered by probis itself" in err, what
    assert "dupa" not in err.replace("by plugin `dupa`", "")  # the first registration stands


TAKEOVER = '''
from probis.engine import hookimpl
from probis.engine.i18n import text
from probis.engine.rule import PythonRule, RuleInfo

def _rule(rule_id):
    class Rule(PythonRule):
        info = RuleInfo(id=rule_id, rule_set="aaa", severity="info", title=text("x", "x"),
                        checks=text("x", "x"), basis=text("x", "x"), rationale=text("x", "x"),
                        fix=text("x", "x"), applies_to="process")

        def check(self, ctx, out):
            pass
    return Rule()

@hookimpl
def probis_register_rules(register):
    register(_rule("REG005"))  # a built-in id
    register(_rule("AAA002"))  # its own, registered after the refused one
'''


def test_a_plugin_cannot_take_a_built_in_rule_id_and_keeps_its_other_rules(
        example_workspace: Path, tmp_path: Path) -> None:
    """A plugin named before `regulation` registered first and took REG005: the built-in set
    then failed at its first id and most of its rules did not run. And a refused id dropped
    every rule its plugin registered after it."""
    site = make_plugin(tmp_path / "site", "probis-aaa", "aaa", "probis_aaa", TAKEOVER)
    code, out, err = _check(example_workspace, _env(site, "aaa,regulation"))
    assert "Traceback" not in err, err
    report = json.loads(out)
    (eng,) = report["engine_findings"]
    assert eng["element"] == "aaa:REG005" and "not loaded" in eng["message"]["en"]
    assert "already registered by plugin `regulation`" in eng["message"]["en"]
    ran = set(report["scores"]["by_rule"])
    assert {"REG005", "REG011", "FLW006"} <= ran, sorted(ran)
    _code, out, _err = run_cli("rules", "--lang", "en", env=_env(site, "aaa,regulation"))
    listed = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert {"AAA002", "REG005", "REG011", "FLW006"} <= listed, out
    _code, out, _err = run_cli("explain", "REG005", "--lang", "en",
                               env=_env(site, "aaa,regulation"))
    assert "PermenPANRB" in out  # the built-in rule, not the plugin's


@pytest.mark.parametrize("argv", [
    ["plugins"], ["rules"], ["coverage", "{ws}"],
    ["check-many", "{ws}", "-j", "1", "--fail-on", "never"],
    ["check", "{ws}", "-f", "json", "-j", "1", "--as-of", "2026-11-28", "--fail-on", "never"]])
def test_the_registry_is_built_once_per_command_line_run(
        argv: list[str], example_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[plugins.Registry] = []
    real = plugins.build_registry

    def counting() -> plugins.Registry:
        built.append(real())
        return built[-1]

    monkeypatch.setattr(plugins, "build_registry", counting)
    monkeypatch.setattr(many, "_registry", None)  # check-many's per-process registry, put back
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "alignment,regulation")
    try:
        cli_module.main([arg.format(ws=example_workspace) for arg in argv])
    except SystemExit as exc:
        assert exc.code in (0, None)
    assert len(built) == 1


def test_call_each_passes_declared_arguments_in_registration_order() -> None:
    import types

    import pluggy
    from probis.engine import hookimpl, hookspecs
    from probis.engine.hookcall import call_each

    pm = pluggy.PluginManager("probis")
    pm.add_hookspecs(hookspecs)
    seen: list[tuple[str, tuple]] = []

    def plugin(name: str, function: object) -> None:
        pm.register(types.SimpleNamespace(probis_render_section=hookimpl(**(
            {"tryfirst": True} if name == "b" else {}))(function)), name=name)

    plugin("c", lambda lang: seen.append(("c", (lang,))))
    plugin("a", lambda name, section, format, lang: seen.append(("a", (name, format))) or "a")
    plugin("b", lambda: 1 / 0)
    kwargs = {"name": "s", "section": {}, "format": "terminal", "lang": "en"}
    results = list(call_each(pm, "probis_render_section", kwargs, timeout=5))
    # registration order, whatever tryfirst says; each got only what it declared
    assert [r.plugin for r in results] == ["c", "a", "b"]
    assert seen == [("c", ("en",)), ("a", ("s", "terminal"))]
    assert results[1].outcome.value == "a" and results[2].outcome.error.startswith(
        "ZeroDivisionError")
    with pytest.raises(TypeError, match="without lang"):  # a caller's bug, not the plugin's
        list(call_each(pm, "probis_render_section", {"name": "s"}, timeout=5))
