"""Alignment rule set (ALN): process maps against the RPJMD and the OPDs' Renstra.

Conditions over one element (ALN001 on processes, ALN004 on indicators) are rule files in
``rules/alignment/`` run by durable-rules; reference, coverage, Renstra and nomenclature
checks are Python modules here. The plugin also adds the coverage matrix to the report and
the ``probis coverage`` and ``probis trace`` commands.
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl
from probis.engine.rulefile import load_rule_dir

from .aln002 import ReferencesExist
from .aln003 import SasaranServed
from .aln005 import RenstraLinkedToRpjmd
from .aln006 import SubkegiatanNomenclature
from .coverage import coverage_section
from .render import render_section

PYTHON_RULES = (ReferencesExist, SasaranServed, RenstraLinkedToRpjmd, SubkegiatanNomenclature)
SECTION = "coverage"


@hookimpl
def probis_register_rules(register: Any) -> None:
    for rule in load_rule_dir("alignment"):
        register(rule)
    for rule_class in PYTHON_RULES:
        register(rule_class())


@hookimpl
def probis_report_sections(workspace: Any) -> dict[str, Any]:
    # no `result`: made while the rules run (engine/hookspecs.py)
    return {SECTION: coverage_section(workspace)}


@hookimpl
def probis_render_section(name: str, section: Any, format: str, lang: str) -> str | None:  # noqa: A002
    if name != SECTION:
        return None
    return render_section(section, format, lang)


@hookimpl
def probis_register_commands(cli: Any) -> None:
    from .commands import coverage_command, trace_command

    cli.add_command(coverage_command)
    cli.add_command(trace_command)
