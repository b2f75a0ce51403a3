"""ALN002: every reference along the planning cascade points at something that exists."""

from __future__ import annotations

from collections.abc import Iterable

from probis.engine.findings import ElementRef
from probis.engine.i18n import text
from probis.engine.model import Renstra, Rpjmd
from probis.engine.nearmatch import close_matches
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo
from probis.engine.workspace import Workspace

from .cascade import ref_tujuan

KIND_NAMES = {
    "process": ("Proses", "Process"), "sasaran": ("Sasaran", "Sasaran"),
    "tujuan": ("Tujuan", "Tujuan"), "program": ("Program", "Program"),
}


class ReferencesExist(PythonRule):
    info = RuleInfo(
        id="ALN002",
        rule_set="alignment",
        severity="error",
        title=text("Rujukan ke rencana (RPJMD/Renstra) dan antarproses ada",
                   "References into the plans (RPJMD/Renstra) and between processes exist"),
        checks=text(
            "Setiap id yang dirujuk ada: `supports` dan `indicators` proses (sasaran dan indikator "
            "RPJMD atau Renstra) dan `next` proses (kode proses yang ada); `supports` sasaran "
            "dan tujuan Renstra (sasaran dan tujuan RPJMD "
            "yang dirujuk Renstra); `tujuan` sasaran Renstra dan RPJMD; `misi` tujuan RPJMD; "
            "`sasaran` program Renstra. Temuan ada pada elemen yang memuat rujukan yang putus.",
            "Every referenced id exists: a process's `supports` and `indicators` (RPJMD or "
            "Renstra sasaran and indicators) and its `next` (codes of existing processes); a "
            "Renstra sasaran's and tujuan's `supports` (sasaran "
            "and tujuan of the RPJMD the Renstra names); the `tujuan` of Renstra and RPJMD "
            "sasaran; the `misi` of RPJMD tujuan; a Renstra program's `sasaran`. The finding is on "
            "the element that holds the broken reference.",
        ),
        basis=text(
            "Permendagri 86/2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi "
            "Pembangunan Daerah (RPJMD dan Renstra Perangkat Daerah): RPJMD dan Renstra "
            "memuat tujuan, sasaran, indikator dan program yang saling merujuk; PermenPANRB "
            "89/2021 tentang Penjenjangan Kinerja Instansi Pemerintah: sasaran dan indikator "
            "dijenjangkan dari organisasi ke unit. Rujukan ke id yang tidak ada memutus "
            "jenjang itu.",
            "Permendagri 86/2017 on the planning, control and evaluation of regional "
            "development (RPJMD and Renstra Perangkat Daerah): the RPJMD and the Renstra hold "
            "goals, targets (sasaran), indicators and programs that refer to one another; "
            "PermenPANRB 89/2021 on performance cascading of government agencies "
            "(Penjenjangan Kinerja Instansi Pemerintah): targets and indicators are cascaded "
            "from the organisation to its units. A reference to an id that does not exist "
            "breaks that cascade.",
        ),
        rationale=text(
            "Rujukan yang putus (salah ketik, id dari rencana lama) memutus rantai dari proses ke "
            "visi: proses tampak selaras padahal sasaran yang didukungnya tidak ada.",
            "A broken reference (a typo, an id from an old plan) cuts the chain from process to "
            "visi: the process looks aligned while the sasaran it claims to serve does not exist.",
        ),
        fix=text(
            "Perbaiki id agar sama persis dengan id di berkas RPJMD/Renstra (lihat saran pada "
            "pesan), atau hapus rujukan ke rencana yang sudah tidak berlaku.",
            "Correct the id to match the RPJMD/Renstra file exactly (see the suggestion in the "
            "message), or remove the reference to a plan that no longer applies.",
        ),
        example_fail="supports: [S4.1.3]     # the RPJMD has S4.1.2 only",
        example_pass="supports: [S4.1.2]",
        applies_to="process, sasaran, tujuan, program",
        source="plugins/alignment/aln002.py",
    )

    MESSAGE = text("{kind_id} {element} memuat rujukan yang tidak ada: {detail_id}",
                   "{kind_en} {element} holds references that do not exist: {detail_en}")

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        self._near_memo: dict[tuple[str, int], tuple[set[str], list[str]]] = {}  # per run
        ws = ctx.workspace
        rpjmd = ws.rpjmd
        # a sasaran that only an older RPJMD has is a plan change, reported once as STR003
        # (like REG008 leaves units the SOTK history explains to STR001), not a broken link
        historic = {s.id for plan, _ in ws.rpjmd_versions.values() if plan is not rpjmd
                    for s in plan.sasaran}
        sasaran_ids = set(ws.sasaran) | historic
        indicator_ids = set(ws.indicators)
        process_codes = set(ws.processes_by_code)
        for entry in ws.processes:
            p = entry.process
            if p.supports or p.indicators or p.next:
                self._report(out, ws.ref_process(entry), [
                    ("supports", p.supports, sasaran_ids),
                    ("indicators", p.indicators, indicator_ids),
                    ("next", p.next, process_codes),
                ])
        if rpjmd is not None:
            tujuan_ids = {t.id for t in rpjmd.tujuan}
            misi_ids = {m.id for m in rpjmd.misi}
            for t in rpjmd.tujuan:
                self._report(out, ref_tujuan(t, ws.rpjmd_file, None),
                             [("misi", [t.misi] if t.misi else [], misi_ids)])
            for s in rpjmd.sasaran:
                ref = ElementRef(s.id, "sasaran", ws.rpjmd_file, s.line)
                self._report(out, ref, [("tujuan", [s.tujuan] if s.tujuan else [], tujuan_ids)])
        for renstra, file in ws.renstras:
            self._check_renstra(ws, out, renstra, file, _target_rpjmd(ws, renstra))

    def _check_renstra(self, ws: Workspace, out: Evaluation, renstra: Renstra, file: str,
                       target: Rpjmd | None) -> None:
        unit = ws.opd_of(renstra.unit)
        # without any RPJMD the supports links cannot be judged; ALN005 reports the pointer
        rp_sasaran = {s.id for s in target.sasaran} if target else None
        rp_tujuan = {t.id for t in target.tujuan} if target else None
        own_tujuan = {t.id for t in renstra.tujuan}
        own_sasaran = {s.id for s in renstra.sasaran}
        for t in renstra.tujuan:
            checks = [("supports", t.supports, rp_tujuan)] if rp_tujuan is not None else []
            self._report(out, ref_tujuan(t, file, unit), checks)
        for s in renstra.sasaran:
            checks = [("tujuan", [s.tujuan] if s.tujuan else [], own_tujuan)]
            if rp_sasaran is not None:
                checks.append(("supports", s.supports, rp_sasaran))
            self._report(out, ElementRef(s.id, "sasaran", file, s.line, unit=unit), checks)
        for program in renstra.programs:
            ref = ElementRef(program.code, "program", file, program.line, unit=unit)
            self._report(out, ref, [("sasaran", program.sasaran, own_sasaran)])

    def _near(self, wrong: str, known: set[str]) -> list[str]:
        """difflib's suggestion, memoised: the same wrong id tends to recur across a Pemda's
        maps, and each look-up compares it with every known id."""
        memo = self._near_memo
        key = (wrong, id(known))
        hit = memo.get(key)
        if hit is None or hit[0] is not known:
            hit = memo[key] = (known, close_matches(wrong, sorted(known), n=1,
                                                       cutoff=0.6))
        return hit[1]

    def _report(self, out: Evaluation, ref: ElementRef,
                checks: Iterable[tuple[str, list[str], set[str]]]) -> None:
        checks = [c for c in checks if c[1]]
        if not checks:
            return  # holds no reference of this kind: nothing to check (ALN001/ALN005 judge that)
        out.applicable(ref)
        dangling: dict[str, list[str]] = {}
        parts_id: list[str] = []
        parts_en: list[str] = []
        for field_name, ids, known in checks:
            if known.issuperset(ids):  # the usual case, checked in C
                continue
            missing = sorted({i for i in ids if i not in known})
            dangling[field_name] = missing
            shown_id, shown_en = [], []
            for i in missing:
                near = self._near(i, known)
                shown_id.append(f"{i} (mungkin {near[0]}?)" if near else i)
                shown_en.append(f"{i} (perhaps {near[0]}?)" if near else i)
            parts_id.append(f"`{field_name}`: {', '.join(shown_id)}")
            parts_en.append(f"`{field_name}`: {', '.join(shown_en)}")
        if dangling:
            kind_id, kind_en = KIND_NAMES.get(ref.kind, (ref.kind, ref.kind))
            out.finding(ref, self.MESSAGE, {
                "kind_id": kind_id, "kind_en": kind_en, "element": ref.element,
                "detail_id": "; ".join(parts_id), "detail_en": "; ".join(parts_en)},
                evidence={"dangling": dangling})


def _target_rpjmd(ws: Workspace, renstra: Renstra) -> Rpjmd | None:
    """The RPJMD a Renstra's links are written against: the one it names when that one is in
    the workspace (an old one is ALN005's finding, not a broken link), else the one in force."""
    if renstra.rpjmd and renstra.rpjmd in ws.rpjmd_versions:
        return ws.rpjmd_versions[renstra.rpjmd][0]
    return ws.rpjmd
