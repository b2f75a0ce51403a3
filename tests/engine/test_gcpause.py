"""The collector pause restores exactly the state it found, also when nested or raising."""

from __future__ import annotations

import gc

import pytest
from probis.engine.gcpause import paused_gc


def test_pause_disables_and_restores() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not re-enable early
    assert gc.isenabled()


def test_pause_restores_after_an_error_and_keeps_a_disabled_collector_disabled() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
