"""STR003: maps reviewed after a new RPJMD; no process supports a sasaran it no longer has."""

from __future__ import annotations

import datetime as dt
from typing import Any

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PerMapRule, RuleContext, RuleInfo
from probis.engine.workspace import LfEntry, MapEntry, Workspace

from .plans import older_sasaran


class PlanChanged(PerMapRule):
    info = RuleInfo(
        id="STR003",
        rule_set="restructure",
        severity="warning",
        title=text("Peta belum ditinjau setelah RPJMD baru",
                   "Map not reviewed after a new RPJMD"),
        checks=text(
            "Peta tidak ditetapkan sebelum periode RPJMD yang berlaku dimulai, dan proses tidak "
            "mendukung sasaran yang ada di RPJMD terdahulu tetapi tidak lagi ada di RPJMD yang "
            "berlaku.",
            "A map was not adopted before the period of the RPJMD in force started, and no "
            "process supports a sasaran that an older RPJMD had but the RPJMD in force no "
            "longer has.",
        ),
        basis=text(
            "Permendagri 86/2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi "
            "Pembangunan Daerah (RPJMD dan Renstra Perangkat Daerah) dan PermenPANRB 19/2018 "
            "tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: perubahan arah "
            "strategis memicu penataan peta; RPJMD baru adalah pemicu itu dalam praktik "
            "(praktik baik), dan proses yang mendukung sasaran yang tidak ada lagi kehilangan "
            "kaitannya dengan jenjang kinerja menurut PermenPANRB 89/2021 tentang "
            "Penjenjangan Kinerja Instansi Pemerintah.",
            "Permendagri 86/2017 on the planning, control and evaluation of regional "
            "development (RPJMD and Renstra Perangkat Daerah) and PermenPANRB 19/2018 on "
            "preparing business-process maps of government agencies (Penyusunan Peta Proses "
            "Bisnis Instansi Pemerintah): a change of strategic direction triggers reworking "
            "the maps; a new RPJMD is such a trigger in practice (good practice), and a "
            "process that supports a sasaran that no longer exists loses its place in the "
            "performance cascade of PermenPANRB 89/2021 on performance cascading of "
            "government agencies (Penjenjangan Kinerja Instansi Pemerintah).",
        ),
        rationale=text("Proses yang mendukung sasaran yang sudah dihapus tidak lagi terhubung ke "
                       "kinerja yang diukur; peta lama menyembunyikan celah ini.",
                       "A process that supports a removed sasaran no longer connects to "
                       "measured performance; an old map hides that gap."),
        fix=text("Tinjau peta terhadap RPJMD yang berlaku: arahkan `supports` ke sasaran baru "
                 "dan tetapkan ulang peta.",
                 "Review the map against the RPJMD in force: point `supports` at current "
                 "sasaran and adopt the map again."),
        example_fail="# rpjmd-2025-2029 replaced S2.1 by S2.3\nsupports: [S2.1]",
        example_pass="supports: [S2.3]",
        applies_to="map, process",
        source="plugins/restructure/str003.py",
    )
    MAP_MESSAGE = text("Peta {code} ditetapkan {date}, sebelum periode {rpjmd} dimulai ({start}); "
                       "tinjau ulang terhadap sasaran RPJMD yang berlaku",
                       "Map {code} was adopted on {date}, before the period of {rpjmd} started "
                       "({start}); review it against the sasaran in force")
    PROCESS_MESSAGE = text("Proses {code} mendukung sasaran yang tidak ada lagi di {rpjmd}: "
                           "{gone_id}",
                           "Process {code} supports sasaran that {rpjmd} no longer has: "
                           "{gone_en}")

    # Per map (PerMapRule): a map's result reads the RPJMD in force (id, period) and,
    # for the sasaran its processes support, what earlier RPJMDs said of them.
    def map_context(self, ctx: RuleContext) -> Any:
        rpjmd = ctx.workspace.rpjmd
        if rpjmd is None:
            return None
        return [rpjmd.id, rpjmd.period.start if rpjmd.period is not None else None]

    def map_inputs(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry]) -> Any:
        old = self._older(ctx.workspace)
        return sorted({s: old[s] for p in entry.map.processes for s in p.supports
                       if s in old}.items()) if old else None

    def check_map(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry],
                  out: Evaluation) -> None:
        ws = ctx.workspace
        if ws.rpjmd is None:
            return
        adopted = entry.map.adopted
        if ws.rpjmd.period is not None and adopted is not None and adopted.date is not None:
            start = dt.date(ws.rpjmd.period.start, 1, 1)
            ref = ws.ref_map(entry)
            out.applicable(ref)
            if adopted.date < start:
                out.finding(ref, self.MAP_MESSAGE, {
                    "code": entry.map.code, "date": adopted.date.isoformat(),
                    "rpjmd": ws.rpjmd.id, "start": start.isoformat()})
        old = self._older(ws)
        if not old:
            return
        for pe in ws.processes_of(entry):
            if not pe.process.supports:
                continue
            ref = ws.ref_process(pe)
            out.applicable(ref)
            gone = [s for s in pe.process.supports if s not in ws.sasaran and s in old]
            if gone:
                ids = ", ".join(f"{s} ({old[s][0]}" + (f" → {old[s][1]}" if old[s][1] else "") + ")"
                                for s in gone)
                out.finding(ref, self.PROCESS_MESSAGE, {
                    "code": pe.process.code, "rpjmd": ws.rpjmd.id, "gone_id": ids, "gone_en": ids},
                    evidence={"sasaran": gone, "replaced_by": {s: old[s][1] for s in gone}})

    def _older(self, ws: Workspace) -> dict[str, tuple[str, str | None]]:
        """``older_sasaran(ws)``, once per workspace."""
        memo = getattr(self, "_memo", None)
        if memo is None or memo[0] is not ws:
            memo = self._memo = (ws, older_sasaran(ws))
        return memo[1]
