"""REG002: every dinas and kecamatan owns at least one core (inti) process."""

from __future__ import annotations

from collections import Counter

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo

# OPD types that carry out government affairs or territorial services for the public, so
# they must have a core process; badan, sekretariat and inspektorat may be all support.
CORE_OPD_TYPES = ("dinas", "kecamatan")


class CoreProcessPerOpd(PythonRule):
    info = RuleInfo(
        id="REG002",
        finds_absence=True,
        rule_set="regulation",
        severity="warning",
        title=text("Setiap dinas dan kecamatan memiliki proses inti",
                   "Every dinas and kecamatan has a core process"),
        checks=text(
            "Setiap OPD dalam SOTK yang berlaku dengan `type: dinas` atau `type: kecamatan` "
            "memiliki, sendiri atau melalui unit di bawahnya, paling sedikit satu proses "
            "`category: inti`.",
            "Every OPD of the SOTK in force with `type: dinas` or `type: kecamatan` owns, itself "
            "or through its sub-units, at least one process with `category: inti`.",
        ),
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah, "
            "Lampiran, bagian tipe proses bisnis: proses inti melayani kebutuhan eksternal "
            "secara langsung dan menanggapi permintaan pengguna. PP 18/2016 tentang Perangkat "
            "Daerah sebagaimana diubah dengan PP 72/2019: dinas melaksanakan urusan "
            "pemerintahan dan kecamatan melayani wilayahnya. Bahwa karena itu setiap dinas "
            "dan kecamatan memiliki proses inti adalah kesimpulan probis dari keduanya "
            "(praktik baik), bukan ketentuan tertulis.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah), Annex, section on "
            "business-process types: a core process serves external needs directly and "
            "responds to user demand. PP 18/2016 on Perangkat Daerah (regional apparatus) as "
            "amended by PP 72/2019: a dinas carries out government affairs and a kecamatan "
            "serves its territory. That every dinas and kecamatan therefore owns a core "
            "process is probis's conclusion from the two (good practice), not a written "
            "provision.",
        ),
        rationale=text(
            "Dinas atau kecamatan yang hanya memiliki proses manajemen dan pendukung tidak "
            "menunjukkan layanan yang menjadi alasan keberadaannya: petanya belum lengkap atau "
            "kategorinya salah.",
            "A dinas or kecamatan with only management and support processes shows none of the "
            "services it exists for: its maps are incomplete or its categories are wrong.",
        ),
        fix=text(
            "Petakan layanan utama OPD sebagai proses `category: inti` dengan `owner` unit OPD "
            "tersebut, atau perbaiki kategori proses layanan yang salah diberi kategori.",
            "Map the OPD's main services as processes with `category: inti` owned by the OPD's "
            "units, or correct the category of service processes that were mislabelled.",
        ),
        example_fail=(
            "# sotk: {id: dinsos, type: dinas}\nprocesses:\n  - code: PB.09.01\n"
            "    owner: dinsos.sekretariat\n    category: pendukung"
        ),
        example_pass=(
            "# sotk: {id: dinsos, type: dinas}\nprocesses:\n  - code: PB.09.02\n"
            "    owner: dinsos.rehsos\n    category: inti"
        ),
        applies_to="unit",
        source="plugins/regulation/reg002.py",
    )

    MESSAGE = text(
        "{type} {unit} ({name}) tidak memiliki proses inti; proses yang dimilikinya: {owned}",
        "{type} {unit} ({name}) owns no core (inti) process; processes it owns: {owned}",
    )

    def check(self, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        # processes counted by what decides their OPD (owners, map unit), then each kind
        # resolved once: a city has thousands of processes and a few hundred such kinds
        kinds: Counter[tuple[tuple[str, ...], str | None, bool]] = Counter()
        for entry in ws.processes:
            p = entry.process
            owner = p.owner
            owners = () if owner is None else (owner,) if isinstance(owner, str) else \
                tuple(owner)
            kinds[(owners, entry.map.unit, p.category == "inti")] += 1
        core: Counter[str] = Counter()
        owned: Counter[str] = Counter()
        for (owners, map_unit, inti), n in kinds.items():
            opd = ws.owners_unit(list(owners), map_unit)
            if opd is None:
                continue
            owned[opd] += n
            if inti:
                core[opd] += n
        for unit in ws.units.values():
            if unit.type not in CORE_OPD_TYPES or ws.opd_of(unit.id) != unit.id:
                continue
            ref = ws.ref_unit(unit)
            out.applicable(ref)
            if core[unit.id] == 0:
                out.finding(ref, self.MESSAGE,
                            {"type": unit.type.capitalize(), "unit": unit.id,
                             "name": ws.unit_name(unit.id), "owned": owned[unit.id]},
                            evidence={"processes_owned": owned[unit.id]})
