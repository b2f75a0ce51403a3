"""REG003: the map hierarchy is sound: parents exist, levels step by one, no cycles."""

from __future__ import annotations

from typing import Any

from probis.engine.i18n import Text, text
from probis.engine.model import ProcessMap
from probis.engine.rule import Evaluation, PerMapRule, RuleContext, RuleInfo
from probis.engine.workspace import LfEntry, MapEntry, Workspace


class MapHierarchy(PerMapRule):
    info = RuleInfo(
        id="REG003",
        rule_set="regulation",
        severity="error",
        title=text("Hierarki peta utuh: induk ada, level berurutan, tanpa siklus",
                   "The map hierarchy is sound: parents exist, levels step by one, no cycles"),
        checks=text(
            "Setiap peta di bawah level 0 menyebut `parent` berupa peta yang ada, yang levelnya "
            "satu lebih rendah dan yang memuat proses berkode sama dengan `code` peta ini; "
            "rantai `parent` tidak berputar. Peta level 0 tidak menyebut `parent`.",
            "Every map below level 0 names a `parent` map that exists, has a level one less and "
            "holds a process whose code is this map's `code`; the chain of `parent` links has "
            "no cycle. A level-0 map names no `parent`.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "peta disusun bertingkat (tingkat 0 sampai n); setiap proses tingkat atas dirinci "
            "bertahap ke tingkat berikutnya sampai cukup rinci untuk menjadi SOP.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): maps are built in levels "
            "(level 0 to n); each upper-level process is broken down step by step into the "
            "next level until it is detailed enough to become an SOP.",
        ),
        rationale=text(
            "Peta yang lepas dari induknya tidak dapat ditelusuri ke visi, misi, dan proses "
            "level 0; rincian menjadi tidak terkendali dan cakupan proses tidak dapat dihitung.",
            "A map cut off from its parent cannot be traced to the vision, mission and level-0 "
            "processes; detail grows unchecked and process coverage cannot be counted.",
        ),
        fix=text(
            "Isi `parent` dengan kode peta yang memuat proses yang dirinci, set `level` = level "
            "induk + 1, dan pastikan `code` peta sama dengan kode proses tersebut.",
            "Set `parent` to the code of the map holding the process being detailed, set `level` "
            "to the parent's level + 1, and make the map's `code` equal that process's code.",
        ),
        example_fail=("kind: peta-proses\ncode: PB.04.02\nlevel: 2\n"
                      "parent: PB.05   # no process PB.04.02 there"),
        example_pass=("kind: peta-proses\ncode: PB.04.02\nlevel: 2\n"
                      "parent: PB.04   # level 1, holds PB.04.02"),
        applies_to="map",
        source="plugins/regulation/reg003.py",
    )

    # Per map (PerMapRule): what a map's result reads of the other maps is exactly its
    # problems (parent, level, cycle), so they are the map input.
    def map_inputs(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry]) -> Any:
        m = entry.map
        return None if m.level <= 0 and not m.parent else self._problems(ctx.workspace, m)

    def check_map(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry],
                  out: Evaluation) -> None:
        ws = ctx.workspace
        m = entry.map
        if m.level <= 0 and not m.parent:
            return  # a root: nothing above it to check
        ref = ws.ref_map(entry)
        out.applicable(ref)
        problems = self._problems(ws, m)
        if problems:
            # problems are worded per language, so the message is built here, not filled
            out.finding(ref, text(
                f"Hierarki peta {m.code}: " + "; ".join(p[1]["id"] for p in problems),
                f"Map hierarchy of {m.code}: " + "; ".join(p[1]["en"] for p in problems)),
                evidence={"problems": [p[0] for p in problems]})

    @staticmethod
    def _problems(ws: Workspace, m: ProcessMap) -> list[tuple[str, Text]]:
        if not m.parent:
            return [("no-parent", text(
                f"peta level {m.level} tidak menyebut `parent`",
                f"a level-{m.level} map names no `parent`"))]
        if m.parent not in ws.maps_by_code:
            return [("parent-missing", text(
                f"peta induk `{m.parent}` tidak ada", f"parent map `{m.parent}` does not exist"))]
        cycle = _cycle_through(ws, m)
        if cycle:
            chain = " -> ".join(cycle)
            return [("cycle", text(f"rantai induk berputar: {chain}",
                                   f"the parent chain is a cycle: {chain}"))]
        parent = ws.maps_by_code[m.parent][0].map
        problems: list[tuple[str, Text]] = []
        if parent.level != m.level - 1:
            problems.append(("level", text(
                f"level {m.level} tidak sama dengan level induk {parent.code} ({parent.level}) + 1",
                f"level {m.level} is not its parent {parent.code}'s level ({parent.level}) + 1")))
        if not any(p.code == m.code for p in parent.processes):
            problems.append(("not-decomposing", text(
                f"peta induk {parent.code} tidak memuat proses berkode {m.code}",
                f"parent map {parent.code} holds no process with code {m.code}")))
        return problems


def _cycle_through(ws: Workspace, m: ProcessMap) -> list[str]:
    """The parent chain from ``m`` back to ``m`` when ``m`` lies on a cycle, else []."""
    chain = [m.code]
    seen = {m.code}
    current = m
    while current.parent and current.parent in ws.maps_by_code:
        nxt = ws.maps_by_code[current.parent][0].map
        if nxt.code == m.code:
            return chain + [m.code]
        if nxt.code in seen:
            return []  # a cycle above m, not through it: reported on the maps that form it
        chain.append(nxt.code)
        seen.add(nxt.code)
        current = nxt
    return []
