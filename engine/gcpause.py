"""Pause CPython's cyclic garbage collector while a batch builds long-lived objects.

Why: loading a workspace and evaluating it allocate millions of small objects (models,
token sets, facts, findings) that live until the report is written and form almost no
reference cycles. The generational collector still rescans them: every full collection walks
the whole heap, and the number of collections grows with the number of allocations, so the
cost grows faster than the workspace (figures: docs/design-notes.md). Reference
counting still frees everything acyclic at once; cycles made meanwhile are collected when
the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable automatic collection inside the block; nested use is harmless.

    Only the outermost pause re-enables the collector; its next automatic pass then sees
    every object made during the batch once, and frees the cycles among them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
