"""The rows of an SOP flowchart read off a cross-functional map: steps in flow order.

Flow order is the topological order of the flows with the loops' back edges left out, ties
broken by the order the steps are written; a step no flow reaches comes last, in written
order. Shared by the drafts (``draft``) and the SOP–map consistency rule (``consistency``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from probis.engine.model import CrossFunctionalMap, Lane, Step


@dataclass
class MapRow:
    """One map step as an SOP row: its position, lane and where its flows go."""

    number: int  # 1-based row number in flow order
    step: Step
    lane: Lane | None
    next: list[str] = field(default_factory=list)  # ids of the steps the flows lead to
    labels: dict[str, str] = field(default_factory=dict)  # target step id -> flow label


def _back_edges(steps: list[str], succ: dict[str, list[str]], starts: list[str]
                ) -> set[tuple[str, str]]:
    """Flows that close a loop (to a step still on the depth-first path)."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for root in [*starts, *steps]:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(succ[node]):
                stack[-1] = (node, i + 1)
                nxt = succ[node][i]
                if state.get(nxt) == 1:
                    back.add((node, nxt))
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    return back


def flow_order(lf: CrossFunctionalMap) -> list[MapRow]:
    """Every step of ``lf`` once, in flow order (see the module docstring)."""
    order = [s.id for s in lf.steps]
    by_id = {s.id: s for s in lf.steps}
    position = {sid: i for i, sid in enumerate(order)}
    succ: dict[str, list[str]] = {sid: [] for sid in order}
    labels: dict[str, dict[str, str]] = {sid: {} for sid in order}
    for flow in lf.flows:
        if flow.from_ in by_id and flow.to in by_id and flow.to not in succ[flow.from_]:
            succ[flow.from_].append(flow.to)
            if flow.label is not None:
                labels[flow.from_][flow.to] = str(flow.label)
    starts = [s.id for s in lf.steps if s.type == "start"]
    back = _back_edges(order, succ, starts)
    indegree = {sid: 0 for sid in order}
    for src, targets in succ.items():
        for dst in targets:
            if (src, dst) not in back:
                indegree[dst] += 1
    ready = sorted((sid for sid in order if indegree[sid] == 0 and by_id[sid].type == "start"),
                   key=position.__getitem__)
    done: list[str] = []
    seen: set[str] = set()
    while ready:
        sid = ready.pop(0)
        if sid in seen:
            continue
        seen.add(sid)
        done.append(sid)
        for dst in succ[sid]:
            if (sid, dst) in back:
                continue
            indegree[dst] -= 1
            if indegree[dst] == 0:
                ready.append(dst)
                ready.sort(key=position.__getitem__)
    done += [sid for sid in order if sid not in seen]  # not reached from a start
    lanes = {lane.id: lane for lane in lf.lanes}
    return [MapRow(n, by_id[sid], lanes.get(by_id[sid].lane or ""), list(succ[sid]),
                   labels[sid]) for n, sid in enumerate(done, start=1)]


def precedes(by_id: dict[str, MapRow], first: str, then: str) -> bool:
    """The map's flows lead from step ``first`` to step ``then`` (forward flows only: a loop
    back does not make a later step come first)."""
    stack, seen = [first], {first}
    while stack:
        row = by_id[stack.pop()]
        for nxt in row.next:
            target = by_id.get(nxt)
            if target is None or target.number <= row.number or nxt in seen:
                continue
            if nxt == then:
                return True
            seen.add(nxt)
            stack.append(nxt)
    return False


NEGATIVE_WORDS = ("tidak", "belum", "bukan", "tak", "gagal", "ditolak", "no", "not")


def _negative(label: str) -> bool:
    """A branch label that says no: "Tidak sah", "Belum lengkap", "Ditolak", "No"."""
    words = label.strip().lower().split()
    return bool(words) and (words[0] in NEGATIVE_WORDS or words[0] in ("t", "n") and
                            len(words) == 1)


def branch(row: MapRow, yes: bool) -> str | None:
    """The step a decision's yes (``Ya``) or no (``Tidak``) flow leads to: by its label (a label
    that starts with a negative word, "Tidak sah", marks the no branch, and the other flow is
    then the yes branch, whatever its label: "Sah"), else the first flow for yes and the
    second for no."""
    negative = [t for t in row.next if _negative(row.labels.get(t, ""))]
    if negative:
        if not yes:
            return negative[0]
        others = [t for t in row.next if t not in negative]
        return others[0] if others else None
    words = ("ya", "yes", "y", "benar", "sesuai", "lengkap") if yes else ()
    for target, label in row.labels.items():
        if label.strip().lower() in words:
            return target
    unlabeled = [t for t in row.next if t not in row.labels]
    if yes:
        return unlabeled[0] if unlabeled else (row.next[0] if row.next else None)
    rest = [t for t in row.next if t != branch(row, True)]
    return rest[0] if rest else None


def norm(text: str | None) -> str:
    """Activity and executor names compared without case, punctuation or extra spaces."""
    return re.sub(r"[^\w]+", " ", (text or "").casefold()).strip()
