"""OVL003: two units of the SOTK in force have near-identical functions (duplikasi fungsi)."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo
from probis.engine.workspace import Workspace

from .kamus import workspace_normalizer
from .matcher import TERRITORIAL_TYPES, OverlapMatcher, OverlapPair, ProcessRecord
from .workspace import threshold

DEFAULT_THRESHOLD = 0.8
# Separates a unit id from the index of one of its functions in a record code.
_PART = "#fungsi-"


def _urusan(ws: Workspace, unit_id: str) -> list[str]:
    """The unit's urusan codes, or its nearest ancestor's (a bidang inherits its dinas')."""
    current = ws.units.get(unit_id)
    seen: set[str] = set()
    while current is not None and current.id not in seen:
        if current.urusan:
            return list(current.urusan)
        seen.add(current.id)
        current = ws.units.get(current.parent) if current.parent else None
    return []


def _above(ws: Workspace, unit_id: str) -> set[str]:
    out: set[str] = set()
    current = ws.units.get(unit_id)
    while current is not None and current.parent and current.parent not in out:
        out.add(current.parent)
        current = ws.units.get(current.parent)
    return out


class DuplicatedUnitFunctions(PythonRule):
    info = RuleInfo(
        id="OVL003",
        rule_set="overlap",
        severity="warning",
        title=text("Fungsi unit yang hampir sama", "Units with near-identical functions"),
        checks=text(
            "Dua unit dalam SOTK yang berlaku mempunyai fungsi (tugas dan fungsi) yang hampir "
            "sama: himpunan kata isi fungsinya, setelah dinormalkan seperti OVL001 (kata umum, "
            "imbuhan, ejaan, singkatan dari kamus dan dari workspace, sinonim), mirip (Jaccard) "
            "melebihi ambang, baik seluruh fungsinya maupun satu fungsi yang sama di kedua unit. "
            "Urusan kedua unit (atau unit induknya) dicantumkan sebagai bukti. Tidak dilaporkan: "
            "unit dengan unit di atas atau di bawahnya (rincian tugas), unit pendukung "
            "(sekretariat, kepegawaian, keuangan) dan unit dari kecamatan/kelurahan yang berbeda "
            "(masing-masing untuk wilayahnya). Satu pemeriksaan per unit yang mempunyai fungsi; "
            "temuan dicatat pada unit dengan id lebih kecil.",
            "Two units of the SOTK in force have near-identical functions (tugas dan fungsi): the"
            " sets of content words of their functions, normalised as in OVL001 (generic words, "
            "affixes, spellings, abbreviations from the kamus and the workspace, synonyms), are "
            "similar (Jaccard) beyond the threshold, either all their functions or one function "
            "the two units share. The urusan of both units (or of their parent) are given as "
            "evidence. Not reported: a unit and a unit above or below it (a breakdown of duties),"
            " support units (secretariat, staffing, finance) and units of different "
            "kecamatan/kelurahan (each for its own area). One check per unit with functions; the "
            "finding sits on the unit with the lower id.",
        ),
        basis=text(
            "Evaluasi kelembagaan menurut PermenPANRB 20/2018 tentang Pedoman Evaluasi "
            "Kelembagaan Instansi Pemerintah menuju organisasi yang tepat fungsi, tepat "
            "proses dan tepat ukuran; lembar penilaian mandiri reformasi birokrasi (PMPRB) "
            "menanyakan kemungkinan duplikasi fungsi antar-unit.",
            "The institutional evaluation under PermenPANRB 20/2018 on guidelines for "
            "evaluating government institutions (Pedoman Evaluasi Kelembagaan Instansi "
            "Pemerintah) aims at organisations that are right in function, process and size "
            "(tepat fungsi, tepat proses, tepat ukuran); the bureaucratic-reform "
            "self-assessment sheet (PMPRB) asks whether units may duplicate functions.",
        ),
        rationale=text(
            "Dua unit dengan fungsi yang sama akan menyusun proses yang sama; tumpang tindih "
            "proses berakar di sini, dan Bagian Organisasi perlu mengetahuinya sebelum "
            "penataan kelembagaan.",
            "Two units with the same functions will map the same processes; process overlaps "
            "start here, and the Bagian Organisasi needs to know before an institutional "
            "review.",
        ),
        fix=text(
            "Bedakan rumusan fungsi kedua unit sesuai Perwali tugas dan fungsi, atau usulkan "
            "penggabungan/penghapusan salah satu fungsi pada perubahan SOTK berikutnya.",
            "Make the two units' functions distinct as the Perwali on duties and functions "
            "says, or propose merging/removing one of them in the next SOTK change.",
        ),
        example_fail=(
            "units:\n  - id: setda.prokopim\n    functions: [Pengelolaan layanan informasi publik "
            "dan dokumentasi]\n  - id: diskominfo.ikp\n    functions: [Pengelolaan layanan "
            "informasi publik dan dokumentasi]"
        ),
        example_pass=(
            "units:\n  - id: setda.prokopim\n    functions: [Pengelolaan protokol dan komunikasi "
            "pimpinan]\n  - id: diskominfo.ikp\n    functions: [Pengelolaan layanan informasi "
            "publik dan dokumentasi]"
        ),
        applies_to="unit",
        options={"threshold": DEFAULT_THRESHOLD},
        source="plugins/overlap/ovl003.py",
    )

    MESSAGE = text(
        "Unit {a} ({a_name}) dan {b} ({b_name}) mempunyai fungsi yang hampir sama: kemiripan "
        "{score} (ambang {threshold}). Kata yang sama: {words}. Fungsi: \"{a_functions}\" / "
        "\"{b_functions}\"",
        "Units {a} ({a_name}) and {b} ({b_name}) have near-identical functions: similarity "
        "{score} (threshold {threshold}). Matched words: {words}. Functions: \"{a_functions}\" / "
        "\"{b_functions}\"",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        limit = threshold(ctx, self.info.id, DEFAULT_THRESHOLD)
        if limit is None or ws.sotk is None:
            return
        records = []
        for unit in ws.units.values():
            functions = [f for f in unit.functions if f.strip()]
            if not functions:
                continue
            out.applicable(ws.ref_unit(unit))
            # each unit is its own "owner", so every pair of units is compared; the territorial
            # exemption is applied below, per pair of OPDs. One record for all the functions
            # (near-identical duties), and one per function when there are several (the same
            # function in two units, however many others each has)
            records.append(ProcessRecord(code=unit.id, name=". ".join(functions), owner=unit.id))
            if len(functions) > 1:
                records.extend(ProcessRecord(code=f"{unit.id}{_PART}{i}", name=f, owner=unit.id)
                               for i, f in enumerate(functions))
        # names only: weights of absent outputs/customers drop out, so the score is the Jaccard
        # of the function words (with the matcher's typo tolerance and the exemptions of support
        # work: "Pengelolaan keuangan dan kepegawaian" is every unit's own)
        matcher = OverlapMatcher(workspace_normalizer(ws), threshold=limit)
        best: dict[tuple[str, str], OverlapPair] = {}
        for pair in matcher.find_pairs(records, scope="cross_owner"):
            ua, ub = sorted((pair.a_code.split(_PART)[0], pair.b_code.split(_PART)[0]))
            if (ua, ub) not in best:  # pairs come best first
                best[(ua, ub)] = pair
        for (ua, ub), pair in sorted(best.items()):
            a, b = ws.units[ua], ws.units[ub]
            if a.id in _above(ws, b.id) or b.id in _above(ws, a.id):
                continue
            opd_a, opd_b = ws.opd_of(a.id), ws.opd_of(b.id)
            type_a = ws.units[opd_a].type if opd_a in ws.units else None
            type_b = ws.units[opd_b].type if opd_b in ws.units else None
            if opd_a != opd_b and type_a == type_b and type_a in TERRITORIAL_TYPES:
                continue
            values = {
                "a": a.id, "a_name": a.name or a.id, "b": b.id, "b_name": b.name or b.id,
                "score": f"{pair.score:.2f}", "threshold": f"{limit:.2f}",
                "words": ", ".join(pair.matched_words) or "-",
                "a_functions": "; ".join(a.functions), "b_functions": "; ".join(b.functions),
            }
            urusan_a, urusan_b = _urusan(ws, a.id), _urusan(ws, b.id)
            evidence = {
                "unit": {"id": a.id, "name": a.name, "opd": opd_a, "functions": list(a.functions),
                         "line": a.line},
                "other": {"id": b.id, "name": b.name, "opd": opd_b,
                          "functions": list(b.functions), "line": b.line},
                "score": pair.score, "threshold": limit,
                "matched_words": list(pair.matched_words), "sotk": ws.sotk.id,
                "urusan": {"unit": urusan_a, "other": urusan_b,
                           "shared": sorted(set(urusan_a) & set(urusan_b))},
            }
            out.finding(ws.ref_unit(a), self.MESSAGE, values, evidence=evidence)
