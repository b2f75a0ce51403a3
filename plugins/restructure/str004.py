"""STR004: every function of a unit a restructuring removed is carried by some unit in force."""

from __future__ import annotations

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .history import history_of
from .words import coverage, tokens

CARRIED_THRESHOLD = 0.75  # share of a function's words one function of a new unit must hold


class FunctionLost(PythonRule):
    info = RuleInfo(
        id="STR004",
        rule_set="restructure",
        severity="warning",
        title=text("Fungsi unit yang dihapus tidak diemban unit baru",
                   "Function of a removed unit carried by no new unit"),
        checks=text(
            "Setiap fungsi (tugas dan fungsi) unit yang hilang karena restrukturisasi tertampung "
            "dalam fungsi salah satu unit pada SOTK yang berlaku, atau dalam gabungan fungsi "
            "unit-unit penerusnya (pemecahan, penggabungan); setiap kode urusannya diemban unit "
            "penerusnya (atau, tanpa penerus yang diketahui, unit mana pun).",
            "Every function (tugas dan fungsi) of a unit that a restructuring removed appears "
            "among the functions of some unit of the SOTK in force, or in the union of its "
            "successors' functions (split, merge); each of its urusan codes is carried by a "
            "successor (or, with no known successor, by any unit).",
        ),
        basis=text(
            "PP 18/2016 tentang Perangkat Daerah sebagaimana diubah dengan PP 72/2019: urusan "
            "pemerintahan yang menjadi kewenangan daerah diwadahi oleh perangkat daerah; "
            "penataan perangkat daerah (Permendagri 99/2018 tentang Pembinaan dan "
            "Pengendalian Penataan Perangkat Daerah) tidak boleh meninggalkan fungsi atau "
            "urusan tanpa unit pelaksana (praktik baik).",
            "PP 18/2016 on Perangkat Daerah (regional apparatus) as amended by PP 72/2019: "
            "every government affair within the region's authority is housed by a perangkat "
            "daerah; restructuring (Permendagri 99/2018 on guiding and controlling the "
            "restructuring of regional apparatus) should leave no function or affair without "
            "a unit to carry it (good practice).",
        ),
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
        source="plugins/restructure/str004.py",
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
            # after a split or merge the successors may carry a function between them
            # (one `pendidikan`, one `kebudayaan`): their functions are compared as a union
            successors = [ws.units[c.unit] for c in (res.candidates if res else ())
                          if c.unit in ws.units]
            together = frozenset().union(*(tokens([*u.functions, u.name]) for u in successors))
            lost = [f for f in unit.functions if tokens([f])
                    and not any(coverage(tokens([f]), c) >= CARRIED_THRESHOLD for c in current)
                    and not (together and coverage(tokens([f]), together) >= CARRIED_THRESHOLD)]
            urusan_now = ({code for u in successors for code in u.urusan} if successors
                          else {code for u in ws.units.values() for code in u.urusan})
            lost_urusan = [code for code in unit.urusan if code not in urusan_now]
            if lost or lost_urusan:
                shown = lost + [f"urusan {code}" for code in lost_urusan]
                out.finding(ref, self.MESSAGE, {
                    "unit": uid, "sotk": sotk.id, "current": ws.sotk.id,
                    "functions": "; ".join(shown)},
                    evidence={"functions": lost, "urusan": lost_urusan,
                              "successors": [u.id for u in successors]})
