"""The coverage matrix: RPJMD misi → tujuan → sasaran with the processes and OPDs serving each.

A plain dict (the ``coverage`` section of the JSON report, and ``probis coverage --format
json``). Every list is sorted, so the same workspace gives the same section byte for byte.
"""

from __future__ import annotations

from typing import Any

from probis.engine.model import Sasaran, Tujuan
from probis.engine.workspace import Workspace

from .cascade import Cascade, Server, kept


def share(served: int, total: int) -> float | None:
    return round(100.0 * served / total, 1) if total else None


def server_dicts(servers: list[Server]) -> list[dict[str, Any]]:
    unique = {(s.process, s.via or ""): s for s in servers}
    return [unique[k].to_dict() for k in sorted(unique)]


def sasaran_row(cascade: Cascade, s: Sasaran) -> dict[str, Any]:
    direct = server_dicts(cascade.direct.get(s.id, []))
    via = cascade.via_renstra_dicts(s.id)
    opds = sorted({x["unit"] for x in direct + via if x["unit"]})
    return {
        "id": s.id,
        "text": s.text,
        "served": bool(direct or via),
        "processes": sorted({x["process"] for x in direct + via}),
        "opds": opds,
        "direct": direct,
        "via_renstra": via,
        "renstra_opds": sorted(cascade.mentions.get(s.id, ())),
    }


def coverage_section(ws: Workspace) -> dict[str, Any]:
    cascade = kept(ws)  # ALN003's, when it ran in this process
    rpjmd = ws.rpjmd
    section: dict[str, Any] = {
        "rpjmd": rpjmd.id if rpjmd else None,
        "visi": rpjmd.visi if rpjmd else None,
        "misi": [],
        "unplaced_sasaran": [],
        "totals": {"sasaran_total": 0, "sasaran_served": 0, "share_percent": None},
        "renstra_sasaran": [],
    }
    if rpjmd is None:
        return section
    tujuan_by_misi: dict[str, list[Tujuan]] = {}
    for t in cascade.tujuan.values():
        tujuan_by_misi.setdefault(t.misi or "", []).append(t)
    sasaran_by_tujuan: dict[str, list[Sasaran]] = {}
    for s in cascade.sasaran.values():
        sasaran_by_tujuan.setdefault(s.tujuan or "", []).append(s)

    placed: set[str] = set()
    for m in cascade.misi.values():
        tujuan_rows = []
        total = served = 0
        for t in tujuan_by_misi.get(m.id, []):
            rows = [sasaran_row(cascade, s) for s in sasaran_by_tujuan.get(t.id, [])]
            placed.update(r["id"] for r in rows)
            total += len(rows)
            served += sum(r["served"] for r in rows)
            tujuan_rows.append({"id": t.id, "text": t.text, "sasaran": rows})
        section["misi"].append({
            "id": m.id, "text": m.text, "tujuan": tujuan_rows,
            "sasaran_total": total, "sasaran_served": served, "share_percent": share(served, total),
        })
    # sasaran whose tujuan or misi does not resolve (ALN002) still count in the totals
    section["unplaced_sasaran"] = [sasaran_row(cascade, s) for s in cascade.sasaran.values()
                                   if s.id not in placed]
    total = len(cascade.sasaran)
    served = sum(1 for sid in cascade.sasaran if cascade.served(sid))
    section["totals"] = {"sasaran_total": total, "sasaran_served": served,
                         "share_percent": share(served, total)}

    renstra_rows = []
    for rs_id, item in sorted(cascade.renstra_sasaran.items()):
        servers = server_dicts(cascade.renstra_servers.get(rs_id, []))
        renstra_rows.append({
            "id": rs_id, "text": item.sasaran.text, "renstra": item.renstra.id,
            "unit": item.unit, "rpjmd": item.renstra.rpjmd, "current": item.current,
            "supports": list(item.sasaran.supports), "served": bool(servers),
            "processes": [s["process"] for s in servers],
        })
    section["renstra_sasaran"] = renstra_rows
    section["renstra_totals"] = {
        "sasaran_total": len(renstra_rows),
        "sasaran_served": sum(r["served"] for r in renstra_rows),
        "share_percent": share(sum(r["served"] for r in renstra_rows), len(renstra_rows)),
    }
    return section
