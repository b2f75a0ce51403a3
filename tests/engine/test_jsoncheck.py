"""engine/jsoncheck.py accepts exactly what json.dumps(allow_nan=False) accepts, checking shared
parts once."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from probis.engine import jsoncheck
from probis.engine.jsoncheck import check_json


class Colour(enum.Enum):
    RED = 1


class Text(str):
    pass


ODD = st.sampled_from([{1, 2}, b"x", Colour.RED, Text("t"), object(), frozenset(), 1j])
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=4))
KEY = st.one_of(st.text(max_size=3), st.integers(), st.none(), st.booleans(), st.floats(),
                st.tuples(st.integers()))
VALUE = st.recursive(st.one_of(SCALAR, ODD), lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(KEY, inner, max_size=4)), max_leaves=12)


def _outcome(call: Any) -> type | None:
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return type(exc)
    return None


@settings(max_examples=300, deadline=None)
@given(values=st.lists(VALUE, max_size=4))
def test_same_verdict_as_json_dumps(values: list[Any]) -> None:
    expected = next((kind for v in values
                     if (kind := _outcome(lambda v=v: json.dumps(v, allow_nan=False)))), None)
    assert _outcome(lambda: check_json(values)) is expected


def test_cycles_and_shared_parts() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError):
        check_json([{"a": loop}])
    shared = {"process": "PB.01", "outputs": ["SK"]}
    check_json([{"a": shared, "b": shared}, [shared, (shared,)]])  # shared, not a cycle
    with pytest.raises(TypeError):
        check_json([{"ok": 1}, {"bad": {1, 2}}])


def _counted_plain_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the calls of ``jsoncheck._plain`` from now on (the list's one item)."""
    calls = [0]
    plain = jsoncheck._plain

    def counted(*args: Any) -> bool:
        calls[0] += 1
        return plain(*args)

    monkeypatch.setattr(jsoncheck, "_plain", counted)
    return calls


def test_a_shared_part_is_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    side = {"process": "PB.01.01", "outputs": ["Dokumen PBG"] * 50}
    calls = _counted_plain_calls(monkeypatch)
    check_json([{"process": side, "score": 0.9} for _ in range(200)])
    assert calls[0] < 200 * 4 + 60  # each evidence's own two values, the side's 52 only once


def test_an_overlap_evidence_costs_no_call_per_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    # OVL001's shape: two shared sides, five floats, two shared lists per finding
    a, b = {"process": "PB.01.01", "outputs": ["SK"]}, {"process": "PB.02.01", "outputs": []}
    words, outputs = ["izin", "usaha"], ["sk"]
    values = [{"process": a, "other": b, "score": 0.9, "threshold": 0.8, "name": 1.0,
               "output": 0.5, "customer": 0.0, "words": words, "outputs": outputs}
              for _ in range(500)]
    calls = _counted_plain_calls(monkeypatch)
    check_json(values)
    assert calls[0] <= 8  # each side and list once (and a side's own list), nothing per finding
    values[-1]["customer"] = float("nan")  # a float checked inline is still checked
    with pytest.raises(ValueError, match="JSON compliant"):
        check_json(values)
    values[-1]["customer"] = 0.0
    values[-1]["words"] = ["izin", {1}]  # a list first seen in a later finding: walked
    with pytest.raises(TypeError):
        check_json(values)


@pytest.mark.parametrize("value", [
    {"score": float("nan")}, {"scores": [0.5, float("inf")]}, {"side": {"x": -float("inf")}},
    {float("nan"): 1}, [(1.0, float("nan"))],
])
def test_nan_and_infinity_are_not_json(value: Any) -> None:
    # orjson writes null, the standard library NaN: one report would have two texts
    with pytest.raises(ValueError, match="JSON compliant"):
        check_json([value])
    check_json([{"score": 0.5, "scores": [1.0, -2.5e-7], 1.5: "key"}])  # finite floats pass


def test_a_report_section_with_nan_is_refused() -> None:
    from probis.engine.runner import _checked_sections

    with pytest.raises(ValueError):
        _checked_sections({"coverage": {"share": float("nan")}})
    assert _checked_sections({"coverage": {"share": 0.25}}) == {"coverage": {"share": 0.25}}
