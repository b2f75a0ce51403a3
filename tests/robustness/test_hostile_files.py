"""Hostile workspace files and folders (issue 20, items 2, 5, 8, 9, 10, 11).

Every case is bounded: the CLI runs in a subprocess with a timeout, so a regression that
hangs (a FIFO read) fails the test instead of the suite; a test that leaves a reader blocked
on a FIFO unblocks it before failing. The workspace of a case is built by the test itself.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from probis.engine.errors import ProbisUsageError
from probis.engine.incremental.cache import ResultCache, tally_of
from probis.engine.runner import audit
from testkit import AS_OF, ROOT, SAMPLE_CITY

KOTA_UJI = ROOT / "tests" / "restructure" / "kota-uji"
CLI = [sys.executable, "-c", "from probis.engine.cli import main; main()"]
ENV = {"PROBIS_LOAD_PLUGINS": "regulation,interop"}


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".probis-cache"))
    return dest


def _has_reader(fifo: Path) -> bool:
    """True when some process holds ``fifo`` open for reading (a blocked loader); then the
    FIFO is opened and closed for writing, which hands that reader an end of file."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        assert exc.errno == errno.ENXIO, exc  # no reader: what must be
        return False
    os.close(fd)
    return True


def _run(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The CLI in a session of its own: on a timeout (a regression that hangs) the whole
    group goes, its worker processes included, and the test fails."""
    with subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, cwd=cwd, env=dict(os.environ, **ENV),
                          start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"probis {args[0]} still running after {timeout} s: it hangs")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


# --- item 2: FIFOs -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["peta/x.yaml", "peta/x.bpmn", "waivers.yaml"])
def test_a_fifo_in_a_workspace_is_an_input_error_not_a_hang(name: str, tmp_path: Path) -> None:
    ws = _copy(SAMPLE_CITY, tmp_path / "ws")
    fifo = ws / name
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    try:
        proc = _run(["check", str(ws), "-f", "json", "--as-of", AS_OF.isoformat()], tmp_path,
                    timeout=60)
    finally:
        orphan = _has_reader(fifo)
    assert not orphan, "a process was left blocked reading the FIFO"
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and name in proc.stderr
    errors = json.loads(proc.stdout)["input_errors"]
    (error,) = [e for e in errors if e["file"] == name]
    assert "not a regular file (FIFO)" in error["message"]["en"]


def test_check_many_with_a_fifo_finishes_and_leaves_no_blocked_worker(tmp_path: Path) -> None:
    prov = tmp_path / "prov"
    _copy(SAMPLE_CITY, prov / "a")
    _copy(SAMPLE_CITY, prov / "b")
    fifo = prov / "b" / "peta" / "x.yaml"
    os.mkfifo(fifo)
    try:
        proc = _run(["check-many", str(prov), "--jobs", "2", "-o", str(tmp_path / "out"),
                     "--as-of", AS_OF.isoformat()], tmp_path, timeout=90)
    finally:
        orphan = _has_reader(fifo)
    assert not orphan, "check-many left a worker blocked reading the FIFO"
    assert proc.returncode == 2, proc.stderr
    ranking = json.loads((tmp_path / "out" / "ranking.json").read_text("utf-8"))["ranking"]
    row = next(r for r in ranking if r["name"] == "b")
    assert any(e["file"] == "peta/x.yaml" for e in row["input_errors"])


# --- item 5: unreadable folders --------------------------------------------------------------


_LOAD = """
import json, os, sys
from probis.engine.loader import load_workspace
if os.getuid() == 0:  # drop to nobody after the imports: the interpreter may live in /root
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
ws = load_workspace(sys.argv[1])
print(json.dumps([[e.file, e.message["en"]] for e in ws.input_errors]
                 + [["#processes", sum(len(m.map.processes) for m in ws.maps)]]))
"""


def _usable_by_others(path: str) -> bool:
    """Whether another user can run ``path``: every folder above it must be enterable."""
    real = Path(os.path.realpath(path))
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in [real, *real.parents])


def _as_unprivileged(args: list[str]) -> list[str]:
    """How to run ``args`` as a user that chmod 000 stops: as is when this is not root,
    through setpriv as nobody when nobody can run this interpreter, else [] (see _LOAD)."""
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    if setpriv is None or not _usable_by_others(sys.executable):
        return []
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *args]


def test_an_unreadable_folder_is_an_input_error(shared_dir: Path) -> None:
    ws = _copy(SAMPLE_CITY, shared_dir / "ws")
    for dirpath, dirnames, filenames in os.walk(shared_dir):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            os.chmod(p, os.stat(p).st_mode | stat.S_IROTH | (stat.S_IXOTH if name in dirnames
                                                             else 0))
    whole = audit(ws, AS_OF).workspace
    processes = sum(len(m.map.processes) for m in whole.maps)
    dinkes = ws / "peta" / "dinkes"
    lost = sum(1 for _ in dinkes.rglob("*.yaml"))
    assert lost >= 1
    dinkes.chmod(0)
    cli = _as_unprivileged([*CLI, "check", str(ws), "-f", "json", "--as-of",
                            AS_OF.isoformat()])
    if cli:  # the real CLI, as a user whom chmod 000 stops
        proc = subprocess.run(cli, capture_output=True, text=True, cwd=shared_dir,
                              env=dict(os.environ, **ENV), timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "peta/dinkes" in proc.stderr and "probis bug" not in proc.stderr
        errors = [[e["file"], e["message"]["en"]] for e in json.loads(proc.stdout)["input_errors"]]
    else:  # root whose interpreter nobody may run: drop privileges after the imports
        if not hasattr(os, "setuid"):
            pytest.skip("no way to run as an unprivileged user here")
        proc = subprocess.run([sys.executable, "-c", _LOAD, str(ws)], capture_output=True,
                              text=True, cwd=shared_dir, timeout=120)
        assert proc.returncode == 0, proc.stderr
        *errors, (_, seen) = json.loads(proc.stdout)
        assert seen < processes  # the folder's processes are really not read
    message = next(m for f, m in errors if f == "peta/dinkes")
    assert message.startswith("folder cannot be read: Permission denied")


# --- items 8, 9, 10: the result cache -------------------------------------------------------


def _forge(ws: Path, secret_home: Path) -> None:
    """What a hostile author ships: a cache made on their machine, every finding removed,
    signed again with their own key (when the cache is signed at all)."""
    path = ws / ".probis-cache" / "results.json"
    raw = path.read_bytes()
    head, payload = (raw.split(b"\n", 1) if raw.startswith(b"probis-cache")
                     else (b"", raw))
    stored = json.loads(payload)
    for key, item in stored["entries"].items():
        if key.startswith("m:"):
            item["v"][1] = []
        else:
            for part in item["v"]["r"].values():
                part[1] = []
    payload = json.dumps(stored).encode("utf-8")
    if head:
        secret = (secret_home / "probis" / "cache-key").read_bytes().strip()
        mac = hmac.new(secret, payload, hashlib.sha256).hexdigest().encode("ascii")
        head = head.split(b" ")[0] + b" " + mac + b"\n"
    path.write_bytes(head + payload)


def test_a_cache_shipped_in_the_workspace_does_not_change_results(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _copy(KOTA_UJI, tmp_path / "ws")
    full = audit(ws, AS_OF)
    assert full.findings
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "author"))
    audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))
    _forge(ws, tmp_path / "author")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "auditor"))
    cache = ResultCache.for_workspace(ws)
    result = audit(ws, AS_OF, cache=cache)
    assert tally_of(result.findings) == tally_of(full.findings)
    assert cache.stats.hits == 0
    assert any("not signed with this user's key" in n["en"] for n in cache.notes), cache.notes
    assert any("tidak ditandatangani" in n["id"] for n in cache.notes), cache.notes
    key = tmp_path / "auditor" / "probis" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    # the auditor's own cache, written by that run, is trusted on the next
    again = ResultCache.for_workspace(ws)
    assert tally_of(audit(ws, AS_OF, cache=again).findings) == tally_of(full.findings)
    assert again.stats.misses == 0 and again.notes == []


def test_the_cache_never_follows_a_link_out_of_the_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    ws = _copy(KOTA_UJI, tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    (ws / ".probis-cache").symlink_to("../outside")
    full = audit(ws, AS_OF)
    cache = ResultCache.for_workspace(ws)
    result = audit(ws, AS_OF, cache=cache)
    cache.save()
    assert list(outside.iterdir()) == [], "the cache was written through the link"
    assert tally_of(result.findings) == tally_of(full.findings)
    assert any("symbolic link" in n["en"] for n in cache.notes), cache.notes
    # a results.json that is itself a link is not read either
    (ws / ".probis-cache").unlink()
    (ws / ".probis-cache").mkdir()
    secret = outside / "secret.json"
    secret.write_text("{}", "utf-8")
    (ws / ".probis-cache" / "results.json").symlink_to(secret)
    cache = ResultCache.for_workspace(ws)
    assert any("cannot be read safely" in n["en"] for n in cache.notes), cache.notes


def test_the_cache_file_size_is_checked_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    monkeypatch.setenv("PROBIS_MAX_CACHE_BYTES", "1_000_000")
    ws = _copy(KOTA_UJI, tmp_path / "ws")
    (ws / ".probis-cache").mkdir()
    with open(ws / ".probis-cache" / "results.json", "wb") as sparse:
        sparse.truncate(32 * 1024 * 1024)  # no disk used; decoding it costs over 300 MB
    tracemalloc.start()
    try:
        cache = ResultCache.for_workspace(ws)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"{peak:,} bytes allocated"
    assert any("PROBIS_MAX_CACHE_BYTES" in n["en"] for n in cache.notes), cache.notes
    monkeypatch.setenv("PROBIS_MAX_CACHE_BYTES", "lots")
    with pytest.raises(ProbisUsageError, match="PROBIS_MAX_CACHE_BYTES"):
        ResultCache.for_workspace(ws)


# --- item 11: check-many on Dask with a relative folder --------------------------------------


def test_dask_gets_absolute_paths_and_a_probe_names_unseen_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    from probis.engine.many import check_many, run_dask

    _copy(SAMPLE_CITY, tmp_path / "prov" / "kota-metro")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation")
    monkeypatch.chdir(elsewhere)  # the workers' folder: "prov" does not resolve there
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        monkeypatch.chdir(tmp_path)
        rows = check_many("prov", AS_OF, jobs=1, executor="dask",
                          scheduler=cluster.scheduler_address)
        assert [r["status"] for r in rows] != ["not-audited"], rows[0]["input_errors"]
        assert rows[0]["report"]
        with pytest.raises(ProbisUsageError, match="shared file system") as info:
            run_dask([("kota-metro", "prov/kota-metro", AS_OF.isoformat())],
                     cluster.scheduler_address)
        assert "prov/kota-metro" in str(info.value)
