"""Structure-change rule set (STR001–STR004) and the `probis restructure` command.

After a new SOTK or RPJMD, change events (events.py) are posted to durable-rules trigger rules
(rules/triggers/*.yaml, or `kind: pemicu` files of the workspace) that decide which maps
re-open (triggers.py, impact.py); only those are re-evaluated (engine/incremental/cache.py).
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl

from .events import PeristiwaDoc
from .str001 import UnitReplaced
from .str002 import AdoptedBeforeSotk
from .str003 import PlanChanged
from .str004 import FunctionLost
from .triggers import TriggerDoc

RULES = (UnitReplaced, AdoptedBeforeSotk, PlanChanged, FunctionLost)


@hookimpl
def probis_register_rules(register: Any) -> None:
    for rule_class in RULES:
        register(rule_class())


@hookimpl
def probis_register_document_kinds(register: Any) -> None:
    register("peristiwa", PeristiwaDoc)  # change events a workspace declares
    register("pemicu", TriggerDoc)  # trigger rules an auditor adds to a workspace


@hookimpl
def probis_register_commands(cli: Any) -> None:
    from .command import restructure

    cli.add_command(restructure)
