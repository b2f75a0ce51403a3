"""Plugins that raise, return garbage or never return become ENG001 findings naming the plugin;
a crash of the durable-rules C engine becomes ENG002; every other plugin's findings stand.

The plugins are real distributions found through entry points (plugin_factory), run by the
real ``probis`` command in a subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from plugin_factory import GOOD, RULE_HEADER, make_plugin
from probis.engine import durable_bridge
from probis.engine.durable_bridge import BridgeError, run_ruleset
from probis.engine.isolation import call_guarded
from testkit import run_cli

GARBAGE = RULE_HEADER + '''
class StringRef(PythonRule):
    info = info("GRB001", "garbage")

    def check(self, ctx, out):
        out.finding("PB.04.02.01", text("x", "x"))  # a string, not an ElementRef

class BadEvidence(PythonRule):
    info = info("GRB002", "garbage")

    def check(self, ctx, out):
        ref = ctx.workspace.ref_process(ctx.workspace.processes[0])
        out.applicable(ref)
        out.finding(ref, text("x", "x"), evidence={"when": object()})  # not JSON

class Exits(PythonRule):
    info = info("GRB003", "garbage")

    def check(self, ctx, out):
        raise SystemExit(0)  # must not end the audit

@hookimpl
def probis_register_rules(register):
    register(StringRef())
    register(BadEvidence())
    register(Exits())

@hookimpl
def probis_facts(workspace, as_of):
    return [("not a dict", ElementRef("x", "process"))]

@hookimpl
def probis_report_sections(workspace, result):
    return ["not", "a", "dict"]
'''

BAD_SECTION_VALUE = '''
from probis.engine import hookimpl

@hookimpl
def probis_report_sections(workspace, result):
    return {"badsection": {"ids": {1, 2, 3}}}  # a set cannot go into the JSON report
'''

HANGS = RULE_HEADER + '''
class Spins(PythonRule):
    info = info("HNG001", "hang")

    def check(self, ctx, out):
        while True:  # a pure-Python loop: stopped by the asynchronous exception
            pass

class NeverReached(PythonRule):
    info = info("HNG002", "hang")

    def check(self, ctx, out):
        pass

@hookimpl
def probis_register_rules(register):
    register(Spins())
    register(NeverReached())
'''

SLEEPS = RULE_HEADER + '''
class Sleeps(PythonRule):
    info = info("SLP001", "sleep")

    def check(self, ctx, out):
        time.sleep(3600)  # blocked in C: cannot be stopped, only abandoned

@hookimpl
def probis_register_rules(register):
    register(Sleeps())

@hookimpl
def probis_report_sections(workspace, result):
    time.sleep(3600)
'''

# Reproduces a C-engine crash inside a real audit. durable-rules 2.0.28 segfaults in
# delete_state when none of a run's facts was handled (engine/durable_bridge.py asserts a
# sentinel fact that a sentinel rule handles for exactly that reason). This deliberately broken
# plugin swaps the compiled ruleset for one that handles nothing and lacks the sentinel rule,
# so the worker process really dies with SIGSEGV, as it would on an engine bug.
SEGFAULT = '''
import probis.engine.runner as runner
from probis.engine import hookimpl

@hookimpl
def probis_facts(workspace, as_of):
    runner.compile_ruleset = lambda rules: {"r0_0": {"all": [{"m": {"t": "never"}}], "run": "0:0"}}
    return []
'''


def _env(site: Path, plugins: str, **extra: str) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
            "PROBIS_LOAD_PLUGINS": plugins, **extra}


def _break_category(ws: Path) -> None:
    """Give the declarative REG001 (rule file, durable-rules) something to find."""
    lf = ws / "peta" / "disdukcapil" / "PB.04.02.yaml"
    lf.write_text(lf.read_text(encoding="utf-8").replace("category: inti", "category: utama"),
                  encoding="utf-8")


def _check(ws: Path, site: Path, plugins: str, **extra: str) -> tuple[int, dict, str, float]:
    t0 = time.perf_counter()
    code, out, err = run_cli("check", str(ws), "-f", "json", "--as-of", "2026-11-28",
                             env=_env(site, plugins, **extra))
    return code, json.loads(out), err, time.perf_counter() - t0


def _rules(report: dict) -> set[tuple[str, str]]:
    return {(f["rule"], f["element"]) for f in report["findings"]}


def test_garbage_and_hangs_become_eng001_and_the_rest_stands(example_workspace: Path,
                                                             tmp_path: Path) -> None:
    site = tmp_path / "site"
    plugins = {"good": GOOD, "garbage": GARBAGE, "badsection": BAD_SECTION_VALUE,
               "hangs": HANGS, "sleeps": SLEEPS}
    for name, source in plugins.items():
        make_plugin(site, f"probis-{name}", name, f"probis_{name}", source)
    _break_category(example_workspace)
    code, report, err, seconds = _check(example_workspace, site,
                                        "regulation,good,garbage,badsection,hangs,sleeps",
                                        PROBIS_RULE_TIMEOUT="1")
    assert "Traceback" not in err and code == 1, err
    eng = {f["element"]: f for f in report["engine_findings"]}
    assert {f["rule"] for f in eng.values()} == {"ENG001"}
    assert "ElementRef" in eng["garbage:GRB001"]["message"]["en"]
    assert "not JSON serializable" in eng["garbage:GRB002"]["message"]["en"]
    assert "SystemExit" in eng["garbage:GRB003"]["message"]["en"]
    assert "fact" in eng["garbage:probis_facts"]["message"]["en"]
    assert "dict" in eng["garbage:probis_report_sections"]["message"]["en"]
    assert "not JSON serializable" in eng["badsection:probis_report_sections"]["message"]["en"]
    spin = eng["hangs:HNG001"]
    assert spin["evidence"]["timed_out"] and spin["evidence"]["not_run"] == ["HNG002"]
    assert "did not finish within 1 s" in spin["message"]["en"]
    assert "`hangs`" in spin["message"]["en"]
    assert eng["sleeps:SLP001"]["evidence"]["timed_out"]
    assert eng["sleeps:probis_report_sections"]["evidence"]["timed_out"]
    assert "badsection" not in report.get("sections", {})
    # every other plugin's findings are intact: the healthy plugin, the Python rule REG008 and
    # the rule-file rule REG001 (evaluated by durable-rules with garbage facts left out)
    assert {("GOOD001", "PB.04.02.01"), ("REG008", "PB.04.02.01"),
            ("REG001", "PB.04.02.01")} <= _rules(report)
    assert not any(f["rule"].startswith(("GRB", "HNG", "SLP")) for f in report["findings"])
    # three timeouts of 1 s each, not an hour of sleeping
    assert seconds < 30


def test_durable_rules_segfault_is_eng002_and_python_rules_stand(example_workspace: Path,
                                                                tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-segv", "segv", "probis_segv", SEGFAULT)
    make_plugin(site, "probis-good", "good", "probis_good", GOOD)
    _break_category(example_workspace)
    # The crash is certain in a fresh worker as far as we have seen, but it is a memory error
    # in C: should one run survive it, its report must simply be complete; up to three runs.
    # A spawned worker: a fresh interpreter's heap, where the crash reproduces; a forked
    # worker's crash handling is tested with the signal itself (test_durable_fork.py).
    for _ in range(3):
        code, report, err, _ = _check(example_workspace, site, "regulation,segv,good",
                                      PROBIS_DURABLE_WORKER="spawn")
        assert "Traceback" not in err and code == 1, err
        if report["engine_findings"]:
            break
        assert ("REG008", "PB.04.02.01") in _rules(report)
    (eng,) = report["engine_findings"]
    assert eng["rule"] == "ENG002" and "died" in eng["message"]["en"]
    assert "REG001" in eng["evidence"]["rules"]
    rules = _rules(report)
    assert ("REG008", "PB.04.02.01") in rules and ("GOOD001", "PB.04.02.01") in rules
    assert not any(rule == "REG001" for rule, _ in rules)  # lost with the engine, and said so


def test_bridge_recovers_after_a_worker_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_DURABLE_WORKER", "spawn")  # the crash reproduces in a fresh one
    unhandled = {"r0_0": {"all": [{"m": {"t": "never"}}], "run": "0:0"}}  # no sentinel rule
    facts = [{"t": "x", "n": i, "unit": f"u{i % 7}"} for i in range(10)]
    # the crash is certain in a fresh worker; one that served other rulesets may survive it
    # (an earlier test's forked worker, too, would be used before a spawned one)
    durable_bridge.shutdown()
    with pytest.raises(BridgeError, match="died"):
        run_ruleset(unhandled, facts, 60)
    simple = {"r0_0": {"all": [{"m": {"$and": [{"t": "x"}, {"unit": "u1"}]}}], "run": "0:0"},
              "probis_sentinel": {"all": [{"m": {"t": "__probis_sentinel__"}}],
                                  "run": "probis_sentinel"}}
    try:
        assert run_ruleset(simple, facts, 60) == [(0, 0, 1), (0, 0, 8)]
    finally:  # the spawned pool's thread would keep later tests in this process from forking
        durable_bridge.shutdown()


# an abandoned sleep outlasts its 0.2 s limit by far, and still ends soon after its test: a
# thread left running keeps later tests in this process from forking (engine/ordered_fork.py)
_ABANDONED_SLEEP = 3


def _plugin_threads(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"probis-plugin:{name}"]


def test_guarded_call_in_the_main_thread_stops_loops_and_sleeps_in_place() -> None:
    before = signal.getsignal(signal.SIGALRM)
    t0 = time.perf_counter()
    spin = call_guarded(lambda: [None for _ in iter(int, 1)], 0.2, "spin")
    assert spin.timed_out and "within 0.2 s" in spin.error
    sleep = call_guarded(lambda: time.sleep(30), 0.2, "sleep")
    assert sleep.timed_out  # the signal interrupts the sleep: nothing is left running
    assert time.perf_counter() - t0 < 3
    assert not _plugin_threads("spin") and not _plugin_threads("sleep")
    assert call_guarded(lambda: 42, 1, "ok").value == 42
    failed = call_guarded(lambda: 1 / 0, 1, "fail")
    assert failed.error.startswith("ZeroDivisionError") and failed.traceback
    exited = call_guarded(lambda: sys.exit(3), 1, "exit")
    assert exited.error == "SystemExit: 3"
    # the timer and the handler are put back: a later alarm is not swallowed or fatal
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with pytest.raises(KeyboardInterrupt):  # the user's Ctrl-C still stops the audit
        call_guarded(_interrupt, 1, "ctrl-c")


def _interrupt() -> None:
    raise KeyboardInterrupt


def test_guarded_call_a_nested_call_gets_its_own_limit() -> None:
    def outer() -> tuple[bool, float]:
        inner = call_guarded(lambda: time.sleep(_ABANDONED_SLEEP), 0.2, "inner")
        return inner.timed_out, time.perf_counter()

    t0 = time.perf_counter()
    outcome = call_guarded(outer, 5, "outer")
    assert outcome.ok and outcome.value[0] and outcome.value[1] - t0 < 3


def test_guarded_call_outside_the_main_thread_abandons_a_sleep_in_a_daemon_thread() -> None:
    box: dict[str, object] = {}
    helper = threading.Thread(target=lambda: box.update(
        spin=call_guarded(lambda: [None for _ in iter(int, 1)], 0.2, "spin-t"),
        sleep=call_guarded(lambda: time.sleep(_ABANDONED_SLEEP), 0.2, "sleep-t"),
        ok=call_guarded(lambda: 42, 1, "ok-t")))
    helper.start()
    helper.join(10)
    assert box["spin"].timed_out and box["sleep"].timed_out and box["ok"].value == 42
    time.sleep(0.2)
    assert not any(t.is_alive() for t in _plugin_threads("spin-t"))  # stopped
    sleepers = _plugin_threads("sleep-t")  # still in C: abandoned, dies with the process
    assert sleepers and all(t.daemon for t in sleepers)


@pytest.mark.parametrize("how", ["env", "handler"])
def test_guarded_call_leaves_sigalrm_alone_when_asked_or_in_use(
        how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    alarms: list[int] = []
    if how == "env":
        monkeypatch.setenv("PROBIS_PLUGIN_GUARD", "thread")
    else:
        previous = signal.signal(signal.SIGALRM, lambda signum, frame: alarms.append(signum))
    try:
        sleep = call_guarded(lambda: time.sleep(_ABANDONED_SLEEP), 0.2, f"sleep-{how}")
        assert sleep.timed_out and _plugin_threads(f"sleep-{how}")  # the thread way
        if how == "handler":
            signal.setitimer(signal.ITIMER_REAL, 0.01)
            time.sleep(0.2)
            assert alarms == [signal.SIGALRM]  # the other user's handler still gets it
    finally:
        if how == "handler":
            signal.signal(signal.SIGALRM, previous)


EXITS_ON_IMPORT = "import sys\nsys.exit(3)\n"

HANGS_ON_REGISTER = '''
import time
from probis.engine import hookimpl

@hookimpl
def probis_register_rules(register):
    time.sleep(3600)
'''

RAISING_RENDERER = '''
from probis.engine import hookimpl

def render(report, lang="id", section_renderer=None):
    raise RuntimeError("renderer bug")

@hookimpl
def probis_register_renderers(register):
    register("broken", render)
'''


def test_import_exit_and_hanging_registration_are_eng001(example_workspace: Path,
                                                         tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-exits", "exits", "probis_exits", EXITS_ON_IMPORT)
    make_plugin(site, "probis-stuck", "stuck", "probis_stuck", HANGS_ON_REGISTER)
    make_plugin(site, "probis-good", "good", "probis_good", GOOD)
    code, report, err, seconds = _check(example_workspace, site, "exits,stuck,good",
                                        PROBIS_RULE_TIMEOUT="1")
    assert code == 1 and "Traceback" not in err, err
    eng = {f["element"]: f["message"]["en"] for f in report["engine_findings"]}
    assert "SystemExit" in eng["exits"]
    assert "did not finish" in eng["stuck"]
    assert ("GOOD001", "PB.04.02.01") in _rules(report)
    assert seconds < 30


def test_raising_renderer_is_a_clean_error(example_workspace: Path, tmp_path: Path) -> None:
    site = make_plugin(tmp_path / "site", "probis-broken", "broken", "probis_broken",
                       RAISING_RENDERER)
    target = tmp_path / "r.txt"
    target.write_text("old", encoding="utf-8")
    code, _, err = run_cli("check", str(example_workspace), "-f", "broken", "-o", str(target),
                           env=_env(site, "broken"))
    assert code == 3 and "Traceback" not in err
    assert "`broken`" in err and "renderer bug" in err
    assert target.read_text(encoding="utf-8") == "old"
