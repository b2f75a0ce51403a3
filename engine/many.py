"""Auditing many workspaces at once (``probis check-many DIR``): a province, or every Pemda.

Every folder below DIR holding a ``probis.yaml`` is one workspace, audited by ``audit_one``
(one task). Tasks run in this process (``--jobs 1``), in a pool of local worker processes, or
on a Dask distributed cluster (``--executor dask --scheduler ADDRESS``; package
``distributed``, extra ``probis[dask]``): the scheduling is Dask's, not ours. Each task
returns the JSON report as text, so the reports are byte-identical whatever ran them.
Tasks carry absolute paths, so Dask workers must see the workspaces at the same paths (a
shared file system mounted at the same place); one probe task checks that first.

A workspace that cannot be audited (no valid files, a crash) becomes a row with its input
errors in the ranking; the others go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .errors import ProbisUsageError
from .findings import SEVERITIES
from .gcpause import thawed_after
from .i18n import first_few, pick, text
from .loader import MANIFEST_NAMES, SKIP_DIRS
from .render.markdown import escape_text

RANKING_VERSION = 1
_registry_lock = threading.Lock()
_registry: Any = None


def discover(root: str | Path, links: list[str] | None = None) -> list[tuple[str, Path]]:
    """``(name, folder)`` of every workspace below ``root``, sorted by name (the path relative
    to ``root``, with ``/``). A workspace's own sub-folders are not searched further.
    Symbolic links to folders are not followed (as in a workspace); the names of those that
    lead to a workspace go to ``links`` when it is given, to be said, not skipped in silence."""
    root = Path(root)
    if not root.is_dir():
        raise ProbisUsageError(text(id=f"{root}: folder tidak ditemukan",
                                    en=f"{root}: folder not found"))
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        if any(n in filenames for n in MANIFEST_NAMES):
            rel = Path(dirpath).relative_to(root).as_posix()
            found.append((rel if rel != "." else Path(dirpath).resolve().name, Path(dirpath)))
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        if links is not None:
            here = Path(dirpath)
            links += [(here / d).relative_to(root).as_posix() for d in dirnames
                      if (here / d).is_symlink()
                      and any((here / d / n).is_file() for n in MANIFEST_NAMES)]
    return sorted(found)


def _shared_registry() -> Any:
    """One plugin registry per process (building it loads every plugin)."""
    global _registry
    with _registry_lock:
        if _registry is None:
            from .plugins import active_registry

            _registry = active_registry()  # in `probis check-many`: the run's own registry
        return _registry


def _empty_row(name: str) -> dict[str, Any]:
    return {"name": name, "instansi": None, "score": None, "grade": None,
            "findings": {s: 0 for s in SEVERITIES}, "input_errors": [], "status": "ok"}


@thawed_after()  # this process goes on with other workspaces: engine/gcpause.py
def audit_one(name: str, folder: str, as_of: str | None) -> dict[str, Any]:
    """Audit one workspace; never raises. Returns the ranking row plus ``report`` (the JSON
    report as text, exactly what ``probis check -f json`` writes) when one could be built."""
    from .render.json_format import render_json
    from .report import build_report
    from .runner import audit

    row = _empty_row(name)
    try:
        result = audit(folder, dt.date.fromisoformat(as_of) if as_of else None,
                       _shared_registry())
        report = build_report(result)
    except ProbisUsageError as exc:
        row.update(status="not-audited", input_errors=[{"file": ".", "message": str(exc)}])
        return row
    except Exception as exc:  # a bug must cost one workspace, not the whole run
        row.update(status="failed", input_errors=[
            {"file": ".", "message": f"probis internal error: {type(exc).__name__}: {exc}"}])
        return row
    row.update(instansi=report["workspace"]["instansi"], score=report["score"],
               grade=report["grade"], findings=dict(report["summary"]["by_severity"]),
               engine_findings=len(report["engine_findings"]),
               input_errors=report["input_errors"],
               status=("input-errors" if report["input_errors"]
                       else "not-graded" if report["grade"] is None
                       else "rules-not-run" if report["engine_findings"] else "ok"),
               map_progress=_map_progress(report.get("status")),
               report=render_json(report).decode("utf-8"))
    return row


def _map_progress(section: Any) -> dict[str, Any] | None:
    """The province's view of one Pemda's "status" report section (plugin `sop`): OPDs of
    its SOTK, those with no map, lowest-level processes with an SOP or a cross-functional map."""
    if not isinstance(section, dict) or not section.get("opds"):
        return None
    opds = [r for r in section["opds"] if r.get("in_sotk")]
    return {"opds": len(opds), "opds_without_map": list(section.get("no_map", [])),
            "lowest": sum(r["lowest"] for r in section["opds"]),
            "lowest_covered": sum(r["lowest_covered"] for r in section["opds"])}


# --- executors --------------------------------------------------------------------------

Task = tuple[str, str, str | None]
RowSink = Callable[[dict[str, Any]], None]


def _worker_started() -> None:
    from multiprocessing.util import Finalize

    from .durable_bridge import shutdown

    # a pool worker joins its children when it exits: stop the durable-rules workers first
    Finalize(None, shutdown, exitpriority=10)
    # the pool stops its workers with SIGTERM (a broken pool, or this run told to stop):
    # take this worker's durable-rules workers along, or they would wait for work forever
    signal.signal(signal.SIGTERM, _worker_terminated)


def _worker_terminated(signum: int, frame: Any) -> None:
    from .durable_bridge import kill_now

    kill_now()
    os._exit(128 + signum)


def _stop_pool(pool: ProcessPoolExecutor, wait: float = 2.0) -> None:
    """Stop a pool's workers now (this run was interrupted): SIGTERM, which each worker
    passes on to its durable-rules workers, then SIGKILL for any still alive after ``wait``.
    Returns once the pool's manager thread has ended, or after ``wait`` more seconds."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    deadline = time.monotonic() + wait
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
    pool.shutdown(wait=False, cancel_futures=True)
    # the interpreter's exit wakes every live manager thread through a pipe the thread closes
    # as it ends; racing that close printed an OSError traceback (CPython 3.11): wait for it
    if manager is not None:
        manager.join(wait)


def _fork_is_safe() -> bool:
    """Fork the pool workers only on Linux (fork is its default; macOS frameworks are not
    fork-safe) and only while this process runs a single thread: a lock another thread
    holds at the fork stays locked forever in the child."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _prepare_for_fork() -> None:
    """Build what every audit needs before forking, so that the workers inherit it."""
    from . import report, runner  # noqa: F401 - imported once, for every worker
    from .render import json_format  # noqa: F401

    _shared_registry()


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """Fork with the heap frozen, as the CPython docs advise for fork without exec: the
    workers' collections then never walk (and write to) the objects they inherit, so those
    pages stay shared instead of being copied (A/B figures: docs/design-notes.md). This process
    unfreezes right after the fork, unless something froze the heap before us."""
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()


def run_local(tasks: list[Task], jobs: int, start_method: str | None = None,
              on_row: RowSink | None = None) -> list[dict[str, Any]]:
    """Audit ``tasks`` in ``jobs`` processes. Results land at their task's index: the order
    is that of ``--jobs 1``.

    The pool workers are forked from this process when that is safe (``start_method``
    None: see ``_fork_is_safe``), after the plugin registry is built. They start auditing at
    once, so all ``jobs`` of them audit and this process only hands out tasks and collects
    the reports (each worker starts its own durable-rules worker, as any audit does): when
    this process audited beside one forked worker, its thread competed for the interpreter
    with the threads that receive the other worker's reports, and the run was slower.

    Otherwise the workers are spawned: each first imports probis and loads every plugin
    before its first result, so this process audits too, beside ``jobs - 1`` of them,
    instead of waiting for them.

    All take the next task from one queue: each pool worker is handed its next task by a
    thread of this process the moment it returns the last one, so nobody holds tasks in
    reserve and the run ends at most one task after the first side runs dry.

    When a worker dies the pool breaks: the rest of the queue goes on in a new (spawned)
    pool, and each task that was in flight is run again alone (``_retry_alone``), so only a
    task that kills its worker every time is lost, as a failed row.

    ``on_row(row)`` is called with each row as soon as it is final, from whichever thread
    finished it (the CLI writes the report then, while the workers go on auditing).
    """
    sink = on_row or _ignore
    if jobs <= 1 or len(tasks) <= 1:
        return [_done(audit_one(*t), sink) for t in tasks]
    if start_method is None:
        start_method = "fork" if _fork_is_safe() else "spawn"
    if start_method == "fork":
        _prepare_for_fork()
    run = _LocalRun(tasks, sink)
    while run.pending:
        pending_before = len(run.pending)
        if not run.pool_round(jobs, start_method):
            break
        # The pool broke (a worker died). Go on with a new one, spawned: this process has
        # threads now. A pool that took no task at all cannot work: audit the rest here.
        start_method = "spawn"
        if len(run.pending) == pending_before:
            run.audit_here()
    for index in sorted(run.in_flight):
        run.land(index, _retry_alone(tasks[index]))
    return [r if r is not None else _done(_failed_row(t, "no result"), sink)
            for r, t in zip(run.results, tasks, strict=True)]


class _LocalRun:
    """The shared state of one ``run_local``: the queue of task indexes, the results, and
    the tasks that were in flight when a pool broke."""

    def __init__(self, tasks: list[Task], sink: RowSink) -> None:
        self.tasks, self.sink = tasks, sink
        self.results: list[dict[str, Any] | None] = [None] * len(tasks)
        self.pending: deque[int] = deque(range(len(tasks)))
        self.in_flight: list[int] = []
        self._lock = threading.Lock()

    def take(self) -> int | None:
        with self._lock:
            return self.pending.popleft() if self.pending else None

    def give_back(self, index: int) -> None:
        with self._lock:
            self.pending.appendleft(index)

    def land(self, index: int, row: dict[str, Any]) -> None:
        self.results[index] = _done(row, self.sink)

    def audit_here(self, stop: threading.Event | None = None) -> None:
        while not (stop and stop.is_set()) and (index := self.take()) is not None:
            self.land(index, audit_one(*self.tasks[index]))

    def pool_round(self, jobs: int, start_method: str) -> bool:
        """Audit from the queue with one pool until it is empty; True if the pool broke."""
        forked = start_method == "fork"
        workers = max(1, min(jobs if forked else jobs - 1, len(self.pending)))
        broke = threading.Event()
        ctx = multiprocessing.get_context(start_method)
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                 initializer=_worker_started) as pool:
            if forked:
                # a forking pool forks every worker in its first submit, before it starts
                # its own thread: do that now, from this thread, before the drivers exist
                with _frozen_heap(), contextlib.suppress(Exception):  # broken: drivers see
                    pool.submit(int)

            def drive_worker() -> None:
                while not broke.is_set() and (index := self.take()) is not None:
                    try:
                        future = pool.submit(audit_one, *self.tasks[index])
                    except Exception:  # the pool broke: the next round takes this task
                        self.give_back(index)
                        broke.set()
                        return
                    try:
                        row = future.result()
                    except BrokenProcessPool:
                        # A worker died (a crash in C code, killed, out of memory): the pool
                        # fails every task in flight, the dead worker's and the others'.
                        with self._lock:
                            self.in_flight.append(index)
                        broke.set()
                        return
                    except Exception as exc:  # e.g. a result that could not be sent back
                        row = _failed_row(self.tasks[index], f"{type(exc).__name__}: {exc}")
                    self.land(index, row)

            drivers = [threading.Thread(target=drive_worker, name=f"probis-many-{n}",
                                        daemon=True) for n in range(workers)]
            try:
                for driver in drivers:
                    driver.start()
                if not forked:  # spawned workers start slowly: audit here meanwhile
                    self.audit_here(stop=broke)
                for driver in drivers:
                    driver.join()
            except BaseException:  # Ctrl-C or SIGTERM (engine/termination.py)
                broke.set()  # the drivers take no further task
                _stop_pool(pool)
                raise
        return broke.is_set()


def _ignore(row: dict[str, Any]) -> None:
    pass


def _done(row: dict[str, Any], sink: RowSink) -> dict[str, Any]:
    sink(row)
    return row


def _retry_alone(task: Task) -> dict[str, Any]:
    """Audit a task that was in flight when its pool broke, in a spawned worker of its own:
    the task that killed a worker kills this one too and costs only itself; the others
    were innocent and get their reports."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_started) as pool:
        try:
            return pool.submit(audit_one, *task).result()
        except Exception as exc:
            return _failed_row(task, f"{type(exc).__name__}: {exc}")
        except BaseException:  # Ctrl-C or SIGTERM: do not wait for the task
            _stop_pool(pool)
            raise


def _failed_row(task: Task, reason: str) -> dict[str, Any]:
    row = _empty_row(task[0])
    row.update(status="failed", input_errors=[
        {"file": ".", "message": f"probis worker failed: {reason}"}])
    return row


def probe_folders(folders: list[str]) -> list[str]:
    """The folders this (worker) process cannot see as folders."""
    return [f for f in folders if not os.path.isdir(f)]


def run_dask(tasks: list[Task], scheduler: str | None,
             on_row: RowSink | None = None) -> list[dict[str, Any]]:
    try:
        from distributed import Client
    except ImportError:
        raise ProbisUsageError("--executor dask butuh paket `distributed` / needs the "
                               "`distributed` package: pip install 'probis[dask]'") from None
    if not scheduler:
        raise ProbisUsageError("--executor dask butuh --scheduler ALAMAT / needs "
                               "--scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    with Client(scheduler) as client:
        names, folders, dates = zip(*tasks, strict=True)
        missing = client.submit(probe_folders, list(folders), pure=False).result()
        if missing:
            shown = first_few(missing)
            raise ProbisUsageError(
                f"worker Dask tidak melihat folder workspace: {shown}. Worker harus melihat "
                "jalur yang sama dengan mesin ini (sistem berkas bersama, dipasang di tempat "
                f"yang sama) / the Dask workers do not see the workspace folders: {shown}. "
                "Workers must see the same paths as this machine (a shared file system "
                "mounted at the same place)")
        # pure=False: a workspace folder may change between two runs with the same arguments
        futures = client.map(audit_one, names, folders, dates, pure=False)
        rows: list[dict[str, Any]] = client.gather(futures)
    return [_done(row, on_row or _ignore) for row in rows]


def check_many(root: str | Path, as_of: dt.date | None, jobs: int, executor: str = "local",
               scheduler: str | None = None,
               on_row: RowSink | None = None) -> list[dict[str, Any]]:
    """Audit every workspace below ``root``; rows in name order (reports included).
    ``on_row`` sees each row as soon as it is final (``ReportWriter`` writes its report)."""
    as_of_text = (as_of or dt.date.today()).isoformat()  # one date for every task
    # absolute: a worker (a Dask one above all) need not share this process's folder
    links: list[str] = []
    tasks = [(name, str(folder.resolve()), as_of_text)
             for name, folder in discover(root, links)]
    if not tasks and not links:
        raise ProbisUsageError(text(
            id=f"{root}: tidak ada folder dengan probis.yaml di bawahnya",
            en=f"{root}: no workspace (folder with probis.yaml) below it"))
    rows = ([] if not tasks else run_dask(tasks, scheduler, on_row) if executor == "dask"
            else run_local(tasks, jobs, on_row=on_row))
    for name in links:  # said, not skipped in silence: it may be a Pemda's workspace
        row = _empty_row(name)
        row.update(status="not-audited", input_errors=[{"file": ".", "message": text(
            "tautan simbolik ke folder tidak diikuti; audit folder tujuannya dengan jalurnya "
            "sendiri, atau salin ruang kerjanya ke sini",
            "symbolic link to a folder is not followed; audit its target by its own path, "
            "or copy the workspace here")}])
        rows.append(row)
    return sorted(rows, key=lambda r: r["name"])


# --- ranking ------------------------------------------------------------------------------


def ranking(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without reports, best score first. A workspace with input errors or rules that did
    not run ranks after every complete one (what was not read or run is not scored, so its
    score flatters it); unaudited workspaces come last, by name."""
    table = [{k: v for k, v in r.items() if k != "report"} for r in rows]
    # an audit that did not read or run everything ranks after the complete ones
    table.sort(key=lambda r: (r["score"] is None,
                              bool(r["input_errors"]) or bool(r.get("engine_findings")),
                              -(r["score"] or 0), r["name"]))
    for rank, row in enumerate(table, start=1):
        row["rank"] = rank if row["score"] is not None else None
        row["input_error_count"] = len(row["input_errors"])
    return table


def fails(table: Iterable[dict[str, Any]], fail_on: str) -> bool:
    """A workspace has a finding at or above ``fail_on`` (``check``'s exit code 1; engine
    findings are errors, as in ``check``)."""
    if fail_on == "never":
        return False
    at_or_above = SEVERITIES[:SEVERITIES.index(fail_on) + 1]
    return any(any(row["findings"].get(s, 0) for s in at_or_above)
               or row.get("engine_findings", 0) for row in table)


RESERVED_NAMES = ("ranking",)  # ranking.json and ranking.md share the folder


def report_file(name: str) -> str:
    """The report's file name for workspace ``name`` (its path below FOLDER): ``/`` becomes
    ``__``; a name that already holds ``__``, or one of the ranking's own names, gets a short
    digest of itself, so two workspaces never share a file (``lampung/metro`` and
    ``lampung__metro``)."""
    flat = name.replace("/", "__")
    if "__" in name or flat.lower() in RESERVED_NAMES:
        flat += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return flat + ".json"


class ReportWriter:
    """Writes each workspace's JSON report into ``outdir`` the moment its row is final,
    while the other workspaces are still being audited (with forked workers this process
    is otherwise idle). The first error stops the writing and is kept in ``error``."""

    def __init__(self, outdir: Path, write: Callable[[Path, str], None]) -> None:
        self.outdir, self.write = outdir, write
        self.error: OSError | None = None
        self._lock = threading.Lock()
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.error = exc

    def __call__(self, row: dict[str, Any]) -> None:
        if self.error is not None or row.get("report") is None:
            return
        try:
            self.write(self.outdir / report_file(row["name"]), row["report"])
        except OSError as exc:
            with self._lock:
                self.error = self.error or exc


def write_ranking(outdir: Path, table: list[dict[str, Any]], as_of: str,
                  write: Callable[[Path, str], None], lang: str = "id") -> None:
    """ranking.json and ranking.md, after every report is written."""
    doc = {"probis_ranking": RANKING_VERSION, "as_of": as_of, "workspaces": len(table),
           "ranking": [dict(r, report=report_file(r["name"]) if r["score"] is not None else None)
                       for r in table]}
    write(outdir / "ranking.json", json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    write(outdir / "ranking.md", markdown(table, as_of, lang))


def _cells(row: dict[str, Any]) -> list[Any]:
    f = row["findings"]
    return [row["rank"] or "-", row["name"], row["instansi"] or "-",
            "-" if row["score"] is None else row["score"], row["grade"] or "-",
            f["error"], f["warning"], f["info"], row["input_error_count"], row["status"]]


HEADERS = ["#", "workspace", "instansi", "score", "grade", "E", "W", "I", "input errors",
           "status"]


TERMINAL_HEADERS = {
    "id": ["#", "folder", "instansi", "skor", "nilai", "galat", "peringatan", "info",
           "galat input", "status"],
    "en": ["#", "workspace", "instansi", "score", "grade", "errors", "warnings", "info",
           "input errors", "status"],
}
STATUS_LABELS = {"id": {"ok": "ok", "input-errors": "galat input", "not-graded": "tidak dinilai",
                        "not-audited": "tidak diaudit", "failed": "gagal",
                        "rules-not-run": "aturan tidak berjalan"},
                 "en": {"ok": "ok", "input-errors": "input errors", "not-graded": "not graded",
                        "not-audited": "not audited", "failed": "failed",
                        "rules-not-run": "rules did not run"}}


def terminal(table: list[dict[str, Any]], lang: str = "id") -> str:
    from tabulate import tabulate

    statuses = STATUS_LABELS.get(lang, {})
    rows = [[*cells[:-1], statuses.get(cells[-1], cells[-1])]
            for cells in (_cells(r) for r in table)]
    headers = TERMINAL_HEADERS["en" if lang == "en" else "id"]
    lines = [tabulate(rows, headers=headers, tablefmt="simple")]
    for row in table:
        for err in row["input_errors"][:3]:
            where = err.get("file") or "."
            if err.get("line"):
                where += f":{err['line']}"
            msg = err.get("message")
            msg = pick(msg, lang) if isinstance(msg, dict) else msg
            lines.append(f"! {row['name']}: {where}: {msg}")
        more = len(row["input_errors"]) - 3
        if more > 0:  # the list is shortened: say by how much, and where the rest is
            lines.append(f"! {row['name']}: " + pick(text(
                f"(+{more} galat input lagi; semuanya di laporan JSON-nya)",
                f"(+{more} more input errors; all of them in its JSON report)"), lang))
    return "\n".join(lines) + "\n"


def markdown(table: list[dict[str, Any]], as_of: str, lang: str = "id") -> str:
    """ranking.md in the run's language, like the terminal table (one language at a time)."""
    title = pick(text(f"Peringkat ({as_of})", f"Ranking ({as_of})"), lang)
    headers = HEADERS if lang == "en" else TERMINAL_HEADERS["id"]
    statuses = STATUS_LABELS.get(lang, {})
    out = [f"# {title}", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    # every value escaped for a table cell: one line, no markup (names and instansi come from
    # the workspaces, which are untrusted)
    out += ["| " + " | ".join(escape_text(str(c)) for c in
                              [*cells[:-1], statuses.get(cells[-1], cells[-1])]) + " |"
            for cells in (_cells(r) for r in table)]
    return "\n".join(out) + "\n"
