"""Interoperability (entry point ``interop``): BPMN 2.0 import and export, Excel import.

- ``.bpmn`` files in a workspace are read as cross-functional maps (docs/bpmn.md);
- ``kind: bpmn-link`` side files tie a BPMN file to its process code and lanes to SOTK units;
- ``probis export-bpmn`` writes any cross-functional map as BPMN 2.0 with diagram layout;
- ``probis import-excel`` turns a process-map worksheet into format-v1 YAML, merging with what
  an earlier import wrote; ``probis export-excel`` writes a workspace's maps into the template
  layout; ``probis template`` copies the template workbook out (docs/excel.md).
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl

from .bpmn_link import BpmnLink
from .bpmn_reader import read_bpmn


@hookimpl
def probis_register_readers(register: Any) -> None:
    register(".bpmn", read_bpmn)


@hookimpl
def probis_register_document_kinds(register: Any) -> None:
    register("bpmn-link", BpmnLink)


@hookimpl
def probis_register_commands(cli: Any) -> None:
    from .commands import (
        export_bpmn_command,
        export_excel_command,
        import_excel_command,
        template_command,
    )

    cli.add_command(export_bpmn_command)
    cli.add_command(import_excel_command)
    cli.add_command(export_excel_command)
    cli.add_command(template_command)
