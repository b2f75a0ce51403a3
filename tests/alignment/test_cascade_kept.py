"""ALN003's planning cascade is reused by the coverage section of the same run, safely.

Kept once (taken by the section), only for the same workspace unchanged, never keeping the
workspace alive; the section is the same as one built afresh.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from probis.engine.loader import load_workspace
from probis.engine.plugins import build_registry
from probis.engine.runner import loader_config
from probis.engine.workspace import Workspace
from probis.plugins.alignment import cascade as cascade_module
from probis.plugins.alignment.cascade import build, build_and_keep, kept
from probis.plugins.alignment.coverage import coverage_section

from .workspace import make_workspace, replace, run


def _load(root: Path) -> Workspace:
    return load_workspace(root, loader_config(build_registry()))


def test_section_from_kept_cascade_equals_fresh_one(tmp_path: Path) -> None:
    ws = _load(make_workspace(tmp_path))
    fresh = coverage_section(ws)
    build_and_keep(ws)
    assert cascade_module._kept is not None
    assert coverage_section(ws) == fresh
    assert cascade_module._kept is None  # taken once


def test_kept_cascade_is_only_for_its_workspace_unchanged(tmp_path: Path) -> None:
    first = _load(make_workspace(tmp_path / "a"))
    other = _load(make_workspace(tmp_path / "b", {"peta/PB.02.yaml": replace(
        "peta/PB.02.yaml", "supports: [S1.1.1]", "supports: [DUK.S1]")}))
    built = build_and_keep(first)
    assert kept(other).direct != built.direct  # another workspace: built afresh
    assert build_and_keep(first).direct
    first.processes = []  # what build read has changed
    assert not kept(first).direct


def test_kept_cascade_does_not_keep_the_workspace_alive(tmp_path: Path) -> None:
    ws = _load(make_workspace(tmp_path))
    build_and_keep(ws)
    alive = weakref.ref(ws)
    del ws
    gc.collect()
    assert alive() is None
    assert cascade_module._kept is None


def test_audit_section_unchanged(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    section = run(root).sections["coverage"]
    assert section == coverage_section(_load(root))
    assert section["totals"]["sasaran_total"] == 2
    assert build(_load(root)).served("S2.1.1")  # through the Renstra only
