"""How the CLI leaves the process: the heap is frozen only when probis is the program."""

from __future__ import annotations

import gc
import json
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


# what only the interpreter's teardown does: flush a file object the program left open
_TEARDOWN_SEEN = ("import sys\n"
                  "left_open = open(sys.argv.pop(1), 'w')\n"
                  "left_open.write('torn down')\n"
                  "from probis.engine.cli import main\n"
                  "main()\n")


def _program(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], str]:
    mark = tmp_path / "teardown.txt"
    done = subprocess.run([sys.executable, "-c", _TEARDOWN_SEEN, str(mark), *args],
                          capture_output=True, text=True, timeout=300)
    return done, mark.read_text("utf-8")


@pytest.mark.parametrize(("fail_on", "status"), [("never", 0), ("warning", 1)])
def test_check_leaves_once_its_reports_are_written(tmp_path: Path, fail_on: str,
                                                   status: int) -> None:
    """No teardown of every module and object after `check` has written and closed its
    reports: the same status and report, the atexit functions run (the test above)."""
    out = tmp_path / "r.json"
    done, teardown = _program(tmp_path, "check", str(SAMPLE_CITY), "--as-of",
                              AS_OF.isoformat(), "-f", "json", "-o", str(out),
                              "--fail-on", fail_on)
    assert done.returncode == status, done.stderr
    assert json.loads(out.read_text("utf-8"))["findings"]
    assert teardown == ""


@pytest.mark.parametrize("args", [["--version"], ["check", str(SAMPLE_CITY), "-f", "nope"]])
def test_other_exits_take_the_interpreters_usual_way(tmp_path: Path, args: list[str]) -> None:
    done, teardown = _program(tmp_path, *args)
    assert done.returncode == (0 if args == ["--version"] else 2), done.stderr
    assert teardown == "torn down"


def test_check_starts_up_without_collector_passes(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Imports and the registry are long-lived: no collection walks them while they are made
    (70 passes, about 0.012 s of a one-map check); the collector runs again afterwards."""
    from probis.engine import plugins

    seen: list[bool] = []
    real = plugins.build_registry

    def build() -> plugins.Registry:
        seen.append(gc.isenabled())
        return real()

    monkeypatch.setattr(plugins, "build_registry", build)
    with pytest.raises(SystemExit):
        main(["check", str(SAMPLE_CITY), "--as-of", AS_OF.isoformat(), "-f", "json",
              "-o", str(tmp_path / "r.json")])
    assert seen == [False]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_out_of_memory_says_where_and_what_helps(tmp_path: Path) -> None:
    # a map of a million tasks ran out of memory building the report and was called "a probis
    # bug"; the shortage is simulated here where it happened
    code = ("import probis.engine.report as report\n"
            "def build_report(result):\n"
            "    raise MemoryError\n"
            "report.build_report = build_report\n"
            "from probis.engine.cli import main\n"
            "main()\n")
    for lang, said in (("en", "out of memory while building the report"),
                       ("id", "memori habis saat menyusun laporan")):
        done = subprocess.run([sys.executable, "-c", code, "check", str(SAMPLE_CITY),
                               "--as-of", AS_OF.isoformat(), "-f", "json", "--lang", lang,
                               "-o", str(tmp_path / "r.json")],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 3, done.stderr
        assert said in done.stderr and "PROBIS_MAX_STEPS" in done.stderr, done.stderr
        assert "bug" not in done.stderr and "Traceback" not in done.stderr
        assert not (tmp_path / "r.json").exists()
