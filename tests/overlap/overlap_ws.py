"""A small workspace for the delegation and review-queue tests: two dinas, two kecamatan.

Pairs (OVL001 default threshold 0.80):
- PB.04.01 (Disdukcapil) / PB.14.01 (Kecamatan A): the same KK service, above the threshold;
- PB.05.01 (Dinkes) / PB.09.01 (DPMPTSP): practice permit vs its recommendation, between the
  0.5 floor and the threshold (a review-queue case, not a finding).
"""

from __future__ import annotations

from pathlib import Path

SOTK = """\
kind: sotk
id: sotk-uji
units:
  - {id: disdukcapil, name: Dinas Kependudukan dan Pencatatan Sipil, type: dinas}
  - {id: disdukcapil.dafduk, name: Bidang Dafduk, type: bidang, parent: disdukcapil}
  - {id: dinkes, name: Dinas Kesehatan, type: dinas}
  - {id: dpmptsp, name: DPMPTSP, type: dinas}
  - {id: kec-a, name: Kecamatan A, type: kecamatan}
  - {id: kec-a.pem, name: Seksi Pemerintahan, type: seksi, parent: kec-a}
  - {id: kec-b, name: Kecamatan B, type: kecamatan}
"""

MAPS = {
    "disdukcapil.yaml": """\
kind: peta-proses
code: PB.04
level: 0
unit: disdukcapil
processes:
  - code: PB.04.01
    name: Penerbitan Kartu Keluarga
    category: inti
    owner: disdukcapil.dafduk
    outputs: [Kartu Keluarga]
    customers: [Masyarakat]
""",
    "kec-a.yaml": """\
kind: peta-proses
code: PB.14
level: 0
unit: kec-a
processes:
  - code: PB.14.01
    name: Pelayanan Penerbitan Kartu Keluarga
    category: inti
    owner: kec-a.pem
    outputs: [Kartu Keluarga]
    customers: [Masyarakat]
""",
    "dinkes.yaml": """\
kind: peta-proses
code: PB.05
level: 0
unit: dinkes
processes:
  - code: PB.05.01
    name: Rekomendasi Izin Praktik Perawat
    category: inti
    owner: dinkes
    outputs: [Rekomendasi Izin Praktik Perawat]
    customers: [Perawat]
""",
    "dpmptsp.yaml": """\
kind: peta-proses
code: PB.09
level: 0
unit: dpmptsp
processes:
  - code: PB.09.01
    name: Penerbitan Izin Praktik Perawat
    category: inti
    owner: dpmptsp
    outputs: [Izin Praktik Perawat]
    customers: [Tenaga kesehatan]
""",
}

PELIMPAHAN = """\
kind: pelimpahan
legal_basis:
  instrument: Peraturan Wali Kota Uji
  number: "4"
  year: 2019
  title: Pelimpahan Sebagian Kewenangan Wali Kota kepada Camat
effective: {effective}
{until}delegations:
  - from: disdukcapil
    {to}
    services: [Kartu Keluarga]
"""


def pelimpahan(effective: str = "2019-03-01", until: str | None = None,
               to: str = "to: [kec-a]") -> str:
    return PELIMPAHAN.format(effective=effective, until=f"until: {until}\n" if until else "",
                             to=to)


def build(root: Path, extra: dict[str, str] | None = None,
          profile: str = "{extends: [recommended]}") -> Path:
    (root / "sotk").mkdir(parents=True)
    (root / "peta").mkdir()
    (root / "probis.yaml").write_text(
        f"kind: workspace\nsotk: sotk/sotk.yaml\nmaps: peta/\nprofile: {profile}\n",
        encoding="utf-8")
    (root / "sotk" / "sotk.yaml").write_text(SOTK, encoding="utf-8")
    for name, body in MAPS.items():
        (root / "peta" / name).write_text(body, encoding="utf-8")
    for name, body in (extra or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")
    return root
