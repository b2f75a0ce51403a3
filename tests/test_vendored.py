"""The copies in tests/corpora are complete and, when ../shared is beside the checkout, still
equal to their originals (regenerate them with `python tests/corpora/vendor.py`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from vendored import CORPORA, SHARED, needs_shared

# vendored path -> path of the original in ../shared
ORIGINS = {
    "bpmnlint": "corpora/bpmnlint",
    "bpmn-miwg": "corpora/bpmn-miwg",
    "sarif": "schemas",
}
LICENCES = ["bpmnlint/_config/LICENSE", "bpmn-miwg/LICENSE.txt", "sarif/LICENSE.md"]
# written here, not copied: the subset's manifest (checked row by row) and the schema's terms
NOT_COPIED = {("bpmn-miwg", "MANIFEST.csv"), ("sarif", "LICENSE.md")}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_vendored_data_carries_its_licences_and_readme() -> None:
    for rel in LICENCES:
        assert (CORPORA / rel).is_file(), rel
    readme = (CORPORA / "README.md").read_text(encoding="utf-8")
    for words in ("MIT", "CC BY 3.0", "bpmn-io/bpmnlint", "bpmn-miwg/bpmn-miwg-test-suite",
                  "oasis-tcs/sarif-spec"):
        assert words in readme, words
    total = sum(p.stat().st_size for p in CORPORA.rglob("*") if p.is_file())
    assert total < 5_500_000, f"tests/corpora is {total / 1e6:.1f} MB; keep the clone small"


@needs_shared("the originals of tests/corpora are in ../shared")
def test_vendored_files_equal_their_originals() -> None:
    assert SHARED is not None
    compared = 0
    for folder, origin in ORIGINS.items():
        for copy in sorted((CORPORA / folder).rglob("*")):
            rel = copy.relative_to(CORPORA / folder)
            if not copy.is_file() or (folder, rel.as_posix()) in NOT_COPIED:
                continue
            original = SHARED / origin / rel
            assert copy.read_bytes() == original.read_bytes(), f"{copy} differs from {original}"
            compared += 1
    assert compared > 250
    # the subset's manifest: rows of the full manifest, one per copied file
    subset = _rows(CORPORA / "bpmn-miwg" / "MANIFEST.csv")
    full = {r["path"]: r for r in _rows(SHARED / "corpora" / "bpmn-miwg" / "MANIFEST.csv")}
    assert all(full[r["path"]] == r for r in subset)


def test_every_bpmnlint_expectation_has_its_fixture() -> None:
    expected = json.loads((CORPORA / "bpmnlint" / "expected.json").read_text(encoding="utf-8"))
    assert len(expected) == 182
    missing = [key for key in expected if not (CORPORA / "bpmnlint" / key).is_file()]
    assert not missing, missing
