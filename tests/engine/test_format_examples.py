"""Every example of format v1 (../shared/format.md, vendored in tests/corpora/format-v1) loads
unchanged."""

from __future__ import annotations

from format_examples import format_examples
from probis.engine.loader import load_workspace
from probis.engine.model import CORE_KINDS
from probis.engine.runner import audit
from testkit import AS_OF


def test_format_md_has_an_example_of_every_core_kind() -> None:
    assert set(format_examples()) == set(CORE_KINDS)


def test_every_example_loads_without_input_error(example_workspace) -> None:
    ws = load_workspace(example_workspace)
    assert ws.input_errors == []
    assert {d.kind for d in ws.docs} == set(CORE_KINDS)
    assert ws.sotk is not None and ws.sotk.id == "sotk-2025"
    assert ws.rpjmd is not None and ws.rpjmd.id == "rpjmd-2025-2029"
    assert [p.process.code for p in ws.processes] == ["PB.04.02.01"]
    assert ws.lf_by_process["PB.04.02.01"][0].lf.steps[0].id == "s1"
    # `REG012: off` is read by YAML 1.1 as false; it must mean "off"
    assert ws.manifest is not None and ws.manifest.profile.rules["REG012"] == "off"


def test_example_workspace_audits(example_workspace, only_plugins) -> None:
    only_plugins("regulation")
    result = audit(example_workspace, as_of=AS_OF)
    assert result.engine_findings == []
    assert result.scores.workspace.applicable > 0
