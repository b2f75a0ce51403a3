"""Markdown report shaped as an LHP, meant to be attached to a nota dinas (official memo).

The same chapters as the HTML and DOCX (engine/render/lhp_model.py): cover lines, executive
summary, one chapter per OPD with findings grouped by rule as kondisi / kriteria / akibat /
sebab / rekomendasi, plugin sections (the plugin's own ``section_renderer(name, section,
"markdown")`` text, else a table), appendices and the signature block. Plain GitHub-flavoured
Markdown that also converts cleanly to a word-processor document. Every value from the report
goes through ``_text`` / ``_span`` / ``_cell`` so none can leave its span, cell or line.
"""

from __future__ import annotations

import re
from typing import Any

from .common import SectionRenderer
from .lhp_model import Table, build_model


def render_markdown(report: dict[str, Any], lang: str = "id",
                    section_renderer: SectionRenderer | None = None, **_: Any) -> str:
    m = build_model(report, lang, None, "markdown")
    L = m.L
    out: list[str] = [f"# {_text(m.title)}: {_text(m.instansi)}", "", f"_{_text(L['subtitle'])}_",
                      "", f"- {L['audit_date']}: {_text(m.audit_date)}"]
    out += [f"- {_text(k)}: {_text(v)}" for k, v in m.scope]
    if m.signature and m.signature.number:
        out.append(f"- {L['number']}: {_text(m.signature.number)}")
    out += ["", f"## {L['summary']}", "",
            f"**{L['score']} {m.score}** · "
            + (f"**{L['grade']} {_text(m.grade)}**" if m.grade_letter else f"**{_text(m.grade)}**")
            + " · "
            + " · ".join(f"{_text(k)}: {_text(v)}" for k, v in m.facts), "",
            " · ".join(f"{label} {n}" for _, label, n in m.severity_counts), ""]
    out += [f"- {_text(r)}" for r in m.reasons]
    if m.reasons:
        out.append("")
    if m.baseline:
        b = m.baseline
        out += [f"### {L['since']}", "",
                " · ".join(f"**{n}** {k}" for k, n in b["counts"])
                + f" · {L['score']}: {_text(b['score'])}"
                + (f" ({L['baseline_file']}: {_span(b['file'])})" if b["file"] else ""), ""]
        out += [f"- **{_text(note)}**" for note in b["notes"]] + ([""] if b["notes"] else [])
        if b["units"].rows:
            out += _lhp_table(b["units"])
        out += [f"- {L['fixed']}: {_text(x)}" for x in b["fixed"]]
        out.append("")
    out += [f"### {L['top5']}", ""]
    if not m.top:
        out += [L["no_findings"], ""]
    for t in m.top:
        out += [f"{t.rank}. **{t.severity_label}** · {_span(t.rule)} {_text(t.title)} — "
                f"{_text(t.unit)}, {_span(t.element)}: {_text(t.message)}",
                f"   - {L['rekomendasi']}: {_text(t.fix)}"]
    out += ["", f"### {L['per_unit']}", ""]
    if m.unit_table.rows:
        out += _lhp_table(m.unit_table)
    if m.other_units:
        out += [_text(m.other_units), ""]

    for c in m.chapters:
        out += [f"## {L['chapter']} {c.number}. {_text(c.name)}", "",
                f"{L['unit_score']}: **{c.score}** ({_text(c.grade)}) · {L['coverage']}: "
                f"{c.checks} · " + ", ".join(f"{label} {c.counts[s]}"
                                              for s, label, _ in m.severity_counts)]
        if c.change:
            out[-1] += f" · {L['since']}: {_text(c.change)}"
        if c.reasons:
            out += ["", f"{L['grade_limited']}: " + "; ".join(_text(r) for r in c.reasons)]
        maps = ", ".join(_span(x) for x in c.maps)
        if c.unread:
            maps += (" · " if maps else "") + f"{L['unread_maps']}: " + ", ".join(
                _span(x) for x in c.unread)
        out += ["", f"{L['maps']}: " + (maps or L["no_maps"]), ""]
        if not c.groups:
            out += [L["no_findings"], ""]
        for g in c.groups:
            out += [f"### {g.severity_label} · {_span(g.rule)} {_text(g.title)} "
                    f"({_text(g.rule_set)})", "", f"- **{L['kondisi']}**:"]
            for i in g.items:
                where = f", {_span(i.location)}" if i.location else ""
                status = f" [{_text(i.status)}]" if i.status else ""
                out.append(f"  - {_text(i.kondisi)} — {_text(i.element_type)} "
                           f"{_span(i.element)}{where}{status}")
            out.append(f"- **{L['kriteria']}**: {_text(g.kriteria)}")
            if g.akibat:
                out.append(f"- **{L['akibat']}**: {_text(g.akibat)}")
            if g.sebab:
                out.append(f"- **{L['sebab']}**: {_text(g.sebab)}")
            out += [f"- **{L['rekomendasi']}**: {_text(g.rekomendasi)}", ""]

    if m.sections:
        out += [f"## {L['sections']}", ""]
        for s in m.sections:
            text = section_renderer(s.name, report[s.name], "markdown") \
                if section_renderer is not None else None
            if text:
                out += [text.rstrip(), ""]
                continue
            out += [f"### {_text(s.title)}", ""]
            for t in s.tables:
                out += _lhp_table(t, level="####")

    out += [f"## {L['appendix']} A. {L['waived']} ({len(report['waived'])})", ""]
    out += _lhp_table(m.waived, titled=False) if m.waived else [L["no_waived"], ""]
    out += [f"## {L['appendix']} B. {L['input_errors']} · {L['run']}", ""]
    for t in m.appendices:
        if t.title == L["input_errors"] and not t.rows:
            out += [f"### {t.title}", "", L["no_input_errors"], ""]
        else:
            out += _lhp_table(t)

    out += [f"## {L['signature']}", ""]
    sig = m.signature
    if sig is None:
        out += [_text(L["no_signature"]), ""]
    else:
        out += [_text(sig.place_date), "", f"**{L['team']}**", ""]
        out += [f"{n}. {_text(p.nama)}" + (f" — {_text(p.jabatan)}" if p.jabatan else "")
                + (f" ({L['nip']} {_text(p.nip)})" if p.nip else "")
                for n, p in enumerate(sig.team, start=1)]
        if sig.inspektur:
            p = sig.inspektur
            out += ["", f"**{L['approves']}**", "", _text(p.jabatan), "", "",
                    f"**{_text(p.nama)}**"]
            if p.nip:
                out += ["", f"{L['nip']} {_text(p.nip)}"]
        out.append("")
    out += [f"_{_text(m.generated)}_"]
    return "\n".join(out).rstrip() + "\n"


def _lhp_table(t: Table | None, titled: bool = True, level: str = "###") -> list[str]:
    if t is None:
        return []
    out = [f"{level} {_text(t.title)}", ""] if titled and t.title else []
    if not t.rows:
        return out + ["-", ""]
    return out + _table([_text(h) for h in t.headers], [[_text(c) for c in row]
                                                         for row in t.rows])


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _cell(value: Any) -> str:
    """A table cell: one line, pipes escaped (backticks and bold markers are kept on purpose)."""
    return " ".join(str(value).split()).replace("|", "\\|")


_ESCAPED = ("\\", "*", "_", "[", "]", "<", ">", "#", "|")
_TICKS = re.compile(r"`+")


def _text(value: str) -> str:
    """Free text in running prose: one line, with characters that would start markup escaped,
    except inside the text's own code spans (`last_evaluated`), where CommonMark shows a
    backslash as written. A backtick string only opens a span if one of the same length closes
    it (CommonMark 6.1); an unclosed one is literal and the text after it is escaped."""
    text = " ".join(str(value).split())
    out: list[str] = []
    done = pos = 0  # done: the end of what is written; pos: where the next search starts
    while (opener := _TICKS.search(text, pos)) is not None:
        closer = _TICKS.search(text, opener.end())
        while closer is not None and len(closer.group()) != len(opener.group()):
            closer = _TICKS.search(text, closer.end())
        if closer is None:  # literal backticks: escape on after them
            pos = opener.end()
            continue
        out += [_escape(text[done:opener.start()]), text[opener.start():closer.end()]]
        done = pos = closer.end()
    out.append(_escape(text[done:]))
    return "".join(out)


def _escape(text: str) -> str:
    for ch in _ESCAPED:
        text = text.replace(ch, "\\" + ch)
    return text


def _code(value: str) -> str:
    """Text inside backticks: one line (a blank line would end the paragraph, and with it the
    span, letting raw HTML through), and no backtick can close the span early."""
    return " ".join(str(value).split()).replace("`", "'")


def _span(value: str) -> str:
    """``value`` as a whole code span, on one line: the fence is one backtick longer than the
    longest backtick string inside, and a space pads content that starts or ends with a
    backtick or a space (CommonMark strips one space from each end, not from a backtick)."""
    code = " ".join(str(value).split())
    fence = "`" * (max((len(t) for t in _TICKS.findall(code)), default=0) + 1)
    if not code:
        code = " "
    elif code[0] in ("`", " ") or code[-1] in ("`", " "):
        code = f" {code} "
    return f"{fence}{code}{fence}"


# for other Markdown writers (check-many's ranking.md)
escape_text = _text
escape_code = _code
escape_span = _span
