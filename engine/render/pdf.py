"""PDF report: the LHP's HTML (engine/render/html.py) laid out on A4 by WeasyPrint.

WeasyPrint reads the same template and print stylesheet the browser uses (``@page`` size,
margins and page numbers), so the PDF and the printed HTML agree. It runs no script and
fetches nothing: the HTML is self-contained and the URL fetcher refuses every request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

from .common import SectionRenderer
from .html import render_html


def _no_fetch(url: str, *_: Any, **__: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing: {url}")


@contextlib.contextmanager
def _source_date(as_of: str | None) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to the audit date while the PDF is written, unless the user set
    it: without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps each font
    with the current time, so the same report made a different PDF every second."""
    if "SOURCE_DATE_EPOCH" in os.environ or not as_of:
        yield
        return
    try:
        day = dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time(), dt.UTC)
    except ValueError:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def render_pdf(report: dict[str, Any], lang: str = "id",
               section_renderer: SectionRenderer | None = None, workspace: Any = None,
               **_: Any) -> bytes:
    from weasyprint import HTML  # heavy import (pango, fonts): only when a PDF is asked for

    html = render_html(report, lang=lang, section_renderer=section_renderer,
                       workspace=workspace)
    with _source_date(str(report.get("workspace", {}).get("as_of") or "")):
        pdf = HTML(string=html, url_fetcher=_no_fetch, base_url=".").write_pdf()
    return bytes(pdf or b"")
