"""How a BPMN file in a workspace is tied to a process code and its lanes to SOTK units.

In order of precedence (docs/bpmn.md):
1. a side file ``<name>.bpmn.yaml`` of kind ``bpmn-link`` next to ``<name>.bpmn``;
2. the naming rule ``<process code>-LF.bpmn`` (e.g. ``PB.04.02.01-LF.bpmn``);
3. the ``probis:process`` attribute that ``probis export-bpmn`` writes on the process.
A file none of these links is an input error: probis cannot guess which process it details.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from probis.engine.i18n import text
from probis.engine.limits import Limits
from probis.engine.model import Code, Model
from probis.engine.validation_messages import describe, errors_of, field_path
from probis.engine.yamlload import ParseError, parse_bytes
from pydantic import Field, ValidationError

from .bpmn_import import BPMN_NS, PROBIS_NS, Link
from .xmltree import Node

NAMING_RULE = re.compile(r"^(?P<code>.+)-LF\.bpmn$", re.IGNORECASE)


class BpmnLink(Model):
    """``kind: bpmn-link``: lanes maps a BPMN lane id (or lane name) to a SOTK unit id, to
    ``external``, or to a mapping ``{unit, external, name}``."""

    kind: Literal["bpmn-link"]
    process: Code
    unit: Code | None = None
    lanes: dict[str, Any] = Field(default_factory=dict)


def side_file(path: Path) -> Path:
    return path.with_name(path.name + ".yaml")


def resolve_link(path: Path, root: Node, limits: Limits) -> Link:
    side = side_file(path)
    if side.is_file():
        return _from_side_file(side, limits)
    match = NAMING_RULE.match(path.name)
    if match:
        return Link(process=match.group("code"))
    for process in root.children:
        if process.ns == BPMN_NS and process.tag == "process" and process.get("process", PROBIS_NS):
            return Link(process=process.get("process", PROBIS_NS) or "",
                        unit=process.get("unit", PROBIS_NS))
    raise ParseError(None, None, text(
        f"berkas BPMN ini tidak terhubung ke kode proses: buat berkas pendamping {side.name} "
        f"(kind: bpmn-link, process: <kode proses>) atau beri nama <kode proses>-LF.bpmn",
        f"this BPMN file is not linked to a process code: add a side file {side.name} "
        f"(kind: bpmn-link, process: <process code>) or name it <process code>-LF.bpmn"))


def _from_side_file(side: Path, limits: Limits) -> Link:
    try:
        data = parse_bytes(side.read_bytes(), side.name, limits)
    except OSError as exc:
        raise ParseError(None, None, text(f"{side.name} tidak dapat dibaca: {exc.strerror}",
                                          f"{side.name} cannot be read: {exc.strerror}")) from None
    except ParseError as exc:
        raise ParseError(None, None, text(f"{side.name}: {exc.message['id']}",
                                          f"{side.name}: {exc.message['en']}")) from None
    try:
        doc = BpmnLink.model_validate(data)
    except ValidationError as exc:
        err = errors_of(exc)[0]
        where = field_path(tuple(err.get("loc", ()))) or "?"
        raise ParseError(None, None, text(
            f"{side.name}, kolom {where}: {describe(err)['id']}",
            f"{side.name}, field {where}: {describe(err)['en']}")) from None
    lanes: dict[str, dict[str, Any]] = {}
    for key, value in doc.lanes.items():
        if key == "__line__":
            continue
        if value == "external":
            lanes[str(key)] = {"external": True}
        elif isinstance(value, str):
            lanes[str(key)] = {"unit": value}
        elif isinstance(value, dict):
            lanes[str(key)] = {k: v for k, v in value.items() if k in ("unit", "external", "name")}
        else:
            raise ParseError(None, None, text(
                f"{side.name}, lanes.{key}: tulis id unit SOTK, `external`, atau {{unit: ...}}",
                f"{side.name}, lanes.{key}: write a SOTK unit id, `external`, or {{unit: ...}}"))
    return Link(process=doc.process, unit=doc.unit, lanes=lanes)
