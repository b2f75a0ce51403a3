"""The same loaded workspace seen with another SOTK or RPJMD in force (nothing re-read)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import text
from probis.engine.workspace import Workspace, index


def with_plans(ws: Workspace, sotk_file: str | None, rpjmd_file: str | None) -> Workspace:
    """A new Workspace over ``ws``'s documents whose manifest names other files in force.

    Documents are shared, not copied: rules only read them."""
    if ws.manifest is None:
        raise ProbisUsageError(text(id="folder ini tidak punya probis.yaml yang sah",
                                    en="workspace without a valid probis.yaml"))
    manifest = ws.manifest.model_copy(update={"sotk": sotk_file, "rpjmd": rpjmd_file})
    view = Workspace(root=ws.root, name=ws.name, manifest=manifest,
                     manifest_file=ws.manifest_file, docs=list(ws.docs),
                     input_errors=list(ws.input_errors))
    index(view)
    return view


def find_doc(ws: Workspace, kind: str, given: str) -> str:
    """The workspace-relative file of the ``kind`` document the user named (a path relative to
    the workspace, relative to the current folder, or the document's id)."""

    candidates = {given.replace("\\", "/").lstrip("./") if not given.startswith("../") else given}
    p = Path(given)
    if p.exists():
        with contextlib.suppress(ValueError):  # a path outside the workspace: not ours
            candidates.add(p.resolve().relative_to(ws.root.resolve()).as_posix())
    candidates.add(os.path.normpath(given).replace("\\", "/"))
    docs = [d for d in ws.docs if d.kind == kind]
    for d in docs:
        if d.file in candidates or getattr(d.model, "id", None) == given:
            return d.file
    known = ", ".join(sorted(d.file for d in docs)) or "-"
    raise ProbisUsageError(text(
        id=f"`{given}` bukan berkas {kind} di folder ini; yang tersedia: {known}",
        en=f"`{given}` is not a {kind} file of this workspace; available: {known}"))
