"""The JSON report is written in pieces, never held as one bytes object, with the same bytes.

A finding-heavy report's text is as large as its dict (315 MB for 65,903 findings,
docs/design-notes.md); the CLI writes it piece by piece through the atomic writer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from probis.engine import atomic
from probis.engine.cli import EXIT_INTERNAL, cli
from probis.engine.render import json_format
from probis.engine.render.json_format import dumps_report_bytes, iter_report_bytes, render_json

from .conftest import AS_OF


def reference(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _finding(i: int) -> dict[str, Any]:
    return {"rule": "OVL001", "severity": "warning", "element": f"PB.{i:05d}",
            "message": {"id": f"Tumpang tindih \u2014 \"{i}\"\nbaris", "en": "Overlap"},
            "score": i / 7, "tiny": 1e-05 if i % 97 == 0 else 0.5, "big": 2**70 if i == 3 else i,
            "keys": {1: "bukan teks"} if i == 5 else {}, "tags": [] if i % 2 else ["a", None]}


def _heavy_report(n: int) -> dict[str, Any]:
    return {"probis": {"version": "x"}, "score": 71.25, "grade": "C",
            "scores": {"by_map": {f"PB.{i:03d}": {"score": i / 3} for i in range(40)}},
            "findings": [_finding(i) for i in range(n)], "waived": [], "notices": {},
            "checks": [{"rule": f"R{i}", "ran": True} for i in range(n // 2)]}


def test_a_report_with_many_findings_is_written_in_several_pieces() -> None:
    report = _heavy_report(5 * json_format.CHUNK_ITEMS + 7)
    pieces = list(iter_report_bytes(report))
    whole = b"".join(pieces)
    assert whole == dumps_report_bytes(report) == render_json(report) == reference(report)
    assert len(pieces) > 10
    # bytes, or read-only views of bytes (slices without a copy), still whole once kept
    assert all(type(p) is bytes or (type(p) is memoryview and p.readonly and p.contiguous)
               for p in pieces)
    assert any(type(p) is memoryview for p in pieces)
    assert max(len(p) for p in pieces) < len(whole) / 4  # no piece is most of the document


def test_a_real_report_in_small_pieces_is_the_same_text(report: dict,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_format, "CHUNK_ITEMS", 2)
    pieces = list(iter_report_bytes(report))
    assert b"".join(pieces) == render_json(report) == reference(report)
    assert len(pieces) > len(report)


leaves = (st.none() | st.booleans() | st.integers(min_value=-(2**65), max_value=2**65)
          | st.floats(allow_nan=False, allow_infinity=False) | st.text())
documents = st.recursive(leaves, lambda inner: st.lists(inner)
                         | st.dictionaries(st.text() | st.integers(), inner), max_leaves=40)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(documents)
def test_generated_documents_in_pieces_give_the_same_text(value: object) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(json_format, "CHUNK_ITEMS", 2)
        mp.setattr(json_format, "_SPLIT_DEPTH", 50)
        assert b"".join(iter_report_bytes(value)) == reference(value)


def test_the_cli_writes_the_json_report_in_pieces(city: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    piped = CliRunner().invoke(cli, ["check", str(city), "-f", "json", "-o", "-",
                                     "--as-of", AS_OF.isoformat()]).stdout_bytes
    expected = reference(json.loads(piped))
    assert piped == expected  # standard output takes the pieces too
    written: list[int] = []
    real_write_atomic = atomic.write_atomic

    def counting(path: str | Path, content: atomic.Content) -> None:
        assert not isinstance(content, str | bytes), "the report was rendered as one object"
        pieces = list(content)
        written.append(len(pieces))
        real_write_atomic(path, pieces)

    monkeypatch.setattr(atomic, "write_atomic", counting)
    target = tmp_path / "laporan.json"
    result = CliRunner().invoke(cli, ["check", str(city), "-f", "json", "-o", str(target),
                                      "--as-of", AS_OF.isoformat()])
    assert result.exit_code in (0, 1), result.output
    assert written and written[0] > 3
    assert target.read_bytes() == expected


def test_a_renderer_failing_midway_leaves_the_old_file(city: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(value: Any, jobs: int | None = None) -> Iterator[bytes]:
        yield b"{\n"
        raise ValueError("rusak di tengah")

    monkeypatch.setattr(json_format, "iter_report_bytes", failing)
    target = tmp_path / "laporan.json"
    target.write_bytes(b"laporan lama\n")
    result = CliRunner().invoke(cli, ["check", str(city), "-f", "json", "-o", str(target),
                                      "--as-of", AS_OF.isoformat(), "--lang", "en"])
    assert result.exit_code == EXIT_INTERNAL
    assert "format `json` could not be rendered: ValueError: rusak di tengah" in result.stderr
    assert target.read_bytes() == b"laporan lama\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.json"]  # no temporary file


def test_a_renderer_failing_midway_writes_nothing_to_stdout(
        city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(value: Any, jobs: int | None = None) -> Iterator[bytes]:
        yield b"{\n"
        raise ValueError("rusak di tengah")

    monkeypatch.setattr(json_format, "iter_report_bytes", failing)
    result = CliRunner().invoke(cli, ["check", str(city), "-f", "json", "-o", "-",
                                      "--as-of", AS_OF.isoformat(), "--lang", "en"])
    assert result.exit_code == EXIT_INTERNAL
    assert "format `json` could not be rendered: ValueError: rusak di tengah" in result.stderr
    assert result.stdout == ""  # a pipe cannot be taken back: nothing half written
