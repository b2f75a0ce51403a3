"""Hostile input and faults at the command line (issue 20, items 1, 6, 7, 13, 15, 16).

Each case builds what it needs (a device node, a FIFO, a socket, a hostile file name, a bad
environment value) in a temporary folder and runs the real ``probis`` entry point in a
subprocess under a timeout, so a hang fails the test instead of the suite. Cases that depend
on privileges run as root (mknod) and, where ``setpriv`` is available, again as ``nobody``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from format_examples import write_example_workspace

ENTRY = "from probis.engine.cli import main; main()"
TIMEOUT = 120  # seconds for one probis run; the example workspace takes about one
CHECK = ["check", "--as-of", "2026-11-28"]


def probis(*args: str, env: dict[str, str] | None = None, user: str | None = None,
           stdout: int | None = subprocess.PIPE, shell_redirect: str = "",
           cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``probis ARGS`` in a subprocess; ``user="nobody"`` drops to uid/gid 65534 through
    setpriv; ``shell_redirect`` (e.g. ``>&-``) is applied to probis by ``sh``."""
    command = [sys.executable, "-c", ENTRY, *args]
    if shell_redirect:
        command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", *command]
    if user is not None:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    full_env = {**os.environ, "PROBIS_LOAD_PLUGINS": "regulation", **(env or {})}
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True,
                          env=full_env, timeout=TIMEOUT, cwd=cwd)


def _can_setpriv() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            sys.executable, "-c", "import probis"], capture_output=True,
                           timeout=60)
    return probe.returncode == 0


@pytest.fixture
def workspace(shared_dir: Path) -> Path:
    ws = write_example_workspace(shared_dir / "ws")
    for path in [ws, *ws.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    return ws


class FifoReader:
    """Reads a FIFO in a thread until the writer closes it (a report written through)."""

    def __init__(self, path: Path) -> None:
        self.path, self.data = path, b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as handle:
            self.data = handle.read()

    def result(self) -> bytes:
        self.thread.join(TIMEOUT)
        return self.data


# ------------------------------------------------------------------ item 1: -o special files

@pytest.mark.parametrize("user", [None, "nobody"])
def test_output_fifo_is_written_through(workspace: Path, shared_dir: Path,
                                        user: str | None) -> None:
    if user is not None and not _can_setpriv():
        pytest.skip("setpriv to uid 65534 unavailable (not root, or no setpriv)")
    fifo = shared_dir / "report.fifo"
    os.mkfifo(fifo)
    fifo.chmod(0o666)  # writable by nobody whatever the umask
    link = shared_dir / "via-link"
    link.symlink_to(fifo)
    # one process as nobody: here the venv's interpreter lies below /root, which nobody cannot
    # enter, so worker processes fail to start (a fault of this machine's setup, not of -o)
    jobs = ["-j", "1"] if user is not None else []
    env = {"PROBIS_DURABLE_INPROCESS": "1"} if user is not None else {}
    for target in (fifo, link):
        reader = FifoReader(fifo)
        proc = probis(*CHECK, str(workspace), *jobs, "-f", "json", "-o", str(target),
                      user=user, env=env)
        assert proc.returncode in (0, 1), proc.stderr
        data = reader.result()
        assert data.startswith(b"{"), (target, proc.returncode, proc.stderr[-2000:])
        assert json.loads(data)["workspace"]["name"]
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert link.is_symlink()


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_output_character_device_is_written_through(workspace: Path, shared_dir: Path) -> None:
    null, full = shared_dir / "null", shared_dir / "full"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    proc = probis(*CHECK, str(workspace), "-f", "json", "-o", str(null))
    assert proc.returncode in (0, 1), proc.stderr
    proc = probis(*CHECK, str(workspace), "-f", "json", "-o", str(full))
    assert proc.returncode == 3 and "No space left on device" in proc.stderr
    assert "probis bug" not in proc.stderr
    for device in (null, full):
        assert stat.S_ISCHR(os.lstat(device).st_mode), f"{device.name} was replaced by a file"


def test_output_socket_is_refused_and_regular_file_stays_atomic(workspace: Path,
                                                                 shared_dir: Path) -> None:
    sock_path = shared_dir / "report.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        proc = probis(*CHECK, str(workspace), "-f", "json", "-o", str(sock_path))
        assert proc.returncode == 3 and "not a regular file" in proc.stderr
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    # a symlink to a regular file: the file gets the report, the link stays a link
    real, link = shared_dir / "real.json", shared_dir / "link.json"
    real.write_text("old", encoding="utf-8")
    link.symlink_to(real)
    proc = probis(*CHECK, str(workspace), "-f", "json", "-o", str(link))
    assert proc.returncode in (0, 1), proc.stderr
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["workspace"]
    assert not list(shared_dir.glob(".*.tmp"))


def test_output_dash_is_standard_output(workspace: Path, shared_dir: Path) -> None:
    proc = probis(*CHECK, str(workspace), "-f", "json", "-o", "-", cwd=shared_dir)
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads(proc.stdout)["workspace"]["name"]
    assert not (shared_dir / "-").exists()


def test_plugin_commands_write_through_a_fifo(workspace: Path, shared_dir: Path) -> None:
    """overlap -o and export-bpmn -o use the same writer as check."""
    fifo = shared_dir / "out.fifo"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    proc = probis("overlap", str(workspace), "-f", "json", "-o", str(fifo),
                  env={"PROBIS_LOAD_PLUGINS": "overlap"})
    assert proc.returncode in (0, 2), proc.stderr
    assert "pairs" in json.loads(reader.result())
    reader = FifoReader(fifo)
    proc = probis("export-bpmn", str(workspace), "PB.04.02.01", "-o", str(fifo),
                  env={"PROBIS_LOAD_PLUGINS": "interop"})
    assert proc.returncode == 0, proc.stderr
    assert b"<bpmn" in reader.result() or b"definitions" in reader.result()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


# ------------------------------------------------------------------ item 6: allow-list

@pytest.mark.parametrize("allowed", ["nonexistent", "regulation,nonexistent"])
def test_allow_list_naming_a_missing_plugin_is_a_usage_error(workspace: Path,
                                                             allowed: str) -> None:
    proc = probis(*CHECK, str(workspace), env={"PROBIS_LOAD_PLUGINS": allowed})
    assert proc.returncode == 2
    assert "`nonexistent`" in proc.stderr and "regulation" in proc.stderr  # installed ones
    assert "(A)" not in proc.stdout and "No findings" not in proc.stdout


# ------------------------------------------------------------------ item 7: environment values

@pytest.mark.parametrize("value", ["nan", "inf", "1e29", "-1", "0", "abc"])
@pytest.mark.parametrize("var", ["PROBIS_RULE_TIMEOUT", "PROBIS_RULESET_TIMEOUT",
                                 "PROBIS_MAX_FILE_BYTES"])
def test_bad_environment_value_is_a_usage_error(workspace: Path, var: str, value: str,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from probis.engine.cli import main

    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation")
    monkeypatch.setenv(var, value)
    with pytest.raises(SystemExit) as exit_info:
        main([*CHECK, str(workspace), "--lang", "en"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2, (out, err)
    assert var in err and out == ""


def test_unknown_durable_worker_kind_is_a_usage_error(
        workspace: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from probis.engine.cli import main

    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation")
    monkeypatch.setenv("PROBIS_DURABLE_WORKER", "thread")
    with pytest.raises(SystemExit) as exit_info:
        main([*CHECK, str(workspace), "--lang", "en"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2 and "PROBIS_DURABLE_WORKER='thread'" in err and out == ""


def test_summary_line_says_rules_did_not_run(workspace: Path) -> None:
    # a rule-file budget far too short for the rules engine worker to answer in
    proc = probis(*CHECK, str(workspace), "--lang", "en",
                  env={"PROBIS_RULESET_TIMEOUT": "0.000001", "COLUMNS": "300"})  # one line
    summary = proc.stdout.splitlines()[1]
    assert summary.startswith("Workspace score") and "rules did not run" in summary, summary
    assert "(A)" not in summary


# ------------------------------------------------------------------ item 13: control characters

def test_control_characters_never_reach_the_terminal(workspace: Path) -> None:
    manifest = workspace / "probis.yaml"
    text = manifest.read_text(encoding="utf-8")
    hostile = "Kota \\e]0;pwned\\a\\e[2J Jahat\\nFAKE SUMMARY LINE"
    text = "\n".join(f'instansi: "{hostile}"' if line.startswith("instansi:") else line
                     for line in text.splitlines()) + "\n"
    assert hostile in text
    manifest.write_text(text, encoding="utf-8")
    bad = workspace / "peta" / "x\nFAKE ERROR LINE\x1b[31m.yaml"
    bad.write_text("kind: peta-proses\ncode: [unclosed\n", encoding="utf-8")
    terminal = probis(*CHECK, str(workspace), "--lang", "en")
    as_json = probis(*CHECK, str(workspace), "-f", "json", "--lang", "en")
    for proc in (terminal, as_json):
        assert proc.returncode == 2, proc.stderr
        for stream in (proc.stdout if proc is terminal else "", proc.stderr):
            assert "\x1b" not in stream and "\x07" not in stream
            assert not any(line.startswith(("FAKE", "\x1b")) for line in stream.splitlines())
        shown = proc.stderr if proc is as_json else proc.stdout
        assert "\\nFAKE ERROR LINE" in shown  # shown, escaped, on the error's own line
    assert "\\x1b]0;pwned\\x07" in terminal.stdout
    assert json.loads(as_json.stdout)["workspace"]["instansi"].startswith("Kota \x1b]0;")


# ------------------------------------------------------------------ item 15: standard output

@pytest.mark.parametrize("redirect", [">&-", "> /dev/full"])
def test_standard_output_errors_exit_3_with_a_message(workspace: Path, redirect: str) -> None:
    if redirect.endswith("/dev/full") and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    proc = probis(*CHECK, str(workspace), "-f", "json", stdout=None, shell_redirect=redirect,
                  env={"PROBIS_LANG": "en"})
    assert proc.returncode == 3, proc.stderr
    assert "cannot write the report to standard output" in proc.stderr
    assert "probis bug" not in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------ item 16: import-excel

def test_import_excel_unreadable_file_message_and_no_folder(shared_dir: Path) -> None:
    pytest.importorskip("openpyxl")
    workbook = shared_dir / "not-a-workbook.xlsx"
    workbook.write_bytes(b"this is not a zip archive\n")
    out_dir = shared_dir / "out"
    proc = probis("import-excel", str(workbook), "-o", str(out_dir), "--lang", "en",
                  env={"PROBIS_LOAD_PLUGINS": "interop"})
    assert proc.returncode == 2
    assert "probis: : " not in proc.stderr and "not-a-workbook.xlsx" in proc.stderr
    assert not out_dir.exists(), "an output folder was created with nothing imported"
