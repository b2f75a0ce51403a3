"""The JSON report's text is exactly what the standard library writes, whichever encoder ran."""

from __future__ import annotations

import json
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from probis.engine.render import json_format
from probis.engine.render.json_format import dumps_report


def reference(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_the_fast_encoder_is_installed_and_used(monkeypatch: pytest.MonkeyPatch) -> None:
    assert json_format.orjson is not None  # a dependency: without it reports are 9x slower
    calls: list[object] = []
    monkeypatch.setattr(json_format.json, "dumps", lambda *a, **k: calls.append(a) or "")
    assert dumps_report({"skor": 98.5, "temuan": ["KTP-el", None, True, 3]}) == (
        '{\n  "skor": 98.5,\n  "temuan": [\n    "KTP-el",\n    null,\n    true,\n    3\n  ]\n}\n')
    assert calls == []


@pytest.mark.parametrize("value", [
    {"kecil": 1e-05}, [1.2345e-06], {"besar": 2**70}, {1: "kunci bukan teks"},
    {"surrogate": "\ud800"}, {"teks": "0.00001 dan 1e-5 di dalam teks"},
])
def test_values_orjson_would_write_differently_take_the_standard_library(value: object) -> None:
    assert dumps_report(value) == reference(value)


def test_random_float_bit_patterns_give_the_same_text() -> None:
    rng = random.Random(7)
    for _ in range(20000):
        value = struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
        if value != value or value in (float("inf"), float("-inf")):
            continue
        assert dumps_report([value]) == reference([value]), value


leaves = (st.none() | st.booleans() | st.integers(min_value=-(2**65), max_value=2**65)
          | st.floats(allow_nan=False, allow_infinity=False) | st.text())
documents = st.recursive(leaves, lambda inner: st.lists(inner)
                         | st.dictionaries(st.text(), inner), max_leaves=25)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(documents)
def test_generated_documents_give_the_same_text(value: object) -> None:
    assert dumps_report(value) == reference(value)


def test_a_real_report_is_the_standard_librarys_text(report: dict) -> None:
    assert dumps_report(report) == reference(report)


def test_render_json_writes_the_same_text_as_utf8_bytes() -> None:
    """The renderer hands the CLI bytes (no decode and re-encode of a large report)."""
    from probis.engine.render.json_format import dumps_report_bytes, render_json

    report = {"skor": 98.5, "unit": "Dinas Kependudukan dan Pencatatan Sipil", "kecil": 1e-05,
              "teks": "ejaan \u00e9 \u2014 \U0001f600"}
    rendered = render_json(report)
    assert isinstance(rendered, bytes)
    assert rendered == dumps_report(report).encode("utf-8") == dumps_report_bytes(report)
