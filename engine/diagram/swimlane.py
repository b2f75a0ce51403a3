"""A peta lintas fungsi drawn as an SVG swimlane diagram, with the findings it carries marked.

Geometry comes from engine/diagram/layout.py (the BPMN export's layout); the drawing adds a
header column naming each lane and its unit, shifts everything right by it and moves the
origin to the top-left corner.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import CrossFunctionalMap
from .layout import POOL_LABEL, POOL_X, POOL_Y, Box, label_boxes, layout, waypoints
from .marks import INK, LINE, PAPER, FindingIndex, badge, close_link, colour, num, open_link
from .text import attr, esc, label, text_block, wrap

HEAD_W, TITLE_H, PAD = 150, 44, 10
LANE_FILL = ("#f5f7f8", "#ffffff")


def slug(code: str) -> str:
    """An id-safe form of a map code (ids in the SVG are prefixed by it)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", code)


def draw_swimlane(lf: CrossFunctionalMap, file: str, findings: FindingIndex, lang: str,
                  unit_name: Callable[[str | None], str], title: str) -> str:
    geo = layout(lf)
    labels = label_boxes(lf, geo)
    code = lf.process
    sid = f"map-{slug(code)}"
    dx, dy = PAD + HEAD_W - POOL_X - POOL_LABEL, PAD + TITLE_H - POOL_Y

    def box(b: Box) -> Box:
        return Box(b.x + dx, b.y + dy, b.w, b.h)

    first: dict[str, int] = {}
    for i, step in enumerate(lf.steps):
        first.setdefault(step.id, i)
    dangling = [(n, f) for n, f in enumerate(lf.flows) if f.from_ not in first or f.to not in first]
    pool = box(geo.pool)
    width = pool.x + pool.w + PAD
    height = pool.y + pool.h + PAD + (18 * (len(dangling) + 1) + 8 if dangling else 0)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{attr(sid)}" class="probis-map" '
        f'width="{num(width)}" height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'role="img" aria-labelledby="{attr(sid)}-title" font-family="sans-serif">',
        f'<title id="{attr(sid)}-title">{esc(title)}</title>',
        f'<defs><marker id="{attr(sid)}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        f'markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" '
        f'orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker></defs>',
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="{PAPER}"/>',
    ]
    # the map as a whole (FLW001, REG009, ...): its title is the marked element
    found = findings.get(file, "lf-map", code)
    out.append(f'<g id="{attr(sid)}-title-box">{open_link(found, lang)}')
    out.append(text_block(wrap(title, 110, 1), PAD, PAD + 18, 14, "start", "bold",
                          colour(found, INK)))
    out.append(badge(found, PAD + min(len(title), 110) * 8 + 14, PAD + 13))
    out.append(f"{close_link(found)}</g>")

    # lanes: a band across the pool and a header naming the lane and its unit
    bands = list(enumerate(lf.lanes))
    lane_ids = {lane.id for lane in lf.lanes}
    no_lane = any((s.lane or "") not in lane_ids for s in lf.steps)  # layout's extra band
    out.append(f'<g id="{attr(sid)}-lanes">')
    for i, lane in bands:
        b = box(geo.lanes[i])
        found = findings.get(file, "lane", f"{code}#{lane.id}")
        out.append(_lane(f"{sid}-lane-{i}", b, i, lane.name or unit_name(lane.unit) or lane.id,
                         _lane_note(lane.unit, lane.external, unit_name, lane.name, lang),
                         found, lang))
    if no_lane:
        last = box(geo.lanes[len(lf.lanes) - 1]) if lf.lanes else None
        top = last.y + last.h if last else pool.y
        b = Box(pool.x + POOL_LABEL, top, pool.w - POOL_LABEL, pool.y + pool.h - top)
        out.append(_lane(f"{sid}-lane-none", b, len(lf.lanes), label("no_lane", lang), "", [],
                         lang))
    out.append("</g>")

    # flows under the steps, their labels above the lines
    out.append(f'<g id="{attr(sid)}-flows">')
    for n, flow in enumerate(lf.flows):
        if flow.from_ not in first or flow.to not in first:
            continue
        points = waypoints(box(geo.steps[first[flow.from_]]), box(geo.steps[first[flow.to]]))
        found = findings.get(file, "flow", f"{code}#{flow.from_}->{flow.to}")
        stroke = colour(found)
        path = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        out.append(f'<g id="{attr(sid)}-flow-{n}">{open_link(found, lang)}'
                   f'<polyline points="{path}" fill="none" stroke="{stroke}" '
                   f'stroke-width="{3 if found else 1.5}" '
                   f'marker-end="url(#{attr(sid)}-arrow)"/>')
        if n in labels:
            lb = box(labels[n])
            out.append(f'<rect class="probis-flow-label" x="{num(lb.x)}" y="{num(lb.y)}" '
                       f'width="{num(lb.w)}" height="{num(lb.h)}" rx="3" fill="{PAPER}" '
                       f'stroke="{stroke}" stroke-width="0.8"/>')
            out.append(text_block([str(flow.label)], lb.cx, lb.y + 11, 11, fill=INK))
        mid = points[len(points) // 2 - 1] if len(points) > 2 else points[0]
        out.append(badge(found, mid[0] + 10, mid[1] - 10))
        out.append(f"{close_link(found)}</g>")
    out.append("</g>")

    out.append(f'<g id="{attr(sid)}-steps">')
    for i, step in enumerate(lf.steps):
        b = box(geo.steps[i])
        found = findings.get(file, "step", f"{code}#{step.id}")
        out.append(f'<g id="{attr(sid)}-step-{i}" class="probis-step probis-{step.type}">'
                   f"<title>{esc(step.name or step.id)}</title>{open_link(found, lang)}"
                   f"{_step(step.type, step.name or step.id, b, found)}"
                   f"{badge(found, b.x + b.w, b.y)}{close_link(found)}</g>")
    out.append("</g>")

    if dangling:  # a flow to or from a step that does not exist has no place on the drawing
        y = pool.y + pool.h + PAD + 14
        out.append(f'<g id="{attr(sid)}-dangling">')
        out.append(text_block([label("dangling", lang)], PAD, y, 11, "start", "bold"))
        for n, flow in dangling:
            y += 18
            found = findings.get(file, "flow", f"{code}#{flow.from_}->{flow.to}")
            out.append(f'<g id="{attr(sid)}-flow-{n}">{open_link(found, lang)}')
            out.append(badge(found, PAD + 8, y - 4))
            out.append(text_block([f"{flow.from_} → {flow.to}"
                                   + (f" ({flow.label})" if flow.label is not None else "")],
                                  PAD + 22, y, 11, "start", fill=colour(found, INK)))
            out.append(f"{close_link(found)}</g>")
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _lane_note(unit: str | None, external: bool, unit_name: Callable[[str | None], str],
               name: str | None, lang: str) -> str:
    if external:
        return label("external", lang)
    if unit and name and unit_name(unit) != name:
        return unit_name(unit)
    return unit or ""


def _lane(gid: str, b: Box, i: int, name: str, note: str, found: list, lang: str) -> str:
    head = Box(PAD, b.y, HEAD_W, b.h)
    stroke = colour(found, LINE)
    lines = wrap(name, 22, 3)
    notes = wrap(note, 26, min(4, 6 - len(lines))) if note else []
    total = 14 * len(lines) + 12 * len(notes)
    y = head.y + (head.h - total) / 2 + 11
    parts = [
        f'<g id="{attr(gid)}" class="probis-lane">',
        f'<rect x="{num(b.x)}" y="{num(b.y)}" width="{num(b.w)}" height="{num(b.h)}" '
        f'fill="{LANE_FILL[i % 2]}" stroke="{LINE}" stroke-width="1"/>',
        open_link(found, lang),
        f'<rect x="{num(head.x)}" y="{num(head.y)}" width="{num(head.w)}" height="{num(head.h)}" '
        f'fill="#eceff1" stroke="{stroke}" stroke-width="{3 if found else 1}"/>',
        text_block(lines, head.cx, y, 12, weight="bold"),
    ]
    if notes:
        parts.append(text_block(notes, head.cx, y + 14 * len(lines), 10, fill=LINE))
    parts += [badge(found, head.x + head.w - 10, head.y + 10), close_link(found), "</g>"]
    return "".join(parts)


def _step(kind: str, name: str, b: Box, found: list) -> str:
    stroke, width = colour(found, INK), 3 if found else 1.5
    if kind == "task":
        lines = wrap(name, 17, 5)
        y = b.cy - (11 * len(lines)) / 2 + 8
        return (f'<rect x="{num(b.x)}" y="{num(b.y)}" width="{num(b.w)}" height="{num(b.h)}" '
                f'rx="8" fill="#e3f2fd" stroke="{stroke}" stroke-width="{width}"/>'
                + text_block(lines, b.cx, y, 9))
    if kind == "decision":
        lines = wrap(name, 28, 2)
        diamond = (f"{num(b.cx)},{num(b.y)} {num(b.x + b.w)},{num(b.cy)} "
                   f"{num(b.cx)},{num(b.y + b.h)} {num(b.x)},{num(b.cy)}")
        return (f'<polygon points="{diamond}" fill="#fff8e1" stroke="{stroke}" '
                f'stroke-width="{width}"/>'
                f'<text x="{num(b.cx)}" y="{num(b.cy + 5)}" font-size="14" text-anchor="middle" '
                f'fill="{INK}">?</text>'
                + text_block(lines, b.cx, b.y - 9 - 12 * (len(lines) - 1), 10))
    thick = 4 if kind == "end" else 1.5
    lines = wrap(name, 26, 3)
    return (f'<circle cx="{num(b.cx)}" cy="{num(b.cy)}" r="{num(b.w / 2)}" '
            f'fill="{"#ffebee" if kind == "end" else "#e8f5e9"}" stroke="{stroke}" '
            f'stroke-width="{max(thick, width)}"/>' + text_block(lines, b.cx, b.y + b.h + 13, 10))
