"""Field-level leniency: a wrong value costs its field, not its document.

A document is validated; every error is reported at its field's line, the offending value is
taken out (an optional field is left unset, a list item that cannot be read is skipped) and the
rest is validated again. Only when what remains cannot be a document at all (the fields that
give it its identity or shape are wrong or missing) is the document dropped.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .i18n import Text, text
from .modelfields import field_table
from .validation_messages import describe, errors_of, field_path, line_of
from .yamlload import LINE_KEY

# a document with n errors needs at most n + depth passes; this bounds hostile input
MAX_PASSES = 200
# validate the parsed document itself first, copying it only when something must be pruned
# (off: every document is copied first, the slower path the tests compare with)
VALIDATE_AS_IS = True
# deprecated fields: the key's line searched from the mapping the walk holds (off: through
# ``field_line`` from the root, the path the tests compare with)
HELD_LINES = True


@dataclass
class Pruned:
    """One value taken out: where it was and the line of the mapping that held it."""

    path: tuple[Any, ...]
    container_line: int | None


@dataclass
class LenientResult:
    instance: BaseModel | None
    errors: list[tuple[int | None, str | None, Text]] = field(default_factory=list)
    pruned: list[Pruned] = field(default_factory=list)


def validate_lenient(model: type[BaseModel], data: dict[str, Any],
                     source: str | None = None) -> LenientResult:
    """Validate ``data`` (left unchanged), pruning what fails until the rest validates.
    ``source``, the document's text, lets errors point at the field's own line."""
    result = LenientResult(None)
    errors: list[dict[str, Any]] | None = None
    if VALIDATE_AS_IS:
        # most documents are valid: validated as they are, without the copy pruning needs
        # (validators return new values and never change their input)
        try:
            result.instance = model.model_validate(data)
            return result
        except ValidationError as exc:
            errors = errors_of(exc)
    lines = source.splitlines() if source is not None else None
    # a copy keeps the loader's line stamps, so lines are read from it after pruning too
    work = copy.deepcopy(data)
    # path taken out -> (index of the error that caused it, that error) for cascades
    taken: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    bases: list[Text] = []  # each error's message without its consequence, in order
    for _ in range(MAX_PASSES):
        if errors is None:  # the first pass has the errors of ``data``, equal to ``work``
            try:
                result.instance = model.model_validate(work)
                return result
            except ValidationError as exc:
                errors = errors_of(exc)
        progressed = False
        seen: set[tuple[Any, ...]] = set()
        for raw_err in errors:
            loc = _data_path(work, tuple(raw_err.get("loc", ())))
            if loc in seen:
                continue  # one error per field: a union reports once per member type
            seen.add(loc)
            err = dict(raw_err, loc=loc)  # named as written in the document
            if isinstance(err.get("input"), dict):
                err["input"] = {k: v for k, v in err["input"].items() if k != LINE_KEY}
            emptied = next((t for t in taken if len(t) > len(loc) and t[:len(loc)] == loc),
                           None)
            if err.get("type") == "missing" and loc in taken or emptied is not None:
                # a required value we took out ourselves (or a container that taking it out
                # left too short): the container goes too, and the original error says so
                # instead of a second error
                index, cause = taken[loc] if emptied is None else taken[emptied]
                target = loc[:-1] if emptied is None else loc
                line, name, _old = result.errors[index]
                result.errors[index] = (line, name, _with_consequence(describe(cause), target))
            else:
                target = loc[:-1] if err.get("type") == "missing" else loc
                result.errors.append((field_line(work, loc, lines), field_path(loc) or None,
                                      _with_consequence(describe(err), target)))
                bases.append(describe(err))
                index, cause = len(result.errors) - 1, err
            if not target:
                _skipped_with(result, bases, index)
                return result  # the document itself cannot be read
            container_line = line_of(work, target[:-1])
            if _remove(work, target):
                taken[target] = (index, cause)
                result.pruned.append(Pruned(target, container_line))
                progressed = True
        _compact(work)
        if not progressed:
            return result
        errors = None
    return result


def field_line(data: Any, loc: tuple[Any, ...], lines: list[str] | None) -> int | None:
    """The line of the field at ``loc``: the YAML loader stamps mappings, not keys, so the key
    is looked up in the text from its mapping's line on (same indentation or deeper)."""
    start = line_of(data, loc)
    path = _data_path(data, loc)
    if lines is None or start is None or not path:
        return start
    holder: Any = data
    for part in path[:-1]:
        holder = holder[part]
    if not isinstance(holder, dict) or path[-1] not in holder:
        return start  # a missing field: its mapping's line
    start = line_of(data, path[:-1])  # the value may be a mapping with a line of its own
    if start is None:
        return None
    return _key_line_scan(lines, start, str(path[-1]))


def _key_line_scan(lines: list[str], start: int, name: str) -> int:
    """The line of key ``name`` of the mapping that starts on line ``start``."""
    key = _key_pattern(name)
    indent: int | None = None
    for number in range(start, min(len(lines), start + 10_000) + 1):
        body = lines[number - 1]
        if name in body and key.match(body):  # the pattern needs the name written out
            return number
        stripped = body.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(body) - len(stripped) + (2 if stripped.startswith("- ") else 0)
        indent = depth if indent is None else indent
        if number > start and (depth < indent or depth == indent and stripped.startswith("- ")):
            break  # left the mapping (or reached the next list item): the key is not in it
    return start


_key_patterns: dict[str, re.Pattern[str]] = {}


def _key_pattern(name: str) -> re.Pattern[str]:
    """The regular expression of a key's line, compiled once per name (bounded)."""
    pattern = _key_patterns.get(name)
    if pattern is None:
        pattern = re.compile(r"^(\s*)(?:-\s+)?[\"']?" + re.escape(name) + r"[\"']?\s*:")
        if len(_key_patterns) < 4096:
            _key_patterns[name] = pattern
    return pattern


def _skipped_with(result: LenientResult, bases: list[Text], fatal: int) -> None:
    """The document is skipped after all: the other errors must not say the rest of it is
    audited; they say which field made it unreadable."""
    name = result.errors[fatal][1] or "?"
    for i, (line, field_name, _old) in enumerate(result.errors):
        if i != fatal and i < len(bases):
            result.errors[i] = (line, field_name, text(
                bases[i]["id"] + f" (dokumen ini dilewati karena galat pada `{name}`)",
                bases[i]["en"] + f" (the document is skipped for the error in `{name}`)"))


def _with_consequence(message: Text, target: tuple[Any, ...]) -> Text:
    if not target:
        return text(message["id"] + " (dokumen tidak dapat dibaca dan dilewati)",
                    message["en"] + " (the document cannot be read and is skipped)")
    if isinstance(target[-1], int):
        return text(message["id"] + " (butir ini dilewati; isi lain tetap diaudit)",
                    message["en"] + " (this item is skipped; the rest is audited)")
    return text(message["id"] + " (nilai ini diabaikan; isi lain tetap diaudit)",
                message["en"] + " (this value is ignored; the rest is audited)")


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of a pydantic ``loc`` that exists in the data: union members and validator
    tags (``str``, ``list[str]``, ``function-before[...]``) are not keys of the document."""
    path: list[Any] = []
    node = data
    for part in loc:
        key = "from" if part == "from_" else part
        in_dict = isinstance(node, dict) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if in_dict or in_list:
            path.append(key)
            node = node[key]
        elif isinstance(node, dict | list):
            # a missing key of a mapping: keep it so "missing" errors name the field
            if isinstance(node, dict) and isinstance(key, str) and not _is_tag(key):
                path.append(key)
            break
        else:
            break
    return tuple(path)


def _is_tag(part: str) -> bool:
    return any(c in part for c in "[]()-") or part in {"str", "int", "float", "bool", "date"}


def _remove(data: Any, path: tuple[Any, ...]) -> bool:
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = path[-1]
    if isinstance(node, dict) and last in node:
        node[last] = _SKIPPED
        return True
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        # keep indexes stable for the other errors of this pass: a placeholder, removed below
        node[last] = _SKIPPED
        return True
    return False


class _Skipped:
    pass


_SKIPPED = _Skipped()


def _compact(node: Any) -> None:
    if isinstance(node, dict):
        for key in [k for k, v in node.items() if v is _SKIPPED]:
            del node[key]
        for value in node.values():
            _compact(value)
    elif isinstance(node, list):
        node[:] = [v for v in node if v is not _SKIPPED]
        for value in node:
            _compact(value)


def unknown_fields(instance: BaseModel, source_lines: list[str] | None, data: dict[str, Any],
                   declared: set[str]) -> list[tuple[int | None, str, list[str]]]:
    """Fields the format does not know, with the closest known field names: (line, path,
    closest). ``declared`` holds paths plugins add (``processes.risiko``: list indexes left
    out), which are not reported."""
    out: list[tuple[int | None, str, list[str]]] = []

    def walk(model: BaseModel, path: tuple[Any, ...]) -> None:
        table = field_table(type(model))
        extra = model.model_extra
        for key in sorted(extra, key=str) if extra and not table.free else ():
            if not isinstance(key, str) or key.startswith("__"):
                continue
            plain = ".".join(str(p) for p in (*path, key) if not isinstance(p, int))
            if plain in declared:
                continue
            close = difflib.get_close_matches(key, table.known, n=1, cutoff=0.6)
            out.append((field_line(data, (*path, key), source_lines),
                        field_path((*path, key)), close))
        for name, key in table.nested:  # the fields that can hold a model
            value = getattr(model, name, None)
            if isinstance(value, BaseModel):
                walk(value, (*path, key))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, BaseModel):
                        walk(item, (*path, key, i))

    walk(instance, ())
    return out


def deprecated_fields(data: dict[str, Any], old_names: dict[str, str],
                      source_lines: list[str] | None) -> list[tuple[int | None, str, str]]:
    """Fields written with an old spelling the format still reads: (line, path, new name) for
    each use. ``old_names`` maps a plain path (``processes.indicators``) to the new name."""
    out: list[tuple[int | None, str, str]] = []
    for plain, new in sorted(old_names.items()):
        parts = plain.split(".")
        # the walk knows each mapping's line; ``field_line`` finds it again from the root
        # (and reads `from_` as `from`, which only it does)
        held_lines = HELD_LINES and "from_" not in parts

        def walk(node: Any, path: tuple[Any, ...], rest: list[str], line: int | None,
                 new: str = new, held_lines: bool = held_lines) -> None:
            if isinstance(node, list):
                for i, item in enumerate(node):
                    walk(item, (*path, i), rest, line)
            elif isinstance(node, dict) and rest and rest[0] in node:
                line = node.get(LINE_KEY, line)  # the innermost mapping's line so far
                if len(rest) == 1:
                    found = (_held_key_line(node, rest[0], line, source_lines) if held_lines
                             else field_line(data, (*path, rest[0]), source_lines))
                    out.append((found, field_path((*path, rest[0])), new))
                else:
                    walk(node[rest[0]], (*path, rest[0]), rest[1:], line)

        walk(data, (), parts, None)
    return out


def _held_key_line(holder: dict[str, Any], key: str, holder_line: int | None,
                   lines: list[str] | None) -> int | None:
    """What ``field_line`` answers for ``key`` of ``holder``, a mapping of the document whose
    line (or, without one, its innermost enclosing mapping's) is ``holder_line``."""
    value = holder[key]
    start = value[LINE_KEY] if isinstance(value, dict) and LINE_KEY in value else holder_line
    if lines is None or start is None:
        return start
    if holder_line is None:
        return None
    return _key_line_scan(lines, holder_line, key)
