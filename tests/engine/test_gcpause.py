"""The collector pause restores exactly the state it found, also when nested or raising, and
leaves what it made frozen, so that no collector pass walks it when the pause ends."""

from __future__ import annotations

import gc
import weakref

import pytest
from probis.engine.gcpause import paused_gc, thaw, thawed_after


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
    thaw()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0  # not our pause: the collector's owner decides
    finally:
        gc.enable()


def test_the_objects_of_a_pause_are_frozen_so_no_pass_walks_them_when_it_ends() -> None:
    assert gc.get_freeze_count() == 0
    with paused_gc():
        with paused_gc():
            made = [[i] for i in range(50_000)]  # tracked containers, as a batch makes
        assert gc.get_freeze_count() == 0  # only the outermost pause freezes
        assert gc.get_count()[0] >= 50_000
    # Without the freeze the 50,000 lists would still be counted in generation 0, and the
    # next allocation would start a pass that walks all of them.
    assert gc.get_count()[0] < 100
    assert gc.get_freeze_count() >= 50_000
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            passes.append(info["collected"])

    gc.callbacks.append(seen)
    try:
        more = [[i] for i in range(5_000)]  # past the generation-0 threshold: passes run
    finally:
        gc.callbacks.remove(seen)
    assert passes, "the collector works again after the pause"
    thaw()
    assert gc.get_freeze_count() == 0
    del made, more


def test_thaw_hands_a_cycle_made_in_a_pause_back_to_the_collector() -> None:
    class Node:
        pass

    with paused_gc():
        node = Node()
        node.self = node  # type: ignore[attr-defined]
    ref = weakref.ref(node)
    del node
    gc.collect()
    assert ref() is not None  # frozen: even a full collection leaves the cycle alone
    with thawed_after():
        pass
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert ref() is None


def test_someone_elses_frozen_heap_stays_frozen_and_is_not_thawed_by_us() -> None:
    gc.freeze()  # e.g. engine/many.py before forking its workers
    try:
        before = gc.get_freeze_count()
        with paused_gc():
            made = [[i] for i in range(1_000)]
        assert gc.get_freeze_count() == before  # not frozen on top of theirs
        thaw()
        assert gc.get_freeze_count() == before
        del made
    finally:
        gc.unfreeze()
