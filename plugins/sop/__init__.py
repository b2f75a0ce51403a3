"""SOP rule set (SOP001–SOP011) per PermenPANRB 35/2012 (SOP Administrasi Pemerintahan).

Built in since issue 23 (promoted from examples/probis-plugin-sop, which stays as the plugin
tutorial under its own kind and rule prefix). It adds the document kind `sop`, facts over it
for the rule files in ``rules/``, Python rules across documents (``links``, ``belongs``,
``consistency``, ``freshness``), the ``probis sop`` drafts (``draft``, ``sop_command``) and
``probis status`` with its report section (``status``, ``status_command``).
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl
from probis.engine.packagefiles import package_files
from probis.engine.rulefile import load_rule_paths

from .belongs import SopBelongsToLowestProcess
from .consistency import SopMatchesMap
from .facts import FACT_FIELDS, sop_facts
from .freshness import SopNotOlderThanMap
from .index import KIND
from .links import ProcessSopIsDefined, RelatedSopIsDefined
from .model import Sop

STATUS_SECTION = "status"
PYTHON_RULES = (ProcessSopIsDefined, RelatedSopIsDefined, SopBelongsToLowestProcess,
                SopMatchesMap, SopNotOlderThanMap)


@hookimpl
def probis_register_document_kinds(register: Any) -> None:
    register(KIND, Sop)  # files with `kind: sop` are validated by Sop, kept in ws.extra["sop"]


@hookimpl
def probis_register_rules(register: Any) -> None:
    folder = package_files(__package__).joinpath("rules")
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    for rule in load_rule_paths(files, prefix="plugins/sop/rules/"):
        register(rule)
    for rule_class in PYTHON_RULES:
        register(rule_class())


@hookimpl
def probis_register_fact_kinds(register: Any) -> None:
    for kind, fields in FACT_FIELDS.items():  # the facts below, checked against rule files
        register(kind, fields)


@hookimpl
def probis_facts(workspace: Any, as_of: Any) -> Any:
    return list(sop_facts(workspace))


@hookimpl
def probis_register_commands(cli: Any) -> None:
    from .sop_command import sop_command

    cli.add_command(sop_command)
    from .status_command import status_command

    cli.add_command(status_command)


@hookimpl
def probis_report_sections(workspace: Any, as_of: Any) -> dict[str, Any]:
    from .status import status_section

    # no `result`: made while the rules run (engine/hookspecs.py)
    return {STATUS_SECTION: status_section(workspace, as_of)}


@hookimpl
def probis_render_section(name: str, section: Any, format: str, lang: str) -> str | None:  # noqa: A002
    if name != STATUS_SECTION:
        return None
    from .status_render import render_status

    return render_status(section, format, lang)
