"""Turning pydantic validation errors into messages a Pemda staff member can act on."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .i18n import Text, text
from .yamlload import LINE_KEY


def field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = "from" if part == "from_" else str(part)
            out += ("." if out else "") + name
    return out


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """Line of the innermost mapping on ``loc`` (the YAML loader stamps every mapping)."""
    line = data.get(LINE_KEY) if isinstance(data, dict) else None
    node = data
    for part in loc:
        key = "from" if part == "from_" else part
        if (
            isinstance(node, dict)
            and key in node
            or isinstance(node, list)
            and isinstance(key, int)
            and 0 <= key < len(node)
        ):
            node = node[key]
        else:
            break
        if isinstance(node, dict) and LINE_KEY in node:
            line = node[LINE_KEY]
    return line


def describe(error: dict[str, Any]) -> Text:
    kind = error.get("type", "")
    loc = error.get("loc", ())
    name = field_path(loc) or "document"
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return text(
            f"kolom `{name}` wajib diisi tetapi tidak ada; tambahkan kolom tersebut",
            f"required field `{name}` is missing; add it",
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return text(
            f"nilai `{given}` pada `{name}` tidak dikenal; gunakan salah satu dari {expected}",
            f"value `{given}` in `{name}` is not allowed; use one of {expected}",
        )
    if kind in ("string_type", "value_error") and "number" in str(error.get("msg", "")):
        return text(
            f"`{name}`: {error.get('msg', '').removeprefix('Value error, ')} "
            "(tulis kode di antara tanda kutip)",
            f"`{name}`: {error.get('msg', '').removeprefix('Value error, ')}",
        )
    if kind == "value_error" and " is not one of: " in str(error.get("msg", "")):
        written, allowed = str(error["msg"]).removeprefix("Value error, ").split(
            " is not one of: ", 1)
        return text(
            f"nilai {written} pada `{name}` tidak dikenal; gunakan salah satu dari: {allowed}",
            f"value {written} in `{name}` is not allowed; use one of: {allowed}",
        )
    if kind.startswith(("int_", "float_")):
        return text(
            f"`{name}` harus berupa angka, bukan `{given}`",
            f"`{name}` must be a number, not `{given}`",
        )
    if kind.startswith(("date_", "datetime_")):
        return text(
            f"`{name}` harus berupa tanggal dengan format YYYY-MM-DD, bukan `{given}`",
            f"`{name}` must be a date written YYYY-MM-DD, not `{given}`",
        )
    if kind == "string_type":
        return text(
            f"`{name}` harus berupa teks, bukan {_type_id(given)}",
            f"`{name}` must be text, not {_type_en(given)}",
        )
    if kind == "list_type":
        return text(
            f"`{name}` harus berupa daftar (list), bukan {_type_id(given)}",
            f"`{name}` must be a list, not {_type_en(given)}",
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return text(
            f"`{name}` harus berupa pemetaan (kunci: nilai), bukan {_type_id(given)}",
            f"`{name}` must be a mapping (key: value), not {_type_en(given)}",
        )
    if kind == "bool_type" or kind == "bool_parsing":
        return text(
            f"`{name}` harus bernilai true atau false",
            f"`{name}` must be true or false",
        )
    if kind == "string_too_short" or kind == "too_short" and isinstance(given, str):
        return text(f"`{name}` tidak boleh kosong", f"`{name}` must not be empty")
    msg = str(error.get("msg", kind))
    return text(f"`{name}`: {msg}", f"`{name}`: {msg}")


def _type_id(value: Any) -> str:
    return {
        dict: "pemetaan",
        list: "daftar",
        int: "angka",
        float: "angka",
        bool: "true/false",
        type(None): "kosong",
    }.get(type(value), f"`{value}`")


def _type_en(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "empty",
    }.get(type(value), f"`{value}`")


def errors_of(exc: ValidationError) -> list[dict[str, Any]]:
    return exc.errors(include_url=False)
