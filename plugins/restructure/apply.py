"""``--apply DIR``: write the proposed unit ids into copies of the affected map files.

The originals are never opened for writing. The copy is the original text with unit id
*values* replaced (a whole YAML/JSON scalar equal to the old id, after ``:``, ``-``, ``[``,
``,`` or ``{``), so comments, order and layout stay as the author wrote them. Each copy is
parsed again afterwards; a copy that no longer parses is reported, not silently kept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from probis.engine.atomic import write_output
from probis.engine.errors import ProbisUsageError
from probis.engine.i18n import text
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError, parse_bytes

from .impact import Impact


def _pattern(ids: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(
        r"(?P<pre>(?:^|[\[,{:]|^\s*-)\s*(?P<q>[\"']?))(?P<id>" + alternatives +
        r")(?P=q)(?=\s*(?:$|[\],}#]))", re.MULTILINE)


def replace_units(content: str, mapping: dict[str, str]) -> tuple[str, int]:
    if not mapping:
        return content, 0
    pattern = _pattern(list(mapping))
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"{m.group('pre')}{mapping[m.group('id')]}{m.group('q')}"

    return pattern.sub(sub, content), count


def apply(root: Path, impact: Impact, out_dir: str | Path) -> list[dict[str, Any]]:
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
        dest = target / a.file
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_output(dest, updated)
        entry: dict[str, Any] = {"file": a.file, "copy": dest.as_posix(), "replaced": chosen,
                                 "replacements": count}
        if ambiguous:
            entry["choose"] = ambiguous  # a split: the first (best-ranked) was written
        if unresolved:
            entry["unresolved"] = unresolved
        try:
            parse_bytes(updated.encode("utf-8"), dest.name, Limits())
        except ParseError as exc:
            entry["error"] = exc.message
        written.append(entry)
    return written
