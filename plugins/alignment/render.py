"""Text forms of the coverage section: compact (in `probis check`), full tree, markdown."""

from __future__ import annotations

from typing import Any

from probis.engine.i18n import decimal_text


def tabulate(*args: Any, **kwargs: Any) -> str:
    """tabulate's table, imported when a section is drawn (an audit to JSON draws none)."""
    from tabulate import tabulate as table

    return str(table(*args, **kwargs))


LABELS = {
    "id": {
        "title": "Cakupan sasaran RPJMD", "served": "dilayani", "misi": "Misi",
        "share": "Dilayani", "unserved": "Belum dilayani", "total": "Jumlah",
        "direct": "langsung", "via": "melalui Renstra", "none": "belum dilayani proses mana pun",
        "mentioned": "disebut Renstra", "renstra": "Sasaran Renstra", "no_rpjmd":
        "Cakupan: tidak ada RPJMD yang berlaku dalam workspace.", "unplaced":
        "Sasaran tanpa tujuan/misi yang dikenal", "sasaran": "Sasaran", "tujuan": "Tujuan",
        "processes": "Proses", "opds": "OPD", "stale": "Renstra merujuk RPJMD lain",
        "more": "selengkapnya: probis coverage",
    },
    "en": {
        "title": "RPJMD sasaran coverage", "served": "served", "misi": "Misi",
        "share": "Served", "unserved": "Not served", "total": "Total",
        "direct": "direct", "via": "via Renstra", "none": "served by no process",
        "mentioned": "mentioned by Renstra of", "renstra": "Renstra sasaran", "no_rpjmd":
        "Coverage: the workspace has no RPJMD in force.", "unplaced":
        "Sasaran without a known tujuan/misi", "sasaran": "Sasaran", "tujuan": "Tujuan",
        "processes": "Processes", "opds": "OPD", "stale": "Renstra points at another RPJMD",
        "more": "in full: probis coverage",
    },
}


def _pct(value: float | None, lang: str | None = None) -> str:
    """``95.2%``; with ``lang``, as the report document in that language writes it (95,2%)."""
    if value is None:
        return "-"
    return f"{value:.1f}%" if lang is None else f"{decimal_text(value, lang)}%"


def _ratio(cell: dict[str, Any]) -> str:
    return f"{cell['sasaran_served']}/{cell['sasaran_total']}"


def _all_sasaran(misi: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for t in misi["tujuan"] for s in t["sasaran"]]


def _server(x: dict[str, Any]) -> str:
    out = x["process"] + (f" [{x['unit']}]" if x.get("unit") else "")
    return out + (f" ← {x['via']}" if x.get("via") else "")


def render_compact(section: dict[str, Any], lang: str = "id") -> str:
    L = LABELS.get(lang, LABELS["id"])
    if not section.get("rpjmd"):
        return L["no_rpjmd"]
    totals = section["totals"]
    lines = [f"{L['title']} {section['rpjmd']}: {_ratio(totals)} {L['served']} "
             f"({_pct(totals['share_percent'])})"]
    rows = [[m["id"], _ratio(m), _pct(m["share_percent"]),
             ", ".join(s["id"] for s in _all_sasaran(m) if not s["served"]) or "-"]
            for m in section["misi"]]
    if section["unplaced_sasaran"]:
        un = section["unplaced_sasaran"]
        rows.append(["?", f"{sum(s['served'] for s in un)}/{len(un)}", "",
                     ", ".join(s["id"] for s in un if not s["served"]) or "-"])
    lines.append(tabulate(rows, headers=[L["misi"], L["share"], "%", L["unserved"]],
                          tablefmt="simple"))
    rt = section.get("renstra_totals")
    if rt and rt["sasaran_total"]:
        unserved = [r["id"] for r in section["renstra_sasaran"] if not r["served"]]
        lines.append(f"{L['renstra']}: {_ratio(rt)} {L['served']} ({_pct(rt['share_percent'])})"
                     + (f"; {L['unserved'].lower()}: {', '.join(unserved)}" if unserved else ""))
    lines.append(f"({L['more']})")
    return "\n".join(lines)


def _sasaran_lines(s: dict[str, Any], L: dict[str, str], indent: str) -> list[str]:
    mark = "[x]" if s["served"] else "[ ]"
    lines = [f"{indent}{mark} {s['id']} {s.get('text') or ''}".rstrip()]
    sub = indent + "    "
    if s["direct"]:
        lines.append(f"{sub}{L['direct']}: " + ", ".join(_server(x) for x in s["direct"]))
    if s["via_renstra"]:
        lines.append(f"{sub}{L['via']}: " + ", ".join(_server(x) for x in s["via_renstra"]))
    if not s["served"]:
        lines.append(f"{sub}{L['none']}; {L['mentioned']}: "
                     + (", ".join(s["renstra_opds"]) or "-"))
    return lines


def render_full(section: dict[str, Any], lang: str = "id") -> str:
    L = LABELS.get(lang, LABELS["id"])
    if not section.get("rpjmd"):
        return L["no_rpjmd"]
    visi = f": {section['visi']}" if section["visi"] else ""
    lines = [f"{L['title']} {section['rpjmd']}{visi}"]
    for m in section["misi"]:
        lines += ["", f"{m['id']} {m.get('text') or ''}  —  {_ratio(m)} {L['served']} "
                      f"({_pct(m['share_percent'])})"]
        for t in m["tujuan"]:
            lines.append(f"  {t['id']} {t.get('text') or ''}".rstrip())
            for s in t["sasaran"]:
                lines += _sasaran_lines(s, L, "    ")
    if section["unplaced_sasaran"]:
        lines += ["", L["unplaced"]]
        for s in section["unplaced_sasaran"]:
            lines += _sasaran_lines(s, L, "    ")
    totals = section["totals"]
    lines += ["", f"{L['total']}: {_ratio(totals)} {L['served']} ({_pct(totals['share_percent'])})"]
    rows = [[m["id"], _ratio(m), _pct(m["share_percent"])] for m in section["misi"]]
    lines.append(tabulate(rows, headers=[L["misi"], L["share"], "%"], tablefmt="simple"))
    if section["renstra_sasaran"]:
        lines += ["", f"{L['renstra']}: {_ratio(section['renstra_totals'])} {L['served']}"]
        rows = [[("[x] " if r["served"] else "[ ] ") + r["id"], r["unit"] or "-",
                 ", ".join(r["supports"]) or "-",
                 ", ".join(r["processes"]) or "-",
                 "" if r["current"] else L["stale"]]
                for r in section["renstra_sasaran"]]
        headers = [L["sasaran"], L["opds"], "RPJMD", L["processes"], ""]
        if all(r["current"] for r in section["renstra_sasaran"]):
            # no Renstra points at another RPJMD: no empty column (a stray "--" under no header)
            rows, headers = [row[:-1] for row in rows], headers[:-1]
        lines.append(tabulate(rows, headers=headers, tablefmt="simple"))
    return "\n".join(lines)


def _md(value: str) -> str:
    return value.replace("|", "\\|")


def render_markdown(section: dict[str, Any], lang: str = "id") -> str:
    L = LABELS.get(lang, LABELS["id"])
    if not section.get("rpjmd"):
        return L["no_rpjmd"]
    totals = section["totals"]
    lines = [f"## {L['title']} {section['rpjmd']}", "",
             f"{L['total']}: {_ratio(totals)} {L['served']} "
             f"({_pct(totals['share_percent'], lang)})", "",
             f"| {L['misi']} | {L['share']} | % |", "|---|---|---|"]
    lines += [f"| {m['id']} | {_ratio(m)} | {_pct(m['share_percent'], lang)} |"
              for m in section["misi"]]
    for m in section["misi"]:
        lines += ["", f"### {m['id']} {_md(m.get('text') or '')}".rstrip(), "",
                  f"| {L['tujuan']} | {L['sasaran']} | {L['share']} | {L['direct']} | {L['via']} "
                  f"| {L['opds']} |", "|---|---|---|---|---|---|"]
        for t in m["tujuan"]:
            for s in t["sasaran"]:
                lines.append(
                    f"| {t['id']} | {s['id']} {_md(s.get('text') or '')} | "
                    f"{'✔' if s['served'] else '✘'} | "
                    f"{_md(', '.join(_server(x) for x in s['direct'])) or '-'} | "
                    f"{_md(', '.join(_server(x) for x in s['via_renstra'])) or '-'} | "
                    f"{', '.join(s['opds']) or '-'} |")
    return "\n".join(lines)


def render_section(section: dict[str, Any], fmt: str, lang: str) -> str | None:
    if fmt == "terminal":
        return render_compact(section, lang)
    if fmt == "markdown":
        return render_markdown(section, lang)
    return None
