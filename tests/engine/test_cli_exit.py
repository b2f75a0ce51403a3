"""How the CLI leaves the process: the heap is frozen only when probis is the program."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from probis.engine.cli import main
from testkit import AS_OF, SAMPLE_CITY


def test_the_program_freezes_its_heap_before_exiting() -> None:
    # the final collection would walk every object the run made: 0.2 s after check-many
    code = ("import atexit, gc\n"
            "from probis.engine.cli import main\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code, "check", str(SAMPLE_CITY), "--as-of",
                           AS_OF.isoformat(), "-f", "json"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1 and done.stdout.rstrip().endswith("frozen True"), done.stderr


def test_an_in_process_caller_keeps_a_collectable_heap(tmp_path: Path) -> None:
    before = gc.get_freeze_count()
    with pytest.raises(SystemExit):
        main(["check", str(SAMPLE_CITY), "--as-of", AS_OF.isoformat(), "-f", "json",
              "-o", str(tmp_path / "r.json")])
    assert gc.get_freeze_count() == before == 0
