"""Facts numbered for one rule-file evaluation, in groups.

A fact goes to durable-rules with its number ``n`` (its index in the batch), by which a match
finds its way back to the fact's element reference; the group of a fact says which block of
results (one map, or everything outside maps) the match belongs to. A full run adds all its
facts as one group; a cached run and a delta re-evaluation add one group per map they
evaluate afresh (engine/incremental/).
"""

from __future__ import annotations

from collections.abc import Iterable

from .facts import Fact
from .findings import ElementRef

FactRef = tuple[Fact, ElementRef]


class FactBatch:
    """``facts[n]`` has ``fact["n"] == n``, its element ``refs[n]`` and its group ``groups[n]``."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self.refs: list[ElementRef] = []
        self.groups: list[int] = []
        self.n_groups = 0

    def add(self, pairs: Iterable[FactRef]) -> int:
        """Number the facts of ``pairs`` and add them as the next group; returns their count."""
        facts, refs, groups = self.facts, self.refs, self.groups
        group, start = self.n_groups, len(facts)
        for fact, ref in pairs:
            fact["n"] = len(facts)
            facts.append(fact)
            refs.append(ref)
            groups.append(group)
        self.n_groups += 1
        return len(facts) - start
