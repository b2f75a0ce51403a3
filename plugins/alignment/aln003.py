"""ALN003: every RPJMD sasaran, and every Renstra sasaran, is served by at least one process."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

from .cascade import build_and_keep, ref_renstra_sasaran, ref_rpjmd_sasaran


class SasaranServed(PythonRule):
    info = RuleInfo(
        id="ALN003",
        finds_absence=True,
        rule_set="alignment",
        severity="warning",
        title=text("Setiap sasaran dilayani paling sedikit satu proses",
                   "Every sasaran is served by at least one process"),
        checks=text(
            "Setiap sasaran RPJMD yang berlaku dilayani paling sedikit satu proses, langsung "
            "(`supports` proses berisi id sasaran RPJMD) atau melalui sasaran Renstra yang "
            "mendukungnya; setiap sasaran Renstra dilayani paling sedikit satu proses. Tautan "
            "dari Renstra yang merujuk RPJMD lain tidak dihitung.",
            "Every sasaran of the RPJMD in force is served by at least one process, directly (a "
            "process's `supports` holds the RPJMD sasaran id) or through a Renstra sasaran that "
            "supports it; every Renstra sasaran is served by at least one process. Links from a "
            "Renstra that names another RPJMD do not count.",
        ),
        basis=text(
            "PermenPANRB 89/2021 tentang Penjenjangan Kinerja Instansi Pemerintah: sasaran "
            "strategis, indikator dan target dijenjangkan dari organisasi ke unit sampai "
            "pegawai, sehingga setiap sasaran dilaksanakan oleh pihak yang bertanggung jawab "
            "atasnya; Perpres 29/2014 tentang Sistem Akuntabilitas Kinerja Instansi "
            "Pemerintah.",
            "PermenPANRB 89/2021 on performance cascading of government agencies "
            "(Penjenjangan Kinerja Instansi Pemerintah): strategic targets, indicators and "
            "performance targets are cascaded from the organisation to units and down to "
            "staff, so that someone carries every sasaran; Perpres 29/2014 on the government "
            "performance accountability system (SAKIP).",
        ),
        rationale=text(
            "Sasaran yang tidak dilayani proses mana pun adalah target tanpa pelaksana: tidak ada "
            "unit yang bekerja untuk mencapainya, atau petanya belum mencatat keterkaitannya.",
            "A sasaran that no process serves is a target nobody works towards, or the maps "
            "have not recorded the link yet.",
        ),
        fix=text(
            "Tambahkan id sasaran ke `supports` proses yang mencapainya (atau ke sasaran Renstra "
            "OPD yang bertanggung jawab, lalu tautkan prosesnya ke sasaran Renstra itu). Bila "
            "belum ada proses, petakan proses tersebut.",
            "Add the sasaran id to `supports` of the processes that achieve it (or to the "
            "responsible OPD's Renstra sasaran, then link its processes to that Renstra "
            "sasaran). If no process exists yet, map it.",
        ),
        example_fail="sasaran:\n  - {id: S1.2.1, tujuan: T1.2}   # no process or Renstra "
                     "sasaran supports it",
        example_pass="processes:\n  - code: PB.01.03\n    supports: [S1.2.1]",
        applies_to="sasaran",
        source="plugins/alignment/aln003.py",
    )

    RPJMD_MESSAGE = text(
        "Sasaran RPJMD {sasaran} ({text}) pada tujuan {tujuan} dan misi {misi} tidak dilayani "
        "proses mana pun; disebut dalam Renstra: {opds}",
        "RPJMD sasaran {sasaran} ({text}) under tujuan {tujuan} and misi {misi} is served by no "
        "process; Renstra that mention it: {opds}",
    )
    RENSTRA_MESSAGE = text(
        "Sasaran Renstra {sasaran} ({text}) dari {renstra} ({unit}) tidak dilayani proses mana pun",
        "Renstra sasaran {sasaran} ({text}) of {renstra} ({unit}) is served by no process",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        cascade = build_and_keep(ws)
        for sid, s in cascade.sasaran.items():
            ref = ref_rpjmd_sasaran(ws, s)
            out.applicable(ref)
            if cascade.served(sid):
                continue
            tujuan = cascade.tujuan_of(sid)
            misi = cascade.misi_of_tujuan(tujuan)
            opds = sorted(cascade.mentions.get(sid, ()))
            out.finding(ref, self.RPJMD_MESSAGE, {
                "sasaran": sid, "text": s.text or "-",
                "tujuan": tujuan.id if tujuan else (s.tujuan or "-"),
                "misi": misi.id if misi else "-",
                "opds": ", ".join(opds) or "-"},
                evidence={"tujuan": tujuan.id if tujuan else s.tujuan,
                          "misi": misi.id if misi else None, "renstra_opds": opds,
                          "renstra_sasaran": [
                              rs for rs, item in cascade.renstra_sasaran.items()
                              if sid in item.sasaran.supports]})
        for rs_id, item in cascade.renstra_sasaran.items():
            ref = ref_renstra_sasaran(item)
            out.applicable(ref)
            if cascade.renstra_servers.get(rs_id):
                continue
            out.finding(ref, self.RENSTRA_MESSAGE, {
                "sasaran": rs_id, "text": item.sasaran.text or "-",
                "renstra": item.renstra.id, "unit": item.unit or "-"},
                evidence={"renstra": item.renstra.id, "supports": list(item.sasaran.supports)})
