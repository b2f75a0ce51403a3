"""JSON report (the contract of format.md): stable key order, UTF-8, newline at the end."""

from __future__ import annotations

import json
from typing import Any

from ..gcpause import paused_gc


@paused_gc()  # see engine/gcpause.py
def render_json(report: dict[str, Any], lang: str = "id", **_: Any) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
