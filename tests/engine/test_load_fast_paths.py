"""The loading shortcuts give exactly what the plain paths give (engine/yamlload.py,
engine/lenient.py, engine/modelfields.py, engine/regular.py, engine/parallel.py).

Each shortcut is compared with the path it replaces, or with an oracle computed another way,
on inputs chosen to reach its edges: the documents of every kind with a wrong value at every
field, strings at the element and depth limits, values the YAML resolver types, models whose
validators may return anything, a file that grows while it is read, a loader child that dies.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import yaml
from format_examples import format_examples
from probis.engine import lenient, modelfields, parallel, regular
from probis.engine.lenient import unknown_fields, validate_lenient
from probis.engine.limits import Limits
from probis.engine.model import CORE_KINDS, Model
from probis.engine.yamlload import ParseError, _FastLoader, parse_bytes
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)
from test_lenient import CASES, _wrong

# --- validation: as parsed first, copied only for pruning --------------------------------


def _document(kind: str, path: tuple[Any, ...]) -> tuple[dict[str, Any], str]:
    """The format example of ``kind`` with a wrong value at ``path`` (as the loader reads it)."""
    data = yaml.safe_load(format_examples()[kind])
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = _wrong(holder[path[-1]])
    source = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return parse_bytes(source.encode(), "x.yaml", Limits()), source


def _outcome(kind: str, data: dict[str, Any], source: str) -> tuple[Any, ...]:
    result = validate_lenient(CORE_KINDS[kind], data, source)
    dump = None if result.instance is None else result.instance.model_dump(by_alias=True)
    return (dump, result.errors, [(p.path, p.container_line) for p in result.pruned])


@pytest.mark.parametrize(("kind", "path"), [*CASES, *((k, ()) for k in sorted(CORE_KINDS))])
def test_validating_as_parsed_gives_what_copying_first_gives(
        monkeypatch: pytest.MonkeyPatch, kind: str, path: tuple[Any, ...]) -> None:
    if path:
        data, source = _document(kind, path)
    else:  # the valid example itself
        source = format_examples()[kind]
        data = parse_bytes(source.encode(), "x.yaml", Limits())
    before = copy.deepcopy(data)
    fast = _outcome(kind, data, source)
    assert data == before  # the document is left as parsed (lines are read from it later)
    monkeypatch.setattr(lenient, "VALIDATE_AS_IS", False)
    assert _outcome(kind, data, source) == fast
    assert bool(path) == bool(fast[1])  # the wrong value was noticed, the example is clean


# --- which fields can hold a model ---------------------------------------------------------


class _Leaf(Model):
    name: str | None = None


def _as_leaf(value: Any) -> Any:
    return _Leaf(name=value, nama_lain=1)  # type: ignore[call-arg]  # an extra field


class _Holder(Model):
    plain: str | None = None
    codes: Annotated[list[str], BeforeValidator(lambda v: v)] = Field(default_factory=list)
    choice: Literal["a", "b"] | None = None
    when: dt.date | None = None
    child: _Leaf | None = None
    children: list[_Leaf] = Field(default_factory=list)
    loose: Any = None
    made: Annotated[str, AfterValidator(_as_leaf)] | None = None  # returns a model
    factory: list[str] = Field(default_factory=lambda: ["x"])


class _AfterModel(Model):
    plain: str | None = None

    @model_validator(mode="after")
    def _swap(self) -> _AfterModel:
        if self.plain == "leaf":
            object.__setattr__(self, "plain", _as_leaf("x"))
        return self


class _AfterField(Model):
    plain: str | None = None
    other: str | None = None

    @field_validator("plain", mode="after")
    @classmethod
    def _leaf(cls, value: Any) -> Any:
        return _as_leaf(value) if value == "leaf" else value


def test_plain_annotations() -> None:
    plain = [str, int | None, list[str], dict[str, int], Literal["a", "b"], dt.date,
             Annotated[str, BeforeValidator(str)], tuple[int, ...], set[str] | None]
    not_plain = [_Leaf, list[_Leaf], _Leaf | None, Any, object, dict[str, Any], list,
                 Annotated[str, AfterValidator(str)], "ForwardRef", Path]
    assert all(modelfields.plain_annotation(a) for a in plain)
    assert not any(modelfields.plain_annotation(a) for a in not_plain)


def test_fields_that_can_hold_a_model_are_walked() -> None:
    nested = [name for name, _ in modelfields.field_table(_Holder).nested]
    assert nested == ["child", "children", "loose", "made", "factory"]
    assert [n for n, _ in modelfields.field_table(_AfterModel).nested] == ["line", "plain"]
    assert [n for n, _ in modelfields.field_table(_AfterField).nested] == ["plain"]
    assert modelfields.field_table(CORE_KINDS["peta-proses"]).nested == (
        ("adopted", "adopted"), ("processes", "processes"))


def test_unknown_fields_inside_models_made_by_validators_are_reported() -> None:
    data = {"__line__": 1, "made": "m", "child": {"__line__": 2, "nama": 1}}
    holder = _Holder.model_validate(data)
    found = unknown_fields(holder, None, data, set())
    assert [(name, close) for _, name, close in found] == [
        ("child.nama", ["name"]), ("made.nama_lain", [])]
    after = _AfterModel.model_validate({"plain": "leaf"})
    assert [name for _, name, _ in unknown_fields(after, None, {}, set())] == ["plain.nama_lain"]
    field = _AfterField.model_validate({"plain": "leaf"})
    assert [name for _, name, _ in unknown_fields(field, None, {}, set())] == ["plain.nama_lain"]


@pytest.mark.parametrize(("kind", "path"), CASES[::3])
def test_unknown_fields_with_and_without_the_table(
        monkeypatch: pytest.MonkeyPatch, kind: str, path: tuple[Any, ...]) -> None:
    # unknown fields at every depth of the example: the skipped fields hide none of them
    data = yaml.safe_load(format_examples()[kind])
    holder = data
    for part in path[:-1]:
        holder = holder[part]
        if isinstance(holder, dict):
            holder["kolom_asing"] = 1
    source = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    parsed = parse_bytes(source.encode(), "x.yaml", Limits())
    instance = validate_lenient(CORE_KINDS[kind], parsed, source).instance
    assert instance is not None
    lines = source.splitlines()
    fast = unknown_fields(instance, lines, parsed, set())
    assert len(fast) == sum(isinstance(v, dict) and "kolom_asing" in v
                            for v in _containers(parsed))
    real = modelfields.field_table

    def every_field(cls: type[BaseModel]) -> modelfields.FieldTable:
        table = real(cls)
        return modelfields.FieldTable(table.fields, table.fields, table.known, table.free)

    monkeypatch.setattr(lenient, "field_table", every_field)
    assert unknown_fields(instance, lines, parsed, set()) == fast


def _containers(node: Any) -> list[Any]:
    out = [node]
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        out += _containers(child)
    return out


# --- YAML: the resolver's shortcuts and the strings built inline ---------------------------

SCALARS = ["", "~", "null", "Null", "true", "yes", "No", "on", "OFF", "y", "0", "-1", "+1",
           "0x1F", "0o17", "017", "1_000", "1.5", ".5", "-.inf", ".NaN", "1e3", "6.8523015e+5",
           "190:20:30", "2026-01-31", "2026-1-31", "2026-12-05 03:00:00", "2026-13-45",
           "1.06.01.2.01.0001", "PB.176.01", "=", "<<", "-", "- a", "a: b", "abc", "Ya",
           "  spaced", "12 Juni", "0.1.2", ".", "+", "@", "`x`", "%", "!", "&a", "*a"]


@pytest.mark.parametrize("value", SCALARS)
def test_resolver_shortcuts_answer_what_pyyaml_answers(value: str) -> None:
    plain = yaml.CSafeLoader("")
    fast = _FastLoader("")
    try:
        for implicit in ((True, False), (False, True), (False, False)):
            for _ in range(2):  # the second time from the memo
                assert fast.resolve(yaml.ScalarNode, value, implicit) == plain.resolve(
                    yaml.ScalarNode, value, implicit)
        for kind in (yaml.MappingNode, yaml.SequenceNode):
            assert fast.resolve(kind, None, (False, False)) == plain.resolve(
                kind, None, (False, False))
    finally:
        plain.dispose()
        fast.dispose()


def test_documents_read_as_pyyaml_reads_them() -> None:
    body = "\n".join(line for line in (f"k{i}: {v}" for i, v in enumerate(SCALARS))
                     if _loads(line))
    body += "\nlist: [a, 1, '2', [b, {c: d}], ~]\nmap: {x: [y, z], 'q': 2026-01-31}\n"
    expected = yaml.load(body, Loader=yaml.CSafeLoader)
    assert _strip(parse_bytes(body.encode(), "x.yaml", Limits())) == expected


def _loads(line: str) -> bool:
    try:
        yaml.load(line, Loader=yaml.CSafeLoader)
        return "<<" not in line  # a merge key is refused on purpose
    except (yaml.YAMLError, ValueError):
        return False


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k != "__line__"}
    return [_strip(v) for v in node] if isinstance(node, list) else node


_NESTED = """\
kind: peta-proses
code: "PB.1"
processes:
  - code: PB.1.01
    inputs: [a, b, [c, d]]
    owner: x
  - {code: PB.1.02, next: [PB.1.01], when: 2026-01-31}
meta:
  a:
    b:
      c: [e, f]
"""


def _preorder(node: yaml.Node, depth: int = 1) -> list[tuple[int, int]]:
    """(line, depth) of every node in the order the builder meets them."""
    out = [(node.start_mark.line + 1, depth)]
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out += _preorder(item, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out += _preorder(key, depth + 1) + _preorder(value, depth + 1)
    return out


def test_element_and_depth_limits_stop_at_the_node_that_passes_them() -> None:
    nodes = _preorder(yaml.compose(_NESTED, Loader=yaml.CSafeLoader))
    for limit in range(1, len(nodes)):
        with pytest.raises(ParseError) as err:
            parse_bytes(_NESTED.encode(), "x.yaml", Limits(max_elements=limit))
        assert err.value.line == nodes[limit][0] and "too many elements" in err.value.message["en"]
    parse_bytes(_NESTED.encode(), "x.yaml", Limits(max_elements=len(nodes)))
    for depth in range(1, max(d for _, d in nodes)):
        with pytest.raises(ParseError) as err:
            parse_bytes(_NESTED.encode(), "x.yaml", Limits(max_depth=depth))
        first = next(line for line, d in nodes if d > depth)
        assert err.value.line == first and "nesting too deep" in err.value.message["en"]


def test_a_tag_or_a_duplicate_key_is_still_refused_with_its_line() -> None:
    for body, line, words in (("a: b\nc: !!python/name:os.system x\n", 2, "tag"),
                              ("a: b\nc: [d, !!binary eA==]\n", 2, "tag"),
                              ("a: b\nc: d\na: e\n", 3, "twice"),
                              ("a: b\n? [c]\n: d\n", 2, "plain scalars")):
        with pytest.raises(ParseError) as err:
            parse_bytes(body.encode(), "x.yaml", Limits())
        assert err.value.line == line and words in err.value.message["en"]


# --- reading: the size fstat saw first ----------------------------------------------------


def test_a_file_that_grows_after_fstat_is_read_to_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.yaml"
    target.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    class _Seen:
        def __init__(self, fd: int) -> None:
            info = real_fstat(fd)
            self.st_mode, self.st_size = info.st_mode, 10  # as if it was 10 bytes then

    monkeypatch.setattr(regular.os, "fstat", _Seen)
    assert regular.read_regular(target, 100) == b"x" * 100
    assert regular.read_regular(target, 200) == b"x" * 100
    with pytest.raises(regular.TooLarge):
        regular.read_regular(target, 99)
    monkeypatch.undo()
    assert regular.read_regular(target, 100) == b"x" * 100
    with pytest.raises(regular.TooLarge):
        regular.read_regular(target, 99)


# --- parallel loading: chunks claimed by the parent and by forked children ----------------


def _files(tmp_path: Path, count: int) -> list[tuple[Path, str]]:
    out = []
    for i in range(count):
        path = tmp_path / f"f{i:03}.txt"
        path.write_text(str(i))
        out.append((path, path.name))
    return out


def _load_into(ws: Any, path: Path, rel: str, unknown: list[Any]) -> None:
    time.sleep(0.002)  # long enough for a forked child to claim chunks too
    ws.docs.append((rel, path.read_text(), os.getpid()))
    if rel.endswith("7.txt"):
        unknown.append(rel)


def _load(tmp_path: Path, files: list[tuple[Path, str]], jobs: int,
          load_into: Any = _load_into) -> tuple[Any, list[Any], list[tuple[int, int]]]:
    from probis.engine.workspace import Workspace

    ws = Workspace(root=tmp_path, name="t")
    unknown: list[Any] = []
    ticks: list[tuple[int, int]] = []
    parallel.load_files(ws, files, load_into, unknown,
                        lambda _phase, done, total: ticks.append((done, total)), jobs)
    return ws, unknown, ticks


def test_parallel_loading_keeps_file_order_and_uses_the_children(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 5)
    files = _files(tmp_path, 60)
    serial, serial_unknown, _ = _load(tmp_path, files, 1)
    for jobs in (2, 3):
        ws, unknown, ticks = _load(tmp_path, files, jobs)
        assert [d[:2] for d in ws.docs] == [d[:2] for d in serial.docs]
        assert unknown == serial_unknown
        assert ticks[-1] == (60, 60) and [t[0] for t in ticks] == sorted(t[0] for t in ticks)
        assert len({d[2] for d in ws.docs}) > 1  # not all loaded by this process


def test_a_loader_child_that_dies_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 5)
    files = _files(tmp_path, 60)
    parent = os.getpid()

    def dying(ws: Any, path: Path, rel: str, unknown: list[Any]) -> None:
        if os.getpid() != parent:
            os._exit(3)  # the child dies on the first file it claims
        _load_into(ws, path, rel, unknown)

    serial, serial_unknown, _ = _load(tmp_path, files, 1)
    ws, unknown, ticks = _load(tmp_path, files, 2, dying)
    assert [d[:2] for d in ws.docs] == [d[:2] for d in serial.docs]
    assert unknown == serial_unknown and ticks[-1] == (60, 60)


def test_frames_cut_across_reads_are_put_together() -> None:
    import pickle

    read_fd, write_fd = os.pipe()
    child = parallel._LoaderChild(os.getpid(), read_fd)
    frames = b""
    for i in range(3):
        data = pickle.dumps((i, ([i], [], [], [])))
        frames += len(data).to_bytes(8, "little") + data
    child.start()
    for start in range(0, len(frames), 7):  # in pieces of 7 bytes
        os.write(write_fd, frames[start:start + 7])
    os.write(write_fd, (1000).to_bytes(8, "little") + b"cut short")  # a child died mid-frame
    os.close(write_fd)
    got = child.frames(wait=True)
    child.thread.join()
    assert [i for i, _ in got] == [0, 1, 2] and child.frames(wait=True) == []


def test_loading_goes_on_when_no_child_can_be_forked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 5)
    files = _files(tmp_path, 30)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    serial, serial_unknown, _ = _load(tmp_path, files, 1)
    ws, unknown, ticks = _load(tmp_path, files, 3)
    assert ws.docs == serial.docs  # all loaded here, in order
    assert unknown == serial_unknown and ticks[-1] == (30, 30)
