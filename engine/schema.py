"""JSON Schema of input format v1, generated from the pydantic models (engine/model.py and the
document kinds plugins register), for editors: VS Code's YAML extension validates and completes
a file while it is typed when the file starts with a ``# yaml-language-server: $schema=``
modeline (``modeline``).

One schema per kind (``<kind>.schema.json``) and a combined one keyed on ``kind``
(``probis.schema.json``), in one language at a time (descriptions from engine/schema_text.py).
The built-in kinds' schemas ship as package data in ``engine/schemas/<lang>/``; a test fails when
they differ from what this module generates. Regenerate them with
``python -m probis.engine.schema`` (writes engine/schemas/).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .packagefiles import package_files
from .schema_text import FIELDS, KINDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
COMBINED = "probis"
LANGS = ("id", "en")
# inside a workspace: a dot folder, so the loader does not read the .json files as documents
WORKSPACE_DIR = ".probis/schema"
MODELINE = "# yaml-language-server: $schema="
SEVERITIES = ["off", "info", "warning", "error"]


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def _describe(key: str, lang: str) -> str | None:
    entry = FIELDS.get(key)
    if entry is None:
        return None
    return entry[0] if lang == "id" else entry[1]


def _clean(node: Any) -> Any:
    """Drop pydantic's generated titles and the loader's line stamp (`__line__`), and accept
    a YAML 1.1 bare `off` (read as false) where a rule severity is expected."""
    if isinstance(node, list):
        return [_clean(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {k: _clean(v) for k, v in value.items() if k != "__line__"}
            continue
        out[key] = _clean(value)
    if out.get("enum") == SEVERITIES:
        out = {"anyOf": [out, {"const": False}]}
    return out


def _annotate(schema: dict[str, Any], root_model: str, lang: str) -> None:
    """Put the descriptions of engine/schema_text.py on every model and field."""
    models = dict(schema.get("$defs", {}))
    models[root_model] = schema
    for name, node in models.items():
        desc = _describe(name, lang)
        node.pop("description", None)  # the class docstring: for developers, English only
        if desc is not None and node is not schema:
            node["description"] = desc
        for field, prop in node.get("properties", {}).items():
            desc = _describe(f"{name}.{field}", lang)
            if desc is not None:
                prop["description"] = desc


def kind_schema(kind: str, model: type[BaseModel], lang: str) -> dict[str, Any]:
    """The JSON Schema of documents of ``kind``."""
    raw = model.model_json_schema(by_alias=True, mode="validation")
    schema: dict[str, Any] = _clean(raw)
    _annotate(schema, model.__name__, lang)
    schema.setdefault("properties", {})["kind"] = {"const": kind, **(
        {"description": d} if (d := _describe(f"{model.__name__}.kind", lang)) else {})}
    required = [r for r in schema.get("required", []) if r != "kind"]
    schema["required"] = ["kind", *required]
    title = KINDS.get(kind)
    head: dict[str, Any] = {"$schema": DRAFT, "$id": file_name(kind), "title": f"probis: {kind}"}
    if title is not None:
        head["description"] = title[0] if lang == "id" else title[1]
    return {**head, **schema}


def combined_schema(kinds: Mapping[str, type[BaseModel]], lang: str) -> dict[str, Any]:
    """One schema for every kind: ``kind`` picks the kind's schema (if/then, so an editor
    reports the errors of that kind only)."""
    defs: dict[str, Any] = {}
    branches = []
    for kind in sorted(kinds):
        one = kind_schema(kind, kinds[kind], lang)
        for name, node in one.pop("$defs", {}).items():
            defs[f"{kind}.{name}"] = _rebase(node, kind)
        for key in ("$schema", "$id", "title"):
            one.pop(key, None)
        defs[kind] = _rebase(one, kind)
        branches.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                         "then": {"$ref": f"#/$defs/{kind}"}})
    word = ("Satu dokumen probis; `kind` menentukan bentuknya" if lang == "id"
            else "One probis document; `kind` decides its shape")
    return {"$schema": DRAFT, "$id": file_name(COMBINED), "title": "probis",
            "description": word, "type": "object", "required": ["kind"],
            # a kind of a plugin not installed here is probis's to judge (`plugins:` in
            # probis.yaml): offered, not enforced
            "properties": {"kind": {"anyOf": [{"enum": sorted(kinds)}, {"type": "string"}]}},
            "allOf": branches, "$defs": defs}


def _rebase(node: Any, kind: str) -> Any:
    """References of one kind's schema, renamed into the combined schema's ``$defs``."""
    if isinstance(node, list):
        return [_rebase(v, kind) for v in node]
    if not isinstance(node, dict):
        return node
    return {k: (f"#/$defs/{kind}.{v.removeprefix('#/$defs/')}"
                if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/")
                else _rebase(v, kind)) for k, v in node.items()}


def generate(kinds: Mapping[str, type[BaseModel]], lang: str) -> dict[str, str]:
    """File name -> JSON text of every schema (sorted keys, two-space indent, final newline:
    the same models give the same bytes)."""
    out = {file_name(k): kind_schema(k, m, lang) for k, m in sorted(kinds.items())}
    out[file_name(COMBINED)] = combined_schema(kinds, lang)
    return {name: json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            for name, body in out.items()}


def builtin_kinds() -> dict[str, type[BaseModel]]:
    """The core kinds and those of the plugins shipped with probis, as the registry has them
    (through pluggy); third-party plugins' kinds are left out of the shipped schema."""
    from .model import CORE_KINDS
    from .plugins import build_registry

    kinds: dict[str, type[BaseModel]] = dict(CORE_KINDS)
    registry = build_registry()
    kinds.update({k: m for k, m in registry.kinds.items()
                  if m.__module__.startswith("probis.plugins.")})
    return kinds


def shipped(lang: str) -> dict[str, str]:
    """File name -> text of the schemas shipped in the package for ``lang``."""
    folder = package_files("probis.engine").joinpath("schemas", lang)
    return {item.name: item.read_text("utf-8") for item in folder.iterdir()
            if item.name.endswith(".schema.json")}


def write(files: Mapping[str, str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in sorted(files.items()):
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != body:
            path.write_bytes(body.encode("utf-8"))
        written.append(path)
    return written


def install_in_workspace(root: Path, lang: str = "id") -> Path:
    """Copy the shipped schemas into ``root/.probis/schema`` (where modelines point)."""
    return write(shipped(lang), root / WORKSPACE_DIR)[0].parent


def modeline(target: Path, kind: str | None, root: Path, lang: str = "id") -> str:
    """The ``# yaml-language-server: $schema=...`` line (with newline) for a YAML file at
    ``target`` inside the workspace ``root``: a path relative to the file, to the workspace's
    copy of the schema of ``kind`` (the combined one when ``kind`` is None or not built in).
    Copies the schemas into the workspace when they are not there yet. Workspaces made by
    probis (init, import-excel, sop drafts) call this for every YAML file they write."""
    folder = root / WORKSPACE_DIR
    if not (folder / file_name(COMBINED)).is_file():
        install_in_workspace(root, lang)
    name = file_name(kind) if kind and (folder / file_name(kind)).is_file() else file_name(COMBINED)
    rel = os.path.relpath(folder / name, target.parent).replace(os.sep, "/")
    return f"{MODELINE}{rel}\n"


def with_modeline(text: str, target: Path, kind: str | None, root: Path, lang: str = "id") -> str:
    """``text`` with the modeline as its first line (an old modeline is replaced)."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith(MODELINE):
        lines = lines[1:]
    return modeline(target, kind, root, lang) + "".join(lines)


def main() -> None:
    """Regenerate the shipped schemas (engine/schemas/<lang>/) from the models."""
    here = Path(__file__).resolve().parent / "schemas"
    kinds = builtin_kinds()
    for lang in LANGS:
        files = generate(kinds, lang)
        for stale in (here / lang).glob("*.schema.json") if (here / lang).is_dir() else ():
            if stale.name not in files:
                stale.unlink()
        write(files, here / lang)
        print(f"{len(files)} schemas -> {here / lang}")


if __name__ == "__main__":
    main()
