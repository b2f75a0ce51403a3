"""`probis trace`: the chain from a process up to the visi, or every process below a sasaran."""

from __future__ import annotations

import difflib
from typing import Any

from probis.engine.model import Indicator
from probis.engine.workspace import ProcessEntry, Workspace

from .cascade import Cascade, build
from .coverage import server_dicts


class UnknownCode(LookupError):
    def __init__(self, code: str, near: list[str]) -> None:
        super().__init__(code)
        self.code = code
        self.near = near


def _number(value: Any) -> Any:
    # YAML targets load as floats; 99.0 reads better as 99 in a trace
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _indicator(ind: Indicator) -> dict[str, Any]:
    return {"id": ind.id, "text": ind.text, "satuan": ind.satuan,
            "target": {str(y): _number(v) for y, v in sorted(ind.target.items())}}


def _indicators(items: list[Indicator]) -> list[dict[str, Any]]:
    return [_indicator(i) for i in items]


def rpjmd_chain(cascade: Cascade, sid: str) -> dict[str, Any]:
    """An RPJMD sasaran with its tujuan and misi; ``found`` is false when the RPJMD in force
    has no such sasaran."""
    s = cascade.sasaran.get(sid)
    if s is None:
        return {"id": sid, "found": False}
    tujuan = cascade.tujuan_of(sid)
    misi = cascade.misi_of_tujuan(tujuan)
    return {
        "id": s.id, "found": True, "text": s.text, "indicators": _indicators(s.indikator),
        "tujuan": ({"id": tujuan.id, "text": tujuan.text,
                    "indicators": _indicators(tujuan.indikator)} if tujuan else None),
        "misi": {"id": misi.id, "text": misi.text} if misi else None,
    }


def _renstra_link(cascade: Cascade, rs_id: str) -> dict[str, Any]:
    item = cascade.renstra_sasaran[rs_id]
    return {
        "kind": "renstra-sasaran", "id": rs_id, "text": item.sasaran.text,
        "renstra": item.renstra.id, "unit": item.unit, "rpjmd": item.renstra.rpjmd,
        "current": item.current, "indicators": _indicators(item.sasaran.indikator),
        "supports": [rpjmd_chain(cascade, sid) for sid in item.sasaran.supports],
    }


def trace_process(ws: Workspace, cascade: Cascade, entry: ProcessEntry) -> dict[str, Any]:
    p = entry.process
    links: list[dict[str, Any]] = []
    for target in dict.fromkeys(p.supports):
        if target in cascade.sasaran:
            links.append({"kind": "rpjmd-sasaran", **rpjmd_chain(cascade, target)})
        elif target in cascade.renstra_sasaran:
            links.append(_renstra_link(cascade, target))
        else:
            links.append({"kind": "unknown", "id": target})
    return {
        "kind": "process", "code": p.code, "name": p.name, "category": p.category,
        "unit": ws.process_unit(entry), "map": entry.map.code, "file": entry.file,
        "line": p.line,
        "indicators": [_indicator(ws.indicators[i].indicator) if i in ws.indicators
                       else {"id": i, "found": False} for i in p.indicators],
        "supports": links,
        "visi": ws.rpjmd.visi if ws.rpjmd else None,
    }


def trace_sasaran(ws: Workspace, cascade: Cascade, sid: str) -> dict[str, Any]:
    visi = ws.rpjmd.visi if ws.rpjmd else None
    if sid in cascade.sasaran:
        via = []
        for rs_id in cascade.supporters.get(sid, []):
            item = cascade.renstra_sasaran[rs_id]
            via.append({"renstra_sasaran": rs_id, "text": item.sasaran.text,
                        "renstra": item.renstra.id, "unit": item.unit,
                        "processes": server_dicts(cascade.renstra_servers.get(rs_id, []))})
        return {"kind": "rpjmd-sasaran", **rpjmd_chain(cascade, sid), "visi": visi,
                "direct": server_dicts(cascade.direct.get(sid, [])), "via_renstra": via,
                "served": cascade.served(sid)}
    link = _renstra_link(cascade, sid)
    return {**link, "visi": visi,
            "processes": server_dicts(cascade.renstra_servers.get(sid, [])),
            "served": bool(cascade.renstra_servers.get(sid))}


def trace(ws: Workspace, code: str) -> dict[str, Any]:
    cascade = build(ws)
    if code in ws.processes_by_code:
        entries = [trace_process(ws, cascade, e) for e in ws.processes_by_code[code]]
        if len(entries) == 1:
            return entries[0]
        # a duplicated code (REG004): trace every process that carries it
        return {"kind": "duplicate-process", "code": code, "entries": entries}
    if code in cascade.sasaran or code in cascade.renstra_sasaran:
        return trace_sasaran(ws, cascade, code)
    known = sorted(set(ws.processes_by_code) | set(cascade.sasaran) | set(cascade.renstra_sasaran))
    near = difflib.get_close_matches(code, known, n=5, cutoff=0.5)
    if not near:  # a case or spacing slip: compare case-insensitively before giving up
        folded = {k.lower(): k for k in known}
        near = [folded[k] for k in difflib.get_close_matches(code.lower().strip(), list(folded),
                                                              n=5, cutoff=0.5)]
    raise UnknownCode(code, near)


# --- text ---------------------------------------------------------------------------------

LABELS = {
    "id": {"process": "Proses", "rs": "Sasaran Renstra", "ss": "Sasaran RPJMD",
           "tujuan": "Tujuan", "misi": "Misi", "visi": "Visi", "ind": "indikator",
           "missing": "tidak ditemukan", "stale": "Renstra merujuk RPJMD lain",
           "not_in_force": "tidak ada dalam RPJMD yang berlaku", "direct": "Proses langsung",
           "via": "Proses melalui Renstra", "none": "tidak ada", "no_support":
           "tidak mendukung sasaran mana pun", "unserved": "belum dilayani proses mana pun",
           "map": "peta", "dup": "kode proses {code} dipakai oleh {n} proses (REG004)"},
    "en": {"process": "Process", "rs": "Renstra sasaran", "ss": "RPJMD sasaran",
           "tujuan": "Tujuan", "misi": "Misi", "visi": "Visi", "ind": "indicator",
           "missing": "not found", "stale": "Renstra points at another RPJMD",
           "not_in_force": "not in the RPJMD in force", "direct": "Processes (direct)",
           "via": "Processes via Renstra", "none": "none", "no_support":
           "supports no sasaran", "unserved": "served by no process", "map": "map",
           "dup": "process code {code} is used by {n} processes (REG004)"},
}


def _ind_lines(items: list[dict[str, Any]], L: dict[str, str], pad: str) -> list[str]:
    out = []
    for ind in items:
        if ind.get("found") is False:
            out.append(f"{pad}{L['ind']}: {ind['id']} ({L['missing']})")
            continue
        targets = ", ".join(f"{y}: {v}" for y, v in ind["target"].items())
        detail = "; ".join(x for x in (ind.get("satuan") or "", targets) if x)
        out.append(f"{pad}{L['ind']}: {ind['id']} {ind.get('text') or ''}"
                   + (f" ({detail})" if detail else ""))
    return out


def _chain_lines(chain: dict[str, Any], visi: str | None, L: dict[str, str], pad: str) -> list[str]:
    if not chain.get("found"):
        return [f"{pad}→ {L['ss']} {chain['id']} ({L['not_in_force']})"]
    lines = [f"{pad}→ {L['ss']} {chain['id']} {chain.get('text') or ''}".rstrip()]
    lines += _ind_lines(chain["indicators"], L, pad + "    ")
    t, m = chain.get("tujuan"), chain.get("misi")
    pad += "  "
    if t:
        lines.append(f"{pad}→ {L['tujuan']} {t['id']} {t.get('text') or ''}".rstrip())
        lines += _ind_lines(t["indicators"], L, pad + "    ")
        pad += "  "
    if m:
        lines.append(f"{pad}→ {L['misi']} {m['id']} {m.get('text') or ''}".rstrip())
        pad += "  "
    if visi:
        lines.append(f"{pad}→ {L['visi']}: {visi}")
    return lines


def _renstra_head(link: dict[str, Any], L: dict[str, str], pad: str) -> list[str]:
    head = f"{pad}→ {L['rs']} {link['id']} {link.get('text') or ''}".rstrip()
    head += f"  [{link['renstra']}, {link.get('unit') or '-'}]"
    if not link["current"]:
        head += f"  ({L['stale']}: {link.get('rpjmd')})"
    return [head] + _ind_lines(link["indicators"], L, pad + "    ")


def _server_text(x: dict[str, Any]) -> str:
    unit = f" [{x['unit']}]" if x.get("unit") else ""
    return f"{x['process']} {x.get('name') or ''}".rstrip() + unit


def render_trace(data: dict[str, Any], lang: str = "id") -> str:
    L = LABELS.get(lang, LABELS["id"])
    visi = data.get("visi")
    lines: list[str] = []
    if data["kind"] == "duplicate-process":
        lines.append("! " + L["dup"].format(code=data["code"], n=len(data["entries"])))
        return "\n".join(lines) + "\n" + "".join(render_trace(e, lang) for e in data["entries"])
    if data["kind"] == "process":
        lines.append(f"{L['process']} {data['code']} {data.get('name') or ''}".rstrip()
                     + f"  [{data.get('unit') or '-'}, {L['map']} {data['map']}, {data['file']}]")
        lines += _ind_lines(data["indicators"], L, "    ")
        if not data["supports"]:
            lines.append(f"  ({L['no_support']})")
        for link in data["supports"]:
            if link["kind"] == "unknown":
                lines.append(f"  → {link['id']} ({L['missing']})")
            elif link["kind"] == "rpjmd-sasaran":
                lines += _chain_lines(link, visi, L, "  ")
            else:
                lines += _renstra_head(link, L, "  ")
                for chain in link["supports"]:
                    lines += _chain_lines(chain, visi, L, "    ")
                if not link["supports"]:
                    lines.append(f"    ({L['no_support']})")
    elif data["kind"] == "rpjmd-sasaran":
        lines += [ln[2:] if ln.startswith("→ ") else ln
                  for ln in _chain_lines(data, visi, L, "")]
        lines.append(f"{L['direct']}:")
        lines += [f"  {_server_text(x)}" for x in data["direct"]] or [f"  {L['none']}"]
        lines.append(f"{L['via']}:")
        for v in data["via_renstra"]:
            lines.append(f"  {v['renstra_sasaran']} [{v['renstra']}, {v.get('unit') or '-'}]:")
            lines += [f"    {_server_text(x)}" for x in v["processes"]] or [f"    {L['none']}"]
        if not data["via_renstra"]:
            lines.append(f"  {L['none']}")
        if not data["served"]:
            lines.append(f"({L['unserved']})")
    else:
        lines += [ln[2:] if ln.startswith("→ ") else ln for ln in _renstra_head(data, L, "")]
        for chain in data["supports"]:
            lines += _chain_lines(chain, visi, L, "  ")
        lines.append(f"{L['process']}:")
        lines += [f"  {_server_text(x)}" for x in data["processes"]] or [f"  {L['none']}"]
        if not data["served"]:
            lines.append(f"({L['unserved']})")
    return "\n".join(lines) + "\n"
