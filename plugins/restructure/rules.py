"""STR001–STR004: structure and plan changes that make maps due for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PerMapRule, PythonRule, RuleContext, RuleInfo
from probis.engine.workspace import LfEntry, MapEntry, Workspace

from .history import Candidate, Resolution, history_of
from .plans import older_sasaran
from .words import coverage, tokens

OP_TEXT = {
    "rename": ("diganti nama", "renamed"), "merge": ("digabung", "merged"),
    "split": ("dipecah", "split"), "move": ("dipindah", "moved"),
    "abolish": ("dihapus", "abolished"),
}
CARRIED_THRESHOLD = 0.75  # share of a function's words one function of a new unit must hold


def op_text(op: str) -> tuple[str, str]:
    parts = [OP_TEXT.get(o, (o, o)) for o in op.split("+")]
    return " lalu ".join(p[0] for p in parts), " then ".join(p[1] for p in parts)


def rank_for(res: Resolution, ws: Workspace, words: frozenset[str]) -> list[Candidate]:
    """Split candidates for one element: the unit-level ranking, refined by the element's own
    words (a process named after licensing goes to the unit whose functions say licensing)."""
    if len(res.candidates) <= 1 or not words:
        return list(res.candidates)
    rescored = []
    for c in res.candidates:
        unit = ws.units.get(c.unit)
        own = coverage(words, tokens([*unit.functions, unit.name]) if unit else frozenset())
        rescored.append(Candidate(c.unit, round((c.score + own) / 2, 3)))
    order = {c.unit: i for i, c in enumerate(res.candidates)}
    return sorted(rescored, key=lambda c: (-c.score, order[c.unit]))


class UnitReplaced(PerMapRule):
    info = RuleInfo(
        id="STR001",
        rule_set="restructure",
        severity="error",
        title=text("Unit yang dirujuk telah diubah oleh SOTK yang lebih baru",
                   "Referenced unit was changed by a newer SOTK"),
        checks=text(
            "Peta, proses (pemilik dan peserta), peta lintas fungsi, dan lajur tidak merujuk unit "
            "yang ada dalam versi SOTK terdahulu tetapi telah diganti nama, digabung, dipecah, "
            "dipindah, atau dihapus dalam SOTK yang berlaku. Temuan mengusulkan unit penggantinya.",
            "No map, process (owner and participants), cross-functional map or lane refers to a "
            "unit that an older SOTK version has but that the SOTK in force renamed, merged, "
            "split, moved or abolished. The finding proposes the replacing unit(s).",
        ),
        basis=text(
            "Perda/Perwali perangkat daerah yang baru (SOTK) dan PermenPANRB 19/2018: peta proses "
            "bisnis dievaluasi ketika terjadi perubahan organisasi (domain §4, §5).",
            "The new Perda/Perwali on perangkat daerah (SOTK) and PermenPANRB 19/2018: process "
            "maps are reviewed when the organisation changes (domain §4, §5).",
        ),
        rationale=text(
            "Setelah restrukturisasi, peta yang masih menunjuk unit lama tidak lagi menyebut "
            "siapa yang bertanggung jawab; Bagian Organisasi harus mencarinya satu per satu.",
            "After a restructuring, a map that still names the old unit no longer says who is "
            "responsible; the Bagian Organisasi would have to find such maps by hand.",
        ),
        fix=text(
            "Ganti id unit lama dengan unit yang diusulkan (untuk pemecahan: pilih calon yang "
            "mengambil alih fungsi proses ini), atau jalankan `probis restructure --apply DIR` "
            "untuk menulis usulan ke salinan berkas.",
            "Replace the old unit id with the proposed unit (for a split: the candidate that took "
            "over this process's function), or run `probis restructure --apply DIR` to write the "
            "proposals into copies of the files.",
        ),
        example_fail="# sotk-2025: changes: [{op: rename, from: bappeda, to: bapperida}]\n"
                     "processes:\n  - code: PB.02.01\n    owner: bappeda.perencanaan",
        example_pass="processes:\n  - code: PB.02.01\n    owner: bapperida.perencanaan",
        applies_to="map, process, lf-map, lane",
        source="plugins/restructure/rules.py",
    )

    MESSAGE = text("{kind_id} {element} merujuk unit lama: {detail_id}",
                   "{kind_en} {element} refers to an old unit: {detail_en}")

    def map_context(self, ctx: RuleContext) -> Any:
        # what a map's result depends on beyond its own references: only whether a SOTK is in
        # force (the history of each referenced unit is in map_inputs), so a new SOTK
        # re-opens only the maps that refer to changed units
        return ctx.workspace.sotk is not None

    def map_inputs(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry]) -> Any:
        from probis.engine.rule import referenced_units

        ws = ctx.workspace
        hist = history_of(ws)
        out: dict[str, Any] = {}
        for uid in referenced_units(entry, lfs):
            res = hist.resolve(uid)
            if res is not None:
                out[uid] = [res.to_dict(), [[c.unit, ws.units[c.unit].model_dump(mode="json")]
                                            for c in res.candidates if c.unit in ws.units]]
        return out

    def check_map(self, ctx: RuleContext, entry: MapEntry, lfs: list[LfEntry],
                  out: Evaluation) -> None:
        ws = ctx.workspace
        if ws.sotk is None:
            return
        m = entry.map
        if m.unit:
            self._check(ws, out, ws.ref_map(entry), [m.unit], ("Peta", "Map"),
                        tokens([m.title]))
        for pe in ws.processes_of(entry):
            p = pe.process
            ids = p.owners + list(p.participants)
            if ids:
                self._check(ws, out, ws.ref_process(pe), ids, ("Proses", "Process"),
                            tokens([p.name, *p.outputs]))
        for lf_entry in lfs:
            self.check_lf(ctx, lf_entry, out)

    def check_unmapped(self, ctx: RuleContext, lfs: list[LfEntry], out: Evaluation) -> None:
        if ctx.workspace.sotk is None:
            return
        for lf_entry in lfs:
            self.check_lf(ctx, lf_entry, out)

    def check_lf(self, ctx: RuleContext, lf_entry: LfEntry, out: Evaluation) -> None:
        ws = ctx.workspace
        lf = lf_entry.lf
        words = tokens([s.name for s in lf.steps])
        if lf.unit:
            self._check(ws, out, ws.ref_lf(lf_entry), [lf.unit],
                        ("Peta lintas fungsi", "Cross-functional map"), words)
        for lane in lf.lanes:
            if lane.unit:
                ref = ws.ref_lf(lf_entry, f"{lf.process}#{lane.id}", "lane", lane.line)
                lane_words = tokens([s.name for s in lf.steps if s.lane == lane.id])
                self._check(ws, out, ref, [lane.unit], ("Lajur", "Lane"), lane_words or words)

    def _check(self, ws: Workspace, out: Evaluation, ref: ElementRef, ids: list[str],
               kind: tuple[str, str], words: frozenset[str]) -> None:
        out.applicable(ref)
        hist = history_of(ws)
        parts_id, parts_en, evidence = [], [], []
        for uid in sorted(set(ids)):
            res = hist.resolve(uid)
            if res is None:
                continue
            ranked = rank_for(res, ws, words)
            proposed = [c.unit for c in ranked]
            op_id, op_en = op_text(res.op)
            sotk = res.steps[-1].to_sotk if res.steps else (ws.sotk.id if ws.sotk else "-")
            how_id = " (disimpulkan dari perbandingan versi)" if res.inferred else ""
            how_en = " (inferred by comparing versions)" if res.inferred else ""
            if not proposed:
                prop_id, prop_en = "tidak ada unit pengganti; tetapkan unit baru", \
                    "no replacing unit; assign a new one"
            elif len(proposed) == 1:
                prop_id = prop_en = proposed[0]
            else:
                ranking = ", ".join(f"{c.unit} ({c.score:.2f})" for c in ranked)
                prop_id, prop_en = f"salah satu dari {ranking}", f"one of {ranking}"
            parts_id.append(f"`{uid}` {op_id} pada {sotk}{how_id}; usulan: {prop_id}")
            parts_en.append(f"`{uid}` was {op_en} in {sotk}{how_en}; proposed: {prop_en}")
            evidence.append(res.to_dict() | {"proposed": proposed,
                                             "ranking": [{"unit": c.unit, "score": c.score}
                                                         for c in ranked]})
        if parts_id:
            out.finding(ref, self.MESSAGE, {
                "kind_id": kind[0], "kind_en": kind[1], "element": ref.element,
                "detail_id": "; ".join(parts_id), "detail_en": "; ".join(parts_en)},
                evidence={"units": evidence})


class AdoptedBeforeSotk(PythonRule):
    info = RuleInfo(
        id="STR002",
        rule_set="restructure",
        severity="warning",
        title=text("Peta ditetapkan sebelum SOTK yang berlaku",
                   "Map adopted before the SOTK in force"),
        checks=text(
            "Peta yang telah ditetapkan (tanggal `adopted.date`) tidak lebih tua dari tanggal "
            "berlakunya SOTK yang berlaku (`effective`).",
            "A map's adoption date (`adopted.date`) is not earlier than the date the SOTK in "
            "force took effect (`effective`).",
        ),
        basis=text("PermenPANRB 19/2018: peta proses bisnis ditinjau bila struktur organisasi "
                   "berubah (domain §5).",
                   "PermenPANRB 19/2018: process maps are reviewed when the organisation "
                   "structure changes (domain §5)."),
        rationale=text("Peta yang ditetapkan untuk struktur lama belum tentu sesuai dengan "
                       "pembagian tugas yang baru, walaupun id unitnya tetap.",
                       "A map adopted for the old structure may not fit the new division of "
                       "work, even when its unit ids still exist."),
        fix=text("Tinjau peta terhadap SOTK yang berlaku lalu tetapkan ulang (perbarui `adopted`).",
                 "Review the map against the SOTK in force and adopt it again (update "
                 "`adopted`)."),
        example_fail="# sotk-2025 effective 2025-01-01\nadopted: {date: 2024-03-01, ...}",
        example_pass="adopted: {date: 2025-03-01, ...}",
        applies_to="map",
        source="plugins/restructure/rules.py",
    )
    MESSAGE = text("Peta {code} ditetapkan {date}, sebelum SOTK {sotk} berlaku ({effective}); "
                   "tinjau ulang terhadap struktur yang baru",
                   "Map {code} was adopted on {date}, before SOTK {sotk} took effect "
                   "({effective}); review it against the new structure")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        if ws.sotk is None or ws.sotk.effective is None:
            return
        for entry in ws.maps:
            adopted = entry.map.adopted
            if adopted is None or adopted.date is None:
                continue
            ref = ws.ref_map(entry)
            out.applicable(ref)
            if adopted.date < ws.sotk.effective:
                out.finding(ref, self.MESSAGE, {
                    "code": entry.map.code, "date": adopted.date.isoformat(), "sotk": ws.sotk.id,
                    "effective": ws.sotk.effective.isoformat()})


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
        basis=text("Permendagri 86/2017 (RPJMD, Renstra) dan PermenPANRB 19/2018: peta proses "
                   "bisnis diselaraskan dengan sasaran rencana yang berlaku (domain §2, §5).",
                   "Permendagri 86/2017 (RPJMD, Renstra) and PermenPANRB 19/2018: process maps "
                   "are aligned with the sasaran of the plan in force (domain §2, §5)."),
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
        source="plugins/restructure/rules.py",
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


class FunctionLost(PythonRule):
    info = RuleInfo(
        id="STR004",
        rule_set="restructure",
        severity="warning",
        title=text("Fungsi unit yang dihapus tidak diemban unit baru",
                   "Function of a removed unit carried by no new unit"),
        checks=text(
            "Setiap fungsi (tugas dan fungsi) unit yang hilang karena restrukturisasi tertampung "
            "dalam fungsi salah satu unit pada SOTK yang berlaku.",
            "Every function (tugas dan fungsi) of a unit that a restructuring removed appears "
            "among the functions of some unit of the SOTK in force.",
        ),
        basis=text("PP 18/2016 tentang Perangkat Daerah: urusan pemerintahan diwadahi perangkat "
                   "daerah; PermenPANRB 19/2018 (domain §4).",
                   "PP 18/2016 on Perangkat Daerah: every government affair is housed by a "
                   "perangkat daerah; PermenPANRB 19/2018 (domain §4)."),
        rationale=text("Fungsi yang tidak diemban siapa pun berarti layanan atau proses yang "
                       "hilang tanpa keputusan; peta prosesnya menjadi yatim.",
                       "A function nobody carries is a service or process lost without a "
                       "decision; its process maps are orphaned."),
        fix=text("Tambahkan fungsi tersebut ke unit yang mengambil alih (tugas dan fungsi pada "
                 "SOTK/Perwali), atau catat bahwa fungsi itu memang dihapus.",
                 "Add the function to the unit that takes it over (tugas dan fungsi in the "
                 "SOTK/Perwali), or record that the function was deliberately dropped."),
        example_fail="# sotk-2023: disdag.functions: [Pengawasan metrologi legal]\n"
                     "# sotk-2025: no unit mentions metrologi",
        example_pass="# sotk-2025: diskopdag.functions: [..., Pengawasan metrologi legal]",
        applies_to="unit",
        source="plugins/restructure/rules.py",
    )
    MESSAGE = text("Fungsi unit `{unit}` ({sotk}) yang dihapus tidak diemban unit mana pun "
                   "di {current}: {functions}",
                   "Functions of removed unit `{unit}` ({sotk}) are carried by no unit of "
                   "{current}: {functions}")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        hist = history_of(ws)
        if ws.sotk is None or len(hist.chain) < 2:
            return
        current = [tokens([f]) for u in ws.units.values() for f in u.functions]
        removed = sorted({u.id for s in hist.chain[:-1] for u in s.units if u.id not in ws.units})
        for uid in removed:
            found = hist.old_unit(uid)
            if found is None or not found[0].functions:
                continue
            unit, sotk = found
            res = hist.resolve(uid)
            target = res.proposed[0] if res and res.proposed else None
            ref = ElementRef(element=uid, kind="unit", file=ws.sotk_versions[sotk.id][1],
                             line=unit.line, map=None, unit=ws.opd_of(target) if target else None)
            out.applicable(ref)
            lost = [f for f in unit.functions if tokens([f])
                    and not any(coverage(tokens([f]), c) >= CARRIED_THRESHOLD for c in current)]
            if lost:
                out.finding(ref, self.MESSAGE, {
                    "unit": uid, "sotk": sotk.id, "current": ws.sotk.id,
                    "functions": "; ".join(lost)}, evidence={"functions": lost})


RULES = (UnitReplaced, AdoptedBeforeSotk, PlanChanged, FunctionLost)
