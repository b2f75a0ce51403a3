"""PDF report: the LHP's HTML (engine/render/html.py) laid out on A4 by WeasyPrint.

WeasyPrint reads the same template and print stylesheet the browser uses (``@page`` size,
margins and page numbers), so the PDF and the printed HTML agree. It runs no script and
fetches nothing: the HTML is self-contained and the URL fetcher refuses every request.
"""

from __future__ import annotations

from typing import Any

from .common import SectionRenderer
from .html import render_html


def _no_fetch(url: str, *_: Any, **__: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing: {url}")


def render_pdf(report: dict[str, Any], lang: str = "id",
               section_renderer: SectionRenderer | None = None, workspace: Any = None,
               **_: Any) -> bytes:
    from weasyprint import HTML  # heavy import (pango, fonts): only when a PDF is asked for

    html = render_html(report, lang=lang, section_renderer=section_renderer,
                       workspace=workspace)
    return bytes(HTML(string=html, url_fetcher=_no_fetch, base_url=".").write_pdf() or b"")
