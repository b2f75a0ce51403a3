"""Text forms of the status section: terminal table, Markdown, HTML (one language at a time)."""

from __future__ import annotations

import html
import shutil
import textwrap
from typing import Any

from probis.engine.i18n import decimal_text, first_few
from probis.engine.render.terminal import fit_table, wrap_lines
from tabulate import tabulate

LABELS = {
    "id": {"title": "Kemajuan peta per OPD", "rank": "Urutan", "unit": "OPD",
           "levels": "Peta per level", "draft": "Draf", "final": "Final",
           "adopted": "Ditetapkan", "evaluated": "Dievaluasi 12 bln", "lf": "Peta LF",
           "share": "Proses terendah ber-SOP/LF", "no_map": "OPD dalam SOTK tanpa peta",
           "none": "tidak ada", "no_sotk": "Tidak ada SOTK yang berlaku.",
           "unread": "OPD dengan berkas peta yang tidak terbaca",
           "unknown": "Berkas peta tidak terbaca, unit tidak diketahui",
           "errors": "Galat input di {files} berkas: tabel hanya menghitung yang terbaca"},
    "en": {"title": "Map progress per OPD", "rank": "Rank", "unit": "OPD",
           "levels": "Maps per level", "draft": "Draft", "final": "Final",
           "adopted": "Adopted", "evaluated": "Evaluated 12 mo", "lf": "LF maps",
           "share": "Lowest processes with SOP/LF", "no_map": "OPDs of the SOTK with no map",
           "none": "none", "no_sotk": "No SOTK in force.",
           "unread": "OPDs with a map file that could not be read",
           "unknown": "Unread map files of unknown unit",
           "errors": "Input errors in {files} files: the table counts only what was read"},
}


def _levels(r: dict[str, Any]) -> str:
    return ", ".join(f"L{k}:{v}" for k, v in r["maps_by_level"].items()) or "-"


def _share(r: dict[str, Any], lang: str | None) -> str:
    """``4/5 (80.0%)``; with ``lang``, as a report document in it writes it (80,0%)."""
    if r["share_percent"] is None:
        return "-"
    share = (f"{r['share_percent']:.1f}" if lang is None
             else decimal_text(r["share_percent"], lang))
    return f"{r['lowest_covered']}/{r['lowest']} ({share}%)"


def table(section: dict[str, Any], lang: str, document: bool = False
          ) -> tuple[list[str], list[list[Any]]]:
    """The rows; ``document``: for a report document (Markdown, HTML), whose numbers follow
    its language, where the terminal keeps the point."""
    L = LABELS.get(lang, LABELS["id"])
    head = [L["rank"], L["unit"], L["levels"], L["draft"], L["final"], L["adopted"],
            L["evaluated"], L["lf"], L["share"]]
    rows = [[r["rank"], f"{r['name']} ({r['unit']})", _levels(r), r["draft"], r["final"],
             r["adopted"], r["evaluated_12m"], r["lf_maps"], _share(r, lang if document else None)]
            for r in section["opds"]]
    return head, rows


def terminal_table(head: list[str], rows: list[list[Any]], width: int | None = None) -> str:
    """The table within ``width`` (default: ``COLUMNS``, else the terminal's, else 100), as
    the check report's tables: OPD names shortened, headings over two lines; when it is still
    too wide, one wrapped block per OPD instead of a table."""
    width = max(width or shutil.get_terminal_size((100, 24)).columns, 40)
    table = fit_table(rows, head, 1, width)
    if _widest(table) <= width:
        return table
    narrow = [textwrap.fill(h, max(len(w) for w in h.split()), break_on_hyphens=False)
              for h in head]
    table = fit_table(rows, narrow, 1, width)
    if _widest(table) <= width:
        return table
    lines: list[str] = []
    for row in rows:
        lines += wrap_lines(f"{row[0]}. {row[1]}", width, "    ")
        lines += wrap_lines("; ".join(f"{h}: {c}" for h, c in zip(head[2:], row[2:],
                                                                   strict=True)),
                            width, "    ", first="    ")
    return "\n".join(lines)


def _widest(table: str) -> int:
    return max((len(line) for line in table.splitlines()), default=0)


def notes(section: dict[str, Any], lang: str) -> list[str]:
    """The lines under the table: OPDs with no map, and, after input errors, the OPDs whose
    map files could not be read and how many files had errors."""
    L = LABELS.get(lang, LABELS["id"])
    lines = [f"{L['no_map']}: {', '.join(section['no_map']) or L['none']}"]
    errors = section.get("input_errors")
    if not errors:
        return lines
    unread = [f"{r['unit']} ({first_few(r['unread_maps'])})"
              for r in section["opds"] if r.get("unread_maps")]
    if unread:
        lines.append(f"{L['unread']}: {'; '.join(unread)}")
    if errors.get("unread_maps_unknown_unit"):
        lines.append(f"{L['unknown']}: {first_few(errors['unread_maps_unknown_unit'])}")
    lines.append(L["errors"].format(files=len(errors["files"])))
    return lines


def render_status(section: dict[str, Any], fmt: str, lang: str = "id",
                  width: int | None = None) -> str:
    L = LABELS.get(lang, LABELS["id"])
    if not section.get("sotk"):
        return L["no_sotk"]
    head, rows = table(section, lang, document=fmt in ("html", "markdown"))
    lines = notes(section, lang)
    title = f"{L['title']} ({section['sotk']}, {section['as_of']})"
    if fmt == "html":
        cells = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row)
                       + "</tr>" for row in rows)
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        return (f"<section class=\"status\"><h2>{html.escape(title)}</h2><table><thead><tr>"
                f"{cells}</tr></thead><tbody>{body}</tbody></table>{paragraphs}</section>")
    if fmt == "markdown":
        return (f"## {title}\n\n{tabulate(rows, head, tablefmt='github')}\n\n"
                + "\n\n".join(lines) + "\n")
    width = max(width or shutil.get_terminal_size((100, 24)).columns, 40)
    return "\n".join([*wrap_lines(title, width), terminal_table(head, rows, width),
                      *(w for line in lines for w in wrap_lines(line, width, "  "))])
