"""Parallel evaluation of one workspace on one machine (``probis check --jobs N``).

Three kinds of independent work are spread over ``jobs`` processes; the report is
byte-identical to ``--jobs 1`` because every piece computes exactly what the serial run
computes, and results are merged in the serial order before anything is sorted or scored:

1. **Loading**: files are parsed and validated in contiguous chunks, which forked workers
   and the parent claim one at a time; the workers' documents come back pickled chunk by
   chunk, and everything is merged in file order (``load_files``).
2. **Python rules** run in forked children (the loaded workspace is inherited, not copied);
   children and the parent claim one plugin's rules at a time from a shared counter, costliest
   first, and run the serial rule runner on them (``fork_python``); results come back through
   a pipe, unpickled as they are written. The first child also does the *lead* work (the
   rule files: facts sent to durable-rules, which matches them while the child runs rules),
   so the parent goes straight to the costliest group and keeps its findings where they are
   reported: the costliest group makes most of the findings, and pickling them is what the
   parent would otherwise wait for.
3. **Rule files**: from 100,000 facts per worker, facts are sharded over several
   durable-rules workers (``engine/durable_bridge.py``, ``run_ruleset(..., jobs=N)``): a rule
   file matches one fact at a time, so any split gives the same matches.

Workers are forked (POSIX) so nothing large is pickled on the way in. Where ``fork`` is not
available, or a child dies, the work is done in the parent instead: slower, same result.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import isolation

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# below these sizes a worker's start-up costs more than it saves
MIN_FILES_PER_WORKER = 150
MIN_DOCS_TO_FORK_RULES = 10  # Python rules: a fork and its shared counter, ~50 ms


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    return default_jobs() if jobs is None or jobs <= 0 else jobs


def _fork_context() -> Any | None:
    import multiprocessing  # only when work is spread: a one-map check never needs it

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - Windows
        return None


def guided_chunks(items: list[Any], workers: int, smallest: int = 16,
                  largest: int = 256) -> list[list[Any]]:
    """``items`` cut into contiguous runs (order kept) for ``workers`` that claim them one
    at a time: each run a ``1 / (2 * workers)`` share of what is left, within ``smallest``
    and ``largest`` items. Small runs last make the workers finish together, whatever their
    speeds; the cap keeps each pickled frame (and the wait for the first) small."""
    out, start = [], 0
    while start < len(items):
        size = max(smallest, min(largest, -(-(len(items) - start) // (2 * workers))))
        out.append(items[start:start + size])
        start += size
    return out


# --- 1. loading -----------------------------------------------------------------------

Loaded = tuple[list[Any], list[Any], list[Any], list[Any]]  # docs, errors, unknown, notices


def _load_chunk(root: Path, paths: list[tuple[Path, str]],
                load_into: Callable[[Any, Path, str, list[Any]], None]) -> Loaded:
    """Load ``(path, rel)`` pairs into a scratch workspace."""
    from .workspace import Workspace

    scratch = Workspace(root=root, name="")
    unknown: list[Any] = []
    for path, rel in paths:
        load_into(scratch, path, rel, unknown)
    return scratch.docs, scratch.input_errors, unknown, scratch.notices


class _LoaderChild:
    """A forked loader: its chunks come back one pickled frame at a time (8-byte length,
    then the pickle of ``(index, Loaded)``), read by a thread so the child never waits."""

    def __init__(self, pid: int, read_fd: int) -> None:
        self.pid = pid
        self.blocks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.pending = bytearray()
        self.ended = False  # the end of the child's output was seen
        self.thread = threading.Thread(target=self._read, args=(read_fd,), daemon=True)

    def start(self) -> None:  # once every child is forked: no thread is running at a fork
        self.thread.start()

    def _read(self, fd: int) -> None:
        try:
            while block := os.read(fd, 1 << 20):
                self.blocks.put(block)
        except OSError:  # pragma: no cover - a broken pipe reads as the end
            pass
        finally:
            os.close(fd)
            self.blocks.put(None)

    def frames(self, wait: bool = False) -> list[tuple[int, Loaded]]:
        """The chunks received so far; with ``wait``, all of them until the child ends. A
        frame cut short or unreadable (the child died) is left out: its chunk is redone."""
        out: list[tuple[int, Loaded]] = []
        while not self.ended:
            try:
                block = self.blocks.get(block=wait)
            except queue.Empty:
                break
            if block is None:
                self.ended = True
            else:
                self.pending += block
        while len(self.pending) >= 8:
            size = int.from_bytes(self.pending[:8], "little")
            if len(self.pending) < 8 + size:
                break
            frame = bytes(self.pending[8:8 + size])
            del self.pending[:8 + size]
            with contextlib.suppress(Exception):  # unreadable: its chunk is redone
                out.append(pickle.loads(frame))
        return out


def fork_writer(work: Callable[[int], None]) -> tuple[int, int]:
    """Fork a child that runs ``work(write_fd)``, ``write_fd`` the write end of a new pipe,
    and leaves without running the parent's atexit (status 1 when ``work`` raised). Here:
    the child's pid, in ``_live`` until reaped, and the pipe's read end. OSError when no
    process or pipe is left (nothing stays open)."""
    read_fd, write_fd = os.pipe()
    _widen(write_fd)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:  # pragma: no cover - the child (coverage does not follow os._exit)
        code = 0
        try:
            _live.clear()  # the siblings are the parent's to stop
            os.close(read_fd)
            work(write_fd)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _live.add(pid)
    os.close(write_fd)
    return pid, read_fd


#: the pipe a forked child writes into holds this much (Linux; the default is 64 KB): a child
#: sending frames of about half a megabyte while this process is busy parsing would otherwise
#: wait for its reading thread (docs/design-notes.md, i24-pipe)
PIPE_BYTES = 1 << 20


def _widen(fd: int) -> None:
    """Give pipe ``fd`` ``PIPE_BYTES`` where the system allows it (else it stays as it is)."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is not None:
        with contextlib.suppress(OSError):  # above /proc/sys/fs/pipe-max-size: EPERM
            fcntl.fcntl(fd, set_size, PIPE_BYTES)


def _fork_loader(root: Path, batches: list[list[tuple[Path, str]]], counter: Any,
                 load_into: Callable[[Any, Path, str, list[Any]], None]) -> _LoaderChild:
    def load_and_send(write_fd: int) -> None:  # claim chunks, send each as it is done
        with os.fdopen(write_fd, "wb") as out:
            while (i := _claim(counter)) < len(batches):
                data = pickle.dumps((i, _load_chunk(root, batches[i], load_into)),
                                    protocol=pickle.HIGHEST_PROTOCOL)
                out.write(len(data).to_bytes(8, "little"))
                out.write(data)
                out.flush()

    return _LoaderChild(*fork_writer(load_and_send))


def load_files(ws: Any, files: list[tuple[Path, str]],
               load_into: Callable[[Any, Path, str, list[Any]], None], unknown: list[Any],
               progress: Any, jobs: int) -> None:
    """Load ``files`` (path, workspace-relative name) into ``ws`` using ``jobs`` processes.

    ``load_into(workspace, path, rel, unknown)`` is the serial loader of one file
    (engine/loader.py), run here when parallel loading does not pay and otherwise on
    chunks of files, each into a scratch workspace. ``jobs - 1`` forked children and this
    process claim chunks from a shared counter, so whoever is free takes the next one and
    only the children's chunks are pickled. Documents, input errors and documents of
    unknown kinds (``unknown``) are appended in file order, as the serial loop appends them.
    """
    parts = min(jobs, len(files) // MIN_FILES_PER_WORKER)
    ctx = _fork_context() if jobs > 1 and parts >= 2 else None
    if ctx is None:
        for done, (path, rel) in enumerate(files, start=1):
            load_into(ws, path, rel, unknown)
            if progress is not None:
                progress("load", done, len(files))
        return
    batches = guided_chunks(files, parts)
    counter = ctx.Value("i", 0)
    root = Path(ws.root)
    results: dict[int, Loaded] = {}
    done = 0

    def took(i: int, loaded: Loaded) -> None:
        nonlocal done
        results[i] = loaded
        done += len(batches[i])
        if progress is not None:
            progress("load", done, len(files))

    children: list[_LoaderChild] = []
    try:
        for _ in range(min(jobs, parts) - 1):
            try:
                children.append(_fork_loader(root, batches, counter, load_into))
            except OSError:  # no process to spare (EAGAIN, ENOMEM): fewer helpers, same result
                break
        for child in children:
            child.start()
        while (i := _claim(counter)) < len(batches):
            took(i, _load_chunk(root, batches[i], load_into))
            for child in children:  # what the children finished meanwhile
                for j, loaded in child.frames():
                    took(j, loaded)
        for child in children:
            for j, loaded in child.frames(wait=True):
                took(j, loaded)
            child.thread.join()
            os.waitpid(child.pid, 0)
            _live.discard(child.pid)
    except BaseException:  # interrupted: the children must not outlive the load
        for child in children:
            if child.pid in _live:
                _live.discard(child.pid)
                with contextlib.suppress(ProcessLookupError, ChildProcessError):
                    os.kill(child.pid, signal.SIGKILL)
                    os.waitpid(child.pid, 0)
        raise
    for i, batch in enumerate(batches):  # claimed by a child that died: same result here
        if i not in results:
            took(i, _load_chunk(root, batch, load_into))
    for i in range(len(batches)):
        docs, errors, odd, notices = results[i]
        ws.docs.extend(docs)
        ws.input_errors.extend(errors)
        ws.notices.extend(notices)  # unknown and deprecated fields, as in serial
        unknown.extend(odd)


# --- 2. Python rules in forked children ---------------------------------------------------

_live: set[int] = set()  # forked children not reaped yet (``stop_children`` ends them)


def stop_children() -> None:
    """Kill and reap the forked children that are still running (the run was interrupted
    before ``collect`` waited for them; engine/termination.py)."""
    while _live:
        pid = _live.pop()
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


@dataclass
class _Child:
    pid: int = 0
    reader: Any = None


@dataclass
class PendingPython:
    """Python rules running in forked children; ``collect`` joins in, waits and merges.

    The rules are cut into groups (one plugin's rules stay together). Children and, once its
    rule files are done, the parent claim the next unclaimed group from one shared counter:
    whoever is free takes the next group, so a slow plugin does not hold the others back.
    """

    order: dict[str, int]
    ws: Any = None
    groups: list[list[Any]] = field(default_factory=list)  # the groups children may claim
    counter: Any = None  # shared: index of the next unclaimed group
    children: list[_Child] = field(default_factory=list)
    run_serial: Callable[..., list[Any]] | None = None
    local: list[Any] = field(default_factory=list)  # rules the parent runs itself
    group_key: Callable[[Any], Any] = lambda rule: rule.info.id  # rules that run together
    lead: Lead | None = None  # done by the first child, else here (see ``fork_python``)
    lead_in_child: bool = False
    #: what ``lead`` gave once ``collect`` returns (None: no lead work)
    lead_result: Any = None

    def collect(self, engine_findings: list[Any], timings: dict[str, float],
                tick: Callable[[], None]) -> list[Any]:
        """Run the groups left to claim here (the lead started first and finished after them
        when it is this process's), then wait for the children and merge."""
        assert self.run_serial is not None
        # the lead here: started first, finished once this process has no group left to
        # claim (the rule files' worker matches meanwhile)
        finish_lead = (self.lead() if self.lead is not None and not self.lead_in_child
                       else None)
        if not self.children:  # nothing forked: exactly the serial run
            evaluations = self.run_serial(self.local, engine_findings, timings, tick)
            if finish_lead is not None:
                self.lead_result = finish_lead()
            return evaluations
        evaluations: list[Any] = []
        added: list[tuple[int, list[Any], list[Any]]] = []  # rule order, errors, notices
        done: set[int] = set()
        lead_done = not self.lead_in_child

        def run_here(group: list[Any]) -> None:
            evs, side = _one_group(self.ws, group, self.order[group[0].info.id],
                                   self.run_serial, engine_findings, timings, tick)
            evaluations.extend(evs)
            added.append(side)

        while (i := _claim(self.counter)) < len(self.groups):
            run_here(self.groups[i])
            done.add(i)
        if finish_lead is not None:
            self.lead_result = finish_lead()
        for child in self.children:
            result = None
            try:
                # read while the child is still writing: its pickling and this unpickling
                # overlap instead of following each other
                result = pickle.Unpickler(child.reader).load()
            except Exception:  # nothing or a truncated message: the child died half-way
                result = None
            except BaseException:  # interrupted: the child must not be waited for
                stop_children()
                raise
            finally:
                child.reader.close()
                if child.pid in _live:
                    os.waitpid(child.pid, 0)
                    _live.discard(child.pid)
            if result is None:  # the child died: its groups are run below, same results
                continue
            indexes, evs, engine, times, side, kept, lead = result
            isolation.add_failure_tracebacks(kept)
            if lead is not None:
                self.lead_result, lead_side = lead
                added.append(lead_side)
                lead_done = True
            evaluations += evs
            engine_findings += engine
            timings.update(times)
            added += side
            done.update(indexes)
            for i in indexes:
                for _ in self.groups[i]:
                    tick()
        if not lead_done and self.lead is not None:  # its child died: same result here
            self.lead_result, lead_side = _run_lead(self.ws, self.lead)()
            added.append(lead_side)
        for i, group in enumerate(self.groups):  # claimed by a child that died
            if i not in done:
                run_here(group)
        for group in _groups(self.local, self.order, self.group_key):
            run_here(group)
        # rules may report input errors (a bad option): add them in the serial run's order
        for _, errors, notices in sorted(added, key=lambda a: a[0]):
            self.ws.input_errors += errors
            self.ws.notices += notices
        evaluations.sort(key=lambda ev: self.order.get(ev.info.id, len(self.order)))
        return evaluations


#: lead work: started by calling it, finished by calling what it returns (which gives its result)
Lead = Callable[[], Callable[[], Any]]

#: the serial run's order of the lead's input errors and notices: before every rule group's
_LEAD_ORDER = -1


def _run_lead(ws: Any, lead: Lead) -> Callable[[], tuple[Any, tuple[int, list[Any], list[Any]]]]:
    """Start ``lead``; the returned function finishes it and gives its result with the input
    errors and notices it added to the workspace, taken back as ``_one_group`` takes a group's
    (rule groups run between the start and the finish)."""
    take = _taking_back(ws)
    finish = lead()
    errors, notices = take()

    def finished() -> tuple[Any, tuple[int, list[Any], list[Any]]]:
        take = _taking_back(ws)
        value = finish()
        more_errors, more_notices = take()
        return value, (_LEAD_ORDER, errors + more_errors, notices + more_notices)

    return finished


def _claim(counter: Any) -> int:
    with counter.get_lock():
        i = int(counter.value)
        counter.value = i + 1
    return i


def _one_group(ws: Any, rules: list[Any], order: int, run_serial: Callable[..., list[Any]],
               engine_findings: list[Any], timings: dict[str, float],
               tick: Callable[[], None]) -> tuple[list[Any], tuple[int, list[Any], list[Any]]]:
    """Run one group of rules (one plugin's: they share its time budget, and a timeout skips
    the rest of them exactly as in the serial run); take back the input errors and notices
    they added to the workspace."""
    added = _taking_back(ws)
    evs = run_serial(rules, engine_findings, timings, tick)
    return evs, (order, *added())


def _taking_back(ws: Any) -> Callable[[], tuple[list[Any], list[Any]]]:
    """From now on: the returned function takes the input errors and notices added to ``ws``
    since, out of it (they are merged later in the serial run's order)."""
    n_errors, n_notices = len(ws.input_errors), len(ws.notices)

    def take() -> tuple[list[Any], list[Any]]:
        errors, notices = ws.input_errors[n_errors:], ws.notices[n_notices:]
        del ws.input_errors[n_errors:], ws.notices[n_notices:]
        return errors, notices

    return take


def _groups(rules: list[Any], order: dict[str, int],
            group_key: Callable[[Any], Any]) -> list[list[Any]]:
    """Rules split by ``group_key``, each group in serial order, groups by their first rule."""
    by_key: dict[Any, list[Any]] = {}
    for rule in sorted(rules, key=lambda r: order[r.info.id]):
        by_key.setdefault(group_key(rule), []).append(rule)
    return list(by_key.values())


def _send(out: Any, value: Any) -> None:
    """Pickle ``value`` straight into the pipe ``out``: the pickler writes each 64 KB frame
    as it is done and the parent unpickles the frames as they come, so the two overlap
    (findings pickle by their fields: engine/findings.py)."""
    pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)


def fork_python(ws: Any, rules: list[Any], jobs: int, run_serial: Callable[..., list[Any]],
                keep_local: Callable[[Any], bool] = lambda rule: False,
                serial_key: Callable[[Any], Any] = lambda rule: 0,
                cost: Callable[[Any], float] = lambda rule: 1.0,
                lead: Lead | None = None, lead_in_child: bool = True) -> PendingPython:
    """Start ``jobs - 1`` children that claim groups of ``rules`` one at a time and run
    ``run_serial(group, engine_findings, timings, tick)`` on each; the parent claims groups
    too once it calls ``collect``.

    ``keep_local(rule)``: rules that must run in the parent (e.g. those that write the result
    cache). ``cost(rule)``: relative cost; groups are offered largest first. ``lead``: other
    work, started before the groups and finished after them (``lead()`` returns its finisher),
    done by the first child (unless ``lead_in_child`` is False), or here when nothing is
    forked or that child dies; its result, which must pickle, is ``lead_result`` after
    ``collect``.
    """
    in_order = sorted(rules, key=serial_key)  # stable: ties keep the given order
    pending = PendingPython(order={r.info.id: i for i, r in enumerate(in_order)}, ws=ws,
                            run_serial=run_serial, group_key=serial_key, lead=lead)
    forkable = [r for r in rules if not keep_local(r)]
    pending.local = [r for r in rules if keep_local(r)]
    docs = getattr(ws, "docs", None)
    small = docs is not None and len(docs) < MIN_DOCS_TO_FORK_RULES
    ctx = _fork_context() if jobs > 1 and forkable and not small else None
    if ctx is None:
        pending.local = rules  # collect() then runs them exactly as the serial runner does
        return pending
    # A plugin's rules stay together: they share one time budget in the serial run.
    pending.groups = sorted(_groups(forkable, pending.order, serial_key),
                            key=lambda g: (-sum(cost(r) for r in g), pending.order[g[0].info.id]))
    pending.counter = ctx.Value("i", 0)

    def run_and_send(write_fd: int, with_lead: bool = False) -> None:
        """In the child: the lead's start, then claim groups and run them, the lead's
        finish, send."""
        isolation.clear_failure_tracebacks()  # the parent has those
        finish_lead = (_run_lead(ws, lead) if with_lead and lead_in_child and lead is not None
                       else None)
        engine: list[Any] = []
        times: dict[str, float] = {}
        evs: list[Any] = []
        side: list[Any] = []
        indexes: list[int] = []
        while (i := _claim(pending.counter)) < len(pending.groups):
            group = pending.groups[i]
            ev, added = _one_group(ws, group, pending.order[group[0].info.id],
                                   run_serial, engine, times, lambda: None)
            evs += ev
            side.append(added)
            indexes.append(i)
        lead_value = finish_lead() if finish_lead is not None else None
        with os.fdopen(write_fd, "wb") as out:
            _send(out, (indexes, evs, engine, times, side, isolation.failure_tracebacks(),
                        lead_value))

    for n in range(max(1, jobs - 1)):
        try:
            pid, read_fd = fork_writer(lambda fd, first=n == 0: run_and_send(fd, first))
        except OSError:  # no process to spare (EAGAIN, ENOMEM): fewer helpers, same result
            break
        pending.children.append(_Child(pid, os.fdopen(read_fd, "rb")))
    if not pending.children:  # collect() runs everything here, as the serial runner does
        pending.local, pending.groups = rules, []
    pending.lead_in_child = lead is not None and lead_in_child and bool(pending.children)
    return pending
