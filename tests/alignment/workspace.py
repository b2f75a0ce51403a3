"""A tiny hand-written workspace for the alignment tests, and helpers to vary one file.

Kota Uji: two misi, each with one tujuan and one sasaran. S1.1.1 is served directly by a
process; S2.1.1 only through the Renstra sasaran DUK.S1 of Disdukcapil. Everything is
aligned, so the base workspace has no ALN finding; each test changes one file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from probis.engine.plugins import build_registry
from probis.engine.runner import AuditResult, audit

AS_OF = dt.date(2026, 11, 28)

BASE: dict[str, str] = {
    "probis.yaml": """\
kind: workspace
instansi: Pemerintah Kota Uji
sotk: sotk.yaml
rpjmd: rpjmd-2025-2029.yaml
renstra: renstra/
maps: peta/
""",
    "sotk.yaml": """\
kind: sotk
id: sotk-2025
units:
  - {id: disdukcapil, name: Dinas Kependudukan dan Pencatatan Sipil, type: dinas, parent: null}
  - {id: disdukcapil.dafduk, name: Bidang Dafduk, type: bidang, parent: disdukcapil}
  - {id: dinkes, name: Dinas Kesehatan, type: dinas, parent: null}
""",
    "rpjmd-2025-2029.yaml": """\
kind: rpjmd
id: rpjmd-2025-2029
period: {start: 2025, end: 2029}
visi: Kota Uji yang Sehat dan Tertib
misi:
  - {id: M1, text: Meningkatkan derajat kesehatan}
  - {id: M2, text: Mewujudkan tata kelola yang baik}
tujuan:
  - {id: T1.1, misi: M1, text: Meningkatkan layanan kesehatan}
  - {id: T2.1, misi: M2, text: Meningkatkan pelayanan publik}
sasaran:
  - id: S1.1.1
    tujuan: T1.1
    text: Meningkatnya cakupan imunisasi
    indikator:
      - {id: IKU.1, text: Cakupan imunisasi dasar, satuan: persen, target: {2025: 90, 2029: 95}}
  - id: S2.1.1
    tujuan: T2.1
    text: Meningkatnya kepemilikan dokumen kependudukan
    indikator:
      - {id: IKU.2, text: Persentase penduduk ber-KTP-el, satuan: persen, target: {2029: 99}}
""",
    "renstra/disdukcapil.yaml": """\
kind: renstra
id: renstra-disdukcapil-2025-2029
unit: disdukcapil
rpjmd: rpjmd-2025-2029
tujuan:
  - {id: DUK.T1, text: Meningkatkan layanan adminduk, supports: [T2.1]}
sasaran:
  - id: DUK.S1
    tujuan: DUK.T1
    text: Meningkatnya kepemilikan dokumen
    supports: [S2.1.1]
    indikator:
      - {id: DUK.S1.I1, text: Persentase anak ber-KIA, satuan: persen, target: {2029: 60}}
programs:
  - code: "2.12.02"
    name: Program Pendaftaran Penduduk
    sasaran: [DUK.S1]
    kegiatan:
      - code: "2.12.02.2.01"
        subkegiatan:
          - {code: "2.12.02.2.01.0001", name: Penyediaan Dokumen Kependudukan}
""",
    "peta/PB.01.yaml": """\
kind: peta-proses
code: PB.01
title: Peta proses Kota Uji
level: 0
unit: disdukcapil
status: final
processes:
  - code: PB.01.01
    name: Penerbitan Kartu Keluarga
    category: inti
    owner: disdukcapil.dafduk
    supports: [DUK.S1]
    indicators: [DUK.S1.I1]
    subkegiatan: ["2.12.02.2.01.0001"]
  - code: PB.01.02
    name: Pengelolaan Arsip
    category: pendukung
    owner: disdukcapil
""",
    "peta/PB.02.yaml": """\
kind: peta-proses
code: PB.02
title: Peta proses Dinkes
level: 0
unit: dinkes
status: draft
processes:
  - code: PB.02.01
    name: Pelayanan Imunisasi
    category: inti
    owner: dinkes
    supports: [S1.1.1]
    indicators: [IKU.1]
""",
}


def make_workspace(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    """Write the base workspace to ``root``; ``changes`` maps a file name to new text, or to
    None to leave the file out."""
    files = dict(BASE)
    for name, body in (changes or {}).items():
        if body is None:
            files.pop(name, None)
        else:
            files[name] = body
    for name, body in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return root


def replace(name: str, old: str, new: str) -> str:
    """The base text of file ``name`` with ``old`` replaced (which must occur)."""
    body = BASE[name]
    assert old in body, f"{old!r} not in {name}"
    return body.replace(old, new)


def run(root: Path) -> AuditResult:
    return audit(root, as_of=AS_OF, registry=build_registry())


def aln(result: AuditResult, rule: str | None = None) -> list:
    return [f for f in result.findings
            if f.rule.startswith("ALN") and (rule is None or f.rule == rule)]
