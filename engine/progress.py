"""Progress of long runs: a callback the loader and runner call, and a bar for terminals.

``Progress`` is ``(stage, done, total) -> None`` with stage ``load`` (files) or ``evaluate``
(rules). The bar draws on stderr only when stderr is a terminal, only once a run has taken
longer than ``delay`` seconds (short runs stay quiet), and erases itself when done, so
piped output and machine-readable reports never contain it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int], None]

STAGES = {
    "id": {"load": "Memuat berkas", "evaluate": "Mengevaluasi aturan"},
    "en": {"load": "Loading files", "evaluate": "Evaluating rules"},
}


class TerminalProgress:
    """A one-line bar: ``Memuat berkas  [#######.........]  120/300``."""

    def __init__(self, stream: TextIO, lang: str = "id", width: int = 30, delay: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.labels = STAGES.get(lang, STAGES["id"])
        self.width = width
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.drawn = False

    @staticmethod
    def wanted(stream: TextIO) -> bool:
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= 0 or self.clock() - self.started < self.delay:
            return
        filled = min(self.width, self.width * done // total)
        label = self.labels.get(stage, stage)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{label:<20} [{bar}] {done}/{total}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the bar so the report that follows starts on a clean line."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False
