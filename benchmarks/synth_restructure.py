"""Synthetic workspace for the restructuring benchmark (self-contained on purpose).

``generate(root, processes=20000)`` writes a workspace with ``opds`` OPDs of two bidang each,
maps of 10 processes (so 2,000 maps for 20,000 processes), sotk-2023 in force, and sotk-2025
in which ``dinas-01`` is merged into ``dinas-02`` (the bidang follow by prefix).
"""

from __future__ import annotations

from pathlib import Path

PER_MAP = 10


def _opd(i: int) -> str:
    return f"dinas-{i:02d}"


def _units(opds: int, merged: bool) -> list[str]:
    lines = []
    for i in range(1, opds + 1):
        if merged and i == 1:
            continue
        name = "Dinas Koperasi dan Perdagangan" if merged and i == 2 else f"Dinas Urusan {i}"
        funcs = (f"[Urusan layanan {i}, Urusan layanan 1]" if merged and i == 2
                 else f"[Urusan layanan {i}]")
        lines.append(f"  - {{id: {_opd(i)}, name: {name}, type: dinas, functions: {funcs}}}")
        for b in (1, 2):
            lines.append(f"  - {{id: {_opd(i)}.b{b}, name: Bidang {b}, type: bidang, "
                         f"parent: {_opd(i)}}}")
    return lines


def generate(root: Path, processes: int = 20000, opds: int = 40) -> dict[str, int]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sotk").mkdir(exist_ok=True)
    (root / "rencana").mkdir(exist_ok=True)
    (root / "probis.yaml").write_text(
        "kind: workspace\ninstansi: Kota Sintetis\nsotk: sotk/sotk-2023.yaml\n"
        "rpjmd: rencana/rpjmd.yaml\nmaps: peta/\n", "utf-8")
    (root / "sotk/sotk-2023.yaml").write_text(
        "kind: sotk\nid: sotk-2023\neffective: 2023-01-01\nunits:\n"
        + "\n".join(_units(opds, False)) + "\n", "utf-8")
    (root / "sotk/sotk-2025.yaml").write_text(
        "kind: sotk\nid: sotk-2025\neffective: 2023-01-01\nprevious: sotk-2023\nunits:\n"
        + "\n".join(_units(opds, True))
        + "\nchanges:\n  - {op: merge, from: [dinas-01, dinas-02], to: dinas-02}\n", "utf-8")
    (root / "rencana/rpjmd.yaml").write_text(
        "kind: rpjmd\nid: rpjmd-2021-2026\nperiod: {start: 2021, end: 2026}\nsasaran:\n"
        + "".join(f"  - {{id: S{i}, text: Sasaran {i}}}\n" for i in range(1, opds + 1)), "utf-8")
    maps = processes // PER_MAP
    for m in range(maps):
        i = m % opds + 1
        opd = _opd(i)
        folder = root / "peta" / opd
        folder.mkdir(parents=True, exist_ok=True)
        code = f"PB.{m:04d}"
        procs = []
        for p in range(PER_MAP):
            pc = f"{code}.{p + 1:02d}"
            # a few planted defects so the findings are not empty: every 7th has no category
            category = "" if (m * PER_MAP + p) % 7 == 0 else "    category: inti\n"
            procs.append(
                f"  - code: \"{pc}\"\n    name: Layanan {pc}\n{category}"
                f"    owner: {opd}.b{p % 2 + 1}\n    outputs: [Dokumen {pc}]\n"
                f"    customers: [Masyarakat]\n    supports: [S{i}]\n")
        (folder / f"{code}.yaml").write_text(
            f"kind: peta-proses\ncode: \"{code}\"\ntitle: Peta {code}\nlevel: 1\nunit: {opd}\n"
            "status: final\nadopted: {instrument: Keputusan Wali Kota, number: \"1/2024\", "
            "date: 2024-01-10, signatory: Wali Kota}\nprocesses:\n" + "".join(procs), "utf-8")
    return {"processes": maps * PER_MAP, "maps": maps, "opds": opds}
