"""Text for SVG: escaping of names from files, wrapping into lines, labels in two languages."""

from __future__ import annotations

import re
import textwrap
from xml.sax.saxutils import escape

# characters XML 1.0 cannot hold at all (a name from a file may contain them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "no_lane": "(tanpa lane)",
        "external": "eksternal",
        "dangling": "Alur yang tidak dapat digambar (langkah tidak ada)",
        "map": "Peta lintas fungsi",
        "process_map": "Peta proses level",
        "value_chain": "Rantai nilai",
        "inti": "Proses inti",
        "manajemen": "Proses manajemen",
        "pendukung": "Proses pendukung",
        "other": "Tanpa kategori",
        "detail": "dirinci",
        "lf_short": "lintas fungsi",
    },
    "en": {
        "no_lane": "(no lane)",
        "external": "external",
        "dangling": "Flows that cannot be drawn (missing steps)",
        "map": "Cross-functional map",
        "process_map": "Process map level",
        "value_chain": "Value chain",
        "inti": "Core processes",
        "manajemen": "Management processes",
        "pendukung": "Support processes",
        "other": "Uncategorised",
        "detail": "detailed in",
        "lf_short": "cross-functional",
    },
}


def label(key: str, lang: str) -> str:
    return LABELS.get(lang, LABELS["id"])[key]


def clean(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def esc(value: object) -> str:
    """Text content: ``<``, ``>`` and ``&`` escaped, characters XML cannot hold replaced."""
    return escape(clean(value))


def attr(value: object) -> str:
    """An attribute value in double quotes."""
    return escape(clean(value), {'"': "&quot;", "'": "&apos;"})


def wrap(value: object, width: int, max_lines: int) -> list[str]:
    """``value`` in lines of at most ``width`` characters; what does not fit ends in ``…``."""
    lines = textwrap.wrap(" ".join(clean(value).split()), width, break_long_words=True,
                          break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return lines


def text_block(lines: list[str], x: float, y: float, size: int, anchor: str = "middle",
               weight: str = "normal", fill: str = "#263238") -> str:
    """``<text>`` with one ``<tspan>`` a line, the first line's baseline at ``y``."""
    step = round(size * 1.2, 1)
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{0 if i == 0 else step}">{escape(line)}</tspan>'
        for i, line in enumerate(lines))
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}">{spans}</text>')


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
