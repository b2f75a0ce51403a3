"""The bad-input corpus: every case dropped into a valid workspace, run through the real CLI.

Each folder under cases/ holds ``files/`` (copied over the base workspace, so a case can add a
file or replace one) and ``expected.yaml``:

- ``outcome``: ``input-error`` (exit 2, the listed errors reported), ``loads`` (the file is
  fine: no input error, its processes counted) or ``audited`` (a problem that rules report as
  findings, e.g. a cycle: no input error, no crash, no hang, the report produced);
- ``errors``: each names ``file`` and optionally ``line``, ``field``, ``code``; ``message``
  is a substring of the English message;
- ``processes``: the process count the report must show, so the base map (1 process) and
  every valid added file are proved audited next to the bad one;
- ``env``, ``setup`` (symlinks, generated big files: things git should not hold),
  ``must_not_exist`` (files a hostile tag would create; checked in the CLI's working folder),
  ``findings`` (rule findings that must be present).

Every case runs the CLI's own entry function (``probis.engine.cli.main``, what the ``probis``
script calls) in-process, which costs milliseconds; a sample of cases also runs as a real
``probis`` subprocess, together in a small thread pool, to prove the same through the process
boundary (exit status, stderr, working folder).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from format_examples import write_example_workspace
from probis.engine.limits import Limits
from probis.engine.loader import load_workspace
from probis.engine.yamlload import ParseError, parse_bytes

CASES = Path(__file__).resolve().parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.yaml").is_file())
ARGS = ["--format", "json", "--as-of", "2026-11-28"]
SUBPROCESS_SAMPLE = [
    "alias-bomb",
    "python-tag-subprocess",
    "symlink-file-outside",
    "waiver-impossible-date",
    "utf8-bom",
    "map-hierarchy-cycle",
    "large-file",
]


def expected_of(name: str) -> dict[str, Any]:
    return yaml.safe_load((CASES / name / "expected.yaml").read_text(encoding="utf-8"))


def build_case(name: str, root: Path) -> tuple[Path, Path, dict[str, str]]:
    """Base workspace + the case's files and setup; returns (workspace, cwd, env)."""
    exp = expected_of(name)
    ws = write_example_workspace(root / "ws")
    if (
        CASES / name / "files"
    ).is_dir():  # a case may consist of setup only (git keeps no empty folder)
        shutil.copytree(CASES / name / "files", ws, dirs_exist_ok=True)
    setup = exp.get("setup") or {}
    for link, target in (setup.get("symlinks") or {}).items():
        (ws / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, ws / link)
    if "generate" in setup:
        gen = setup["generate"]
        line = "# " + "x" * 76 + "\n"
        body = "kind: peta-proses\ncode: PB.50\nlevel: 0\nprocesses: []\n"
        body += line * (gen["bytes"] // len(line) + 1)
        (ws / gen["path"]).write_text(body, encoding="utf-8")
    cwd = root / "cwd"
    cwd.mkdir()
    env = {
        "PROBIS_LOAD_PLUGINS": "regulation",
        **{k: str(v) for k, v in (exp.get("env") or {}).items()},
    }
    return ws, cwd, env


def _run_subprocess(name: str, root: Path) -> dict[str, Any]:
    ws, cwd, env = build_case(name, root)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from probis.engine.cli import main; main()",
            "check",
            str(ws),
            *ARGS,
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        cwd=cwd,
        timeout=120,
    )
    return {"code": proc.returncode, "out": proc.stdout, "err": proc.stderr, "cwd": cwd}


def _run_in_process(
    name: str, root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    from probis.engine.cli import main

    ws, cwd, env = build_case(name, root)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(ws), *ARGS])
    captured = capsys.readouterr()
    return {"code": exit_info.value.code, "out": captured.out, "err": captured.err, "cwd": cwd}


def _matches(error: dict[str, Any], want: dict[str, Any]) -> bool:
    return (
        error["file"] == want["file"]
        and all(error[k] == want[k] for k in ("line", "field", "code") if k in want)
        and want.get("message", "") in error["message"]["en"]
        and bool(error["message"]["id"])
    )


def check_result(name: str, res: dict[str, Any]) -> None:
    exp = expected_of(name)
    assert "Traceback" not in res["err"], res["err"]
    assert res["code"] != 3, res["err"]
    report = json.loads(res["out"])  # a report is always written, whatever the input
    errors = report["input_errors"]
    if exp["outcome"] == "input-error":
        assert res["code"] == 2, res["err"]
        for want in exp["errors"]:
            assert any(_matches(e, want) for e in errors), (want, errors)
        # the CLI also names the file on stderr, where a CI log shows it
        assert exp["errors"][0]["file"] in res["err"]
    else:
        assert errors == [], errors
        assert res["code"] in (0, 1), res["err"]
    # every valid file is audited next to the bad one: the base map and any valid added map
    assert report["workspace"]["counts"]["processes"] == exp["processes"]
    assert "PB.04.02" in report["scores"]["by_map"]
    for want in exp.get("findings") or []:
        assert any(
            f["rule"] == want["rule"] and f["element"] == want["element"]
            for f in report["findings"]
        ), report["findings"]
    for path in exp.get("must_not_exist") or []:
        assert not (res["cwd"] / path).exists(), f"{path} was created: a tag executed code"


def test_corpus_has_at_least_30_input_error_cases() -> None:
    assert sum(expected_of(n)["outcome"] == "input-error" for n in CASE_NAMES) >= 30


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    check_result(name, _run_in_process(name, tmp_path, monkeypatch, capsys))


@pytest.mark.slow  # each bad input again in a separate probis process (covered in-process above)
def test_sample_through_the_probis_process(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {n: pool.submit(_run_subprocess, n, tmp_path / n) for n in SUBPROCESS_SAMPLE}
        results = {n: f.result() for n, f in futures.items()}
    for name, res in results.items():
        check_result(name, res)


def test_alias_bomb_fails_fast_in_process() -> None:
    raw = (CASES / "alias-bomb" / "files" / "peta" / "bom.yaml").read_bytes()
    t0 = time.perf_counter()
    with pytest.raises(ParseError) as info:
        parse_bytes(raw, "bom.yaml", Limits())
    assert time.perf_counter() - t0 < 0.5
    assert "PROBIS_MAX_ALIAS_EXPANSION" in info.value.message["en"]


def test_alias_limit_is_raisable_and_counts_expansion_only() -> None:
    small = b"kind: x\na: &a [1, 2, 3]\nb: [*a, *a]\n"  # aliases add 2 x 4 elements
    assert parse_bytes(small, "x.yaml", Limits(max_alias_expansion=8))["b"] == [[1, 2, 3]] * 2
    with pytest.raises(ParseError):
        parse_bytes(small, "x.yaml", Limits(max_alias_expansion=7))


def test_hostile_tag_payloads_are_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tag cases would execute under an unsafe loader: proof that their test can fail."""
    monkeypatch.chdir(tmp_path)
    raw = (CASES / "python-tag-object-apply" / "files" / "peta" / "tag.yaml").read_text()
    yaml.unsafe_load(raw)
    assert (tmp_path / "DIBOBOL-os-system").exists()


@pytest.mark.parametrize("name", ["utf8-bom", "crlf-line-endings"])
def test_bom_and_crlf_load_with_right_lines(name: str, tmp_path: Path) -> None:
    ws, _, _ = build_case(name, tmp_path)
    loaded = load_workspace(ws)
    assert loaded.input_errors == []
    (entry,) = [m for m in loaded.maps if m.map.code == "PB.09"]
    assert entry.map.line == 1 and entry.map.processes[0].line == 7


def test_limit_env_with_a_typo_is_a_usage_error(tmp_path: Path) -> None:
    ws, cwd, env = build_case("utf8-bom", tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", "from probis.engine.cli import main; main()", "check", str(ws)],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env, PROBIS_MAX_FILE_BYTES="10MB"),
        cwd=cwd,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "PROBIS_MAX_FILE_BYTES" in proc.stderr and "Traceback" not in proc.stderr
