from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _alignment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # a fixed plugin set: these tests judge the alignment rules, not other rule sets
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "alignment")
