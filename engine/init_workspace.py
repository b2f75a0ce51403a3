"""A new workspace for one Pemda (`probis init`): commented Indonesian templates of every kind.

What is written loads without input errors and audits with only "to be filled" findings (a
process with no category, output or customer, a sasaran no process serves, ...): every
reference in it points at something that exists. Every YAML file starts with the
``yaml-language-server`` modeline (engine/schema.py), so VS Code checks it while it is typed.
Nothing is written outside the target folder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ProbisUsageError
from .i18n import text
from .schema import install_in_workspace, with_modeline

# SOTK unit types guessed from the first words of an OPD's name
_TYPE_BY_PREFIX = (("sekretariat daerah", "sekretariat-daerah"),
                   ("sekretariat dprd", "sekretariat-dprd"), ("inspektorat", "inspektorat"),
                   ("dinas", "dinas"), ("badan", "badan"), ("kecamatan", "kecamatan"),
                   ("kelurahan", "kelurahan"), ("satuan", "satuan"), ("kantor", "kantor"),
                   ("rumah sakit", "rsud"), ("rsud", "rsud"))
PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{4})\s*$")


@dataclass
class Opd:
    id: str
    name: str
    type: str | None = None


@dataclass
class InitPlan:
    instansi: str
    start: int
    end: int
    opds: list[Opd] = field(default_factory=list)
    sotk_file: Path | None = None  # an existing SOTK to copy in instead of `opds`


def parse_period(value: str) -> tuple[int, int]:
    match = PERIOD_RE.match(value)
    if match is None or not int(match[1]) < int(match[2]) <= int(match[1]) + 10:
        raise ProbisUsageError(text(f"periode `{value}` tidak sah: tulis mis. 2025-2029",
                                    f"invalid period `{value}`: write e.g. 2025-2029"))
    return int(match[1]), int(match[2])


def parse_opd(value: str) -> Opd:
    """``Dinas Kesehatan`` or ``dinkes=Dinas Kesehatan`` (id given)."""
    given, _, name = value.partition("=") if "=" in value else ("", "", value)
    name = " ".join(name.split())
    if not name:
        raise ProbisUsageError(text(f"--opd `{value}`: nama OPD kosong",
                                    f"--opd `{value}`: empty OPD name"))
    # letters with diacritics keep their base letter (Cöntoh -> contoh), not a hyphen
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    unit_id = given.strip() or re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", unit_id):
        raise ProbisUsageError(text(
            f"--opd `{value}`: id `{unit_id}` tidak sah: huruf kecil, angka, . _ -",
            f"--opd `{value}`: invalid id `{unit_id}`: lower-case letters, digits, . _ -"))
    lower = name.lower()
    unit_type = next((t for prefix, t in _TYPE_BY_PREFIX if lower.startswith(prefix)), None)
    return Opd(unit_id, name, unit_type)


def _q(value: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _files(plan: InitPlan, sotk_rel: str, sotk_id: str, first_unit: str) -> dict[str, str]:
    p = f"{plan.start}-{plan.end}"
    rpjmd_id = f"rpjmd-{p}"
    files: dict[str, str] = {}
    files["probis.yaml"] = f"""\
# Berkas utama workspace probis: satu Pemda. Jalur ditulis relatif terhadap folder ini.
# Panduan format: docs/format.id.md (bahasa Indonesia) atau docs/format.md.
kind: workspace
instansi: {_q(plan.instansi)}
sotk: {sotk_rel}                  # SOTK yang berlaku
rpjmd: rencana/{rpjmd_id}.yaml
renstra: rencana/renstra/        # satu berkas Renstra per OPD di folder ini
maps: peta/                      # peta proses (dibaca sampai ke subfolder)
waivers: waivers.yaml            # pengecualian temuan yang disetujui (boleh kosong)
profile:
  extends: [recommended]         # profil aturan; atur tingkat aturan di bawah `rules:`
"""
    files[f"rencana/{rpjmd_id}.yaml"] = f"""\
# RPJMD {p}: salin visi, misi, tujuan, sasaran dan indikator dari dokumen RPJMD (Perda).
# Setiap sasaran perlu dilayani oleh setidaknya satu proses (kolom `supports` di peta proses).
kind: rpjmd
id: {rpjmd_id}
period: {{start: {plan.start}, end: {plan.end}}}
visi: ""                         # DIISI: rumusan visi
misi:
  - {{id: M1, text: ""}}           # DIISI: rumusan misi pertama; tambah M2, M3, ...
tujuan:
  - id: T1
    misi: M1
    text: ""                     # DIISI: rumusan tujuan
sasaran:
  - id: S1
    tujuan: T1
    text: ""                     # DIISI: rumusan sasaran
    indikator:                   # DIISI: indikator kinerja utama dengan satuan dan target
      - {{id: S1.I1, text: "", satuan: "", target: {{{plan.end}: null}}}}
"""
    files["rencana/renstra/BACA-SAYA.txt"] = (
        "Taruh satu berkas Renstra per OPD di folder ini (kind: renstra).\n"
        "Contoh lengkap dengan penjelasan: templat/renstra.yaml.txt\n")
    files["peta/PB.yaml"] = f"""\
# Peta proses bisnis level 0 (peta akar) {plan.instansi} (PermenPANRB 19/2018).
# Setiap proses boleh diuraikan oleh peta level 1 yang `code`-nya sama dengan kode proses itu
# dan `parent: PB` (lihat templat/peta-proses.yaml.txt). Kode ditulis dalam tanda kutip.
kind: peta-proses
code: "PB"
title: {_q("Peta Proses Bisnis " + plan.instansi)}
level: 0
status: draft                    # draft | final; yang final perlu `adopted` dan `last_evaluated`
processes:
  - code: "PB.01"
    name: ""                     # DIISI: nama proses
    category:                    # DIISI: inti | manajemen | pendukung
    owner: {first_unit}           # tepat satu unit penanggung jawab (id dari berkas SOTK)
    suppliers: []                # DIISI: pemasok
    inputs: []                   # DIISI: masukan
    outputs: []                  # DIISI: keluaran
    customers: []                # DIISI: pelanggan
    supports: []                 # DIISI: id sasaran yang didukung, mis. [S1]
"""
    files["waivers.yaml"] = """\
# Pengecualian temuan yang disetujui (mis. oleh Inspektorat). Contoh satu butir:
#   - rule: OVL001
#     element: PB.07.01.03        # elemen yang dikecualikan
#     reason: alasan pengecualian
#     approved_by: Inspektorat
#     expires: 2026-06-30         # sesudah tanggal ini temuan dihitung lagi
kind: waivers
waivers: []
"""
    if plan.sotk_file is None:
        units = "\n".join(
            f"  - id: {o.id}\n    name: {_q(o.name)}\n"
            + (f"    type: {o.type}\n" if o.type else
               "    type:                       # DIISI: dinas | badan | kecamatan | ...\n")
            + "    parent: null" for o in plan.opds)
        files[sotk_rel] = f"""\
# SOTK (Susunan Organisasi dan Tata Kerja) yang berlaku. Tambahkan bidang/seksi di bawah
# setiap OPD dengan `parent: <id OPD>`. Id unit tetap dan unik; dipakai peta proses (`owner`).
kind: sotk
id: {sotk_id}
instansi: {_q(plan.instansi)}
effective:                       # DIISI: tanggal berlaku, YYYY-MM-DD
legal_basis: ""                  # DIISI: Perda tentang Pembentukan dan Susunan Perangkat Daerah
units:
{units}
"""
    return files


TEMPLATES: dict[str, str] = {
    "peta-proses": """\
# Templat peta proses level 1 (salin ke peta/<id OPD>/<kode>.yaml, hapus akhiran .txt).
kind: peta-proses
code: "PB.01"                    # kode proses yang diuraikan peta ini
title: ""                        # judul peta
level: 1                         # level peta induk + 1
parent: "PB"                     # kode peta induk
unit:                            # unit pemelihara peta (id SOTK)
status: draft                    # draft | final
# adopted: {instrument: Keputusan Bupati, number: "100/KEP/2025", date: 2025-03-01,
#           signatory: Bupati}   # penetapan, wajib untuk peta final
# last_evaluated: 2025-06-30     # evaluasi berkala terakhir
processes:
  - code: "PB.01.01"             # kode peta + satu segmen
    name: ""
    category: inti               # inti | manajemen | pendukung
    owner:                       # tepat satu unit (id SOTK)
    participants: []             # unit lain yang terlibat
    suppliers: []
    inputs: []
    outputs: []
    customers: []
    supports: []                 # id sasaran Renstra atau RPJMD
    indikator: []                # id indikator
    subkegiatan: []              # kode subkegiatan anggaran
    sop: []                      # id SOP
    next: []                     # proses penerima keluaran
""",
    "peta-lintas-fungsi": """\
# Templat peta lintas fungsi satu proses (salin ke peta/<id OPD>/<kode>-LF.yaml).
kind: peta-lintas-fungsi
process: "PB.01.01"              # kode proses yang dirinci
unit:                            # id unit SOTK
lanes:                           # pelaku; pihak luar dengan external: true
  - {id: pemohon, name: Pemohon, external: true}
  - {id: petugas, name: Petugas, unit: }
steps:                           # type: start | end | task | decision; time: 15m, 2h, 3d
  - {id: s1, lane: pemohon, type: start, name: Mengajukan permohonan}
  - {id: s2, lane: petugas, type: task, name: Memverifikasi berkas, time: 15m}
  - {id: s3, lane: pemohon, type: end, name: Menerima hasil}
flows:
  - {from: s1, to: s2}
  - {from: s2, to: s3}
""",
    "renstra": """\
# Templat Renstra satu OPD (salin ke rencana/renstra/<id OPD>.yaml).
kind: renstra
id: renstra-<id OPD>
unit:                            # id OPD di SOTK
rpjmd:                           # id RPJMD yang berlaku
tujuan:
  - {id: OPD.T1, text: "", supports: [T1]}     # supports: id tujuan RPJMD
sasaran:
  - id: OPD.S1
    tujuan: OPD.T1
    text: ""
    supports: [S1]               # id sasaran RPJMD
    indikator:
      - {id: OPD.S1.I1, text: "", satuan: persen, target: {2029: 100}}
programs:
  - code: "0.00.01"              # kode nomenklatur (Kepmendagri 050-5889/2021)
    name: ""
    sasaran: [OPD.S1]
    kegiatan:
      - code: "0.00.01.2.01"
        name: ""
        subkegiatan:
          - {code: "0.00.01.2.01.0001", name: ""}
""",
    "kamus": """\
# Templat kamus workspace (salin ke kamus.yaml): singkatan dan sinonim setempat.
kind: kamus
singkatan:
  SiCantik: Surat Izin Cepat Aman Tertib Investasi Kemudahan
sinonim:
  - [kartu keluarga, KK]
""",
}


def create_workspace(target: Path, plan: InitPlan, force: bool = False) -> list[Path]:
    """Write the workspace into ``target`` (created if missing); returns the files written."""
    if target.exists() and not target.is_dir():
        raise ProbisUsageError(f"{target}: bukan folder / not a folder")
    # a fresh `git init` folder counts as empty: init is often run right after it
    if target.is_dir() and any(p.name != ".git" for p in target.iterdir()) and not force:
        raise ProbisUsageError(
            f"{target}: folder tidak kosong; pilih folder baru atau pakai --force (berkas "
            "probis yang sudah ada ditimpa) / folder is not empty; choose a new folder or use "
            "--force (probis's files there are overwritten)")
    sotk_id = f"sotk-{plan.start}"
    first_unit = plan.opds[0].id if plan.opds else ""
    if plan.sotk_file is not None:
        sotk_text, sotk_id, first_unit = _read_sotk(plan.sotk_file)
        sotk_rel = f"sotk/{plan.sotk_file.name}"
    else:
        sotk_rel = f"sotk/{sotk_id}.yaml"
    files = _files(plan, sotk_rel, sotk_id, first_unit)
    if plan.sotk_file is not None:
        files[sotk_rel] = sotk_text
    for kind, body in TEMPLATES.items():
        files[f"templat/{kind}.yaml.txt"] = body
    files["README.txt"] = readme(plan)
    kinds = {"probis.yaml": "workspace", sotk_rel: "sotk", "peta/PB.yaml": "peta-proses",
             "waivers.yaml": "waivers", f"rencana/rpjmd-{plan.start}-{plan.end}.yaml": "rpjmd"}
    target.mkdir(parents=True, exist_ok=True)
    install_in_workspace(target)
    written = []
    for rel, body in sorted(files.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel in kinds:
            body = with_modeline(body, path, kinds[rel], target)
        path.write_text(body, encoding="utf-8")
        written.append(path)
    return written


def _read_sotk(path: Path) -> tuple[str, str, str]:
    """The text, id and first OPD id of an existing SOTK file (checked with the loader's model)."""
    from .lenient import validate_lenient
    from .limits import Limits
    from .model import Sotk
    from .yamlload import ParseError, parse_bytes

    try:
        raw = path.read_bytes()
        data = parse_bytes(raw, path.name, Limits.from_env())
    except OSError as exc:
        raise ProbisUsageError(f"--sotk {path}: {exc.strerror}") from None
    except ParseError as exc:
        raise ProbisUsageError(text(f"--sotk {path}:{exc.line or ''} {exc.message['id']}",
                                    f"--sotk {path}:{exc.line or ''} {exc.message['en']}")) \
            from None
    checked = (validate_lenient(Sotk, data, raw.decode("utf-8", "replace"))
               if isinstance(data, dict) else None)
    if checked is None or checked.instance is None or checked.errors:
        errors = checked.errors if checked else []
        problems = {lang: "; ".join(f"{line}: {m[lang]}" for line, _, m in errors)
                    for lang in ("id", "en")}
        raise ProbisUsageError(text(
            f"--sotk {path}: bukan dokumen `kind: sotk` yang sah"
            + (f" ({problems['id']})" if errors else ""),
            f"--sotk {path}: not a valid `kind: sotk` document"
            + (f" ({problems['en']})" if errors else "")))
    sotk: Sotk = checked.instance  # type: ignore[assignment]
    opds = [u.id for u in sotk.units if u.parent is None] or [u.id for u in sotk.units]
    return raw.decode("utf-8"), sotk.id, opds[0] if opds else ""


def readme(plan: InitPlan) -> str:
    return f"""\
Workspace probis: {plan.instansi}
{'=' * (18 + len(plan.instansi))}

Folder ini dibuat oleh `probis init`. Isi berkas-berkasnya, lalu periksa dengan:

  probis validate .     (hanya format berkas, cepat)
  probis check .        (audit lengkap dengan temuan dan skor)

Yang perlu diisi (cari tulisan "DIISI" di setiap berkas):
  1. sotk/              SOTK yang berlaku: semua OPD, bidang dan seksi (id unit unik).
  2. rencana/           RPJMD {plan.start}-{plan.end}: visi, misi, tujuan, sasaran, indikator.
  3. rencana/renstra/   satu Renstra per OPD (contoh: templat/renstra.yaml.txt).
  4. peta/PB.yaml       peta proses level 0; uraikan tiap proses di peta level berikutnya
                        (contoh: templat/peta-proses.yaml.txt), dan peta lintas fungsi
                        (templat/peta-lintas-fungsi.yaml.txt).
  5. waivers.yaml       pengecualian temuan yang disetujui (boleh tetap kosong).

Temuan awal `probis check` (kategori, keluaran, pelanggan, sasaran yang belum dilayani, ...)
menunjukkan bagian yang belum diisi; temuan itu hilang setelah berkasnya dilengkapi.

Penyunting: VS Code dengan ekstensi YAML (Red Hat) memeriksa dan melengkapi kolom saat
mengetik, memakai skema di .probis/schema/ (baris pertama setiap berkas menunjuk ke sana).
Panduan format: docs/format.id.md di repositori probis.
"""
