"""The repository's .pre-commit-hooks.yaml works: pre-commit's own `try-repo` installs probis from
this checkout into a fresh environment (pip, as for any user) and runs the hooks against a
workspace in a temporary git repository.

Slow (about 1.5 minutes: the environment installs probis and its dependencies), so it runs with
`pytest -m slow`. Offline it works where pip has a local index or wheel folder configured, as
on the CI machine; otherwise it needs the package index. It runs the committed hooks (--ref
HEAD: one environment serves every run of the test, and no shadow commit is made).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from probis.engine.cli import main
from testkit import ROOT


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, timeout=60).stdout.strip()


def test_the_hooks_are_declared() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"probis-validate", "probis-check"}
    assert all(h["language"] == "python" and h["pass_filenames"] is False
               for h in hooks.values())
    assert hooks["probis-validate"]["entry"] == "probis validate"
    assert hooks["probis-check"]["entry"] == "probis check"


@pytest.mark.slow
def test_try_repo_runs_the_hooks_on_a_workspace(tmp_path: Path) -> None:
    try:
        head = git("rev-parse", "HEAD", cwd=ROOT)
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("the checkout is not a git repository")
    repo = tmp_path / "peta-kab"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    assert main(["init", str(repo), "--instansi", "Pemerintah Kabupaten Contoh",
                 "--periode", "2025-2029", "--opd", "Dinas Sosial"]) is None
    git("add", "-A", cwd=repo)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")

    def try_repo(*hook: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *hook,
                               "--ref", head, "--all-files"], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=1200)

    done = try_repo("probis-validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

    pb = repo / "peta" / "PB.yaml"
    pb.write_text(pb.read_text(encoding="utf-8").replace("level: 0", "level: nol"),
                  encoding="utf-8")
    git("add", "-A", cwd=repo)
    done = try_repo()  # both hooks
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("Failed") == 2, done.stdout
    assert "peta/PB.yaml" in done.stdout and "(level)" in done.stdout
