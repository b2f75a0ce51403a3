"""Pause CPython's cyclic garbage collector while a batch builds long-lived objects.

Why: loading a workspace and evaluating it allocate millions of small objects (models,
token sets, facts, findings) that live until the report is written and form almost no
reference cycles. The generational collector still rescans them: every full collection walks
the whole heap, and the number of collections grows with the number of allocations, so the
cost grows faster than the workspace (figures: docs/design-notes.md). Reference
counting still frees everything acyclic at once.

When the outermost pause ends, the survivors go to the permanent generation
(``gc.freeze()``): otherwise the first automatic pass after the pause walks every object the
batch made (0.5 s at 100,000 processes in ``benchmarks/overlap_bench.py``), only to find
them alive. Frozen objects are still freed by reference counting; only a *cycle* among them
would wait for :func:`thaw`. A process that lives on after a run (an in-process CLI call,
``check-many``'s process and its pool or Dask workers between workspaces) calls
:func:`thaw` at the end of each run, which hands the objects back to the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: True while the permanent generation holds what our pauses froze (and nobody else's).
_frozen_by_pause = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable automatic collection inside the block; nested use is harmless.

    Only the outermost pause re-enables the collector, after freezing the heap, unless
    someone else froze it before (e.g. for a fork): their ``gc.unfreeze()`` stays theirs.
    """
    global _frozen_by_pause
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _frozen_by_pause or gc.get_freeze_count() == 0:
                # safe: the objects made in a run are acyclic (tests/scale/test_check_many.py)
                # and live until its report is written; long-lived processes thaw() per run
                gc.freeze()
                _frozen_by_pause = True
            gc.enable()


@contextmanager
def thawed_after() -> Iterator[None]:
    """:func:`thaw` when the block ends, however it ends (also a decorator: one run)."""
    try:
        yield
    finally:
        thaw()


def thaw() -> None:
    """Give what the pauses froze back to the collector (its oldest generation, which is
    walked at the next full collection): call at the end of a run in a process that goes on
    with other work. O(1); does nothing when no pause froze the heap."""
    global _frozen_by_pause
    if _frozen_by_pause:
        gc.unfreeze()
        _frozen_by_pause = False
