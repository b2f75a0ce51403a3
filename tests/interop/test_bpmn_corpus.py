"""Every file of the bpmn-miwg corpus imports or gives a clean input error, never a crash; the
malformed ones are errors. The vendored subset (tests/corpora/bpmn-miwg: reference models, the
4 malformed files, files without a process, two files per tool) always runs; the full corpus
(831 files from 34 tools) runs when ../shared is beside the checkout."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from probis.engine.model import CrossFunctionalMap
from probis.engine.yamlload import ParseError
from probis.plugins.interop.bpmn_reader import read_bpmn_as
from vendored import CORPORA, SHARED, needs_shared


def _manifest(corpus: Path) -> dict[str, dict[str, str]]:
    with (corpus / "MANIFEST.csv").open(encoding="utf-8", newline="") as fh:
        return {row["path"]: row for row in csv.DictReader(fh)}


def _check_corpus(corpus: Path) -> int:
    """Import every file of a corpus; returns how many there were."""
    manifest = _manifest(corpus)
    files = sorted(corpus.rglob("*.bpmn"))
    assert {f.relative_to(corpus).as_posix() for f in files} == set(manifest)
    imported, errors, crashes = {}, {}, {}
    for path in files:
        rel = path.relative_to(corpus).as_posix()
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
    return len(files)


def test_every_file_of_the_vendored_subset_imports_or_is_a_clean_error() -> None:
    manifest = _manifest(CORPORA / "bpmn-miwg")
    # the subset keeps what makes the corpus worth testing against
    assert sum(p.startswith("Reference/") for p in manifest) == 21
    assert len({p.split("/")[0] for p in manifest}) == 36  # every tool, Reference, Work in Progress
    assert any(r["wellformed"] == "1" and r["processes"] == "0" for r in manifest.values())
    assert _check_corpus(CORPORA / "bpmn-miwg") == len(manifest)


@pytest.mark.slow  # 831 files; the vendored subset above runs in the default suite
@needs_shared("the full MIWG corpus is ../shared/corpora/bpmn-miwg")
def test_every_corpus_file_imports_or_is_a_clean_error() -> None:
    assert SHARED is not None
    assert _check_corpus(SHARED / "corpora" / "bpmn-miwg") == 831
