"""The bridge refuses a run that durable-rules left incomplete instead of returning it."""

from __future__ import annotations

import json

import pytest
from probis.engine import durable_bridge, durable_worker
from probis.engine.durable_bridge import compile_ruleset
from probis.engine.rule import Case, DeclarativeRule, RuleInfo


class _StrayAppender:
    """Stands for an engine that delivers, besides this run's action, one of an earlier run."""

    def __init__(self, target: list) -> None:
        self.target = target

    def append(self, item: tuple) -> None:
        self.target.append(item)
        self.target.append((item[0], item[1], 999))


class _Slots(list):
    def __getitem__(self, index):  # noqa: ANN001, ANN204
        return _StrayAppender(super().__getitem__(index))


def test_stray_match_is_an_error_after_the_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = DeclarativeRule(
        info=RuleInfo(id="T1", rule_set="t", severity="info", title={}, checks={}, basis={},
                      rationale={}, fix={}, applies_to="x"),
        applies_if=None, cases=(Case({"a": 1}, {"id": "", "en": ""}),))
    payload = json.dumps(compile_ruleset([rule]), sort_keys=True)
    facts = [{"t": "x", "n": 0, "a": 1}, {"t": "x", "n": 1, "a": 2}]
    assert durable_bridge._evaluate(payload, facts) == [(0, 0, 0)]  # in-process, clean
    monkeypatch.setattr(durable_worker, "_current", _Slots([[]]))
    with pytest.raises(durable_worker._Incomplete, match="1 stray"):
        durable_bridge._evaluate(payload, facts)
