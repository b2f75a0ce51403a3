"""A model class's field table, read once per class: names as written, and which fields can
hold a nested model.

The unknown-field walk (engine/lenient.py) visits every model inside a loaded document; asking
pydantic's ``model_fields`` (a descriptor call) and looking at every field's value of every
model was a tenth of loading a large workspace. A field whose annotation admits only plain
data (text, numbers, dates, literals, and lists, dicts and unions of them, checked by
before-validators at most) can never hold a model once validated, so the walk skips it. Any
doubt (another type, an after/wrap/plain validator, a default factory of its own, a model
validator that runs after the fields) keeps the field in the walk: the table only ever
leaves out what cannot matter.
"""

from __future__ import annotations

import datetime as dt
import decimal
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime, dt.time,
                          dt.timedelta, decimal.Decimal})
_CONTAINERS = frozenset({list, dict, set, frozenset, tuple})
_PLAIN_FACTORIES = frozenset({list, dict, set, frozenset, tuple})


@dataclass(frozen=True)
class FieldTable:
    fields: tuple[tuple[str, str], ...]  # (attribute name, name as written), field order
    nested: tuple[tuple[str, str], ...]  # the same, only the fields that can hold a model
    known: list[str]  # the names a field may be written with, sorted, for suggestions
    free: bool  # extra fields are data by design (a declared event's `regulation`)


_tables: dict[type[BaseModel], FieldTable] = {}


def field_table(cls: type[BaseModel]) -> FieldTable:
    table = _tables.get(cls)
    if table is None:
        table = _tables[cls] = _build(cls)
    return table


def _build(cls: type[BaseModel]) -> FieldTable:
    infos = cls.model_fields
    known = {k for name, info in infos.items() for k in (info.alias or name, name)}
    fields = tuple((name, info.alias or name) for name, info in infos.items())
    decorators = cls.__pydantic_decorators__
    anything_goes = (
        getattr(cls, "__pydantic_post_init__", None) is not None
        or bool(decorators.root_validators) or bool(decorators.validators)
        or any(d.info.mode != "before" for d in decorators.model_validators.values())
    )
    touched: set[str] = set()  # fields with a validator that may return any value
    for deco in decorators.field_validators.values():
        if deco.info.mode != "before":
            touched.update(deco.info.fields)
    nested = fields if anything_goes or "*" in touched else tuple(
        (name, key) for name, key in fields
        if name in touched or not _plain_field(infos[name]))
    return FieldTable(fields, nested, sorted(k for k in known if k != "line"),
                      bool(getattr(cls, "free_fields", False)))


def _plain_field(info: FieldInfo) -> bool:
    if info.default_factory is not None:  # a default is not validated: what it makes counts
        default_plain = info.default_factory in _PLAIN_FACTORIES
    else:
        default_plain = info.is_required() or type(info.default) in _PLAIN_TYPES
    return (default_plain and all(_plain_meta(m) for m in info.metadata)
            and plain_annotation(info.annotation))


def _plain_meta(meta: Any) -> bool:
    # a before-validator's result is still checked against the type; annotated_types'
    # constraints (MinLen, Ge, ...: pydantic's `Field(min_length=...)`) only check a value
    return isinstance(meta, BeforeValidator) or type(meta).__module__ == "annotated_types"


def plain_annotation(annotation: Any) -> bool:
    """Whether every value valid for ``annotation`` is plain data (never a model)."""
    if isinstance(annotation, type) and annotation in _PLAIN_TYPES:
        return True
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return plain_annotation(args[0]) and all(_plain_meta(m) for m in args[1:])
    if origin is Literal:
        return all(type(a) in _PLAIN_TYPES for a in args)
    if origin in (Union, types.UnionType) or origin in _CONTAINERS:
        return bool(args) and all(a is Ellipsis or plain_annotation(a) for a in args)
    return False

