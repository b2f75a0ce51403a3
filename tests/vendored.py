"""Where the tests find third-party data: the copies vendored in tests/corpora (always there),
and ../shared with the full corpora when it is beside the checkout (it is not in a user's clone).

tests/corpora/README.md names each copy's source and licence; tests/test_vendored.py keeps the
copies equal to ../shared's originals.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpora"


def find_shared(start: Path = ROOT) -> Path | None:
    """../shared beside the checkout (or beside a folder holding it: git worktrees sit deeper)."""
    for parent in start.resolve().parents:
        if (parent / "shared" / "format.md").is_file():
            return parent / "shared"
    return None


SHARED = find_shared()


def needs_shared(what: str) -> pytest.MarkDecorator:
    """Skip with a one-line reason when ../shared is absent (a user's clone)."""
    return pytest.mark.skipif(SHARED is None,
                              reason=f"../shared is not beside the checkout ({what})")
