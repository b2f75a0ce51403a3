"""REG008: every unit a map refers to exists in the SOTK in force."""

from __future__ import annotations

from typing import Any

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.nearmatch import close_matches
from probis.engine.rule import Evaluation, PerMapRule, RuleContext, RuleInfo, referenced_units
from probis.engine.workspace import LfEntry, MapEntry, Workspace


class UnitsExistInSotk(PerMapRule):
    info = RuleInfo(
        id="REG008",
        rule_set="regulation",
        severity="error",
        title=text("Unit yang dirujuk ada dalam SOTK yang berlaku",
                   "Referenced units exist in the SOTK in force"),
        checks=text(
            "Setiap pemilik (owner), peserta (participants), unit peta, dan unit lajur peta "
            "lintas fungsi adalah id unit dalam SOTK yang berlaku. Unit yang dijelaskan oleh "
            "riwayat SOTK (diganti nama, digabung, dipecah, dipindah, dihapus) dilaporkan "
            "sekali sebagai STR001, bukan di sini.",
            "Every owner, participant, map unit and cross-functional lane unit is a unit id of "
            "the SOTK in force. A unit that the SOTK history explains (renamed, merged, split, "
            "moved, abolished) is reported once as STR001 instead.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "peta proses bisnis menggambarkan hubungan kerja antar-unit organisasi dan "
            "terkait dengan struktur organisasi; struktur itu ditetapkan dengan Perda dan "
            "peraturan kepala daerah tentang perangkat daerah berdasarkan PP 18/2016 tentang "
            "Perangkat Daerah sebagaimana diubah dengan PP 72/2019.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): a business-process map "
            "shows the working relations between organisational units and is linked to the "
            "organisation structure; that structure is set by the Perda and the regional "
            "head's regulation on perangkat daerah under PP 18/2016 on Perangkat Daerah "
            "(regional apparatus) as amended by PP 72/2019.",
        ),
        rationale=text(
            "Peta yang menunjuk unit yang tidak ada tidak dapat dijadikan SOP dan tidak dapat "
            "dipertanggungjawabkan: tidak jelas siapa yang melaksanakan proses.",
            "A map that points at a unit that does not exist cannot become an SOP and cannot be "
            "held to account: nobody is clearly responsible for the process.",
        ),
        fix=text(
            "Ganti id unit dengan id yang tertulis di berkas SOTK yang berlaku (lihat "
            "`units[].id`), atau tambahkan unit tersebut ke SOTK bila memang ada.",
            "Replace the unit id with an id written in the SOTK in force (see `units[].id`), "
            "or add the unit to the SOTK if it really exists.",
        ),
        example_fail=("processes:\n  - code: PB.06.01\n"
                      "    owner: dinkes.yankess   # not in the SOTK"),
        example_pass="processes:\n  - code: PB.06.01\n    owner: dinkes.yankes",
        applies_to="process, map, lane",
        source="plugins/regulation/reg008.py",
    )

    MESSAGE = text(
        "{kind_id} {element} merujuk unit yang tidak ada dalam SOTK {sotk}: {units_id}",
        "{kind_en} {element} refers to units not in SOTK {sotk}: {units_en}",
    )

    # Per map (PerMapRule): what a map's result reads beyond its own fingerprint is,
    # per referenced unit, whether an earlier SOTK knew it, and the SOTK id, which only a
    # finding's message shows (so a new SOTK does not re-open maps without unknown units).
    def map_context(self, ctx: RuleContext) -> Any:
        return ctx.workspace.sotk is not None

    def map_inputs(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry]) -> Any:
        ws = ctx.workspace
        known, historic = self._known(ws)
        units = [[uid, uid in known, uid in historic] for uid in referenced_units(entry, lfs)]
        unknown = [uid for uid, k, h in units if not k and not h]
        # the suggestions shown in a finding depend on every unit of the SOTK in force
        return [units, ws.sotk.id if unknown and ws.sotk else None,
                {uid: self._closest(ws, uid) for uid in unknown}]

    def check_map(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry],
                  out: Evaluation) -> None:
        ws = ctx.workspace
        if ws.sotk is None:
            return  # the missing SOTK is already an input error; do not flag every unit
        if entry.map.unit:
            self._report(ws, out, ws.ref_map(entry), [entry.map.unit], "Peta", "Map")
        for pe in ws.processes_of(entry):
            ids = pe.process.owners + list(pe.process.participants)
            if ids:
                self._report(ws, out, ws.ref_process(pe), ids, "Proses", "Process")
        self.check_unmapped(ctx, lfs, out)

    def check_unmapped(self, ctx: RuleContext, lfs: list[LfEntry], out: Evaluation) -> None:
        ws = ctx.workspace
        if ws.sotk is None:
            return
        for lf_entry in lfs:
            for lane in lf_entry.lf.lanes:
                if lane.unit:
                    ref = ws.ref_lf(lf_entry, f"{lf_entry.lf.process}#{lane.id}", "lane", lane.line)
                    self._report(ws, out, ref, [lane.unit], "Lajur", "Lane")

    def _known(self, ws: Workspace) -> tuple[set[str], set[str]]:
        """Unit ids of the SOTK in force and of the other SOTK versions (once per run)."""
        memo = getattr(self, "_memo", None)
        if memo is None or memo[0] is not ws:
            historic = {u.id for sotk, _ in ws.sotk_versions.values() if sotk is not ws.sotk
                        for u in sotk.units}
            memo = self._memo = (ws, set(ws.units), historic)
        return memo[1], memo[2]

    def _report(self, ws: Workspace, out: Evaluation, ref: ElementRef, ids: list[str],
                kind_id: str, kind_en: str) -> None:
        out.applicable(ref)
        known, historic = self._known(ws)
        missing = sorted({i for i in ids if i not in known and i not in historic})
        if missing:
            closest = {uid: self._closest(ws, uid) for uid in missing}
            shown_id = [f"{u} (mungkin {', '.join(closest[u])}?)" if closest[u] else u
                        for u in missing]
            shown_en = [f"{u} (perhaps {', '.join(closest[u])}?)" if closest[u] else u
                        for u in missing]
            out.finding(ref, self.MESSAGE, {
                "kind_id": kind_id, "kind_en": kind_en, "element": ref.element,
                "sotk": ws.sotk.id if ws.sotk else "-", "units_id": ", ".join(shown_id),
                "units_en": ", ".join(shown_en)},
                evidence={"unknown_units": missing, "closest": closest})

    def _closest(self, ws: Workspace, unit_id: str) -> list[str]:
        """The existing unit ids nearest to an unknown one (a typo is the usual cause)."""
        memo = getattr(self, "_closest_memo", None)
        if memo is None or memo[0] is not ws:
            memo = self._closest_memo = (ws, sorted(ws.units), {})
        hit = memo[2].get(unit_id)
        if hit is None:
            hit = memo[2][unit_id] = close_matches(unit_id, memo[1], n=2,
                                                     cutoff=0.75)
        return hit
