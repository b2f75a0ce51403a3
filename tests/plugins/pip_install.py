"""Install a plugin package with pip into a private folder, as a wheel install would leave it.

``pip install --target`` writes the package and its ``*.dist-info`` (with ``entry_points.txt``)
into one folder; put that folder on PYTHONPATH and probis discovers the plugin through its
entry point, as it would after ``pip install`` into site-packages. A private folder (not the
test virtualenv) keeps the plugin away from every other test, which must see only the plugins
they ask for. Installs are cached by a hash of the package's files, so reruns take no time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SKIP = {"build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache"}


def source_digest(source: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or any(part in SKIP or part.endswith(".egg-info") for part in rel.parts):
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def pip_install(source: Path, cache: Path) -> Path:
    """Install ``source`` (a folder with pyproject.toml) into ``cache/<name>-<hash>``; return it."""
    target = cache / f"{source.name}-{source_digest(source)}"
    if (target / ".installed").is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        # build from a copy: pip builds in the source tree and would leave build/ behind there
        copy = Path(scratch) / source.name
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns(*SKIP, "*.egg-info"))
        staged = Path(scratch) / "site"
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--no-build-isolation", "--no-cache-dir", "--target", str(staged), str(copy)],
            capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"pip install {source} failed:\n{proc.stdout}\n{proc.stderr}"
        (staged / ".installed").write_text(str(source), encoding="utf-8")
        if target.exists() and not (target / ".installed").is_file():
            shutil.rmtree(target, ignore_errors=True)  # left by an interrupted run
        try:
            os.replace(staged, target)
        except OSError:
            # another test worker installed it meanwhile and may be using it: keep theirs
            if not (target / ".installed").is_file():
                raise
    return target


def env_with(*sites: Path, plugins: str | None = None) -> dict[str, str]:
    """Environment for a subprocess that sees the plugins installed in ``sites``."""
    env = {"PYTHONPATH": os.pathsep.join([*map(str, sites), os.environ.get("PYTHONPATH", "")])}
    if plugins is not None:
        env["PROBIS_LOAD_PLUGINS"] = plugins
    return env
