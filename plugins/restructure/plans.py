"""Plan history: RPJMD versions before the one in force, and what became of their sasaran."""

from __future__ import annotations

from probis.engine.model import Rpjmd
from probis.engine.workspace import Workspace


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def earlier_rpjmds(ws: Workspace, current: Rpjmd | None = None) -> list[Rpjmd]:
    """RPJMD versions that came before ``current`` (default: the one in force), oldest first.

    A version counts as earlier when its period starts before the current one's; a version
    without a period is counted when the current one has none either (we cannot tell)."""
    current = current or ws.rpjmd
    if current is None:
        return []
    start = current.period.start if current.period else None
    out = []
    for plan, _ in ws.rpjmd_versions.values():
        if plan is current or plan.id == current.id:
            continue
        if start is None or (plan.period is not None and plan.period.start < start):
            out.append(plan)
    return sorted(out, key=lambda p: (p.period.start if p.period else 0, p.id))


def renamed_to(old_text: str | None, current: Rpjmd, old_ids: set[str]) -> str | None:
    """A sasaran of ``current`` with the same text under a new id (an inferred rename)."""
    wanted = _norm(old_text)
    if not wanted:
        return None
    for s in current.sasaran:
        if s.id not in old_ids and _norm(s.text) == wanted:
            return s.id
    return None


def older_sasaran(ws: Workspace) -> dict[str, tuple[str, str | None]]:
    """Sasaran ids of earlier RPJMDs that the RPJMD in force no longer has:
    ``{id: (text, id that replaced it by the same text, or None)}``."""
    if ws.rpjmd is None:
        return {}
    current_ids = {s.id for s in ws.rpjmd.sasaran}
    out: dict[str, tuple[str, str | None]] = {}
    for plan in earlier_rpjmds(ws):
        old_ids = {s.id for s in plan.sasaran}
        for s in plan.sasaran:
            if s.id not in current_ids:
                out[s.id] = (s.text or s.id, renamed_to(s.text, ws.rpjmd, old_ids))
    return out
