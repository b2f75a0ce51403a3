"""Field-level leniency: every field of every kind in format.md, given a wrong value, makes one
input error at that field's line, and the document is still loaded unless the field is what
makes it a document (engine/lenient.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from format_examples import EXAMPLE_PATHS, format_examples, write_example_workspace
from probis.engine.loader import load_workspace
from probis.engine.model import CORE_KINDS


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every mapping key of the example; of a list, its first item (the others are alike)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if prefix == () and key == "kind":
                continue
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list) and node:
        yield from _paths(node[0], (*prefix, 0))


def _wrong(value: Any) -> Any:
    # a list is wrong where a mapping is expected, a mapping wherever anything else is
    return ["salah"] if isinstance(value, dict) else {"salah": 1}


def _field_name(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _required_top_level(kind: str, key: str) -> bool:
    model = CORE_KINDS[kind]
    info = model.model_fields.get("from_" if key == "from" else key)
    return info is not None and info.is_required()


CASES = [(kind, path) for kind, body in sorted(format_examples().items())
         for path in _paths(yaml.safe_load(body))]


def test_every_kind_has_cases() -> None:
    assert {kind for kind, _ in CASES} == set(EXAMPLE_PATHS)
    assert len(CASES) > 60


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example_workspace(tmp_path_factory.mktemp("base") / "kota-contoh")


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[f"{k}:{_field_name(p)}" for k, p in CASES])
def test_a_wrong_value_costs_its_field_not_its_document(
        base: Path, tmp_path: Path, kind: str, path: tuple[Any, ...]) -> None:
    ws = Path(shutil.copytree(base, tmp_path / "ws"))
    target = ws / EXAMPLE_PATHS[kind]
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = _wrong(holder[path[-1]])
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    target.write_text(text, encoding="utf-8")

    loaded = load_workspace(ws)
    rel = EXAMPLE_PATHS[kind]
    errors = [e for e in loaded.input_errors if e.file == rel]
    name = _field_name(path)
    assert errors, f"no input error for {name}"
    mine = [e for e in errors if e.field and (e.field == name or e.field.startswith(name + "."))]
    assert mine, f"{name}: errors name {[e.field for e in errors]}"
    # the error points at the field's own line (the key is written there)
    lines = text.splitlines()
    key = str(path[-1])
    assert mine[0].line is not None and f"{key}:" in lines[mine[0].line - 1], (
        f"{name}: line {mine[0].line} is {lines[(mine[0].line or 1) - 1]!r}")
    still_loaded = any(d.file == rel for d in loaded.docs)
    if len(path) == 1 and _required_top_level(kind, key):
        assert not still_loaded and mine[0].dropped_kind == kind
        assert "skipped" in mine[0].message["en"]
    else:
        assert still_loaded, f"{name}: the whole {kind} document was dropped"
        assert "the rest is audited" in mine[0].message["en"]


def test_bad_optional_date_keeps_the_map_and_its_processes(base: Path, tmp_path: Path) -> None:
    ws = Path(shutil.copytree(base, tmp_path / "ws"))
    target = ws / EXAMPLE_PATHS["peta-proses"]
    body = target.read_text(encoding="utf-8")
    assert "last_evaluated:" in body
    lines = body.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("last_evaluated:"))
    lines[number - 1] = "last_evaluated: 30-06-2026"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_workspace(ws)
    [error] = [e for e in loaded.input_errors if e.file == EXAMPLE_PATHS["peta-proses"]]
    assert (error.field, error.line) == ("last_evaluated", number)
    assert "30-06-2026" in error.message["en"] and "YYYY-MM-DD" in error.message["en"]
    before = load_workspace(base)
    assert len(loaded.maps) == len(before.maps)
    assert len(loaded.processes) == len(before.processes)
    assert loaded.maps[0].map.last_evaluated is None


def test_a_mistyped_date_drops_that_value_not_the_map(tmp_path: Path) -> None:
    # 2025-13-10 is shaped like a date and is none: it used to be a parse error of the whole
    # file, so one typo left the map unaudited (and its unit's grade capped)
    from probis.engine.report import build_report
    from probis.engine.runner import audit
    from testkit import AS_OF, SAMPLE_CITY

    ws = tmp_path / "kota"
    shutil.copytree(SAMPLE_CITY, ws)
    path = ws / "peta" / "inspektorat" / "PB.02.yaml"
    text = path.read_text("utf-8")
    assert "  date: 2025-03-10\n" in text
    path.write_text(text.replace("  date: 2025-03-10\n", "  date: 2025-13-10\n"), "utf-8")
    report = build_report(audit(ws, AS_OF))
    [error] = report["input_errors"]
    assert (error["file"], error["line"], error["field"]) == (
        "peta/inspektorat/PB.02.yaml", 11, "adopted.date")
    maps = report["verdict"]["completeness"]["maps"]
    assert maps["audited"] == maps["declared"]


def test_when_the_document_is_skipped_no_error_says_the_rest_is_audited(
        tmp_path: Path) -> None:
    """A wrong `level` skips the map; the same map's wrong adoption date said "this value is
    ignored; the rest is audited", which a staffer reads as the map being audited."""
    from testkit import SAMPLE_CITY

    ws = tmp_path / "kota"
    shutil.copytree(SAMPLE_CITY, ws)
    path = ws / "peta" / "inspektorat" / "PB.02.yaml"
    text = path.read_text("utf-8")
    text = text.replace("  date: 2025-03-10\n", "  date: 10-03-2025\n")
    text = text.replace("\nlevel: 0\n", "\nlevel: nol\n")
    path.write_text(text, "utf-8")
    errors = {e.field: e.message for e in load_workspace(ws).input_errors}
    assert set(errors) == {"level", "adopted.date"}, errors
    assert "the document cannot be read and is skipped" in errors["level"]["en"]
    assert "the rest is audited" not in errors["adopted.date"]["en"]
    assert "isi lain tetap diaudit" not in errors["adopted.date"]["id"]
    assert errors["adopted.date"]["en"].endswith("(the document is skipped for the error in "
                                                 "`level`)")
    assert errors["adopted.date"]["id"].endswith("(dokumen ini dilewati karena galat pada "
                                                 "`level`)")
