"""Fixtures shared by the hostile-input tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder every user may enter (pytest's tmp_path is private to its user); cleaned up
    even when a test left folders in it unreadable."""
    folder = Path(tempfile.mkdtemp(prefix="probis-hostile-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for dirpath, dirnames, _ in os.walk(folder):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o755)
        shutil.rmtree(folder, ignore_errors=True)
