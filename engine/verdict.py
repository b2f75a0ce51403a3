"""The grade: the score's letter, capped by the worst open severity and by audit completeness.

The score stays the weighted pass rate (engine/scoring.py). The grade is what an auditor signs,
so it must not read "A" while something was not audited or an error is open. Like SonarQube's
ratings (worst issue decides), the grade of a scope is the worst of:

- the score's letter (A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E below);
- the severity cap: an open (not waived) error-severity finding allows at most B;
- the completeness cap: an input error or a rule that did not run allows at most B, and the
  audited share of declared files and maps gives a letter on the same scale as the score.

A scope with nothing audited (no map loaded, or no rule ran) has no grade. docs/scoring.md
explains the design with a worked example.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .findings import Finding
from .i18n import Text, counted, first_few, text
from .scoring import grade as score_letter

if TYPE_CHECKING:
    from .workspace import Workspace

LETTERS = ("A", "B", "C", "D", "E")
MAP_KINDS = ("peta-proses", "peta-lintas-fungsi")


@dataclass(frozen=True)
class Share:
    audited: int
    declared: int

    @property
    def percent(self) -> float:
        return 100.0 if self.declared == 0 else round(100.0 * self.audited / self.declared, 1)

    def to_dict(self) -> dict[str, float | int]:
        return {"audited": self.audited, "declared": self.declared, "percent": self.percent}


@dataclass(frozen=True)
class Completeness:
    files: Share
    maps: Share
    input_errors: int
    rules_enabled: int
    engine_failures: int

    @property
    def percent(self) -> float:
        """The smaller of the two shares: the audit is as complete as its least complete part."""
        return min(self.files.percent, self.maps.percent)

    @property
    def complete(self) -> bool:
        return (self.input_errors == 0 and self.engine_failures == 0
                and self.files.audited == self.files.declared
                and self.maps.audited == self.maps.declared)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files.to_dict(),
            "maps": self.maps.to_dict(),
            "percent": self.percent,
            "complete": self.complete,
            "input_errors": self.input_errors,
            "rules_enabled": self.rules_enabled,
            "engine_failures": self.engine_failures,
        }


@dataclass(frozen=True)
class Verdict:
    """A scope's grade (None: cannot be graded) and why it is lower than the score's letter."""

    grade: str | None
    reasons: list[Text] = field(default_factory=list)

    def reasons_dicts(self) -> list[dict[str, str]]:
        return [dict(r) for r in self.reasons]


def completeness(docs: Iterable[tuple[str, str]], input_errors: Iterable[InputError],
                 maps_loaded: int, rules_enabled: int, engine_failures: int) -> Completeness:
    """``docs``: (file, kind) of every loaded document. A declared file is one the loader found
    (loaded, or named by an input error); a declared map is a loaded one or a map document an
    input error made unreadable."""
    errors = list(input_errors)
    loaded_files = {file for file, _kind in docs}
    error_files = {e.file for e in errors if e.file not in ("", ".")}
    declared_files = loaded_files | error_files
    dropped_maps = {(e.file, e.dropped_kind) for e in errors if e.dropped_kind in MAP_KINDS}
    return Completeness(
        files=Share(len(loaded_files), len(declared_files)),
        maps=Share(maps_loaded, maps_loaded + len(dropped_maps)),
        input_errors=len(errors),
        rules_enabled=rules_enabled,
        engine_failures=engine_failures,
    )


@dataclass(frozen=True)
class UnreadMaps:
    """Map files that could not be read (no document of the file loaded), by the OPD they
    belong to; ``unknown``: files whose unit neither the file nor its folder tells."""

    by_unit: dict[str, list[str]]
    unknown: list[str]

    @property
    def files(self) -> list[str]:
        return sorted({f for files in self.by_unit.values() for f in files} | set(self.unknown))


def unread_plans(ws: Workspace, input_errors: Iterable[InputError]) -> list[str]:
    """The SOTK and RPJMD files the manifest declares that were not read (or the manifest
    entries refused): every unit's structure and alignment findings depend on them."""
    manifest = ws.manifest
    if manifest is None:
        return []
    out = [declared for declared, loaded in ((manifest.sotk, ws.sotk), (manifest.rpjmd, ws.rpjmd))
           if declared and loaded is None]
    out += [f"{e.file} ({e.field})" for e in input_errors
            if e.file == ws.manifest_file and e.field in ("sotk", "rpjmd")]
    return sorted(set(out))


def unread_maps(ws: Workspace, input_errors: Iterable[InputError]) -> UnreadMaps:
    """Attribute each unread map file to a unit: the `unit` the file states (it parsed, then
    validation dropped it), else the deepest folder on its path named after a unit of the
    SOTK (peta/bapperida/PB.04.yaml), as the OPD above that unit. A file that says it is
    another kind (an SOTK, a waiver list) is no map; one that says nothing (empty, not
    parsable, not readable) may be one and counts."""
    from .loader import MANIFEST_NAMES  # (loaded already: a report follows a load)

    loaded = {d.file for d in ws.docs}
    kinds: dict[str, set[str | None]] = {}
    stated: dict[str, set[str]] = {}
    for e in input_errors:
        if e.file in ("", ".") or e.file in loaded or e.file in MANIFEST_NAMES:
            continue
        kinds.setdefault(e.file, set()).add(e.dropped_kind)
        if e.dropped_unit and e.dropped_kind in MAP_KINDS:
            stated.setdefault(e.file, set()).add(e.dropped_unit)
    by_unit: dict[str, list[str]] = {}
    unknown: list[str] = []
    for file, file_kinds in sorted(kinds.items()):
        if not file_kinds & set(MAP_KINDS) and file_kinds - {None}:
            continue
        said = {u for u in stated.get(file, ()) if u in ws.units}
        if not said:
            folder = next((p for p in reversed(PurePosixPath(file).parts[:-1])
                           if p in ws.units), None)
            said = {folder} if folder else set()
        units = {opd for opd in map(ws.opd_of, sorted(said)) if opd is not None}
        if not units:
            unknown.append(file)
        for unit in sorted(units):
            by_unit.setdefault(unit, []).append(file)
    return UnreadMaps(by_unit, unknown)


def _worst(*letters: str) -> str:
    return max(letters, key=LETTERS.index)


def workspace_verdict(score: float, findings: Iterable[Finding], done: Completeness,
                      applicable: int | None = None) -> Verdict:
    """``applicable``: the workspace's applicable checks (None: not known, not judged)."""
    if done.maps.audited == 0:
        return Verdict(None, [text(
            "tidak ada peta yang terbaca: tidak ada yang dapat dinilai",
            "no map could be read: there is nothing to grade")])
    if done.rules_enabled == 0:
        return Verdict(None, [text(
            "tidak ada aturan yang berjalan: tidak ada yang dapat dinilai",
            "no rule ran: there is nothing to grade")])
    if applicable == 0:  # rules ran, but none applied to anything (a profile left only these)
        return Verdict(None, [text(
            "tidak ada pemeriksaan yang berlaku: tidak ada yang dapat dinilai",
            "no check applied: there is nothing to grade")])
    letter = score_letter(score)
    reasons: list[Text] = []
    errors = sum(1 for f in findings if f.severity == "error")
    if errors:
        letter = _worst(letter, "B")
        reasons.append(open_errors_reason(errors))
    if done.input_errors or done.engine_failures:
        letter = _worst(letter, "B", score_letter(done.percent))
        parts_id, parts_en = [], []
        if done.input_errors:
            parts_id.append(f"{done.input_errors} galat input")
            parts_en.append(counted(done.input_errors, "input error"))
        if done.engine_failures:
            parts_id.append(f"{done.engine_failures} kegagalan mesin (aturan tidak berjalan)")
            parts_en.append(f"{counted(done.engine_failures, 'engine failure')} "
                            "(rules did not run)")
        reasons.append(text(
            f"audit tidak lengkap ({', '.join(parts_id)}; cakupan "
            f"{done.files.audited}/{done.files.declared} berkas, "
            f"{done.maps.audited}/{done.maps.declared} peta): paling tinggi "
            f"{_worst('B', score_letter(done.percent))}",
            f"incomplete audit ({', '.join(parts_en)}; coverage "
            f"{done.files.audited}/{done.files.declared} files, "
            f"{done.maps.audited}/{done.maps.declared} maps): at most "
            f"{_worst('B', score_letter(done.percent))}"))
    return Verdict(letter, reasons)


def scope_verdict(score: float, has_checks: bool, open_errors: int, input_errors: int,
                  unread: Sequence[str] = (), unread_unknown: Sequence[str] = (),
                  engine_failures: int = 0, unread_shared: Sequence[str] = ()) -> Verdict:
    """The same rules for one unit or one map: ``input_errors`` in its own files that loaded;
    ``unread``: its map files that could not be read; ``unread_unknown``: map files of no
    known unit that could not be read (they may be this unit's); ``engine_failures``: rules
    or plugins of the run that did not run (their findings about any unit are missing). Each
    caps at B, and so does ``unread_shared``: the SOTK or RPJMD in force not read."""
    if not has_checks:
        return Verdict(None, [text("tidak ada pemeriksaan yang berlaku",
                                   "no applicable check")])
    # each of these caps at B; the grade is the score's letter, capped when any holds
    reasons: list[Text] = []
    if open_errors:
        reasons.append(open_errors_reason(open_errors))
    if input_errors:
        reasons.append(text(f"{input_errors} galat input di berkasnya: paling tinggi B",
                            f"{counted(input_errors, 'input error')} in its files: at most B"))
    if unread:
        reasons.append(text(
            f"{len(unread)} berkas peta unit ini tidak terbaca ({first_few(unread)}): "
            "paling tinggi B",
            f"{counted(len(unread), 'map file')} of this unit could not be read "
            f"({first_few(unread)}): at most B"))
    if unread_unknown:
        n = len(unread_unknown)
        reasons.append(text(
            f"{n} berkas peta yang unitnya tidak diketahui tidak terbaca "
            f"({first_few(unread_unknown)}), mungkin milik unit ini: paling tinggi B",
            f"{counted(n, 'map file')} of unknown unit could not be read "
            f"({first_few(unread_unknown)}) and may be this unit's: at most B"))
    if unread_shared:
        reasons.append(text(
            f"SOTK/RPJMD yang berlaku tidak terbaca ({first_few(unread_shared)}): temuan yang "
            "bergantung padanya bisa tidak ada; paling tinggi B",
            f"the SOTK/RPJMD in force could not be read ({first_few(unread_shared)}): findings "
            "that depend on it may be missing; at most B"))
    if engine_failures:
        reasons.append(text(
            f"{engine_failures} kegagalan mesin (aturan tidak berjalan): sebagian temuan bisa "
            "tidak ada; paling tinggi B",
            f"{counted(engine_failures, 'engine failure')} (rules did not run): some findings "
            "may be missing; at most B"))
    letter = score_letter(score)
    if reasons:
        letter = _worst(letter, "B")
    return Verdict(letter, reasons)


def open_errors_reason(n: int) -> Text:
    """Why open error findings cap a grade; renderers leave it out where the counts show it."""
    return text(f"{n} temuan galat terbuka: paling tinggi B",
                f"{counted(n, 'open error finding')}: at most B")
