"""Renderers turn the report dict into text.

Call convention: ``render(report, lang="id", section_renderer=None, **_) -> str``; a renderer
may return UTF-8 ``bytes`` instead (the JSON renderer does: a large report is never decoded).
``section_renderer(name, section, format)`` renders a plugin's report section in ``format``
(terminal, markdown or html) through the ``probis_render_section`` hook, or returns None; a
renderer that shows plugin sections asks for its own format. Renderers accept and ignore
keywords they do not know, so the convention can grow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .html import render_html
from .json_format import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .terminal import render_terminal

Renderer = Callable[..., str | bytes]

BUILTIN_RENDERERS: dict[str, Renderer] = {
    "terminal": render_terminal,
    "json": render_json,
    "html": render_html,
    "markdown": render_markdown,
    "sarif": render_sarif,
    "junit": render_junit,
}


def available(extra: dict[str, Any]) -> dict[str, Renderer]:
    out = dict(BUILTIN_RENDERERS)
    out.update(extra)
    return out
