"""Shared view of one cross-functional map for the FLW rules: element refs and the step graph.

Element ids are ``<process>#<step id>`` for steps and ``<process>#<from>-><to>`` for flows,
the same form the core facts use for steps and lanes, so a waiver written for one rule's
finding reads the same for the others.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from probis.engine.findings import ElementRef
from probis.engine.model import Flow, Step
from probis.engine.workspace import LfEntry, Workspace


def step_ref(ws: Workspace, entry: LfEntry, step: Step) -> ElementRef:
    return ws.ref_lf(entry, f"{entry.lf.process}#{step.id}", "step", step.line)


def flow_ref(ws: Workspace, entry: LfEntry, flow: Flow) -> ElementRef:
    return ws.ref_lf(entry, f"{entry.lf.process}#{flow.from_}->{flow.to}", "flow", flow.line)


@dataclass
class StepGraph:
    """Steps by id (first occurrence wins) and the flows between steps that exist."""

    steps: dict[str, Step] = field(default_factory=dict)
    out: dict[str, list[Flow]] = field(default_factory=lambda: defaultdict(list))
    into: dict[str, list[Flow]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, entry: LfEntry) -> StepGraph:
        graph = cls()
        for step in entry.lf.steps:
            graph.steps.setdefault(step.id, step)
        for flow in entry.lf.flows:
            # a flow to or from a step that does not exist is FLW004's finding, not an edge
            if flow.from_ in graph.steps and flow.to in graph.steps:
                graph.out[flow.from_].append(flow)
                graph.into[flow.to].append(flow)
        return graph

    def reach(self, sources: list[str], forward: bool = True) -> set[str]:
        """Step ids reachable from ``sources`` (following flows backwards when not forward)."""
        seen = set(sources)
        stack = list(sources)
        while stack:
            current = stack.pop()
            edges = self.out[current] if forward else self.into[current]
            for flow in edges:
                nxt = flow.to if forward else flow.from_
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    def of_type(self, step_type: str) -> list[str]:
        return [sid for sid, step in self.steps.items() if step.type == step_type]
