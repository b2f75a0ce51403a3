"""SOTK history: what happened to each unit between two versions, and what replaces it.

A *transition* compares two SOTK versions. Stated ``changes`` (format.md: rename, merge,
split, move, abolish, create) are taken as written; sub-units of a changed unit follow their
parent by prefix (``bappeda.perencanaan`` -> ``bapperida.perencanaan`` when that id exists);
whatever is still unexplained is inferred by comparing the versions (ids that vanish or
appear, names and parents that change) and marked ``inferred``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from probis.engine.model import Sotk, Unit
from probis.engine.workspace import Workspace

from .words import coverage, jaccard, tokens

# how well functions must match for inference to call two units the same work
INFER_THRESHOLD = 0.34


@dataclass(frozen=True)
class Candidate:
    unit: str
    score: float  # function overlap with the old unit, 0..1 (1.0 for a single answer)


@dataclass(frozen=True)
class UnitChange:
    op: str  # rename | merge | split | move | abolish | create | name
    unit: str  # the unit as it was (for create: the new unit)
    candidates: tuple[Candidate, ...]  # ranked best first; empty for abolish
    from_sotk: str
    to_sotk: str
    inferred: bool = False
    via: str = "changes"  # changes | prefix | parent | inferred
    parent: str | None = None  # move: the new parent; create: its parent
    old_name: str | None = None
    new_name: str | None = None

    @property
    def targets(self) -> list[str]:
        return [c.unit for c in self.candidates]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "unit": self.unit, "proposed": self.targets,
                               "from_sotk": self.from_sotk, "to_sotk": self.to_sotk,
                               "inferred": self.inferred, "via": self.via}
        if self.op == "split":
            out["ranking"] = [{"unit": c.unit, "score": c.score} for c in self.candidates]
        for key in ("parent", "old_name", "new_name"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def _functions(unit: Unit) -> frozenset[str]:
    return tokens([*unit.functions, unit.name])


def rank(old: Unit | None, targets: list[str], new_units: dict[str, Unit]) -> tuple[Candidate, ...]:
    """Split candidates ranked by how much of the old unit's functions each new unit took."""
    if len(targets) <= 1 or old is None:
        return tuple(Candidate(t, 1.0) for t in targets)
    old_words = _functions(old)
    scored = [Candidate(t, round(coverage(old_words, _functions(new_units[t])) if t in new_units
                                 else 0.0, 3)) for t in targets]
    order = {t: i for i, t in enumerate(targets)}
    return tuple(sorted(scored, key=lambda c: (-c.score, order[c.unit])))


def transition(old: Sotk, new: Sotk) -> list[UnitChange]:
    """Every change from ``old`` to ``new``, in a stable order."""
    old_units = {u.id: u for u in old.units}
    new_units = {u.id: u for u in new.units}
    stated = new.previous == old.id and bool(new.changes)
    out: dict[str, UnitChange] = {}
    created: set[str] = set()

    def add(change: UnitChange) -> None:
        out.setdefault(change.unit, change)

    def make(op: str, unit: str, targets: list[str], **kw: Any) -> UnitChange:
        return UnitChange(op, unit, rank(old_units.get(unit), targets, new_units),
                          old.id, new.id, **kw)

    if stated:
        for ch in new.changes:
            sources = ch.from_ if isinstance(ch.from_, list) else [ch.from_] if ch.from_ else []
            targets = ch.to if isinstance(ch.to, list) else [ch.to] if ch.to else []
            if ch.op in ("rename", "merge", "split"):
                for src in sources:
                    add(make(ch.op, src, targets))
            elif ch.op == "abolish" and ch.unit:
                add(make("abolish", ch.unit, []))
            elif ch.op == "create" and ch.unit:
                created.add(ch.unit)
                unit = new_units.get(ch.unit)
                add(make("create", ch.unit, [ch.unit], parent=unit.parent if unit else None))
            elif ch.op == "move" and ch.unit:
                add(make("move", ch.unit, _moved_to(ch.unit, ch.parent, old_units, new_units),
                         parent=ch.parent))

    vanished = sorted((i for i in old_units if i not in new_units), key=_depth_key)
    appeared = [i for i in new_units if i not in old_units]
    claimed = {t for c in out.values() for t in c.targets} | created
    for uid in vanished:
        if uid in out:
            continue
        follow = _follow_parent(uid, old_units, new_units, out)
        if follow is not None:
            add(follow)
            claimed.update(follow.targets)
            continue
        add(_infer(uid, old, new, old_units, new_units, appeared, claimed))
        claimed.update(out[uid].targets)
    _group_inferred(out, old, new, old_units, new_units)

    for uid in appeared:
        if uid not in claimed and uid not in out:
            add(UnitChange("create", uid, (Candidate(uid, 1.0),), old.id, new.id, inferred=True,
                           via="inferred", parent=new_units[uid].parent))
    for uid, unit in old_units.items():
        if uid not in new_units or uid in out:
            continue
        after = new_units[uid]
        if (after.parent or None) != (unit.parent or None):
            add(UnitChange("move", uid, (Candidate(uid, 1.0),), old.id, new.id, inferred=True,
                           via="inferred", parent=after.parent))
        elif (after.name or "") != (unit.name or ""):
            add(UnitChange("name", uid, (Candidate(uid, 1.0),), old.id, new.id, inferred=True,
                           via="inferred", old_name=unit.name, new_name=after.name))
    return sorted(out.values(), key=lambda c: (_depth_key(c.unit), c.op))


def _depth_key(uid: str) -> tuple[int, str]:
    return (uid.count("."), uid)


def _moved_to(uid: str, parent: str | None, old_units: dict[str, Unit],
              new_units: dict[str, Unit]) -> list[str]:
    if uid in new_units:
        return [uid]
    if parent:
        guess = f"{parent}.{uid.rsplit('.', 1)[-1]}"
        if guess in new_units:
            return [guess]
        name = old_units[uid].name if uid in old_units else None
        for u in new_units.values():
            if u.parent == parent and name and u.name == name:
                return [u.id]
    return []


def _follow_parent(uid: str, old_units: dict[str, Unit], new_units: dict[str, Unit],
                   done: dict[str, UnitChange]) -> UnitChange | None:
    """A sub-unit of a changed unit goes where its parent went: same suffix, or same name."""
    seen: set[str] = set()
    current = old_units[uid].parent
    while current and current not in seen:
        seen.add(current)
        change = done.get(current)
        if change is not None and change.op in ("rename", "merge", "split", "move", "abolish"):
            if change.op == "abolish":
                return UnitChange("abolish", uid, (), change.from_sotk, change.to_sotk,
                                  change.inferred, "parent")
            suffix = uid[len(current):] if uid.startswith(current + ".") else None
            name = old_units[uid].name
            for target in change.targets:
                if suffix and target + suffix in new_units:
                    return UnitChange(change.op if change.op != "split" else "rename", uid,
                                      (Candidate(target + suffix, 1.0),), change.from_sotk,
                                      change.to_sotk, change.inferred, "prefix")
                for u in new_units.values():
                    if name and u.name == name and _below(u.id, target, new_units):
                        return UnitChange(change.op if change.op != "split" else "rename", uid,
                                          (Candidate(u.id, 1.0),), change.from_sotk,
                                          change.to_sotk, change.inferred, "prefix")
            # no counterpart below the new parent: the work goes to the parent's successor(s)
            return UnitChange(change.op, uid, change.candidates, change.from_sotk,
                              change.to_sotk, change.inferred, "parent")
        current = old_units[current].parent if current in old_units else None
    return None


def _below(uid: str, ancestor: str, units: dict[str, Unit]) -> bool:
    seen: set[str] = set()
    current = units[uid].parent if uid in units else None
    while current and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        current = units[current].parent if current in units else None
    return False


def _infer(uid: str, old: Sotk, new: Sotk, old_units: dict[str, Unit], new_units: dict[str, Unit],
           appeared: list[str], claimed: set[str]) -> UnitChange:
    unit = old_units[uid]
    for a in appeared:
        if unit.name and (new_units[a].name or "").strip().lower() == unit.name.strip().lower():
            return UnitChange("rename", uid, (Candidate(a, 1.0),), old.id, new.id, True, "inferred")
    words = _functions(unit)
    # inference compares units at the same place in the tree: OPDs with OPDs, bidang with
    # the bidang of the same parent
    scored = sorted(((round(jaccard(words, _functions(new_units[a])), 3), a) for a in appeared
                     if (new_units[a].parent or None) == (unit.parent or None)),
                    key=lambda x: (-x[0], x[1]))
    good = [Candidate(a, s) for s, a in scored if s >= INFER_THRESHOLD]
    if not good:
        return UnitChange("abolish", uid, (), old.id, new.id, True, "inferred")
    if len(good) > 1:
        return UnitChange("split", uid, tuple(good), old.id, new.id, True, "inferred")
    return UnitChange("rename", uid, tuple(good), old.id, new.id, True, "inferred")


def _group_inferred(out: dict[str, UnitChange], old: Sotk, new: Sotk,
                    old_units: dict[str, Unit], new_units: dict[str, Unit]) -> None:
    """Several vanished units inferred into one new unit are a merge, not renames."""
    into: dict[str, list[str]] = {}
    for c in out.values():
        if c.inferred and c.op == "rename" and c.via == "inferred":
            into.setdefault(c.targets[0], []).append(c.unit)
    for target, sources in into.items():
        if len(sources) > 1:
            for s in sources:
                out[s] = UnitChange("merge", s, (Candidate(target, 1.0),), old.id, new.id,
                                    True, "inferred")


# --- the history of the workspace ----------------------------------------------------------


@dataclass
class Resolution:
    """What became of a unit id that the SOTK in force no longer has."""

    unit: str
    steps: list[UnitChange] = field(default_factory=list)
    candidates: tuple[Candidate, ...] = ()

    @property
    def op(self) -> str:
        ops = []
        for s in self.steps:
            if not ops or ops[-1] != s.op:
                ops.append(s.op)
        return "+".join(ops) or "unknown"

    @property
    def inferred(self) -> bool:
        return any(s.inferred for s in self.steps)

    @property
    def proposed(self) -> list[str]:
        return [c.unit for c in self.candidates]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"unit": self.unit, "op": self.op, "proposed": self.proposed,
                               "inferred": self.inferred,
                               "sotk": [self.steps[0].from_sotk, self.steps[-1].to_sotk]
                               if self.steps else []}
        if len(self.candidates) > 1:
            out["ranking"] = [{"unit": c.unit, "score": c.score} for c in self.candidates]
        return out


class History:
    """The chain of SOTK versions that leads to the one in force, and its transitions."""

    def __init__(self, ws: Workspace) -> None:
        # The units and SOTK, not the workspace: the workspace holds this History, and a
        # reference back would make a cycle that keeps a whole audited workspace in memory
        # until the cyclic collector runs (check-many audits one after another).
        self.sotk = ws.sotk
        self.current: dict[str, Unit] = ws.units
        self.chain: list[Sotk] = chain_to(ws, ws.sotk) if ws.sotk else []
        self.transitions: list[list[UnitChange]] = [
            transition(a, b) for a, b in zip(self.chain, self.chain[1:], strict=False)]
        self._by_step = [{c.unit: c for c in t} for t in self.transitions]
        self._cache: dict[str, Resolution | None] = {}
        self._ids_before: list[frozenset[str]] | None = None

    def known_before(self, unit_id: str) -> bool:
        return any(unit_id in {u.id for u in s.units} for s in self.chain[:-1])

    def old_unit(self, unit_id: str) -> tuple[Unit, Sotk] | None:
        """The latest older version of a unit no longer in force, with its SOTK."""
        for sotk in reversed(self.chain[:-1]):
            for u in sotk.units:
                if u.id == unit_id:
                    return u, sotk
        return None

    def resolve(self, unit_id: str) -> Resolution | None:
        """None when the id is in force, or was never in any SOTK of the chain."""
        if unit_id in self.current:
            return None
        if unit_id not in self._cache:
            self._cache[unit_id] = self._resolve(unit_id)
        return self._cache[unit_id]

    def _resolve(self, unit_id: str) -> Resolution | None:
        last = None
        if self._ids_before is None:  # the unit ids of each older SOTK, as sets
            self._ids_before = [frozenset(u.id for u in s.units) for s in self.chain[:-1]]
        for i, ids in enumerate(self._ids_before):
            if unit_id in ids:
                last = i
        if last is None:
            return None
        res = Resolution(unit_id)
        frontier: list[Candidate] = [Candidate(unit_id, 1.0)]
        for step in range(last, len(self.transitions)):
            nxt: list[Candidate] = []
            for cand in frontier:
                change = self._by_step[step].get(cand.unit)
                if change is None or change.op in ("name", "create"):
                    nxt.append(cand)
                    continue
                res.steps.append(change)
                nxt.extend(Candidate(c.unit, round(c.score * cand.score, 3))
                           for c in change.candidates)
            frontier = nxt
        best: dict[str, Candidate] = {}
        for c in frontier:
            if c.unit in self.current and c.unit not in best:
                best[c.unit] = c
        res.candidates = tuple(best.values())
        return res


def chain_to(ws: Workspace, target: Sotk) -> list[Sotk]:
    """Versions leading to ``target``, oldest first: by ``previous``; else by effective date."""
    versions = {sid: s for sid, (s, _) in ws.sotk_versions.items()}
    chain = [target]
    while chain[0].previous in versions and versions[chain[0].previous] not in chain:
        chain.insert(0, versions[chain[0].previous])
    if len(chain) == 1 and target.effective:
        earlier = sorted((s for s in versions.values() if s is not target and s.effective
                          and s.effective < target.effective), key=lambda s: s.effective)
        chain = [*earlier, target]
    return chain


def history_of(ws: Workspace) -> History:
    """One History per workspace object (rules of one run share it)."""
    hist = ws.__dict__.get("_probis_restructure_history")
    if hist is None or hist.sotk is not ws.sotk or hist.current is not ws.units:
        hist = History(ws)
        ws.__dict__["_probis_restructure_history"] = hist
    return hist
