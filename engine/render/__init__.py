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

import importlib
from collections.abc import Callable
from typing import Any

Renderer = Callable[..., str | bytes]


class _Builtin:
    """A built-in renderer, imported when first called: a JSON report does not import the
    HTML templates, the DOCX writer or the terminal tables (start-up: docs/design-notes.md)."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self.__name__ = self.__qualname__ = name

    def __call__(self, report: dict[str, Any], **kwargs: Any) -> str | bytes:
        render: Renderer = getattr(importlib.import_module(self.module, __package__), self.name)
        return render(report, **kwargs)

    def __repr__(self) -> str:
        return f"<renderer {self.module[1:]}.{self.name}>"


BUILTIN_RENDERERS: dict[str, Renderer] = {
    "terminal": _Builtin(".terminal", "render_terminal"),
    "json": _Builtin(".json_format", "render_json"),
    "html": _Builtin(".html", "render_html"),
    "markdown": _Builtin(".markdown", "render_markdown"),
    "sarif": _Builtin(".sarif", "render_sarif"),
    "junit": _Builtin(".junit", "render_junit"),
    "pdf": _Builtin(".pdf", "render_pdf"),
    "docx": _Builtin(".docx", "render_docx"),
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
