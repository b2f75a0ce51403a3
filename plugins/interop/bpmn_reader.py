"""The workspace reader for ``.bpmn`` files: parse safely, link, import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from probis.engine.limits import Limits

from .bpmn_import import Link, import_bpmn
from .bpmn_link import resolve_link
from .xmltree import parse_xml


def read_bpmn(path: Path, raw: bytes, limits: Limits) -> list[dict[str, Any]]:
    root = parse_xml(raw, limits)
    return import_bpmn(root, resolve_link(path, root, limits), path.name)


def read_bpmn_as(raw: bytes, process: str, file_name: str = "",
                 limits: Limits | None = None) -> list[dict[str, Any]]:
    """Import without a workspace link (tests, benchmarks, tools): ``process`` is the code."""
    return import_bpmn(parse_xml(raw, limits), Link(process=process), file_name)
