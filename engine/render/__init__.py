"""Renderers turn the report dict into text. Each takes (report, lang) and returns a string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .json_format import render_json
from .terminal import render_terminal

Renderer = Callable[..., str]

BUILTIN_RENDERERS: dict[str, Renderer] = {
    "terminal": render_terminal,
    "json": render_json,
}


def available(extra: dict[str, Any]) -> dict[str, Renderer]:
    out = dict(BUILTIN_RENDERERS)
    out.update(extra)
    return out
