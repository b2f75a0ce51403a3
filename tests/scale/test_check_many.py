"""check-many: one report per workspace, a ranking, bad workspaces listed, executors agree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from probis.engine.many import check_many, discover, ranking
from testkit import AS_OF, SAMPLE_CITY, run_cli

from .test_parallel import synth


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("provinsi")
    gen = synth()
    for i in (1, 2, 3):
        gen.generate(root / "kota" / f"kota-{i}", 150, seed=i)
    shutil.copytree(SAMPLE_CITY, root / "kota-metro")
    bad = root / "kab-rusak"
    bad.mkdir()
    (bad / "probis.yaml").write_text("kind: workspace\nsotk: [tidak ditutup\n", "utf-8")
    return root


def reports(rows: list[dict]) -> dict[str, str]:
    return {r["name"]: r.get("report") for r in rows}


def test_discover_finds_nested_workspaces(province: Path) -> None:
    assert [name for name, _ in discover(province)] == [
        "kab-rusak", "kota-metro", "kota/kota-1", "kota/kota-2", "kota/kota-3"]


@pytest.mark.slow  # starts a Dask LocalCluster
def test_local_pool_equals_serial_and_dask(province: Path) -> None:
    serial = check_many(province, AS_OF, jobs=1)
    pooled = check_many(province, AS_OF, jobs=2)
    assert reports(serial) == reports(pooled)

    distributed = pytest.importorskip("distributed")
    # a worker process, as on a real cluster: it is daemonic, so durable-rules runs in it
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = check_many(province, AS_OF, jobs=1, executor="dask",
                             scheduler=cluster.scheduler_address)
    assert reports(on_dask) == reports(serial)

    table = ranking(serial)
    bad = next(r for r in table if r["name"] == "kab-rusak")
    assert bad["status"] == "input-errors" and bad["input_errors"][0]["file"] == "probis.yaml"
    assert bad["input_errors"][0]["line"] in (2, 3)  # where libyaml notices the bracket
    assert table[-1]["name"] == "kab-rusak" or table[-1]["input_errors"]
    clean = [r for r in table if not r["input_errors"]]
    assert [r["score"] for r in clean] == sorted((r["score"] for r in clean), reverse=True)
    assert all(json.loads(serial_row["report"])["workspace"]["as_of"] == AS_OF.isoformat()
               for serial_row in serial if serial_row.get("report"))


def test_cli_writes_reports_and_ranking(province: Path, tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    code, stdout, err = run_cli("check-many", str(province), "-o", str(out), "--jobs", "2",
                                "--as-of", AS_OF.isoformat())
    assert code == 2, err  # the broken workspace is an input error; the others still ran
    assert "kab-rusak" in stdout and "kota/kota-2" in stdout
    ranking_doc = json.loads((out / "ranking.json").read_text("utf-8"))
    assert ranking_doc["workspaces"] == 5
    for row in ranking_doc["ranking"]:
        if row["report"]:
            report = json.loads((out / row["report"]).read_text("utf-8"))
            assert report["score"] == row["score"]
    assert (out / "ranking.md").read_text("utf-8").startswith("# Peringkat")
    code, _, err = run_cli("check-many", str(province), "--executor", "dask")
    assert code == 2 and "--scheduler" in err


def test_reports_are_written_as_workspaces_finish(province: Path, tmp_path: Path) -> None:
    from probis.engine.atomic import write_atomic
    from probis.engine.many import ReportWriter, report_file

    seen: list[str] = []
    writer = ReportWriter(tmp_path / "out", write_atomic)

    def on_row(row: dict) -> None:  # each report is on disk before the run ends
        writer(row)
        seen.append(row["name"])
        if row.get("report") is not None:
            assert (tmp_path / "out" / report_file(row["name"])).read_text("utf-8") == \
                row["report"]

    rows = check_many(province, AS_OF, jobs=2, on_row=on_row)
    assert sorted(seen) == sorted(r["name"] for r in rows) and writer.error is None


def test_an_unwritable_outdir_is_a_clean_error(province: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "hasil"
    blocker.write_text("a file, not a folder", "utf-8")
    code, _, err = run_cli("check-many", str(province / "kota"), "-o", str(blocker / "sub"),
                           "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert code == 3 and "cannot write" in err and "Traceback" not in err


def test_no_workspace_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run_cli("check-many", str(tmp_path))
    assert code == 2 and "probis.yaml" in err


_POOL = "spawned"  # what a spawned worker sees; the tests set "forked" before forking


def _audit_or_crash(name: str, folder: str, as_of: str | None) -> dict:
    """A stand-in for audit_one: in a pool worker it reports its process, and it kills its
    process on ``kota/kota-2``, the way a crash in C code or the out-of-memory killer would."""
    import os
    import time

    mark = os.environ.get("PROBIS_TEST_MARK")
    if os.getpid() == int(os.environ["PROBIS_TEST_PARENT"]):
        # with a mark: leave work for the new pool's worker until it has started (a spawned
        # worker's start-up is slow and varies: compiling probis without .pyc files in CI)
        deadline = float(os.environ.get("PROBIS_TEST_DEADLINE", "0"))
        while mark and not os.path.exists(mark):
            if time.time() > deadline:
                return {"name": name, "ran": "here", "waited_in_vain": True}
            time.sleep(0.05)
        return {"name": name, "ran": "here"}
    if name == "kota/kota-2":
        os._exit(70)
    if name == "kota/kota-1":  # still in flight in the other worker when kota-2 crashes
        time.sleep(1.5)
    if mark:
        time.sleep(0.1)  # slow enough that work is left when the crash is noticed
        if _POOL == "spawned":
            open(mark, "a").close()
    return {"name": name, "ran": os.getpid(), "pool": _POOL}


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_who_audits_and_order_is_kept(province: Path, monkeypatch: pytest.MonkeyPatch,
                                      start_method: str) -> None:
    import probis.engine.many as many

    tasks = [(name, str(folder), AS_OF.isoformat()) for name, folder in discover(province)]
    here: list[str] = []

    def audit_here(name: str, folder: str, as_of: str | None) -> dict:
        here.append(name)  # a worker calls the real audit_one (the local one cannot be sent)
        return {"name": name, "ran": "here"}

    monkeypatch.setattr(many, "audit_one", audit_here)
    rows = many.run_local(tasks, jobs=2, start_method=start_method)
    assert [r["name"] for r in rows] == [t[0] for t in tasks]
    if start_method == "fork":  # forked workers start at once: they do all the auditing
        assert here == []
    else:  # spawned workers start slowly: this process audits beside them (on a loaded
        # machine it may audit them all before a worker is up)
        assert 1 <= len(here) <= len(tasks)
    assert all("status" in r and "ran" not in r for r in rows if r["name"] not in here)


@pytest.mark.slow  # kills a worker process and waits for the pool to notice
def test_a_dead_worker_costs_only_its_workspace(province: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With two forked workers the dead one takes the other's task in flight down with the
    pool; that task is run again alone and reported, the crashing one fails alone."""
    import os

    import probis.engine.many as many

    monkeypatch.setattr(many, "audit_one", _audit_or_crash)
    monkeypatch.setenv("PROBIS_TEST_PARENT", str(os.getpid()))
    tasks = [(name, str(folder), None) for name, folder in discover(province)]
    rows = many.run_local(tasks, jobs=2, start_method="fork")
    assert [r["name"] for r in rows] == [t[0] for t in tasks]
    failed = [r for r in rows if r.get("status") == "failed"]
    assert [r["name"] for r in failed] == ["kota/kota-2"]
    assert "BrokenProcessPool" in failed[0]["input_errors"][0]["message"]
    assert failed[0]["score"] is None
    assert all(r.get("ran") for r in rows if r["name"] != "kota/kota-2")
    # in flight when the pool broke: run again in a worker of its own, not lost
    assert isinstance(next(r for r in rows if r["name"] == "kota/kota-1")["ran"], int)


@pytest.mark.slow  # kills a worker, like test_a_dead_worker_costs_only_its_workspace
def test_after_a_worker_dies_the_rest_goes_on_in_a_new_pool(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os
    import time

    import probis.engine.many as many

    monkeypatch.setattr(many, "audit_one", _audit_or_crash)
    monkeypatch.setitem(globals(), "_POOL", "forked")
    monkeypatch.setenv("PROBIS_TEST_PARENT", str(os.getpid()))
    monkeypatch.setenv("PROBIS_TEST_MARK", str(tmp_path / "new-pool-worked"))
    monkeypatch.setenv("PROBIS_TEST_DEADLINE", str(time.time() + 30))
    tasks = [(f"kota/kota-{i}", "/nowhere", None) for i in range(2, 22)]  # kota-2 crashes
    rows = many.run_local(tasks, jobs=2, start_method="fork")
    assert [r["name"] for r in rows] == [t[0] for t in tasks]
    assert [r["name"] for r in rows if r.get("status") == "failed"] == ["kota/kota-2"]
    # the rest was not all left to this process: a worker of a new (spawned) pool took some
    # while this process was still auditing (the in-flight retry comes only after)
    assert not any(r.get("waited_in_vain") for r in rows)


def _report_frozen(name: str, folder: str, as_of: str | None) -> dict:
    import gc
    import os

    return {"name": name, "pid": os.getpid(), "frozen": gc.get_freeze_count() > 0}


def test_workers_fork_from_a_frozen_heap_and_this_process_unfreezes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import os

    import probis.engine.many as many

    monkeypatch.setattr(many, "audit_one", _report_frozen)
    tasks = [(f"kota-{i}", "/nowhere", None) for i in range(4)]
    rows = many.run_local(tasks, jobs=2, start_method="fork")
    assert all(r["frozen"] and r["pid"] != os.getpid() for r in rows)
    assert gc.get_freeze_count() == 0


def test_a_broken_pool_leaves_its_tasks_to_this_process(
        province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    import probis.engine.many as many

    class BrokenPool:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __enter__(self) -> BrokenPool:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def submit(self, *args: object) -> None:
            raise BrokenProcessPool("a child process terminated abruptly")

    monkeypatch.setattr(many, "ProcessPoolExecutor", BrokenPool)
    monkeypatch.setattr(many, "audit_one", lambda name, folder, as_of: {"name": name})
    tasks = [(name, str(folder), None) for name, folder in discover(province)]
    assert many.run_local(tasks, jobs=3) == [{"name": t[0]} for t in tasks]


def test_an_audited_workspace_is_freed_without_the_cyclic_collector(province: Path) -> None:
    """check-many audits workspace after workspace in one process. A reference cycle through
    the workspace (the restructure History once held it) kept each one in memory until a
    full collection: at the end of a 50-city run, about 25 workspaces' worth of garbage."""
    import gc

    from probis.engine.many import audit_one

    audit_one("warm-up", str(province / "kota-metro"), AS_OF.isoformat())
    assert gc.get_freeze_count() == 0  # what its collector pauses froze is handed back
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for name in ("kota-metro", "kota/kota-1"):
            assert audit_one(name, str(province / name), AS_OF.isoformat())["status"] == "ok"
        gc.collect()
        ours = sorted({type(o).__qualname__ for o in gc.garbage
                       if type(o).__module__.startswith("probis.")})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert ours == []


@pytest.mark.parametrize("start_method", [
    "fork", pytest.param("spawn", marks=pytest.mark.slow)])  # spawn re-imports probis: slow tier
def test_forked_and_spawned_workers_give_the_serial_reports(
        province: Path, start_method: str) -> None:
    from probis.engine import durable_bridge
    from probis.engine.many import audit_one, run_local

    # this process already has a durable-rules worker: a forked pool worker inherits the
    # handle and must leave it alone (it runs durable-rules in itself, being daemonic)
    audit_one("warm-up", str(province / "kota-metro"), AS_OF.isoformat())

    def worker_pids() -> list[int]:  # forked (engine/durable_fork.py) or spawned
        forked = durable_bridge.durable_fork.ForkedWorker.current()
        if forked is not None:
            return [forked.pid]
        pool = durable_bridge._Worker.shared().pool
        return sorted(p.pid for p in pool._processes.values()) if pool is not None else []

    before = worker_pids()
    assert before
    tasks = [(name, str(folder), AS_OF.isoformat()) for name, folder in discover(province)]
    serial = [audit_one(*t) for t in tasks]
    assert reports(run_local(tasks, jobs=3, start_method=start_method)) == reports(serial)
    assert worker_pids() == before
    assert audit_one(*tasks[1]) == serial[1]  # and this process still audits


def test_workers_are_forked_only_while_this_process_has_one_thread() -> None:
    import sys
    import threading

    from probis.engine.many import _fork_is_safe

    if not sys.platform.startswith("linux"):
        assert not _fork_is_safe()
        return
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not _fork_is_safe()
    finally:
        stop.set()
        other.join()
    assert _fork_is_safe() == (threading.active_count() == 1)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_forked_child_never_manages_its_parents_durable_worker() -> None:
    import os

    from probis.engine import durable_bridge

    parent = durable_bridge._Worker.shared()
    parent._pool()  # the parent's worker pool exists when check-many forks
    pid = os.fork()
    if pid == 0:  # the child: its own handle; shutting down leaves the parent's pool alone
        try:
            durable_bridge.shutdown()  # as a pool worker does at its exit
            mine = durable_bridge._Worker.shared()
            ok = mine is not parent and mine.owner == os.getpid() and parent.pool is not None
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert parent.pool is not None


def test_a_stopped_pool_leaves_no_manager_thread_for_the_exit_to_wake(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the interpreter's exit writes to each live manager thread's wake-up pipe, which the
    # thread closes as it ends: a thread still ending then printed an OSError traceback
    import multiprocessing
    import time
    from concurrent.futures import ProcessPoolExecutor, process

    from probis.engine.many import _stop_pool

    close = process._ThreadWakeup.close

    def slow_close(wakeup: process._ThreadWakeup) -> None:  # a busy machine: the thread lags
        time.sleep(0.5)
        close(wakeup)

    monkeypatch.setattr(process._ThreadWakeup, "close", slow_close)
    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))
    futures = [pool.submit(time.sleep, 30) for _ in range(2)]
    manager = pool._executor_manager_thread  # type: ignore[attr-defined]
    assert manager is not None and manager.is_alive()
    _stop_pool(pool)
    assert not manager.is_alive()
    assert all(f.done() for f in futures)


def test_the_terminal_table_says_how_many_input_errors_it_leaves_out() -> None:
    from probis.engine.many import terminal

    def row(name: str, n: int) -> dict:
        return {"rank": None, "name": name, "instansi": None, "score": None, "grade": None,
                "findings": {"error": 0, "warning": 0, "info": 0}, "input_error_count": n,
                "status": "input-errors",
                "input_errors": [{"file": f"peta/x{i}.yaml", "line": 2,
                                  "message": {"id": f"galat {i}", "en": f"error {i}"}}
                                 for i in range(n)]}

    for lang, more in (("en", "(+3 more input errors"), ("id", "(+3 galat input lagi")):
        out = terminal([row("kab-enam", 6), row("kab-tiga", 3)], lang)
        assert "peta/x2.yaml:2" in out and "peta/x3.yaml" not in out
        shortened = [line for line in out.splitlines() if "(+" in line]
        assert shortened == [line for line in shortened if line.startswith("! kab-enam: ")]
        assert len(shortened) == 1 and more in shortened[0]


def test_ranking_md_speaks_one_language() -> None:
    """ranking.md in the run's language, as the terminal table: it mixed an Indonesian title
    with English headers and raw status ids (`input-errors`)."""
    from probis.engine.many import markdown

    row = {"rank": 1, "name": "kab-a", "instansi": "Pemerintah Kabupaten A", "score": 90.0,
           "grade": "B", "findings": {"error": 0, "warning": 1, "info": 0},
           "input_error_count": 2, "status": "input-errors"}
    md_id = markdown([row], "2026-11-28", "id")
    assert md_id.startswith("# Peringkat (2026-11-28)\n")
    assert "| skor | nilai | galat |" in md_id and md_id.rstrip().endswith("| 2 | galat input |")
    assert not {"ranking", "score", "grade", "errors", "input-errors"} & set(
        md_id.replace("|", " ").split())
    md_en = markdown([row], "2026-11-28", "en")
    assert md_en.startswith("# Ranking (2026-11-28)\n")
    assert "| score | grade |" in md_en and "Peringkat" not in md_en
    assert md_en.rstrip().endswith("| 2 | input errors |")


def test_every_status_is_said_in_the_run_language() -> None:
    """English showed the raw id `input-errors` in the status column: there was no English
    label, so the id fell through."""
    from probis.engine.many import terminal

    statuses = {"ok": ("ok", "ok"), "input-errors": ("galat input", "input errors"),
                "not-graded": ("tidak dinilai", "not graded"),
                "not-audited": ("tidak diaudit", "not audited"), "failed": ("gagal", "failed"),
                "rules-not-run": ("aturan tidak berjalan", "rules did not run")}
    rows = [{"rank": None, "name": f"kab-{i}", "instansi": None, "score": None, "grade": None,
             "findings": {"error": 0, "warning": 0, "info": 0}, "input_error_count": 0,
             "status": status, "input_errors": []} for i, status in enumerate(statuses)]
    for lang, column in (("id", 0), ("en", 1)):
        lines = terminal(rows, lang).splitlines()[2:]
        for line, labels in zip(lines, statuses.values(), strict=True):
            assert line.rstrip().endswith(labels[column]), (lang, line)


def test_fail_on_decides_exit_1_as_in_check(tmp_path: Path) -> None:
    """check-many exited 0 whatever the findings, unlike check and the README's exit codes."""
    shutil.copytree(SAMPLE_CITY, tmp_path / "prov" / "kota-metro")
    code, _out, err = run_cli("check-many", str(tmp_path / "prov"), "--jobs", "1",
                              "--as-of", AS_OF.isoformat())
    assert code == 1, err  # the sample city has error findings
    code, _out, err = run_cli("check-many", str(tmp_path / "prov"), "--jobs", "1",
                              "--as-of", AS_OF.isoformat(), "--fail-on", "never")
    assert code == 0, err


@pytest.mark.parametrize(("findings", "engine", "fail_on", "expected"), [
    ({"error": 0, "warning": 2, "info": 0}, 0, "error", False),
    ({"error": 0, "warning": 2, "info": 0}, 0, "warning", True),
    ({"error": 0, "warning": 0, "info": 1}, 0, "warning", False),
    ({"error": 0, "warning": 0, "info": 1}, 0, "info", True),
    ({"error": 0, "warning": 0, "info": 0}, 1, "error", True),  # an engine finding is an error
    ({"error": 3, "warning": 0, "info": 0}, 0, "never", False),
])
def test_fails_by_severity(findings: dict, engine: int, fail_on: str, expected: bool) -> None:
    from probis.engine.many import fails

    rows = [{"findings": {"error": 0, "warning": 0, "info": 0}, "engine_findings": 0},
            {"findings": findings, "engine_findings": engine}]
    assert fails(rows, fail_on) is expected


def test_no_two_workspaces_share_a_report_file() -> None:
    """`lampung/metro` and `lampung__metro` both wrote lampung__metro.json, and a workspace
    named `ranking` was overwritten by ranking.json."""
    from probis.engine.many import report_file

    names = ["lampung/metro", "lampung__metro", "ranking", "Ranking", "kota/kota-2", "kab-a"]
    files = [report_file(n) for n in names]
    assert len(set(files)) == len(files), files
    assert not {"ranking.json", "ranking.md"} & {f.lower() for f in files}
    # plain names keep their readable file names, as documented
    assert report_file("kota/kota-2") == "kota__kota-2.json" and report_file("kab-a") == \
        "kab-a.json"


def test_a_symlinked_workspace_is_said_not_skipped(tmp_path: Path) -> None:
    """A folder that is a symbolic link to a workspace was neither audited nor mentioned."""
    real = tmp_path / "elsewhere" / "kota-metro"
    shutil.copytree(SAMPLE_CITY, real)
    (tmp_path / "prov").mkdir()
    (tmp_path / "prov" / "kota-link").symlink_to(real, target_is_directory=True)
    (tmp_path / "prov" / "not-a-workspace").symlink_to(tmp_path, target_is_directory=True)
    code, out, err = run_cli("check-many", str(tmp_path / "prov"), "--jobs", "1",
                             "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert code == 2 and "Traceback" not in err, err
    assert "kota-link" in out and "not audited" in out
    assert "symbolic link to a folder is not followed" in out
    assert "not-a-workspace" not in out


def test_a_workspace_whose_rules_did_not_run_ranks_after_the_complete_ones() -> None:
    """A workspace whose rule crashed (an engine finding) ranked first as `ok` over a fully
    audited one: what did not run was not scored, so its score flattered it."""
    def row(name: str, score: float, engine: int) -> dict:
        return {"name": name, "instansi": None, "score": score, "grade": "B",
                "findings": {"error": 0, "warning": 0, "info": 0}, "input_errors": [],
                "engine_findings": engine, "status": "rules-not-run" if engine else "ok"}

    table = ranking([row("crashed", 100.0, 1), row("complete", 90.0, 0)])
    assert [(r["name"], r["rank"]) for r in table] == [("complete", 1), ("crashed", 2)]
