"""Scores: weighted share of applicable checks that pass (docs/scoring.md has a worked example).

An applicable check is one rule applied to one element. Each check weighs by the severity it
is evaluated at: error 10, warning 3, info 1 (in the spirit of XCCDF's weighted default
model). For any scope (the workspace, one unit, one map, one rule set):

    score = 100 × (1 − failed weight / applicable weight),  rounded to one decimal

and 100 when the scope has no applicable check. A check fails when at least one active
(not waived) finding concerns its element. Waived checks and checks of rules set to ``off``
count on neither side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .findings import Finding

WEIGHTS: dict[str, int] = {"error": 10, "warning": 3, "info": 1}
GRADES: tuple[tuple[float, str], ...] = ((90.0, "A"), (80.0, "B"), (70.0, "C"), (60.0, "D"))

# (rule id, severity, map code, unit id) -> number of checks
TallyKey = tuple[str, str, str | None, str | None]


@dataclass
class ScoreCell:
    applicable: int = 0
    failed: int = 0
    weight_applicable: int = 0
    weight_failed: int = 0

    def add(self, severity: str, applicable: int, failed: int) -> None:
        w = WEIGHTS[severity]
        self.applicable += applicable
        self.failed += failed
        self.weight_applicable += w * applicable
        self.weight_failed += w * failed

    @property
    def score(self) -> float:
        if self.weight_applicable == 0:
            return 100.0
        return round(100.0 * (1 - self.weight_failed / self.weight_applicable), 1)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "score": self.score,
            "applicable": self.applicable,
            "failed": self.failed,
            "passed": self.applicable - self.failed,
        }


def grade(score: float) -> str:
    for threshold, letter in GRADES:
        if score >= threshold:
            return letter
    return "E"


def failed_tally(findings: Iterable[Finding]) -> Counter[TallyKey]:
    """Distinct failed checks per key: several findings on one element fail one check."""
    seen: set[tuple[str, str, str]] = set()
    out: Counter[TallyKey] = Counter()
    for f in findings:
        check = (f.rule, f.ref.kind, f.ref.element)
        if check in seen:
            continue
        seen.add(check)
        out[(f.rule, f.severity, f.ref.map, f.ref.unit)] += 1
    return out


@dataclass
class Scores:
    workspace: ScoreCell
    by_unit: dict[str, ScoreCell]
    by_map: dict[str, ScoreCell]
    by_rule_set: dict[str, ScoreCell]
    by_rule: dict[str, ScoreCell]


def compute(
    applicable: Mapping[TallyKey, int],
    failed: Mapping[TallyKey, int],
    rule_set_of: Mapping[str, str],
) -> Scores:
    scores = Scores(ScoreCell(), {}, {}, {}, {})
    by_unit, by_map, by_rule_set, by_rule = (scores.by_unit, scores.by_map, scores.by_rule_set,
                                             scores.by_rule)
    keys = set(applicable)
    keys.update(failed)
    # the order of the keys fixes the order of the scopes' dicts; str() because units and
    # map codes may be None
    for key in sorted(keys, key=_order):
        rule, severity, map_code, unit = key
        n_failed = failed.get(key, 0)
        n_applicable = max(applicable.get(key, 0), n_failed)
        scores.workspace.add(severity, n_applicable, n_failed)
        if unit is not None:
            cell = by_unit.get(unit)
            if cell is None:
                cell = by_unit[unit] = ScoreCell()
            cell.add(severity, n_applicable, n_failed)
        if map_code is not None:
            cell = by_map.get(map_code)
            if cell is None:
                cell = by_map[map_code] = ScoreCell()
            cell.add(severity, n_applicable, n_failed)
        rule_set = rule_set_of.get(rule, "?")
        by_rule_set.setdefault(rule_set, ScoreCell()).add(severity, n_applicable, n_failed)
        by_rule.setdefault(rule, ScoreCell()).add(severity, n_applicable, n_failed)
    return scores


def _order(key: TallyKey) -> tuple[str, str, str, str]:
    rule, severity, map_code, unit = key
    return (str(rule), str(severity), str(map_code), str(unit))
