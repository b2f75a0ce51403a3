"""probis's FLW rules agree with bpmnlint on bpmnlint's own fixtures (tests/corpora/bpmnlint).

Agreement means: a fixture bpmnlint finds invalid for a rule is invalid for the FLW rule that
answers the same question, a valid one is valid, and both point at the same BPMN elements.
The deliberate differences are listed here and in docs/bpmn.md; the test also checks that
each listed difference still exists, so the list cannot go stale.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .bpmnlint_agreement import PROJECTIONS, fixtures, run

# probis reports, bpmnlint does not (why: docs/bpmn.md, "Deliberate differences")
DIFFERENT_VERDICT = {
    "no-duplicate-sequence-flows/valid.bpmn": "FLW006 compares from/to only; bpmnlint also "
                                              "compares the conditions",
    "no-implicit-start/valid.bpmn": "a link catch event that no link throw leads to is "
                                    "unreachable in probis",
    "single-blank-start-event/valid-scopes.bpmn": "pools of one file form one map with two "
                                                  "starts",
    "single-blank-start-event/valid-typed-sub-process.bpmn": "FLW001 wants exactly one start, "
                                                             "typed or not",
    "single-blank-start-event/valid-typed.bpmn": "FLW001 wants exactly one start, typed or not",
}
# same verdict, different element: FLW001 reports the map where FLW002 cannot define reachability
DIFFERENT_ELEMENT = {"no-disconnected/invalid.bpmn"}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    return run(Path(tmp_path_factory.mktemp("bpmnlint")))


def test_every_mapped_rule_has_fixtures() -> None:
    rules = {key.split("/")[0] for key in fixtures()}
    assert rules == set(PROJECTIONS)
    assert len(fixtures()) >= 40


@pytest.mark.parametrize("fixture", sorted(fixtures()))
def test_agreement(outcome: dict[str, dict[str, list[str]]], fixture: str) -> None:
    got = outcome[fixture]
    if fixture in DIFFERENT_VERDICT:
        assert not got["bpmnlint"] and got["probis"], f"difference gone: {fixture} {got}"
        return
    assert bool(got["bpmnlint"]) == bool(got["probis"]), got
    if fixture in DIFFERENT_ELEMENT:
        assert got["bpmnlint"] != got["probis"], f"difference gone: {fixture} {got}"
    else:
        assert got["bpmnlint"] == got["probis"], got


def test_agreement_rate(outcome: dict[str, dict[str, list[str]]]) -> None:
    same = sum(1 for v in outcome.values() if v["bpmnlint"] == v["probis"])
    assert same == len(outcome) - len(DIFFERENT_VERDICT) - len(DIFFERENT_ELEMENT)
