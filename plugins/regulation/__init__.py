"""Regulation compliance rule set (REG, FLW): PermenPANRB 19/2018 practice.

Conditions over single elements are rule files in ``rules/regulation/`` run by durable-rules
(REG001, REG005, REG006, REG007, REG009, REG010, REG011, REG012, REG013, FLW001, FLW005);
rules that need a graph or several elements at once are Python modules in this package, one
rule per module. Rule documentation (``probis explain``, docs/rules/) comes from their metadata.
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl
from probis.engine.rulefile import load_rule_dir

from .flw002 import StepsReachable
from .flw003 import DecisionsBranch
from .flw004 import FlowReferencesExist
from .flw006 import NoDuplicateFlows
from .reg002 import CoreProcessPerOpd
from .reg003 import MapHierarchy
from .reg004 import UniqueDottedCodes
from .reg008 import UnitsExistInSotk

PYTHON_RULES = (
    CoreProcessPerOpd,
    MapHierarchy,
    UniqueDottedCodes,
    UnitsExistInSotk,
    StepsReachable,
    DecisionsBranch,
    FlowReferencesExist,
    NoDuplicateFlows,
)


@hookimpl
def probis_register_rules(register: Any) -> None:
    for rule in load_rule_dir("regulation"):
        register(rule)
    for rule_class in PYTHON_RULES:
        register(rule_class())
