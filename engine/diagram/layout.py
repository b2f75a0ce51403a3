"""Diagram layout of a cross-functional map: lanes as horizontal bands, steps in columns.

Shared by the BPMN export (plugins/interop) and the report drawings (engine/diagram/svg.py).

Columns follow the flow: a step's column is one more than the furthest step that leads to it
(longest path over the flows, with loops broken where a depth-first walk from the start meets a
step already on its path). Steps of one lane that land in the same column are stacked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import CrossFunctionalMap

SIZES = {"task": (100, 80), "decision": (50, 50), "start": (36, 36), "end": (36, 36)}
POOL_X, POOL_Y, POOL_LABEL = 100, 80, 30
COL_W, ROW_H, MARGIN = 160, 120, 60


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Layout:
    pool: Box
    lanes: dict[int, Box]  # by lane index in lf.lanes
    steps: dict[int, Box]  # by step index in lf.steps
    columns: dict[int, int]


def columns(lf: CrossFunctionalMap) -> dict[int, int]:
    """Column of each step (by index); only the first step of a duplicated id takes flows."""
    index: dict[str, int] = {}
    for i, step in enumerate(lf.steps):
        index.setdefault(step.id, i)
    succ: dict[int, list[int]] = defaultdict(list)
    for flow in lf.flows:
        if flow.from_ in index and flow.to in index:
            succ[index[flow.from_]].append(index[flow.to])
    order = [i for i, s in enumerate(lf.steps) if s.type == "start"] + list(range(len(lf.steps)))
    state: dict[int, int] = {}  # 1 on the current path, 2 done
    back: set[tuple[int, int]] = set()
    for root in order:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    indegree = defaultdict(int)
    forward: dict[int, list[int]] = defaultdict(list)
    for a, targets in succ.items():
        for b in targets:
            if (a, b) not in back and a != b:
                forward[a].append(b)
                indegree[b] += 1
    col = {i: 0 for i in range(len(lf.steps))}
    ready = [i for i in range(len(lf.steps)) if indegree[i] == 0]
    while ready:
        a = ready.pop(0)
        for b in forward[a]:
            col[b] = max(col[b], col[a] + 1)
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return col


def layout(lf: CrossFunctionalMap) -> Layout:
    col = columns(lf)
    lane_index = {lane.id: i for i, lane in reversed(list(enumerate(lf.lanes)))}
    band_of = {i: lane_index.get(s.lane or "", len(lf.lanes)) for i, s in enumerate(lf.steps)}
    rows: dict[tuple[int, int], int] = defaultdict(int)
    row_of: dict[int, int] = {}
    for i in range(len(lf.steps)):
        key = (band_of[i], col[i])
        row_of[i] = rows[key]
        rows[key] += 1
    bands = len(lf.lanes) + (1 if any(b == len(lf.lanes) for b in band_of.values()) else 0)
    height = {b: ROW_H * max([n for (bb, _), n in rows.items() if bb == b] or [1])
              for b in range(max(bands, 1))}
    top: dict[int, float] = {}
    y = POOL_Y
    for b in range(max(bands, 1)):
        top[b] = y
        y += height[b]
    width = POOL_LABEL + 2 * MARGIN + COL_W * (max(col.values(), default=0) + 1)
    lane_x = POOL_X + POOL_LABEL
    lanes = {i: Box(lane_x, top[i], width - POOL_LABEL, height[i]) for i in range(len(lf.lanes))}
    steps: dict[int, Box] = {}
    for i, step in enumerate(lf.steps):
        w, h = SIZES.get(step.type, SIZES["task"])
        cx = lane_x + MARGIN + COL_W * col[i] + SIZES["task"][0] / 2
        cy = top[band_of[i]] + ROW_H * row_of[i] + ROW_H / 2
        steps[i] = Box(cx - w / 2, cy - h / 2, w, h)
    return Layout(Box(POOL_X, POOL_Y, width, y - POOL_Y), lanes, steps, col)


def waypoints(src: Box, dst: Box) -> list[tuple[float, float]]:
    """Orthogonal route: forward edges leave right and enter left; others go around below."""
    if dst.x > src.x + src.w:
        start, end = (src.x + src.w, src.cy), (dst.x, dst.cy)
        if start[1] == end[1]:
            return [start, end]
        mid = (start[0] + end[0]) / 2
        return [start, (mid, start[1]), (mid, end[1]), end]
    below = max(src.y + src.h, dst.y + dst.h) + 20
    return [(src.cx, src.y + src.h), (src.cx, below), (dst.cx, below), (dst.cx, dst.y + dst.h)]


LABEL_H, LABEL_GAP = 14, 2


def label_width(text: str) -> float:
    """Width a flow label takes at the drawings' 11 px font (about 6.5 px a character)."""
    return float(max(24, round(6.5 * len(text)) + 8))


def label_boxes(lf: CrossFunctionalMap, geo: Layout) -> dict[int, Box]:
    """A box for each labelled flow (by flow index) beside its route, none overlapping another.

    A label sits just after the route's last bend (where the branches of a decision have
    already parted); one that would cover a label placed before it moves down, a row at a time.
    """
    first: dict[str, int] = {}
    for i, step in enumerate(lf.steps):
        first.setdefault(step.id, i)
    placed: list[Box] = []
    out: dict[int, Box] = {}
    for n, flow in enumerate(lf.flows):
        if flow.label is None or flow.from_ not in first or flow.to not in first:
            continue
        points = waypoints(geo.steps[first[flow.from_]], geo.steps[first[flow.to]])
        if len(points) == 2:
            x, y = points[0][0] + 4, points[0][1] - LABEL_H - LABEL_GAP
        elif points[-1][0] > points[0][0] and points[1][1] == points[0][1]:  # forward, bent
            x, y = points[-2][0] + 4, points[-1][1] - LABEL_H - LABEL_GAP
        else:  # goes around below: beside the first leg, under the source
            x, y = points[0][0] + 4, points[0][1] + LABEL_GAP
        box = Box(x, y, label_width(str(flow.label)), LABEL_H)
        while any(overlaps(box, other) for other in placed):
            box = Box(box.x, box.y + LABEL_H + LABEL_GAP, box.w, box.h)
        placed.append(box)
        out[n] = box
    return out


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count)."""
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h
