"""Regulation compliance rule set (REG, FLW): PermenPANRB 19/2018 practice.

Conditions over single elements are rule files in ``rules/regulation/`` run by durable-rules;
rules that need a graph or several elements at once are Python modules in this package.
"""

from __future__ import annotations

from typing import Any

from probis.engine import hookimpl
from probis.engine.rulefile import load_rule_dir

from .reg008 import UnitsExistInSotk

PYTHON_RULES = (UnitsExistInSotk,)


@hookimpl
def probis_register_rules(register: Any) -> None:
    for rule in load_rule_dir("regulation"):
        register(rule)
    for rule_class in PYTHON_RULES:
        register(rule_class())
