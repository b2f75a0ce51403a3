"""Finding marks on drawings: which findings an element carries, and the SVG that marks it.

A marked element is drawn in its severity's colour with a small badge and wrapped in a link
to the report's finding (``#finding-<fingerprint>``), as bpmn-js-bpmnlint marks lint issues.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from .text import attr, esc

COLOURS = {"error": "#c62828", "warning": "#e65100", "info": "#1565c0"}
RANK = {"error": 0, "warning": 1, "info": 2}
INK, PAPER, LINE = "#263238", "#ffffff", "#546e7a"


class FindingIndex:
    """The report's open findings by (file, element kind, element id)."""

    def __init__(self, findings: Iterable[Mapping[str, Any]]) -> None:
        self._by: dict[tuple[str, str, str], list[Mapping[str, Any]]] = defaultdict(list)
        for f in findings:
            key = (str(f.get("file") or ""), str(f.get("element_type") or ""),
                   str(f.get("element") or ""))
            self._by[key].append(f)
        for found in self._by.values():
            found.sort(key=lambda f: (RANK.get(str(f.get("severity")), 3), str(f.get("rule")),
                                      str(f.get("fingerprint"))))

    def get(self, file: str, kind: str, element: str) -> list[Mapping[str, Any]]:
        return self._by.get((file, kind, element), [])


def colour(found: list[Mapping[str, Any]], default: str = LINE) -> str:
    return COLOURS.get(str(found[0].get("severity")), default) if found else default


def open_link(found: list[Mapping[str, Any]], lang: str) -> str:
    """``<a>`` to the most severe finding, with every finding's rule and message as tooltip;
    empty when the element carries none."""
    if not found:
        return ""
    tip = "\n".join(f"{f.get('rule')}: {_message(f, lang)}" for f in found)
    return (f'<a href="#finding-{attr(str(found[0].get("fingerprint")))}" '
            f'class="probis-mark probis-mark-{attr(str(found[0].get("severity")))}">'
            f"<title>{esc(tip)}</title>")


def close_link(found: list[Mapping[str, Any]]) -> str:
    return "</a>" if found else ""


def badge(found: list[Mapping[str, Any]], x: float, y: float) -> str:
    """A small circle at (x, y) with the number of findings (``!`` for one)."""
    if not found:
        return ""
    label = "!" if len(found) == 1 else str(min(len(found), 99))
    return (f'<circle cx="{num(x)}" cy="{num(y)}" r="8" fill="{colour(found)}" '
            f'stroke="{PAPER}" stroke-width="1.5"/>'
            f'<text x="{num(x)}" y="{num(y + 3.5)}" text-anchor="middle" font-size="10" '
            f'font-weight="bold" fill="{PAPER}">{label}</text>')


def _message(f: Mapping[str, Any], lang: str) -> str:
    message = f.get("message")
    if isinstance(message, Mapping):
        return str(message.get(lang) or message.get("id") or message.get("en") or "")
    return str(message or "")


def num(value: float) -> str:
    """Coordinates as short, stable text (same input, same bytes)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
