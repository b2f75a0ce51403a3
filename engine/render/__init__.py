"""Renderers turn the report dict into text.

Call convention: ``render(report, lang="id", section_renderer=None, workspace=None, **_) ->
str | bytes``: bytes for the binary formats (pdf, docx) and for JSON (UTF-8: a large report is
never decoded). ``workspace`` is the loaded engine workspace, for renderers that draw the maps.
``section_renderer(name, section, format)`` renders a plugin's report section in ``format``
(terminal, markdown or html) through the ``probis_render_section`` hook, or returns None; a
renderer that shows plugin sections asks for its own format. Renderers accept and ignore
keywords they do not know, so the convention can grow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .docx import render_docx
from .html import render_html
from .json_format import render_json
from .junit import render_junit
from .markdown import render_markdown
from .pdf import render_pdf
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
    "pdf": render_pdf,
    "docx": render_docx,
}


def call_renderer(render: Renderer, report: dict[str, Any], **kwargs: Any) -> str | bytes:
    """Call ``render`` with the keywords it accepts: a plugin renderer written before a keyword
    existed (no ``**_``) still works; ``lang`` and ``section_renderer`` are always passed."""
    import inspect

    try:
        params = inspect.signature(render).parameters.values()
    except (TypeError, ValueError):
        return render(report, **kwargs)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return render(report, **kwargs)
    names = {p.name for p in params}
    always = {"lang", "section_renderer"}
    return render(report, **{k: v for k, v in kwargs.items() if k in names or k in always})


def available(extra: dict[str, Any]) -> dict[str, Renderer]:
    out = dict(BUILTIN_RENDERERS)
    out.update(extra)
    return out
