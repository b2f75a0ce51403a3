"""REG004: map and process codes are unique; a process code is its map's code + one segment."""

from __future__ import annotations

import re
from typing import Any

from probis.engine.i18n import Text, text
from probis.engine.rule import Evaluation, PerMapRule, RuleContext, RuleInfo
from probis.engine.workspace import LfEntry, MapEntry

# one dotted segment: letters, digits, '-' or '_' (PB.04.02 + ".01"); no dot, no space
SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


class UniqueDottedCodes(PerMapRule):
    info = RuleInfo(
        id="REG004",
        rule_set="regulation",
        severity="error",
        title=text("Kode peta dan proses unik dan berjenjang",
                   "Map and process codes are unique and hierarchical"),
        checks=text(
            "Kode peta dan kode proses masing-masing unik dalam workspace, dan setiap kode "
            "proses adalah kode petanya ditambah satu segmen bertitik (peta PB.04 memuat "
            "PB.04.01, PB.04.02, ...). Kemunculan kedua dan seterusnya dari kode ganda "
            "dilaporkan.",
            "Map codes and process codes are each unique in the workspace, and every process "
            "code is its map's code plus one dotted segment (map PB.04 holds PB.04.01, "
            "PB.04.02, ...). The second and later uses of a duplicated code are reported.",
        ),
        basis=text(
            "Praktik baik: kode berjenjang bertitik, kode anak memperpanjang kode induk dan "
            "unik dalam satu edisi peta, seperti pada peta proses bisnis ATR/BPN dan BPOM dan "
            "pada kode berjenjang arsitektur proses bisnis SPBE (Perpres 132/2022 tentang "
            "Arsitektur Sistem Pemerintahan Berbasis Elektronik Nasional). Skema kode ini "
            "tidak diambil dari PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis "
            "Instansi Pemerintah.",
            "Good practice: hierarchical dotted codes, a child's code extends its parent's "
            "and is unique within one edition of the maps, as in the process maps of ATR/BPN "
            "and BPOM and in the tiered codes of the SPBE business-process architecture "
            "(Perpres 132/2022 on the national architecture of electronic-based government, "
            "SPBE). This coding scheme is not taken from PermenPANRB 19/2018 on preparing "
            "business-process maps of government agencies (Penyusunan Peta Proses Bisnis "
            "Instansi Pemerintah).",
        ),
        rationale=text(
            "Kode adalah alamat proses: SOP, pengecualian, laporan, dan peta turunan merujuk kode. "
            "Kode ganda membuat rujukan ambigu, dan kode yang tidak berjenjang memutus jejak "
            "dari SOP ke proses level 0.",
            "The code is a process's address: SOPs, waivers, reports and lower-level maps refer "
            "to it. A duplicated code makes references ambiguous, and a code that does not "
            "extend its map's code breaks the trail from an SOP up to level 0.",
        ),
        fix=text(
            "Beri kode yang belum dipakai; untuk proses, gunakan kode peta ditambah satu segmen "
            "(misalnya PB.04.02 -> PB.04.02.03).",
            "Use a code that is not taken yet; for a process, use its map's code plus one "
            "segment (for example PB.04.02 -> PB.04.02.03).",
        ),
        example_fail=(
            "kind: peta-proses\ncode: PB.04.02\nprocesses:\n"
            "  - code: PB.04.03.01   # not under PB.04.02\n  - code: PB.04.02.02\n"
            "  - code: PB.04.02.02   # used twice"
        ),
        example_pass=(
            "kind: peta-proses\ncode: PB.04.02\nprocesses:\n"
            "  - code: PB.04.02.01\n  - code: PB.04.02.02\n  - code: PB.04.02.03"
        ),
        applies_to="map, process",
        source="plugins/regulation/reg004.py",
    )

    DUPLICATE_MAP = text(
        "Kode peta {code} sudah dipakai oleh {first}",
        "Map code {code} is already used by {first}",
    )

    # [snippet:permap]
    # Per map (PerMapRule): whether a code is a duplicate depends on the other maps, so
    # the first holder of each of this map's codes that is not this map is a map input; the
    # form check reads only the map itself. ``maps_by_code`` and ``processes_by_code`` list
    # the holders of a code in workspace order: the first is the one that keeps the code.
    def map_inputs(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry]) -> Any:
        ws = ctx.workspace
        holder = ws.maps_by_code[entry.map.code][0]
        taken = [[p.code, first.file, first.map.code] for p in entry.map.processes
                 if (first := ws.processes_by_code[p.code][0]).process is not p]
        return [None if holder is entry else holder.file, taken]
    # [/snippet]

    def check_map(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry],
                  out: Evaluation) -> None:
        ws = ctx.workspace
        ref = ws.ref_map(entry)
        out.applicable(ref)
        code = entry.map.code
        holder = ws.maps_by_code[code][0]
        if holder is not entry:
            out.finding(ref, self.DUPLICATE_MAP, {"code": code, "first": holder.file},
                        evidence={"first": holder.file})

        m = entry.map
        prefix = m.code + "."
        for pe in ws.processes_of(entry):
            p = pe.process
            ref = ws.ref_process(pe)
            out.applicable(ref)
            problems: list[tuple[str, Text]] = []
            first = ws.processes_by_code[p.code][0]
            if first is not pe:
                problems.append(("duplicate", text(
                    f"kode sudah dipakai oleh proses di {first.file} (peta {first.map.code})",
                    f"the code is already used by a process in {first.file} "
                    f"(map {first.map.code})")))
            if not (p.code.startswith(prefix) and SEGMENT.fullmatch(p.code[len(prefix):])):
                problems.append(("form", text(
                    f"kode bukan kode peta {m.code} ditambah satu segmen (contoh {m.code}.01)",
                    f"the code is not map code {m.code} plus one segment (e.g. {m.code}.01)")))
            if problems:
                out.finding(ref, text(
                    f"Kode proses {p.code}: " + "; ".join(x[1]["id"] for x in problems),
                    f"Process code {p.code}: " + "; ".join(x[1]["en"] for x in problems)),
                    evidence={"problems": [x[0] for x in problems]})
