"""The worked example of docs/scoring.md, computed by engine/scoring.py."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from probis.engine.scoring import ScoreCell, Scores, compute, grade, rescore


def _score(applicable: dict, failed: dict) -> float:
    return compute(applicable, failed, {"REG001": "regulation", "REG005": "regulation",
                                        "REG006": "regulation"}).workspace.score


def test_worked_example() -> None:
    applicable = {("REG001", "error", "PB.04", "disdukcapil"): 4,
                  ("REG005", "error", "PB.04", "disdukcapil"): 4,
                  ("REG006", "warning", "PB.04", "disdukcapil"): 4}
    failed = {("REG001", "error", "PB.04", "disdukcapil"): 1,
              ("REG006", "warning", "PB.04", "disdukcapil"): 2}
    scores = compute(applicable, failed, {"REG001": "regulation", "REG005": "regulation",
                                          "REG006": "regulation"})
    assert scores.workspace.score == 82.6
    assert scores.by_unit["disdukcapil"].score == 82.6
    assert scores.by_map["PB.04"].applicable == 12 and scores.by_map["PB.04"].failed == 3
    assert grade(82.6) == "B"
    # one REG006 finding waived: its check leaves both sides
    applicable[("REG006", "warning", "PB.04", "disdukcapil")] = 3
    failed[("REG006", "warning", "PB.04", "disdukcapil")] = 1
    assert _score(applicable, failed) == 85.4
    # REG006 off: gone from both sides
    del applicable[("REG006", "warning", "PB.04", "disdukcapil")]
    del failed[("REG006", "warning", "PB.04", "disdukcapil")]
    assert _score(applicable, failed) == 87.5


def test_nothing_applicable_scores_100() -> None:
    assert compute({}, {}, {}).workspace.score == 100.0


tally_keys = st.tuples(st.sampled_from(["REG001", "REG005", "ALN002", "OVL001"]),
                       st.sampled_from(["error", "warning", "info"]),
                       st.sampled_from([None, "PB.01", "PB.02", "PB.02.01"]),
                       st.sampled_from([None, "bapenda", "dinkes"]))
tallies = st.dictionaries(tally_keys, st.integers(min_value=0, max_value=40), max_size=30)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(tallies, tallies)
def test_compute_is_the_sum_of_each_keys_checks(applicable: dict, failed: dict) -> None:
    """compute sums per scope and severity first; the reference adds one key at a time to
    every scope it counts in (rescore from nothing), as the definition says."""
    rule_set_of = {"REG001": "regulation", "REG005": "regulation", "ALN002": "alignment"}
    empty = Scores(ScoreCell(), {}, {}, {}, {})
    expected = rescore(empty, set(applicable) | set(failed), ({}, {}), (applicable, failed),
                       rule_set_of)
    got = compute(applicable, failed, rule_set_of)
    assert got == expected
    for scope in ("by_unit", "by_map", "by_rule_set", "by_rule"):
        assert list(getattr(got, scope)) == list(getattr(expected, scope))
        assert [c.keys for c in getattr(got, scope).values()] == [
            c.keys for c in getattr(expected, scope).values()]
    assert got.workspace.keys == expected.workspace.keys == len(set(applicable) | set(failed))
