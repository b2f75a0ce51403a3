"""Shared fixtures: building a Normalizer stems every kamus phrase, so build it once."""

from __future__ import annotations

import pytest
from probis.plugins.overlap.lexicon import default_lexicon
from probis.plugins.overlap.normalize import Normalizer


@pytest.fixture(scope="session")
def norm() -> Normalizer:
    return Normalizer(default_lexicon())
