"""The worked example of docs/scoring.md, computed by engine/scoring.py."""

from __future__ import annotations

from probis.engine.scoring import compute, grade


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
