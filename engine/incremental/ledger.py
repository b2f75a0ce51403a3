"""What a result keeps so that it can be re-evaluated by difference (delta.py).

A full evaluation sums thousands of per-map results into one sorted list of findings and one
tally of checks. Re-evaluating after a change that touches a few maps should not redo those
sums: the ledger keeps each rule's raw result per map (the blocks of the run's cache record),
the tallies the scores came from, and the sort keys of the findings, so a delta run takes
away the blocks it replaces and adds their new versions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..scoring import TallyKey
from .cache import RunRecord

SortKey = tuple[Any, ...]


@dataclass
class Ledger:
    record: RunRecord  # raw results per (rule, map index or None)
    references: list[tuple[list[str], list[str]]]  # units and plan ids each map refers to
    raw_applicable: Counter[TallyKey]  # after profile overrides, before waivers
    waived_failed: Counter[TallyKey]  # distinct checks of waived findings
    failed: Counter[TallyKey]  # distinct checks of active findings
    active_keys: list[SortKey]  # Finding.sort_key of each active finding, in order
    waiver_use: Counter[tuple[str, str]]  # findings matched per waiver (rule, element)
