"""The progress callback of load and evaluation, and the terminal bar that uses it."""

from __future__ import annotations

import io
from pathlib import Path

from probis.engine.progress import TerminalProgress
from probis.engine.runner import audit

from .conftest import AS_OF


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_audit_reports_loading_and_evaluation(report_workspace: Path, only_plugins) -> None:
    only_plugins("regulation")
    calls: list[tuple[str, int, int]] = []
    result = audit(report_workspace, as_of=AS_OF, progress=lambda *a: calls.append(a))
    loads = [c for c in calls if c[0] == "load"]
    evals = [c for c in calls if c[0] == "evaluate"]
    files = len(result.workspace.docs) + len({e.file for e in result.input_errors})
    assert [c[1] for c in loads] == list(range(1, len(loads) + 1))
    assert loads[-1][1] == loads[-1][2] == files
    enabled = [rid for rid in result.registry.rules if result.settings.get(rid) != "off"]
    assert evals and evals[-1][1] == evals[-1][2] == len(enabled)
    assert [c[1] for c in evals] == sorted(c[1] for c in evals)


def test_bar_draws_on_a_terminal_and_erases_itself() -> None:
    stream = _Tty()
    bar = TerminalProgress(stream, "en", width=10, delay=0)
    bar("load", 5, 10)
    assert "Loading files" in stream.getvalue() and "[#####.....] 5/10" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_bar_stays_quiet_for_short_runs_and_off_terminals() -> None:
    clock = iter([0.0, 0.1, 0.2]).__next__
    stream = _Tty()
    bar = TerminalProgress(stream, "id", delay=0.5, clock=clock)
    bar("load", 1, 2)
    bar.close()
    assert stream.getvalue() == ""
    assert not TerminalProgress.wanted(io.StringIO())
    assert TerminalProgress.wanted(_Tty())
