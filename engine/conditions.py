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
field the fact lacks is false, including ``$neq``. ``compile_condition`` turns a condition into
a function giving ``evaluate``'s answer without walking the condition for every fact (the
differential test in tests/engine/test_conditions_compiled.py holds the two together).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from .i18n import Text, text

COMPARISONS = ("$neq", "$lt", "$lte", "$gt", "$gte")
PRESENCE = ("$ex", "$nex")
LOGICAL = ("$and", "$or")


class ConditionError(ValueError):
    """A rule file's condition uses a form outside the supported subset; ``message`` in both
    languages (``str()`` is the English)."""

    def __init__(self, message: Text) -> None:
        super().__init__(message["en"])
        self.message = message


def normalize(cond: Any, where: str = "when") -> dict[str, Any]:
    """Validate ``cond`` and return it in canonical form (one operator per mapping)."""
    if not isinstance(cond, Mapping) or not cond:
        raise ConditionError(text(f"{where}: syarat harus berupa mapping yang tidak kosong",
                                  f"{where}: a condition must be a non-empty mapping"))
    items = [(k, v) for k, v in cond.items() if k != "__line__"]
    if len(items) > 1:
        return {"$and": [normalize({k: v}, where) for k, v in items]}
    key, value = items[0]
    if key in LOGICAL:
        if not isinstance(value, list) or not value:
            raise ConditionError(text(f"{where}: {key} menerima daftar syarat yang tidak kosong",
                                      f"{where}: {key} takes a non-empty list of conditions"))
        return {key: [normalize(c, f"{where}.{key}[{i}]") for i, c in enumerate(value)]}
    if key in COMPARISONS or key in PRESENCE:
        inner = _single_field(value, where, key)
        field, operand = inner
        if key in PRESENCE:
            return {key: {field: 1}}
        _check_scalar(operand, f"{where}.{key}.{field}")
        if key != "$neq" and not isinstance(operand, int | float):
            raise ConditionError(text(f"{where}: {key} hanya membandingkan angka",
                                      f"{where}: {key} compares numbers only"))
        return {key: {field: operand}}
    if isinstance(key, str) and key.startswith("$"):
        raise ConditionError(text(f"{where}: operator {key} tidak didukung dalam berkas aturan",
                                  f"{where}: operator {key} is not supported in rule files"))
    _check_scalar(value, f"{where}.{key}")
    return {str(key): value}


def _single_field(value: Any, where: str, op: str) -> tuple[str, Any]:
    if not isinstance(value, Mapping):
        raise ConditionError(text(f"{where}: {op} menerima mapping berisi satu kolom",
                                  f"{where}: {op} takes a mapping of one field"))
    fields = [(k, v) for k, v in value.items() if k != "__line__"]
    if len(fields) != 1:
        raise ConditionError(text(f"{where}: {op} menerima tepat satu kolom",
                                  f"{where}: {op} takes exactly one field"))
    return str(fields[0][0]), fields[0][1]


def _check_scalar(value: Any, where: str) -> None:
    if not (value is None or isinstance(value, str | int | float | bool)):
        raise ConditionError(text(
            f"{where}: bandingkan dengan teks, angka, true/false atau null",
            f"{where}: compare with text, a number, true/false or null"))


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


Predicate = Callable[[Mapping[str, Any]], bool]

_MISSING = object()  # a field the fact lacks: never equal to, nor a number like, any operand
_NUMBER = (int, float)
_ORDER = {"$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge}


def compile_condition(cond: Mapping[str, Any]) -> Predicate:
    """A normalized condition as a function of the fact: ``compile_condition(c)(fact) ==
    evaluate(c, fact)`` for every fact, evaluated in the same order (so it stops where
    ``evaluate`` stops)."""
    (key, value), = cond.items()
    if key in LOGICAL:
        parts = tuple(compile_condition(c) for c in value)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            first, second = parts
            if key == "$and":
                return lambda fact: first(fact) and second(fact)
            return lambda fact: first(fact) or second(fact)
        if key == "$and":
            return lambda fact: all(part(fact) for part in parts)
        return lambda fact: any(part(fact) for part in parts)
    if key == "$ex":
        (field,) = value
        return lambda fact: field in fact
    if key == "$nex":
        (field,) = value
        return lambda fact: field not in fact
    if key in _ORDER:
        ((field, operand),) = value.items()
        compare = _ORDER[key]
        return lambda fact: (isinstance(actual := fact.get(field, _MISSING), _NUMBER)
                             and not isinstance(actual, bool) and compare(actual, operand))
    if key == "$neq":
        ((field, operand),) = value.items()
        equal = _equal_to(operand)
        return lambda fact: ((actual := fact.get(field, _MISSING)) is not _MISSING
                             and not equal(actual))
    field, expected = key, value
    # the commonest leaves without a second call: a flag, null, or a text
    if isinstance(expected, bool) or expected is None:
        return lambda fact: fact.get(field, _MISSING) is expected
    if type(expected) is str:
        return lambda fact: (type(actual := fact.get(field, _MISSING)) is str
                             and actual == expected)
    equal = _equal_to(expected)
    return lambda fact: equal(fact.get(field, _MISSING))


def _equal_to(expected: Any) -> Callable[[Any], bool]:
    """``lambda actual: _equal(actual, expected)`` with the branch on ``expected`` taken once
    (``_MISSING`` is equal to nothing)."""
    if isinstance(expected, bool) or expected is None:
        # True, False and None are singletons: identity is _equal's bool and null test
        return lambda actual: actual is expected
    if _is_number(expected):
        try:
            wanted = float(expected)
        except OverflowError:  # raised where ``evaluate`` raises it, not here
            return lambda actual: _equal(actual, expected)
        return lambda actual: (isinstance(actual, _NUMBER) and not isinstance(actual, bool)
                               and float(actual) == wanted)
    kind = type(expected)
    return lambda actual: type(actual) is kind and actual == expected


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
