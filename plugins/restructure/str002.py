"""STR002: a map was not adopted before the SOTK in force took effect."""

from __future__ import annotations

from probis.engine.i18n import text
from probis.engine.rule import Evaluation, PythonRule, RuleContext, RuleInfo


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
        basis=text(
            "PermenPANRB 19/2018 tentang Penyusunan Peta Proses Bisnis Instansi Pemerintah: "
            "perubahan tugas dan fungsi unit memicu penataan peta; peta yang ditetapkan "
            "sebelum SOTK yang berlaku perlu ditinjau terhadap struktur baru (praktik baik). "
            "Struktur perangkat daerah: PP 18/2016 tentang Perangkat Daerah sebagaimana "
            "diubah dengan PP 72/2019.",
            "PermenPANRB 19/2018 on preparing business-process maps of government agencies "
            "(Penyusunan Peta Proses Bisnis Instansi Pemerintah): a change in units' duties "
            "and functions triggers reworking the maps; a map adopted before the SOTK in "
            "force needs a review against the new structure (good practice). Structure of "
            "regional apparatus: PP 18/2016 on Perangkat Daerah (regional apparatus) as "
            "amended by PP 72/2019.",
        ),
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
        source="plugins/restructure/str002.py",
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
