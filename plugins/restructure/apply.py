"""``--apply DIR``: write the proposed unit ids into copies of the affected map files.

The originals are never opened for writing. The copy is the original text with unit id
*values* replaced (a whole YAML/JSON scalar equal to the old id, after ``:``, ``-``, ``[``,
``,`` or ``{``), so comments, order and layout stay as the author wrote them. Each copy is
parsed again afterwards; a copy that no longer parses is reported, not silently kept.

Where a unit has several candidates (a split), the best-ranked one is written and each line
that got it ends with a ``# probis: ...`` comment naming the choice still to be made, in the
run's language; the comment is kept only if the copy then reads exactly as without it (never
in a .json file, where comments are not allowed).
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

from probis.engine.atomic import write_output
from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import Text, pick, text
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError, parse_bytes

from .impact import Impact


def _pattern(ids: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(
        r"(?P<pre>(?:^|[\[,{:]|^\s*-)\s*(?P<q>[\"']?))(?P<id>" + alternatives +
        r")(?P=q)(?=\s*(?:$|[\],}#]))", re.MULTILINE)


def replace_units(content: str, mapping: dict[str, str],
                  marks: dict[str, str] | None = None) -> tuple[str, int]:
    """``content`` with the unit ids of ``mapping`` replaced, and the number replaced. A line
    where an id of ``marks`` was replaced ends with ``# <its mark>`` (once per mark)."""
    if not mapping:
        return content, 0
    pattern = _pattern(list(mapping))
    count = 0
    line_marks: dict[int, list[str]] = {}  # line index -> marks, in order
    breaks = [i for i, ch in enumerate(content) if ch == "\n"] if marks else []

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        old = m.group("id")
        if marks and old in marks:
            found = line_marks.setdefault(bisect.bisect(breaks, m.start("id")), [])
            if marks[old] not in found:
                found.append(marks[old])
        return f"{m.group('pre')}{mapping[old]}{m.group('q')}"

    updated = pattern.sub(sub, content)
    if not line_marks:
        return updated, count
    lines = updated.split("\n")
    for index, found in line_marks.items():
        lines[index] = f"{lines[index].rstrip()}  # probis: {'; '.join(found)}"
    return "\n".join(lines), count


def choice(old: str, candidates: list[str]) -> Text:
    """"choose dpu or dpkpp for dpupr (dpu written for now)": the choice a split leaves."""
    def either(word: str) -> str:
        return f"{', '.join(candidates[:-1])} {word} {candidates[-1]}"

    return text(f"pilih {either('atau')} untuk {old} (sementara ditulis {candidates[0]})",
                f"choose {either('or')} for {old} ({candidates[0]} written for now)")


def _parsed(content: str, name: str) -> dict[str, Any] | None:
    try:
        return parse_bytes(content.encode("utf-8"), name, Limits())
    except ParseError:
        return None


def apply(root: Path, impact: Impact, out_dir: str | Path,
          lang: str = "id") -> list[dict[str, Any]]:
    target = Path(out_dir)
    real_root, real_target = root.resolve(), target.resolve()
    if real_target == real_root or real_target.is_relative_to(real_root):
        raise ProbisUsageError(text(
            id=f"--apply {out_dir}: folder salinan harus di luar workspace agar berkas asli "
               "tidak tersentuh dan salinan tidak ikut dimuat",
            en=f"--apply {out_dir}: the copy folder must be outside the workspace, so "
               "originals are untouched and copies are not loaded as maps"))
    written = []
    for a in impact.affected:
        chosen = {old: new[0] for old, new in a.proposed.items() if new}
        ambiguous = {old: new for old, new in a.proposed.items() if len(new) > 1}
        unresolved = sorted(old for old, new in a.proposed.items() if not new)
        source = root / a.file
        content = source.read_text("utf-8")
        updated, count = replace_units(content, chosen)
        marked = 0
        if ambiguous and source.suffix.lower() != ".json":
            marks = {old: pick(choice(old, new), lang) for old, new in ambiguous.items()}
            with_marks, _ = replace_units(content, chosen, marks)
            plain = _parsed(updated, source.name)
            # a comment that would change what the copy says (inside a block scalar, say)
            # is left out: the copy must read exactly as without it
            if plain is not None and _parsed(with_marks, source.name) == plain:
                marked = sum(1 for was, now in zip(updated.split("\n"), with_marks.split("\n"),
                                               strict=True) if was != now)
                updated = with_marks
        dest = target / a.file
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_output(dest, updated)
        entry: dict[str, Any] = {"file": a.file, "copy": dest.as_posix(), "replaced": chosen,
                                 "replacements": count}
        if ambiguous:
            entry["choose"] = ambiguous  # a split: the first (best-ranked) was written
            entry["marked"] = marked  # lines ending with a `# probis:` comment on the choice
        if unresolved:
            entry["unresolved"] = unresolved
        try:
            parse_bytes(updated.encode("utf-8"), dest.name, Limits())
        except ParseError as exc:
            entry["error"] = exc.message
        written.append(entry)
    return written
