"""STR001: no map, process, cross-functional map or lane refers to a unit a newer SOTK changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PerMapRule, RuleContext, RuleInfo
from probis.engine.workspace import LfEntry, MapEntry, Workspace

from .history import Candidate, Resolution, history_of
from .words import coverage, tokens

OP_TEXT = {
    "rename": ("diganti nama", "renamed"), "merge": ("digabung", "merged"),
    "split": ("dipecah", "split"), "move": ("dipindah", "moved"),
    "abolish": ("dihapus", "abolished"),
}


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
            "PP 18/2016 tentang Perangkat Daerah sebagaimana diubah dengan PP 72/2019: "
            "perangkat daerah dibentuk dan diubah dengan Perda dan peraturan kepala daerah; "
            "Permendagri 99/2018 tentang Pembinaan dan Pengendalian Penataan Perangkat "
            "Daerah. PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi "
            "Pemerintah: perubahan arah strategis yang mengubah tugas dan fungsi unit memicu "
            "penataan peta; meninjau peta ketika SOTK berubah adalah praktik baik yang "
            "mengikutinya.",
            "PP 18/2016 on Perangkat Daerah (regional apparatus) as amended by PP 72/2019: "
            "regional apparatus are set up and changed by Perda and the regional head's "
            "regulation; Permendagri 99/2018 on guiding and controlling the restructuring of "
            "regional apparatus. PermenPANRB 19/2018 on preparing business-process maps of "
            "government agencies (Penyusunan Peta Proses Bisnis Instansi Pemerintah): a "
            "change of strategic direction that changes units' duties and functions triggers "
            "reworking the maps; reviewing the maps when the SOTK changes is good practice "
            "that follows from it.",
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
        source="plugins/restructure/str001.py",
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
                        lambda: tokens([m.title]))
        for pe in ws.processes_of(entry):
            p = pe.process
            ids = p.owners + list(p.participants)
            if ids:
                self._check(ws, out, ws.ref_process(pe), ids, ("Proses", "Process"),
                            lambda p=p: tokens([p.name, *p.outputs]))
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
        def words() -> frozenset[str]:
            return tokens([s.name for s in lf.steps])

        if lf.unit:
            self._check(ws, out, ws.ref_lf(lf_entry), [lf.unit],
                        ("Peta lintas fungsi", "Cross-functional map"), words)
        for lane in lf.lanes:
            if lane.unit:
                ref = ws.ref_lf(lf_entry, f"{lf.process}#{lane.id}", "lane", lane.line)
                self._check(ws, out, ref, [lane.unit], ("Lajur", "Lane"),
                            lambda lane=lane: tokens([s.name for s in lf.steps
                                                      if s.lane == lane.id]) or words())

    def _check(self, ws: Workspace, out: Evaluation, ref: ElementRef, ids: list[str],
               kind: tuple[str, str], words_of: Callable[[], frozenset[str]]) -> None:
        """``words_of()``: the element's words, worked out only when a unit it names was
        changed (most elements name units in force)."""
        out.applicable(ref)
        hist = history_of(ws)
        changed = [(uid, res) for uid in sorted(set(ids))
                   if (res := hist.resolve(uid)) is not None]
        if not changed:
            return
        words = words_of()
        parts_id, parts_en, evidence = [], [], []
        for uid, res in changed:
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
