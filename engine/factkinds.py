"""Declared fact kinds, and the check of rule files against them.

A rule file names a fact kind in ``applies_to`` and fact fields in its conditions and message
placeholders. The core kinds are declared in engine/facts.py (``CORE_FACT_KINDS``); a plugin
that adds facts through ``probis_facts`` declares their kinds with
``probis_register_fact_kinds``. When the registry is built every rule file is checked against
these declarations, so a misspelt kind or field refuses that rule (ENG001 naming the file and
the rule, with the closest known name) instead of loading and never firing. docs/facts.md is
generated from the same declarations.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .conditions import COMPARISONS, LOGICAL, PRESENCE
from .facts import CORE_FACT_KINDS
from .i18n import Text, text
from .rule import DeclarativeRule, applies_kinds

# the value types a fact field may have (facts.py: never mixed within a field)
FIELD_TYPES = ("text", "integer", "number", "boolean")
KIND_FIELD = "t"  # every fact carries its kind; conditions may read it ({t: lane})
RESERVED = frozenset({"t", "n", "id", "sid"})  # set by the engine or refused by durable-rules


@dataclass(frozen=True)
class FactField:
    type: str  # one of FIELD_TYPES
    description: str


@dataclass(frozen=True)
class FactKind:
    kind: str
    fields: Mapping[str, FactField]
    plugin: str | None = None  # None: the core facts of engine/facts.py
    description: str = ""


FieldSpec = tuple[str, str] | Mapping[str, str]


class FactKindRegister(Protocol):
    """The ``register`` callback of ``probis_register_fact_kinds``."""

    def __call__(self, kind: str, fields: Mapping[str, FieldSpec],
                 description: str = "") -> None: ...


def declare(kind: Any, fields: Any, plugin: str | None, description: Any = "") -> FactKind:
    """A checked ``FactKind``; raises TypeError/ValueError naming what is wrong."""
    if not isinstance(kind, str) or not kind.strip() or kind != kind.strip() or "," in kind:
        raise ValueError(f"a fact kind is a non-empty name without commas, got {kind!r:.60}")
    if not isinstance(description, str):
        raise TypeError(f"fact kind {kind}: description must be text")
    if not isinstance(fields, Mapping) or not fields:
        raise TypeError(f"fact kind {kind}: fields must be a non-empty mapping "
                        "{field: (type, description)}")
    out: dict[str, FactField] = {}
    for name, spec in fields.items():
        if not isinstance(name, str) or not name or name in RESERVED:
            raise ValueError(f"fact kind {kind}: field name {name!r:.40} is not allowed "
                             f"(reserved: {', '.join(sorted(RESERVED))})")
        if isinstance(spec, Mapping):
            spec = (spec.get("type"), spec.get("description"))
        if not (isinstance(spec, tuple | list) and len(spec) == 2
                and spec[0] in FIELD_TYPES and isinstance(spec[1], str)):
            raise ValueError(f"fact kind {kind}: field {name} needs (type, description) with "
                             f"type one of {', '.join(FIELD_TYPES)}, got {spec!r:.60}")
        out[name] = FactField(spec[0], spec[1])
    return FactKind(kind, out, plugin, description)


def core_kinds() -> dict[str, FactKind]:
    return {kind: declare(kind, fields, None) for kind, fields in CORE_FACT_KINDS.items()}


def closest(name: str, known: Any) -> str:
    """`` (did you mean `x`?)`` for the closest of ``known``, or an empty string."""
    return closest_text(name, known)["en"]


def closest_text(name: str, known: Any) -> Text:
    """:func:`closest` in both languages."""
    near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return (text(f" (maksudnya `{near[0]}`?)", f" (did you mean `{near[0]}`?)") if near
            else text("", ""))


# --- checking a rule file -------------------------------------------------------------------


def check_rule(rule: DeclarativeRule, kinds: Mapping[str, FactKind]) -> list[Text]:
    """What is wrong with ``rule`` against the declared ``kinds`` (empty when nothing), each
    in both languages."""
    problems: list[Text] = []
    wanted = applies_kinds(rule.info)
    if not wanted:
        return [text("`applies_to` tidak menyebut jenis fakta", "`applies_to` names no fact kind")]
    for kind in wanted:
        if kind not in kinds:
            near, names = closest_text(kind, kinds), ", ".join(sorted(kinds))
            problems.append(text(
                f"applies_to: jenis fakta `{kind}` tidak dikenal{near['id']}; "
                f"jenis yang dikenal: {names}",
                f"applies_to: unknown fact kind `{kind}`{near['en']}; known kinds: {names}"))
    known = [kinds[k] for k in wanted if k in kinds]
    if not known:
        return problems
    types: dict[str, set[str]] = {KIND_FIELD: {"text"}}
    for fact_kind in known:
        for name, spec in fact_kind.fields.items():
            types.setdefault(name, set()).add(spec.type)
    over = ", ".join(k.kind for k in known)
    conditions: list[tuple[str, Mapping[str, Any]]] = []
    if rule.applies_if is not None:
        conditions.append(("applies_if", rule.applies_if))
    conditions += [(f"cases[{i}].when", case.when) for i, case in enumerate(rule.cases)]
    conditions += [(f"severity_if[{i}]", cond) for i, (cond, _) in enumerate(rule.severity_if)]
    for where, cond in conditions:
        for field, op, operand in _comparisons(cond):
            problem = _check_field(field, op, operand, types, wanted, over)
            if problem:
                problems.append(text(f"{where}: {problem['id']}", f"{where}: {problem['en']}"))
    for i, case in enumerate(rule.cases):
        for lang in ("id", "en"):
            for name in _placeholders(case.message.get(lang, "")):
                if name not in types:
                    near = closest_text(name, types)
                    problems.append(text(
                        f"cases[{i}].message.{lang}: kolom `{{{name}}}` tidak dikenal pada "
                        f"jenis fakta {over}{near['id']}",
                        f"cases[{i}].message.{lang}: unknown field `{{{name}}}` of fact kind "
                        f"{over}{near['en']}"))
    return problems


def _check_field(field: str, op: str, operand: Any, types: Mapping[str, set[str]],
                 wanted: tuple[str, ...], over: str) -> Text | None:
    if field not in types:
        near = closest_text(field, types)
        return text(f"kolom `{field}` tidak dikenal pada jenis fakta {over}{near['id']}",
                    f"unknown field `{field}` of fact kind {over}{near['en']}")
    if op in PRESENCE:
        return None
    if field == KIND_FIELD:
        if operand not in wanted:
            near = closest_text(str(operand), wanted)
            return text(f"`t: {operand}` tidak pernah cocok: aturan ini berlaku untuk {over}"
                        f"{near['id']}",
                        f"`t: {operand}` never matches: the rule applies to {over}{near['en']}")
        return None
    kinds_of = "/".join(sorted(types[field]))
    if op in COMPARISONS and op != "$neq":
        if not types[field] & {"integer", "number"}:
            return text(f"{op} membandingkan angka, tetapi `{field}` bertipe {kinds_of}",
                        f"{op} compares numbers, but `{field}` is {kinds_of}")
        return None
    if operand is None:
        return text(f"`{field}: null` tidak pernah cocok (kolom tanpa nilai tidak dimasukkan "
                    f"ke fakta); gunakan {{$nex: {{{field}: 1}}}}",
                    f"`{field}: null` never matches (a field without a value is left out of "
                    f"the fact); use {{$nex: {{{field}: 1}}}}")
    if not any(_fits(operand, t) for t in types[field]):
        return text(f"`{field}` bertipe {kinds_of}, jadi membandingkannya dengan {operand!r} "
                    "tidak pernah cocok",
                    f"`{field}` is {kinds_of}, so comparing it with {operand!r} never matches")
    return None


def _fits(value: Any, field_type: str) -> bool:
    if field_type == "boolean":
        return isinstance(value, bool)
    if field_type == "text":
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return field_type == "number" or float(value).is_integer()


def _comparisons(cond: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(field, operator, operand) of every comparison in a normalized condition."""
    ((key, value),) = cond.items()
    if key in LOGICAL:
        for inner in value:
            yield from _comparisons(inner)
    elif key in COMPARISONS or key in PRESENCE:
        ((field, operand),) = value.items()
        yield field, key, operand
    else:
        yield key, "=", value


def _placeholders(template: str) -> Iterator[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:  # unbalanced braces: format_text leaves the text as written
        return
    for _, name, _, _ in parsed:
        if name:
            yield name.split(".")[0].split("[")[0]


# --- checking a plugin's facts --------------------------------------------------------------


def check_fact(fact: Mapping[str, Any], kinds: Mapping[str, FactKind], plugin: str) -> None:
    """Raise TypeError unless ``fact`` is of a kind ``plugin`` declared, with declared fields
    of their declared types."""
    kind = fact[KIND_FIELD]
    declared = kinds.get(kind)
    if declared is None or declared.plugin != plugin:
        owner = ("" if declared is None else
                 f" (it is declared by {declared.plugin or 'the core facts'})")
        raise TypeError(f"fact kind `{kind}` is not declared by plugin {plugin}{owner}: "
                        "declare it with probis_register_fact_kinds")
    for name, value in fact.items():
        if name == KIND_FIELD:
            continue
        spec = declared.fields.get(name)
        if spec is None:
            raise TypeError(f"fact kind `{kind}`: field `{name}` is not declared"
                            f"{closest(name, declared.fields)}")
        if not _fits(value, spec.type):
            raise TypeError(f"fact kind `{kind}`: field `{name}` is declared {spec.type}, "
                            f"got {value!r:.40}")
