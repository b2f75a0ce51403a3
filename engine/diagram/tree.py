"""A peta proses drawn as SVG: a value chain for level 0, a tree of the map and its processes
for the levels below, with the findings each element carries marked."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Process, ProcessMap
from .marks import INK, LINE, PAPER, FindingIndex, badge, close_link, colour, num, open_link
from .swimlane import slug
from .text import attr, esc, label, text_block, wrap

PAD, TITLE_H = 10, 44
NODE_W, NODE_H, ROW = 560, 40, 52
CHAIN_W, CHAIN_H, CHAIN_GAP, PER_ROW, HEAD_W = 150, 70, 14, 5, 130
ROWS = ("manajemen", "inti", "pendukung")
FILLS = {"inti": "#e3f2fd", "manajemen": "#ede7f6", "pendukung": "#e8f5e9"}


def draw_process_map(m: ProcessMap, file: str, findings: FindingIndex, lang: str, title: str,
                     details: Mapping[str, str]) -> str:
    """``details`` maps a process code to where it is detailed (a lower map or a
    cross-functional map), shown beside the process."""
    sid = f"map-{slug(m.code)}"
    body, width, height = (_chain(m, file, findings, lang, sid) if m.level == 0
                           else _tree(m, file, findings, lang, sid, details))
    found = findings.get(file, "map", m.code)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{attr(sid)}" class="probis-map" '
        f'width="{num(width)}" height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'role="img" aria-labelledby="{attr(sid)}-title" font-family="sans-serif">',
        f'<title id="{attr(sid)}-title">{esc(title)}</title>',
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="{PAPER}"/>',
    ]
    if m.level == 0:  # the value chain has no root node: the map's title carries its marks
        head += [f'<g id="{attr(sid)}-title-box">{open_link(found, lang)}',
                 text_block(wrap(title, 100, 1), PAD, PAD + 18, 14, "start", "bold",
                            colour(found, INK)),
                 badge(found, PAD + min(len(title), 100) * 8 + 14, PAD + 13),
                 f"{close_link(found)}</g>"]
    else:
        head.append(text_block(wrap(title, 100, 1), PAD, PAD + 18, 14, "start", "bold"))
    return "".join(head + body + ["</svg>"])


def _tree(m: ProcessMap, file: str, findings: FindingIndex, lang: str, sid: str,
          details: Mapping[str, str]) -> tuple[list[str], float, float]:
    out: list[str] = []
    x0, y0 = PAD, PAD + TITLE_H
    found = findings.get(file, "map", m.code)
    out.append(f'<g id="{attr(sid)}-root" class="probis-node">{open_link(found, lang)}')
    out.append(_node(x0, y0, NODE_W + 40, f"{m.code} — {m.title or ''}".rstrip(" —"), "",
                     found, "#eceff1", bold=True))
    out.append(f"{close_link(found)}</g>")
    spine = x0 + 20
    last = y0 + NODE_H
    for i, p in enumerate(m.processes):
        y = y0 + ROW * (i + 1)
        cy = y + NODE_H / 2
        out.append(f'<path d="M{num(spine)},{num(last)} V{num(cy)} H{num(x0 + 40)}" '
                   f'fill="none" stroke="{LINE}" stroke-width="1.2"/>')
        last = cy
        found = findings.get(file, "process", p.code)
        note = details.get(p.code, "")
        out.append(f'<g id="{attr(sid)}-process-{i}" class="probis-node">'
                   f"{open_link(found, lang)}")
        out.append(_node(x0 + 40, y, NODE_W, f"{p.code}  {p.name or ''}".rstrip(),
                         f"{label('detail', lang)}: {note}" if note else "", found,
                         FILLS.get(p.category or "", PAPER)))
        out.append(f"{close_link(found)}</g>")
    height = y0 + ROW * (len(m.processes) + 1) + PAD
    return out, x0 + 40 + NODE_W + PAD + 10, height


def _node(x: float, y: float, w: float, text: str, note: str, found: list, fill: str,
          bold: bool = False) -> str:
    lines = wrap(text, int(w / 7), 1 if note else 2)
    parts = [f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{NODE_H}" rx="4" '
             f'fill="{fill}" stroke="{colour(found, INK)}" stroke-width="{3 if found else 1}"/>',
             text_block(lines, x + 8, y + (16 if len(lines) > 1 or note else 24), 11, "start",
                        "bold" if bold else "normal")]
    if note:
        parts.append(text_block(wrap(note, int(w / 6), 1), x + 8, y + 32, 9, "start",
                                fill=LINE))
    parts.append(badge(found, x + w, y))
    return "".join(parts)


def _chain(m: ProcessMap, file: str, findings: FindingIndex, lang: str,
           sid: str) -> tuple[list[str], float, float]:
    groups: dict[str, list[tuple[int, Process]]] = {}
    for i, p in enumerate(m.processes):
        key = p.category if p.category in ROWS else "other"
        groups.setdefault(key, []).append((i, p))
    out: list[str] = []
    y = PAD + TITLE_H
    width = PAD + HEAD_W + PER_ROW * (CHAIN_W + CHAIN_GAP) + PAD
    for key in (*ROWS, "other"):
        members = groups.get(key, [])
        if not members:
            continue
        rows = (len(members) + PER_ROW - 1) // PER_ROW
        band_h = rows * (CHAIN_H + CHAIN_GAP) + CHAIN_GAP
        out.append(f'<rect x="{PAD}" y="{num(y)}" width="{num(width - 2 * PAD)}" '
                   f'height="{num(band_h)}" fill="#fafafa" stroke="{LINE}" stroke-width="0.8"/>')
        out.append(text_block(wrap(label(key, lang), 18, 2), PAD + 8, y + band_h / 2, 11,
                              "start", "bold"))
        for k, (i, p) in enumerate(members):
            x = PAD + HEAD_W + (k % PER_ROW) * (CHAIN_W + CHAIN_GAP)
            top = y + CHAIN_GAP + (k // PER_ROW) * (CHAIN_H + CHAIN_GAP)
            found = findings.get(file, "process", p.code)
            out.append(f'<g id="{attr(sid)}-process-{i}" class="probis-node">'
                       f"{open_link(found, lang)}{_chevron(x, top, key == 'inti', found, key)}")
            lines = [p.code, *wrap(p.name or "", 26, 4)]
            out.append(text_block(lines, x + CHAIN_W / 2, top + 14, 9))
            out.append(badge(found, x + CHAIN_W - 6, top))
            out.append(f"{close_link(found)}</g>")
        y += band_h + CHAIN_GAP
    return out, width, y + PAD


def _chevron(x: float, y: float, arrow: bool, found: list, key: str) -> str:
    stroke, sw = colour(found, INK), 3 if found else 1
    fill = FILLS.get(key, PAPER)
    if not arrow:
        return (f'<rect x="{num(x)}" y="{num(y)}" width="{CHAIN_W}" height="{CHAIN_H}" rx="4" '
                f'fill="{fill}" stroke="{stroke}" stroke-width="{sw}"/>')
    tip = 10
    pts = [(x, y), (x + CHAIN_W - tip, y), (x + CHAIN_W, y + CHAIN_H / 2),
           (x + CHAIN_W - tip, y + CHAIN_H), (x, y + CHAIN_H), (x + tip, y + CHAIN_H / 2)]
    return (f'<polygon points="{" ".join(f"{num(a)},{num(b)}" for a, b in pts)}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{sw}"/>')
