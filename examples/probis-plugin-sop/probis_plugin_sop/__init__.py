"""probis plugin: SOP checks per PermenPANRB 35/2012 (SOP Administrasi Pemerintahan).

It adds a document kind (`sop`), facts over it for rule files, the rule files in ``rules/``
and two Python rules that compare documents with each other. probis loads this module through
the entry point `sop` in the group `probis` (see pyproject.toml).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from probis.engine import hookimpl
from probis.engine.rulefile import load_rule_paths

from .facts import FACT_FIELDS, sop_facts
from .index import KIND
from .links import ProcessSopIsDefined, RelatedSopIsDefined
from .model import Sop

__version__ = "0.1.0"

PYTHON_RULES = (ProcessSopIsDefined, RelatedSopIsDefined)


# [snippet:register]
@hookimpl
def probis_register_document_kinds(register: Any) -> None:
    register(KIND, Sop)  # `kind: contoh-sop` files: validated by Sop, kept in ws.extra[KIND]


@hookimpl
def probis_register_rules(register: Any) -> None:
    folder = resources.files(__package__).joinpath("rules")
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    for rule in load_rule_paths(files, prefix="probis_plugin_sop/rules/"):
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
# [/snippet]
