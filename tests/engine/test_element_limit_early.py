"""PROBIS_MAX_ELEMENTS holds before a YAML or JSON file is composed or decoded.

A 60 MB file of ``[1,1,…]`` (30M elements, under the 64 MiB size limit) took 3.9 GB and died
with MemoryError: the count ran on the finished node tree. The files here are small copies of
those shapes, against a lowered limit: refusing them must cost a few times the file's size,
not a hundred times (what composing costs), and files within the limit read as before.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from probis.engine import elementcount
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError, parse_bytes

N = 60_000
LIMIT = 1_000
HOSTILE = {
    "flow.yaml": b"kind: x\nx: [" + b",".join([b"1"] * N) + b"]\n",
    "block.yaml": b"kind: x\nx:\n" + b"- 1\n" * N,
    "empty-maps.yaml": b"kind: x\nx: [" + b",".join([b"{}"] * N) + b"]\n",
    "empty-maps.json": b'{"kind": "x", "x": [' + b",".join([b"{}"] * N) + b"]}",
    "strings.json": b'{"kind": "x", "x": [' + b",".join([b'{"a": "b,c"}'] * N) + b"]}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_file_past_the_limit_is_refused_before_it_is_built(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = HOSTILE[name]
    # JSON is read in pieces; pieces smaller than this test's file show that they bound
    # what the count holds at once
    monkeypatch.setattr(elementcount, "_JSON_CHUNK", 1 << 15, raising=False)
    tracemalloc.start()
    try:
        with pytest.raises(ParseError) as info:
            parse_bytes(raw, name, Limits(max_elements=LIMIT))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "PROBIS_MAX_ELEMENTS" in info.value.message["en"]
    assert f"{LIMIT:,}" in info.value.message["id"]
    # composing costs 40-140x the file; the counts cost the text and a copy or two
    assert peak < 8 * len(raw), f"{name}: {peak:,} bytes traced for a {len(raw):,}-byte file"


def test_the_yaml_line_is_that_of_the_first_element_past_the_limit() -> None:
    # the mapping, `kind`, `x`, `x` and the list are 5 elements: item k is element k + 5,
    # on line k + 2 (as the builder counted them)
    with pytest.raises(ParseError) as info:
        parse_bytes(HOSTILE["block.yaml"], "block.yaml", Limits(max_elements=LIMIT))
    assert info.value.line == LIMIT + 1 - 5 + 2


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_file_at_the_limit_still_reads(suffix: str) -> None:
    # text full of the characters the bound counts: the bound is far over, the exact count
    # decides, and a file of exactly `limit` elements reads
    value = "a: b, [c]? {d} - e"
    items = [{"k": value}] * 300
    data = {"kind": "x", "x": items}
    raw = (json.dumps(data) if suffix == "json" else yaml.safe_dump(data)).encode()
    # YAML: the mapping, 2 keys, `x`, the list, each item a mapping, a key and a value;
    # JSON counts values only
    exact = 1 + 2 + 1 + 1 + 300 * 3 if suffix == "yaml" else 1 + 1 + 1 + 300 * 2
    assert parse_bytes(raw, f"f.{suffix}", Limits(max_elements=exact))["x"][0]["k"] == value
    with pytest.raises(ParseError):
        parse_bytes(raw, f"f.{suffix}", Limits(max_elements=exact - 1))


def test_aliases_past_the_bound_still_read_and_still_count() -> None:
    body = b"kind: x\na: &a [" + b",".join([b"1"] * 200) + b"]\nb: [*a, *a]\n"
    data = parse_bytes(body, "x.yaml", Limits(max_elements=700))  # 405 written, 607 built
    assert data["b"] == [[1] * 200] * 2
    with pytest.raises(ParseError):
        parse_bytes(body, "x.yaml", Limits(max_elements=600))


_YAML_PIECES = st.sampled_from(
    ["a", "b", "-", "- ", "?", "? ", ":", ": ", ",", "[", "]", "{", "}", "&x ", "*x", "!!str ",
     "|", ">", '"', "'", " ", "\n", "\n  ", "#", "---", "..."])


@settings(max_examples=400, deadline=None)
@given(st.lists(_YAML_PIECES, max_size=14).map("".join))
def test_the_yaml_bound_is_never_below_the_nodes(source: str) -> None:
    try:
        events = list(yaml.parse(source, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return
    nodes = sum(isinstance(e, yaml.NodeEvent) for e in events)
    assert elementcount.yaml_bound(source.encode(), 0) >= nodes


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\,[]{}\n é', max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(alphabet='a"\\,[]{}', max_size=4), inner, max_size=4),
    max_leaves=20)


def _values(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_values(v) for v in value)
    return 1


@settings(max_examples=400, deadline=None)
@given(_JSON, st.sampled_from([None, 1]), st.booleans(), st.sampled_from([3, 7, 1 << 22]))
def test_the_json_count_is_exact(value: object, indent: int | None, ascii_only: bool,
                                 chunk: int) -> None:
    raw = json.dumps(value, indent=indent, ensure_ascii=ascii_only).encode()
    original = elementcount._JSON_CHUNK
    elementcount._JSON_CHUNK = chunk  # pieces that end anywhere outside a string
    try:
        assert elementcount.json_count(raw) == _values(value)
    finally:
        elementcount._JSON_CHUNK = original
    assert elementcount.json_bound(raw, 0) >= _values(value)
