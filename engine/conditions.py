"""The condition language of rule files: a checked subset of durable-rules' JSON syntax.

A condition is evaluated against one fact (a flat dict). Supported forms:

    {field: value}                    equal (value is text, number, true/false or null)
    {$neq|$lt|$lte|$gt|$gte: {field: value}}
    {$ex: {field: 1}} / {$nex: {field: 1}}   field present / absent
    {$and: [cond, ...]} / {$or: [cond, ...]}

Why a subset: durable-rules silently mis-reads some shapes (a mapping with two fields is not
an AND there: measured), and compares across types ("0" equals 0). ``normalize`` rewrites and
rejects, so a rule file means the same thing to durable-rules and to ``evaluate``; the
property test in tests/engine/test_bridge_property.py proves the two agree on generated facts.

Semantics that ``evaluate`` copies from durable-rules (measured on 2.0.28): a comparison on a
field the fact lacks is false, including ``$neq``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COMPARISONS = ("$neq", "$lt", "$lte", "$gt", "$gte")
PRESENCE = ("$ex", "$nex")
LOGICAL = ("$and", "$or")


class ConditionError(ValueError):
    """A rule file's condition uses a form outside the supported subset."""


def normalize(cond: Any, where: str = "when") -> dict[str, Any]:
    """Validate ``cond`` and return it in canonical form (one operator per mapping)."""
    if not isinstance(cond, Mapping) or not cond:
        raise ConditionError(f"{where}: a condition must be a non-empty mapping")
    items = [(k, v) for k, v in cond.items() if k != "__line__"]
    if len(items) > 1:
        return {"$and": [normalize({k: v}, where) for k, v in items]}
    key, value = items[0]
    if key in LOGICAL:
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{where}: {key} takes a non-empty list of conditions")
        return {key: [normalize(c, f"{where}.{key}[{i}]") for i, c in enumerate(value)]}
    if key in COMPARISONS or key in PRESENCE:
        inner = _single_field(value, where, key)
        field, operand = inner
        if key in PRESENCE:
            return {key: {field: 1}}
        _check_scalar(operand, f"{where}.{key}.{field}")
        if key != "$neq" and not isinstance(operand, int | float):
            raise ConditionError(f"{where}: {key} compares numbers only")
        return {key: {field: operand}}
    if isinstance(key, str) and key.startswith("$"):
        raise ConditionError(f"{where}: operator {key} is not supported in rule files")
    _check_scalar(value, f"{where}.{key}")
    return {str(key): value}


def _single_field(value: Any, where: str, op: str) -> tuple[str, Any]:
    if not isinstance(value, Mapping):
        raise ConditionError(f"{where}: {op} takes a mapping of one field")
    fields = [(k, v) for k, v in value.items() if k != "__line__"]
    if len(fields) != 1:
        raise ConditionError(f"{where}: {op} takes exactly one field")
    return str(fields[0][0]), fields[0][1]


def _check_scalar(value: Any, where: str) -> None:
    if not (value is None or isinstance(value, str | int | float | bool)):
        raise ConditionError(f"{where}: compare with text, a number, true/false or null")


def evaluate(cond: Mapping[str, Any], fact: Mapping[str, Any]) -> bool:
    """Evaluate a normalized condition against a fact, with durable-rules' semantics."""
    (key, value), = cond.items()
    if key == "$and":
        return all(evaluate(c, fact) for c in value)
    if key == "$or":
        return any(evaluate(c, fact) for c in value)
    if key == "$ex":
        (field,) = value
        return field in fact
    if key == "$nex":
        (field,) = value
        return field not in fact
    if key in COMPARISONS:
        ((field, operand),) = value.items()
        if field not in fact:
            return False
        actual = fact[field]
        if key == "$neq":
            return not _equal(actual, operand)
        if not _is_number(actual):
            return False
        if key == "$lt":
            return actual < operand
        if key == "$lte":
            return actual <= operand
        if key == "$gt":
            return actual > operand
        return actual >= operand
    if key not in fact:
        return False
    return _equal(fact[key], value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual is expected
    if _is_number(expected) and _is_number(actual):
        return float(actual) == float(expected)
    return type(actual) is type(expected) and actual == expected


def fields_used(cond: Mapping[str, Any]) -> set[str]:
    """The fact fields a condition reads (for documentation and fact-building checks)."""
    (key, value), = cond.items()
    if key in LOGICAL:
        out: set[str] = set()
        for c in value:
            out |= fields_used(c)
        return out
    if key in COMPARISONS or key in PRESENCE:
        return {next(iter(value))}
    return {key}
