"""What a user sees of plugin trouble on stderr: a slow call named once, tracebacks on demand."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from plugin_factory import make_plugin
from probis.engine import isolation
from probis.engine.plugins import build_registry
from probis.engine.runner import audit
from testkit import AS_OF, run_cli

RULE = """
import time
from probis.engine import hookimpl
from probis.engine.i18n import text
from probis.engine.rule import PythonRule, RuleInfo

def info(rule_id):
    return RuleInfo(id=rule_id, rule_set="diag", severity="error", title=text("x", "x"),
                    checks=text("x", "x"), basis=text("x", "x"), rationale=text("x", "x"),
                    fix=text("x", "x"))

class Slow(PythonRule):
    info = info("DGS001")

    def check(self, ctx, out):
        time.sleep(1.0)

class Exploding(PythonRule):
    info = info("DGX001")

    def check(self, ctx, out):
        self.deep_inside()

    def deep_inside(self):
        raise RuntimeError("boom in check")

@hookimpl
def probis_register_rules(register):
    register(Slow())
    register(Exploding())
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make_plugin(tmp_path / "site", "probis-diag", "diag", "probis_diag", RULE)
    return make_plugin(tmp_path / "site", "probis-noimport", "noimport", "probis_noimport",
                       "raise ImportError('this plugin cannot be imported')\n")


@pytest.mark.parametrize("guard", ["alarm", "thread"])
def test_a_plugin_call_still_running_is_named_once(
        guard: str, site: Path, example_workspace: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation,diag")
    monkeypatch.setenv("PROBIS_PLUGIN_GUARD", guard)
    monkeypatch.setattr(isolation, "SLOW_NOTICE", 0.2)  # 10 s outside tests
    result = audit(example_workspace, AS_OF, build_registry())
    err = capsys.readouterr().err
    notices = [line for line in err.splitlines() if "`diag`" in line]
    assert notices == ["probis: plugin `diag` (aturan DGS001) masih berjalan setelah 0.2 detik"]
    # the notice only informs: the slow rule still ran to its end
    assert "DGS001" not in {f.ref.element.split(":")[-1] for f in result.engine_findings}


def test_a_call_within_the_notice_time_says_nothing(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(isolation, "SLOW_NOTICE", 5.0)
    assert isolation.call_guarded(lambda: 42, 10.0, "quick:QCK001").value == 42
    assert capsys.readouterr().err == ""


def _env(site: Path) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
            "PROBIS_LOAD_PLUGINS": "regulation,diag,noimport", "PROBIS_RULE_TIMEOUT": "30"}


@pytest.mark.parametrize("jobs", ["1", "2"])  # 2: the rule fails in a forked child
def test_traceback_flag_prints_plugin_failure_tracebacks(
        jobs: str, site: Path, example_workspace: Path) -> None:
    args = ("check", str(example_workspace), "-f", "json", "--as-of", "2026-11-28",
            "--jobs", jobs)
    code, out, err = run_cli(*args, env=_env(site))
    assert code == 1 and "Traceback" not in err  # without the flag: the report only
    eng = {f["element"] for f in json.loads(out)["engine_findings"]}
    assert {"diag:DGX001", "noimport"} <= eng

    code, out_tb, err = run_cli(*args, "--traceback", env=_env(site))
    assert code == 1 and out_tb == out  # the report is the same
    assert "probis: traceback dari diag:DGX001:\nTraceback (most recent call last):" in err
    assert "in deep_inside" in err and "RuntimeError: boom in check" in err
    assert "probis: traceback dari noimport:load:" in err
    assert "ImportError: this plugin cannot be imported" in err
    assert err.count("traceback dari diag:DGX001") == 1


def test_plugins_traceback_flag(site: Path) -> None:
    code, _, err = run_cli("plugins", "--traceback", env=_env(site))
    assert code == 0
    assert "probis: traceback dari noimport:load:" in err and "ImportError" in err
