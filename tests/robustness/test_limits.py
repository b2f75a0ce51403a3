"""Limits that the corpus does not cover: files per workspace, documents per file from a
reader plugin, and a reader plugin that raises."""

from __future__ import annotations

from pathlib import Path

import pytest
from probis.engine.limits import Limits
from probis.engine.loader import LoaderConfig, load_workspace


def test_file_limit_names_its_variable(example_workspace: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_MAX_FILES", "3")
    ws = load_workspace(example_workspace)
    (error,) = [e for e in ws.input_errors if e.code == "limit"]
    assert "PROBIS_MAX_FILES" in error.message["en"] and "PROBIS_MAX_FILES" in error.message["id"]


def test_reader_plugin_limits_and_failures(example_workspace: Path) -> None:
    doc = {"kind": "peta-proses", "code": "PB.60", "level": 0, "processes": []}
    config = LoaderConfig(limits=Limits(max_documents=2))
    config.readers[".many"] = lambda path, raw, limits: [dict(doc) for _ in range(3)]
    config.readers[".boom"] = lambda path, raw, limits: 1 / 0
    config.readers[".odd"] = lambda path, raw, limits: "not a list"
    for ext in ("many", "boom", "odd"):
        (example_workspace / "peta" / f"x.{ext}").write_text("x", encoding="utf-8")
    ws = load_workspace(example_workspace, config)
    by_file = {e.file: e for e in ws.input_errors}
    assert "PROBIS_MAX_DOCUMENTS" in by_file["peta/x.many"].message["en"]
    assert "ZeroDivisionError" in by_file["peta/x.boom"].message["en"]
    assert "list of documents" in by_file["peta/x.odd"].message["en"]
    assert [m.map.code for m in ws.maps] == ["PB.04.02"]  # the rest still loaded
