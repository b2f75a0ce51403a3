"""Every file of the bpmn-miwg corpus (831 files from 34 tools) imports or gives a clean input
error, never a crash; the malformed ones are errors. Read from ../shared/corpora by path."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from probis.engine.model import CrossFunctionalMap
from probis.engine.yamlload import ParseError
from probis.plugins.interop.bpmn_reader import read_bpmn_as

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpora" / "bpmn-miwg"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


def _manifest() -> dict[str, dict[str, str]]:
    with (CORPUS / "MANIFEST.csv").open(encoding="utf-8", newline="") as fh:
        return {row["path"]: row for row in csv.DictReader(fh)}


def test_every_corpus_file_imports_or_is_a_clean_error() -> None:
    manifest = _manifest()
    files = sorted(CORPUS.rglob("*.bpmn"))
    assert len(files) == 831
    imported, errors, crashes = {}, {}, {}
    for path in files:
        rel = path.relative_to(CORPUS).as_posix()
        try:
            docs = read_bpmn_as(path.read_bytes(), "PB.01", path.name)
            imported[rel] = [CrossFunctionalMap.model_validate(d) for d in docs]
        except ParseError as exc:
            assert exc.message["id"] and exc.message["en"]
            errors[rel] = exc
        except Exception as exc:  # the test's point: report every crash, not the first
            crashes[rel] = f"{type(exc).__name__}: {exc}"
    assert not crashes, crashes
    malformed = {p for p, row in manifest.items() if row["wellformed"] == "0"}
    assert len(malformed) == 4
    assert malformed <= set(errors), "malformed XML must be an input error"
    for rel in malformed:
        assert errors[rel].line, "a syntax error names its line"
    # files with a process inside import; what fails is malformed or has nothing to import
    with_process = {p for p, row in manifest.items()
                    if row["wellformed"] == "1" and int(row["processes"] or 0) > 0}
    assert with_process <= set(imported), sorted(with_process - set(imported))[:5]
    # the import kept the work: tasks in the corpus become steps
    tasks = sum(int(manifest[p]["tasks"] or 0) for p in imported)
    steps = sum(1 for maps in imported.values() for m in maps for s in m.steps if s.type == "task")
    assert steps >= tasks
