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


def _one_rule_payload() -> str:
    rule = DeclarativeRule(
        info=RuleInfo(id="T1", rule_set="t", severity="info", title={}, checks={}, basis={},
                      rationale={}, fix={}, applies_to="x"),
        applies_if=None, cases=(Case({"a": 1}, {"id": "", "en": ""}),))
    return json.dumps(compile_ruleset([rule]), sort_keys=True)


def test_every_run_gets_a_fresh_host() -> None:
    # a host that served a run may still hold that run's state, whose pending actions the
    # engine would hand to the next run
    payload = _one_rule_payload()
    facts = [{"t": "x", "n": i, "a": i % 2} for i in range(50)]
    first = durable_worker._evaluate(payload, facts)
    host = next(iter(durable_worker._hosts.values()))
    second = durable_worker._evaluate(payload, facts)
    assert first == second == [(0, 0, i) for i in range(1, 50, 2)]
    assert all(h is not host for h in durable_worker._hosts.values())


def test_a_fact_reported_as_already_observed_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    import durable.engine

    payload = _one_rule_payload()
    facts = [{"t": "x", "n": i, "a": 1} for i in range(5)]
    real = durable.engine.Host.assert_facts
    calls: list[int] = []

    def flaky(self, name, messages):  # noqa: ANN001, ANN202
        calls.append(1)
        if len(calls) == 1:
            raise durable.engine.MessageObservedException(messages[:1])
        return real(self, name, messages)

    monkeypatch.setattr(durable.engine.Host, "assert_facts", flaky)
    assert durable_worker._evaluate(payload, facts) == [(0, 0, i) for i in range(5)]
    assert len(calls) == 2  # the second, clean attempt gave the result

    def always(self, name, messages):  # noqa: ANN001, ANN202
        raise durable.engine.MessageObservedException(messages[:1])

    monkeypatch.setattr(durable.engine.Host, "assert_facts", always)
    with pytest.raises(durable_worker._Incomplete, match="already observed"):
        durable_worker._evaluate(payload, facts)


def test_facts_go_in_bounded_sessions_with_the_same_matches(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Large runs are cut into sessions (the engine refused distinct facts as "already
    observed" in a session of 220,000); a rule file matches one fact at a time, so the
    matches are those of one session, and a session is retried alone."""
    import durable.engine

    payload = _one_rule_payload()
    facts = [{"t": "x", "n": i, "a": i % 3 == 0} for i in range(23)]
    one_session = durable_worker._evaluate(payload, facts)
    monkeypatch.setattr(durable_worker, "SESSION_FACTS", 5)
    real = durable.engine.Host.assert_facts
    sessions: list[list[int]] = []

    def counted(self, name, messages):  # noqa: ANN001, ANN202
        numbers = [m["n"] for m in messages if m["n"] >= 0]
        sessions.append(numbers)
        if len(sessions) == 2:  # the second session is refused once, then retried alone
            raise durable.engine.MessageObservedException(messages[:1])
        return real(self, name, messages)

    monkeypatch.setattr(durable.engine.Host, "assert_facts", counted)
    assert durable_worker._evaluate(payload, facts) == one_session
    assert one_session == [(0, 0, i) for i in range(0, 23, 3)]
    assert [len(s) for s in sessions] == [5, 5, 5, 5, 5, 3]  # the second one twice
    assert sessions[1] == sessions[2] == [5, 6, 7, 8, 9]
