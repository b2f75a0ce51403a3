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
from dataclasses import dataclass, field, replace
from itertools import chain

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
    # how many tally keys add to this cell: a scope exists while some key names it, even one
    # whose checks were all waived (a delta re-evaluation, engine/incremental/delta.py, drops
    # it at 0)
    keys: int = field(default=0, repr=False)

    def add(self, severity: str, applicable: int, failed: int, sign: int = 1) -> None:
        """Add one tally key's checks (``sign`` -1: take them away again)."""
        w = WEIGHTS[severity] * sign
        self.applicable += applicable * sign
        self.failed += failed * sign
        self.weight_applicable += w * applicable
        self.weight_failed += w * failed
        self.keys += sign

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
    keys: list[TallyKey] = []  # one per failed check, counted by Counter in C at the end
    for f in findings:
        ref = f.ref
        check = (f.rule, ref.kind, ref.element)
        if check in seen:
            continue
        seen.add(check)
        keys.append((f.rule, f.severity, ref.map, ref.unit))
    return Counter(keys)


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
    # per (rule, severity), (unit, severity) and (map, severity): [applicable, failed, keys],
    # summed in one loop; the cells then add a few hundred sums instead of one call per key
    # per scope (what _add_key does, tens of thousands of times in a finding-heavy workspace)
    per_rule: dict[tuple[str, str], list[int]] = {}
    per_unit: dict[tuple[str | None, str], list[int]] = {}
    per_map: dict[tuple[str | None, str], list[int]] = {}
    failed_of = failed.get
    for key, n_applicable in chain(applicable.items(),
                                   [(k, 0) for k in failed if k not in applicable]):
        rule, severity, map_code, unit = key
        n_failed = failed_of(key, 0)
        if n_applicable < n_failed:
            n_applicable = n_failed
        # written out three times: a loop over the three dicts costs a third more
        total = per_rule.get((rule, severity))
        if total is None:
            per_rule[(rule, severity)] = [n_applicable, n_failed, 1]
        else:
            total[0] += n_applicable
            total[1] += n_failed
            total[2] += 1
        total = per_unit.get((unit, severity))
        if total is None:
            per_unit[(unit, severity)] = [n_applicable, n_failed, 1]
        else:
            total[0] += n_applicable
            total[1] += n_failed
            total[2] += 1
        total = per_map.get((map_code, severity))
        if total is None:
            per_map[(map_code, severity)] = [n_applicable, n_failed, 1]
        else:
            total[0] += n_applicable
            total[1] += n_failed
            total[2] += 1
    scores = Scores(ScoreCell(), {}, {}, {}, {})
    for (rule, severity), total in per_rule.items():
        _add_sum(scores.workspace, severity, total)
        for scope, name in ((scores.by_rule_set, rule_set_of.get(rule, "?")),
                            (scores.by_rule, rule)):
            _add_sum(scope.setdefault(name, ScoreCell()), severity, total)
    for scope, sums in ((scores.by_unit, per_unit), (scores.by_map, per_map)):
        for (name, severity), total in sums.items():
            if name is not None:
                _add_sum(scope.setdefault(name, ScoreCell()), severity, total)
    return _sorted(scores)


def _add_sum(cell: ScoreCell, severity: str, total: list[int]) -> None:
    """Add ``total`` ([applicable, failed, keys] of one severity) to ``cell``."""
    cell.add(severity, total[0], total[1])
    cell.keys += total[2] - 1


def rescore(scores: Scores, touched: Iterable[TallyKey],
            before: tuple[Mapping[TallyKey, int], Mapping[TallyKey, int]],
            after: tuple[Mapping[TallyKey, int], Mapping[TallyKey, int]],
            rule_set_of: Mapping[str, str]) -> Scores:
    """``compute(*after)`` from ``scores`` = ``compute(*before)`` when the two tallies
    (applicable, failed) differ only at ``touched`` keys: a score is a sum over keys, so each
    touched key's old contribution is taken away and its new one added. ``scores`` is left
    as it was (a cell is copied before it changes)."""
    out = Scores(replace(scores.workspace), dict(scores.by_unit), dict(scores.by_map),
                 dict(scores.by_rule_set), dict(scores.by_rule))
    shared = {id(cell) for scope in (scores.by_unit, scores.by_map, scores.by_rule_set,
                                     scores.by_rule) for cell in scope.values()}
    for key in touched:
        for sign, (applicable, failed) in ((-1, before), (1, after)):
            if key in applicable or key in failed:
                _add_key(out, key, applicable, failed, rule_set_of, sign, shared)
    for scope in (out.by_unit, out.by_map, out.by_rule_set, out.by_rule):
        for name in [name for name, cell in scope.items() if cell.keys == 0]:
            del scope[name]
    return _sorted(out)


def _add_key(scores: Scores, key: TallyKey, applicable: Mapping[TallyKey, int],
             failed: Mapping[TallyKey, int], rule_set_of: Mapping[str, str], sign: int = 1,
             shared: set[int] | None = None) -> None:
    """Add one key's checks to every scope it counts in (``sign`` -1: take them away);
    a cell whose id is in ``shared`` belongs to other scores and is copied first."""
    rule, severity, map_code, unit = key
    n_failed = failed.get(key, 0)
    n_applicable = max(applicable.get(key, 0), n_failed)
    scores.workspace.add(severity, n_applicable, n_failed, sign)
    for scope, name in ((scores.by_rule_set, rule_set_of.get(rule, "?")), (scores.by_rule, rule),
                        (scores.by_unit, unit), (scores.by_map, map_code)):
        if name is None:
            continue
        cell = scope.get(name)
        if cell is None:
            cell = scope[name] = ScoreCell()
        elif shared is not None and id(cell) in shared:
            cell = scope[name] = replace(cell)
        cell.add(severity, n_applicable, n_failed, sign)


def _sorted(scores: Scores) -> Scores:
    """Each scope's cells in name order (whatever order the keys came in)."""
    return Scores(scores.workspace, *(dict(sorted(scope.items())) for scope in
                                      (scores.by_unit, scores.by_map, scores.by_rule_set,
                                       scores.by_rule)))
