"""Realistic synthetic Pemda workspaces of a chosen size, shared by the benchmarks.

    python benchmarks/synth_workspace.py OUT_DIR --processes 20000 [--seed 1]

``generate(root, processes, seed=1)`` writes a workspace the way Pemda staff write one: one
file per process map (block YAML, levels 0-2), one per cross-functional map, a SOTK in force
and the version it replaced (with a rename), an RPJMD, one Renstra per OPD with programs,
kegiatan and sub kegiatan. The OPDs are dinas, badan, the Sekretariat Daerah with its Bagian,
the Inspektorat and about five kecamatan per thirty OPDs, each with bidang/seksi or kelurahan.
Processes carry SIPOC, one owner, participants, supports, indicators, sub kegiatan and SOPs.

A share of elements (``defects``, default 3 %) carries planted defects, each one a rule would
catch: the name of another process (OVL001, OVL004), no category (REG001), no outputs
(REG005), two owners (REG007), an owner missing from
the SOTK (REG008) or renamed by it (STR001), an unknown sasaran (ALN002), an unknown sub
kegiatan (ALN006), a final map without adoption (REG010) or not evaluated for years (REG011),
a cross-functional map without an end step (FLW001) or with a dangling flow (FLW004).

Everything is drawn from ``random.Random(seed)``: the same arguments write the same bytes.
Maps hold 4-10 processes; an OPD keeps at most 10 + 100 + 1,000 processes on levels 0-2, so
large workspaces (a province) get more OPDs rather than deeper trees.
"""

from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

AS_OF = "2026-11-28"  # the audit date the planted date defects are written against

_DINAS = [
    ("disdik", "Dinas Pendidikan", "1.01", "Pendidikan"),
    ("dinkes", "Dinas Kesehatan", "1.02", "Kesehatan"),
    ("dputr", "Dinas Pekerjaan Umum dan Penataan Ruang", "1.03", "Pekerjaan Umum"),
    ("disperkim", "Dinas Perumahan dan Kawasan Permukiman", "1.04", "Permukiman"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "1.05", "Ketertiban Umum"),
    ("dinsos", "Dinas Sosial", "1.06", "Sosial"),
    ("disnaker", "Dinas Tenaga Kerja", "2.07", "Tenaga Kerja"),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "2.08", "Perlindungan Anak"),
    ("dkpp", "Dinas Ketahanan Pangan dan Pertanian", "2.09", "Pangan"),
    ("dlh", "Dinas Lingkungan Hidup", "2.11", "Lingkungan Hidup"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "2.12", "Kependudukan"),
    ("dishub", "Dinas Perhubungan", "2.15", "Perhubungan"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "2.16", "Informatika"),
    ("diskopdag", "Dinas Koperasi, UKM dan Perdagangan", "2.17", "Koperasi"),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP", "2.18", "Perizinan"),
    ("dispora", "Dinas Pemuda dan Olahraga", "2.19", "Kepemudaan"),
    ("disbudpar", "Dinas Kebudayaan dan Pariwisata", "3.26", "Pariwisata"),
    ("dispusip", "Dinas Perpustakaan dan Kearsipan", "2.23", "Perpustakaan"),
]
_BADAN = [
    ("bapperida", "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", "5.01",
     "Perencanaan"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "5.02", "Keuangan"),
    ("bapenda", "Badan Pendapatan Daerah", "5.02", "Pendapatan"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan SDM", "5.03", "Kepegawaian"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "1.05", "Kebencanaan"),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik", "8.01", "Kesatuan Bangsa"),
]
_KECAMATAN = ["pusat", "utara", "selatan", "timur", "barat"]
_VERBS = ["Penerbitan", "Pelayanan", "Pengelolaan", "Penyusunan", "Verifikasi", "Pembinaan",
          "Pengawasan", "Pendataan", "Fasilitasi", "Evaluasi", "Pemantauan", "Penetapan"]
_OBJECTS = ["izin", "dokumen", "data", "laporan", "rekomendasi", "program", "kegiatan",
            "pengaduan", "bantuan", "sertifikat", "rencana kerja", "anggaran"]


@dataclass
class _Opd:
    id: str
    name: str
    type: str
    urusan: str
    topic: str
    subunits: list[str] = field(default_factory=list)  # ids of bidang/seksi/kelurahan/bagian
    sasaran: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    subkegiatan: list[str] = field(default_factory=list)
    base: str = ""  # the OPD this one copies (a renamed copy: its processes carry its names)


@dataclass
class Stats:
    processes: int = 0
    maps: int = 0
    lf_maps: int = 0
    opds: int = 0
    units: int = 0
    files: int = 0
    defects: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _opds(count: int) -> list[_Opd]:
    """``count`` OPDs: Setda, Inspektorat, dinas, badan and ~1 kecamatan in 6."""
    out = [_Opd("setda", "Sekretariat Daerah", "sekretariat-daerah", "4.01", "Pemerintahan"),
           _Opd("inspektorat", "Inspektorat Daerah", "inspektorat", "6.01", "Pengawasan")]
    kec = max(1, round(count / 6))
    pool = [("dinas", *d) for d in _DINAS] + [("badan", *b) for b in _BADAN]
    i = 0
    while len(out) < count - kec:
        kind, uid, name, urusan, topic = pool[i % len(pool)]
        rnd = i // len(pool)
        suffix = "" if rnd == 0 else f"-{rnd + 1}"  # a province holds several of each
        out.append(_Opd(uid + suffix, name + ("" if rnd == 0 else f" Wilayah {rnd + 1}"),
                        kind, urusan, topic, base="" if rnd == 0 else uid))
        i += 1
    for k in range(kec):
        area = _KECAMATAN[k % len(_KECAMATAN)] + ("" if k < len(_KECAMATAN)
                                                   else f"-{k // len(_KECAMATAN) + 1}")
        out.append(_Opd(f"kec-{area}", f"Kecamatan {area.title()}", "kecamatan", "7.01",
                        "Kewilayahan", base="" if k < len(_KECAMATAN)
                        else f"kec-{_KECAMATAN[k % len(_KECAMATAN)]}"))
    return out[:count]


def _sotk_units(opds: list[_Opd], renamed: bool) -> list[str]:
    """YAML lines of the units; the older version still has ``dinsos.rehsos`` (renamed since)."""
    lines = []
    for o in opds:
        lines += [f"  - id: {o.id}", f"    name: {o.name}", f"    type: {o.type}",
                  "    parent: null", f"    urusan: [\"{o.urusan}\"]",
                  f"    functions: [Penyelenggaraan urusan {o.topic.lower()}]"]
        for sub in o.subunits:
            sub_type = ("bagian" if o.type == "sekretariat-daerah" else
                        "kelurahan" if o.type == "kecamatan" else
                        "sekretariat" if sub.endswith(".sekretariat") else "bidang")
            sub_id = sub
            if not renamed and sub == f"{o.id}.b2":
                sub_id = f"{o.id}.bidang-2"  # the id the rename replaced
            lines.append(f"  - {{id: {sub_id}, name: {sub_type.title()} {sub.split('.')[-1]}, "
                         f"type: {sub_type}, parent: {o.id}, "
                         f"functions: [Urusan {o.topic.lower()} {sub.split('.')[-1]}]}}")
    return lines


_SYLLABLES = ["ka", "ri", "su", "ma", "to", "le", "ba", "ni", "go", "ra", "de", "pu", "wa",
              "si", "lo", "ne", "ja", "ku", "te", "mi", "ha", "bu", "se", "da"]


def _word(rng: random.Random) -> str:
    """A made-up content word (24^3 of them): real process names carry the subject matter
    that sets a process apart, and overlap detection must not see every name as one."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(3))


def _process_name(rng: random.Random, topic: str) -> str:
    return f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {_word(rng)} {_word(rng)}"


class _Writer:
    def __init__(self, root: Path, rng: random.Random, defects: float,
                 copies: bool = False) -> None:
        self.root = root
        self.rng = rng
        self.defects = defects
        self.copies = copies
        self.stats = Stats()
        self.names: list[str] = []
        # name and output of each OPD's processes, in order
        self.by_opd: dict[str, list[tuple[str, str | None]]] = {}

    def defect(self) -> bool:
        hit = self.rng.random() < self.defects
        self.stats.defects += hit
        return hit

    def write(self, rel: str, content: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
        self.stats.files += 1

    # --- one process map ---------------------------------------------------------------
    def process_map(self, opd: _Opd, code: str, level: int, parent: str | None,
                    count: int, title: str) -> list[str]:
        rng = self.rng
        lines = ["# Peta proses bisnis (data sintetis).", "kind: peta-proses",
                 f"code: \"{code}\"", f"title: {title}", f"level: {level}"]
        if parent:
            lines.append(f"parent: \"{parent}\"")
        lines += [f"unit: {opd.id}", "status: final" if level < 2 or rng.random() < .8
                  else "status: draft"]
        if lines[-1] == "status: final" and not self.defect():
            year = 2024 if self.defect() else rng.choice((2025, 2026))
            lines += ["adopted:", f"  instrument: Keputusan Kepala {opd.name}",
                      f"  number: \"{rng.randint(100, 999)}/{rng.randint(1, 300)}/{year}\"",
                      f"  date: {year}-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}",
                      f"  signatory: Kepala {opd.name}"]
        last = "2022-01-15" if self.defect() else f"2026-{rng.randint(1, 10):02d}-15"
        lines += [f"last_evaluated: {last}", "processes:"]
        codes = [f"{code}.{i + 1:02d}" for i in range(count)]
        for i, pc in enumerate(codes):
            lines += self.process(opd, pc, level, codes[i + 1] if i + 1 < count else None)
        self.write(f"peta/{opd.id}/{code}.yaml", "\n".join(lines) + "\n")
        self.stats.maps += 1
        self.stats.processes += count
        return codes

    def process(self, opd: _Opd, code: str, level: int, nxt: str | None) -> list[str]:
        rng = self.rng
        name = _process_name(rng, opd.topic)
        if self.defect() and self.names:  # the same work mapped again elsewhere (OVL001/004)
            name = rng.choice(self.names)
        own = self.by_opd.setdefault(opd.id, [])
        template = self.by_opd.get(opd.base, []) if self.copies else []
        copied = template[len(own)] if len(own) < len(template) else None
        if copied is not None:  # a renamed copy of an OPD maps its base's work again
            name = copied[0]
        self.names.append(name)
        out = [f"  - code: \"{code}\"", f"    name: {name}"]
        if not self.defect():
            out.append("    category: " + ("inti" if level > 0 or rng.random() < .6
                                           else rng.choice(("manajemen", "pendukung"))))
        owner = rng.choice(opd.subunits) if opd.subunits else opd.id
        if self.defect():
            owner = rng.choice((f"[{owner}, {opd.id}]", f"{opd.id}.seksi-lama",
                                f"{opd.id}.bidang-2"))
        out.append(f"    owner: {owner}")
        if len(opd.subunits) > 1 and rng.random() < .3:
            out.append(f"    participants: [{rng.choice(opd.subunits)}]")
        out.append(f"    suppliers: [Masyarakat, {rng.choice(('Kelurahan', 'OPD teknis'))}]")
        out.append(f"    inputs: [Permohonan {_word(rng)}, Dokumen persyaratan]")
        output = None
        if not self.defect():
            output = f"Dokumen {_word(rng)} {_word(rng)}"
            if copied is not None and copied[1] is not None:
                output = copied[1]
            out.append(f"    outputs: [{output}]")
        own.append((name, output))
        out.append("    customers: [Masyarakat]")
        supports = rng.choice(opd.sasaran)
        if self.defect():
            supports = f"{opd.id.upper()}.S99"
        out.append(f"    supports: [{supports}]")
        if opd.indicators and rng.random() < .5:
            out.append(f"    indicators: [{rng.choice(opd.indicators)}]")
        sub = rng.choice(opd.subkegiatan)
        if self.defect():
            sub = opd.urusan + ".99.9.99.9999"
        out.append(f"    subkegiatan: [{sub}]")
        if level > 0 and rng.random() < .9 or rng.random() < .3:
            out.append(f"    sop: [SOP-{opd.id.upper()}-{code.replace('.', '')}]")
        if nxt:
            out.append(f"    next: [\"{nxt}\"]")
        return out

    # --- one cross-functional map --------------------------------------------------------
    def lf_map(self, opd: _Opd, process: str) -> None:
        rng = self.rng
        subs = opd.subunits or [opd.id]
        lanes = [("pemohon", "Pemohon", None)] + [
            (f"l{i}", f"Petugas {i}", subs[(i + rng.randint(0, 9)) % len(subs)])
            for i in range(1, rng.randint(2, 4) + 1)]
        internal = [lid for lid, _, unit in lanes if unit]
        tasks = rng.randint(2, 6)
        no_end = self.defect()
        steps = [("s1", "pemohon", "start", "Mengajukan permohonan")]
        steps += [(f"s{i + 2}", internal[i % len(internal)], "task", f"Memproses tahap {i + 1}")
                  for i in range(tasks)]
        steps.append((f"s{tasks + 2}", internal[0], "decision", "Berkas lengkap?"))
        steps.append((f"s{tasks + 3}", "pemohon", "task" if no_end else "end",
                      "Menerima hasil layanan"))
        flows = [(steps[i][0], steps[i + 1][0], None) for i in range(len(steps) - 1)]
        flows[-1] = (flows[-1][0], flows[-1][1], "Ya")
        flows.append((steps[-2][0], "s2", "Tidak"))
        if self.defect():
            flows.append(("s2", "s99", None))
        lines = ["kind: peta-lintas-fungsi", f"process: \"{process}\"", f"unit: {opd.id}",
                 "lanes:"]
        for lid, name, unit in lanes:
            lines.append(f"  - {{id: {lid}, name: {name}, "
                         + (f"unit: {unit}}}" if unit else "external: true}"))
        lines.append("steps:")
        for sid, lane, stype, name in steps:
            extra = ", time: 30m" if stype == "task" else ""
            lines.append(f"  - {{id: {sid}, lane: {lane}, type: {stype}, name: \"{name}\"{extra}}}")
        lines.append("flows:")
        for a, b, label in flows:
            lines.append(f"  - {{from: {a}, to: {b}" + (f", label: {label}}}" if label else "}"))
        self.write(f"peta/{opd.id}/{process}-LF.yaml", "\n".join(lines) + "\n")
        self.stats.lf_maps += 1


def _plans(w: _Writer, opds: list[_Opd]) -> None:
    """RPJMD (one sasaran per urusan topic) and one Renstra per OPD."""
    rpjmd = ["kind: rpjmd", "id: rpjmd-2025-2029", "period: {start: 2025, end: 2029}",
             "visi: Daerah yang maju, sejahtera dan berdaya saing", "misi:",
             "  - {id: M1, text: Meningkatkan kualitas pelayanan publik}", "tujuan:",
             "  - id: T1", "    misi: M1", "    text: Meningkatkan kualitas pelayanan publik",
             "    indikator:",
             "      - {id: T1.I1, text: Indeks pelayanan publik, satuan: indeks, "
             "target: {2029: 4.5}}", "sasaran:"]
    topics = sorted({o.topic for o in opds})
    for i, topic in enumerate(topics, start=1):
        rpjmd += [f"  - id: S{i}", "    tujuan: T1",
                  f"    text: Meningkatnya kinerja {topic.lower()}",
                  "    indikator:",
                  f"      - {{id: IKU.{i}, text: Indeks {topic.lower()}, satuan: persen, "
                  "target: {2025: 80, 2029: 90}}"]
    w.write("rencana/rpjmd-2025-2029.yaml", "\n".join(rpjmd) + "\n")
    for o in opds:
        s_rpjmd = f"S{topics.index(o.topic) + 1}"
        pre = o.id.upper()
        lines = ["kind: renstra", f"id: renstra-{o.id}-2025-2029", f"unit: {o.id}",
                 "rpjmd: rpjmd-2025-2029", "tujuan:",
                 f"  - {{id: {pre}.T1, text: Meningkatkan kinerja {o.topic.lower()}, "
                 "supports: [T1]}",
                 "sasaran:"]
        for s in range(1, 4):
            sid = f"{pre}.S{s}"
            o.sasaran.append(sid)
            o.indicators.append(f"{sid}.I1")
            satuan = "" if w.defect() else "satuan: persen, "
            lines += [f"  - id: {sid}", f"    tujuan: {pre}.T1",
                      f"    text: Meningkatnya capaian {o.topic.lower()} {s}",
                      f"    supports: [{s_rpjmd}]", "    indikator:",
                      f"      - {{id: {sid}.I1, text: Capaian {s}, {satuan}"
                      "target: {2025: 70, 2029: 90}}"]
        lines.append("programs:")
        for p in range(1, 3):
            prog = f"{o.urusan}.{p:02d}"
            lines += [f"  - code: {prog}", f"    name: Program {o.topic} {p}",
                      f"    sasaran: [{pre}.S{p}]", "    kegiatan:"]
            keg = f"{prog}.2.{p:02d}"
            lines += [f"      - code: {keg}", f"        name: Kegiatan {o.topic} {p}",
                      "        subkegiatan:"]
            for k in range(1, 4):
                code = f"{keg}.{k:04d}"
                o.subkegiatan.append(code)
                lines.append(f"          - {{code: {code}, name: Sub kegiatan {k}}}")
        w.write(f"rencana/renstra/{o.id}.yaml", "\n".join(lines) + "\n")


def generate(root: str | Path, processes: int = 2000, seed: int = 1,
             defects: float = 0.03, opds: int | None = None,
             lf_share: float = 0.08, copies: bool = False) -> dict[str, int]:
    """Write a workspace of about ``processes`` processes (exactly, barring rounding) at
    ``root``; returns counts. ``lf_share``: share of the lowest processes detailed by a
    cross-functional map. ``copies``: the OPDs after the first of each kind (``disdik-2``,
    "Dinas Pendidikan Wilayah 2") are renamed copies that map the same processes under the
    same names, as a province assembled from its cities' maps does: finding-heavy (OVL001)."""
    root = Path(root)
    rng = random.Random(seed)
    w = _Writer(root, rng, defects, copies)
    n_opds = opds or max(8, min(30, processes // 50), math.ceil(processes / 1000))
    all_opds = _opds(n_opds)
    for o in all_opds:
        if o.type == "sekretariat-daerah":
            o.subunits = [f"setda.{b}" for b in ("pemerintahan", "hukum", "organisasi", "umum")]
        elif o.type == "kecamatan":
            o.subunits = [f"{o.id}.kel-{k}" for k in range(1, rng.randint(4, 7))]
        else:
            o.subunits = [f"{o.id}.sekretariat"] + [f"{o.id}.b{b}"
                                                     for b in range(1, rng.randint(3, 5))]
    w.stats.opds = len(all_opds)
    w.stats.units = sum(1 + len(o.subunits) for o in all_opds)

    w.write("probis.yaml", "\n".join([
        "# Ruang kerja sintetis untuk benchmark probis.", "kind: workspace",
        f"instansi: Pemerintah Kota Sintetis {seed}", "sotk: sotk/sotk-2025.yaml",
        "rpjmd: rencana/rpjmd-2025-2029.yaml", "renstra: rencana/renstra/", "maps: peta/",
        "profile: {extends: [recommended]}"]) + "\n")
    header = ["kind: sotk", "instansi: Pemerintah Kota Sintetis", "units:"]
    w.write("sotk/sotk-2023.yaml", "\n".join(
        ["kind: sotk", "id: sotk-2023", "effective: 2023-01-01", *header[1:],
         *_sotk_units(all_opds, renamed=False)]) + "\n")
    changes = ["changes:"] + [f"  - {{op: rename, from: {o.id}.bidang-2, to: {o.id}.b2}}"
                              for o in all_opds if f"{o.id}.b2" in o.subunits]
    w.write("sotk/sotk-2025.yaml", "\n".join(
        ["kind: sotk", "id: sotk-2025", "effective: 2025-01-01", "previous: sotk-2023",
         *header[1:], *_sotk_units(all_opds, renamed=True), *changes]) + "\n")
    _plans(w, all_opds)

    # share the process budget over the OPDs, then fill each OPD's tree level by level;
    # sizes are drawn at random but never so small that levels 0-2 could not hold the rest
    cap = {0: 111, 1: 11, 2: 1}  # processes a process of that level can stand for, at most
    base, extra = divmod(processes, len(all_opds))
    for idx, o in enumerate(all_opds):
        budget = base + (idx < extra)
        if budget <= 0:
            continue
        code = f"PB.{idx + 1:02d}"
        top = min(budget, 10, max(rng.randint(5, 8), math.ceil(budget / cap[0])))
        made = w.process_map(o, code, 0, None, top, f"Peta proses {o.name}")
        budget -= top
        frontier = [(c, 1, code) for c in made]
        leaves: list[str] = []
        while frontier:
            next_frontier = []
            for i, (pcode, level, parent) in enumerate(frontier):
                if budget <= 0:
                    leaves.append(pcode)
                    continue
                rest = len(frontier) - i - 1
                need = math.ceil((budget - rest * 10 * cap[level]) / cap[level])
                n = min(budget, 10, max(rng.randint(4, 10), need))
                made = w.process_map(o, pcode, level, parent, n, f"Rincian {pcode}")
                budget -= n
                if level < 2:
                    next_frontier += [(c, level + 1, pcode) for c in made]
                else:
                    leaves += made
            frontier = next_frontier
        if budget > 0:  # levels 0-2 are full: say so rather than silently drop processes
            raise ValueError(f"{o.id}: {budget} processes left over; pass more opds")
        for leaf in leaves:
            if rng.random() < lf_share:
                w.lf_map(o, leaf)
    return w.stats.as_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--processes", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.03)
    parser.add_argument("--opds", type=int, default=None)
    parser.add_argument("--copies", action="store_true",
                        help="OPDs after the first of each kind copy its processes' names")
    args = parser.parse_args()
    print(generate(args.out, args.processes, args.seed, args.defects, args.opds,
                   copies=args.copies))


if __name__ == "__main__":
    main()
