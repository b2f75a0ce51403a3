"""bpmnlint (Node) for the benchmarks that compare with it: find or install it, run it, read
its report. Used by startup_bench.py and bpmn_bench.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
_COLUMNS = re.compile(r"\s{2,}")


def find_bpmnlint(install: bool, tmp: Path) -> tuple[list[str] | None, Path | None]:
    """The bpmnlint command and the folder to run it in (it wants a .bpmnlintrc), or None."""
    local = HERE.parent / "node_modules" / ".bin" / "bpmnlint"
    found = str(local) if local.exists() else shutil.which("bpmnlint")
    if found is None and install and shutil.which("npm") and shutil.which("node"):
        subprocess.run(["npm", "install", "--silent", "--prefix", str(tmp / "npm"),
                        "bpmnlint"], check=True, timeout=600)
        found = str(tmp / "npm" / "node_modules" / ".bin" / "bpmnlint")
    if found is None or not shutil.which("node"):
        return None, None
    cwd = tmp / "lint"
    cwd.mkdir(exist_ok=True)
    (cwd / ".bpmnlintrc").write_text('{"extends": "bpmnlint:recommended"}\n', "utf-8")
    return [found], cwd


def bpmnlint_version(command: list[str]) -> str:
    """The installed bpmnlint's version, read from its package.json beside the command."""
    package = Path(command[0]).resolve().parents[1] / "package.json"
    if package.is_file():
        match = re.search(r'"version":\s*"([^"]+)"', package.read_text("utf-8"))
        if match:
            return match.group(1)
    return "?"


def parse_report(stdout: str) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """bpmnlint's default (stylish) report: file -> rule -> [(element id, message)].

    A file's block starts with its path on a line of its own; each problem is one indented
    line of columns separated by two or more spaces: element, severity, message, rule."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    current: str | None = None
    for line in stdout.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = line.strip()
            continue
        columns = _COLUMNS.split(line.strip())
        if current is None or len(columns) < 4:
            continue  # a summary line, or an import warning that names no rule
        element, _severity, message, rule = columns[0], columns[1], columns[2], columns[-1]
        out[current][rule].append((element, message))
    return out
