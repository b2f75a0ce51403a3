"""Incremental evaluation: results of per-map rules cached by content hash.

Two things are cached under ``<workspace>/.probis-cache/`` (ignored by the loader and git):

1. **Per-map Python rules** (subclasses of ``PerMapRule``, engine/rule.py). Such a rule
   promises that what it reports for one process map depends only on the map's
   *fingerprint* — the map's file, the files of the cross-functional maps of its processes,
   the units it references (as the SOTK in force describes them, with their OPD chain), the
   sasaran and indicators it references, and whether its processes are decomposed or
   detailed elsewhere — plus whatever the rule adds through ``map_context`` (rule-wide
   inputs) and ``map_inputs`` (per-map inputs).
2. **Rule-file (durable-rules) matches.** A declarative rule matches one fact at a time, so
   its result is a pure function of the fact and the compiled ruleset. Facts are grouped by
   the file of their element; a group whose facts are unchanged replays its stored matches
   and is not sent to durable-rules again.

Rules that look across maps (overlap, coverage) are not cached: they always run. A rule
whose per-map result reads other maps in a known way (REG003 the parent chain, REG004 the
first holder of each code) is a per-map rule that returns that reading as ``map_inputs``.
An unreadable or foreign cache file is ignored (never trusted, never a crash); values are
JSON, never pickle, because a workspace folder may come from someone else. For the same
reason the file is signed: an HMAC-SHA256 of its whole content (every entry, its key — the
digest of the inputs it was computed from — and the probis and plugin versions) under a
per-user secret kept outside any workspace (``cache_key_path``, created 0600). A file that
is not signed with this user's secret, was written by other versions, is larger than
``PROBIS_MAX_CACHE_BYTES``, is not a regular file, or whose folder is a symbolic link or
leaves the workspace is ignored, and ``ResultCache.notes`` says why.

Each cached run also keeps, in memory, a ``RunRecord`` of its results per block (rule x map)
with the inputs above, from which delta.py re-evaluates the same maps under another
SOTK or plan by difference. There ``map_context`` and ``map_inputs`` are compared by
equality, and a rule-file group is re-sent only when its facts changed (``group_digest``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import inspect
import json
import os
import re
import secrets
import string
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..atomic import write_atomic
from ..factbatch import FactBatch, FactRef
from ..facts import Fact, lf_facts, map_facts, unit_and_plan_facts
from ..findings import ElementRef, Finding
from ..gcpause import paused_gc
from ..i18n import Text, format_text, text
from ..limits import Limits
from ..regular import NotRegularFile, TooLarge, read_regular
from ..rule import (
    DeclarativeRule,
    Evaluation,
    PerMapRule,
    PythonRule,
    RuleContext,
    RuleInfo,
    map_groups,
    message_values,
    referenced_units,
)
from ..workspace import LfEntry, MapEntry, Workspace

CACHE_DIR = ".probis-cache"
FORMAT = 6  # 5: the standard-library mark of _encode; 6: signed (SIGNATURE line)
SIGNATURE = b"probis-cache-hmac-sha256 "  # then 64 hex digits and a newline, then the JSON
KEY_FILE = "cache-key"
KEEP_GENERATIONS = 2  # entries unused for this many runs are dropped on save


def digest(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (sorted keys; other objects as ``str``)."""
    try:  # orjson: the same value always gives the same bytes, faster than json
        raw = orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):  # ints beyond 64 bits, keys that are not text
        raw = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str,
                         separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


# orjson refuses to write an integer beyond 64 bits and would read one back as a float. Such
# a value is written by the standard library, behind one leading space (still JSON), and read
# back by it; everything else goes through orjson both ways (why a mark: docs/design-notes.md).
_STDLIB_MARK = b" "


def _encode(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):  # ints beyond 64 bits, keys that are not text
        return _STDLIB_MARK + json.dumps(value, ensure_ascii=False,
                                         separators=(",", ":")).encode("utf-8")


def _decode(raw: bytes) -> Any:
    """The value ``_encode`` wrote, exactly; raises ValueError on malformed JSON."""
    if raw.startswith(_STDLIB_MARK):
        return json.loads(raw)
    return orjson.loads(raw)  # orjson.JSONDecodeError is a ValueError


# --- fingerprints --------------------------------------------------------------------


def unit_view(ws: Workspace, unit_id: str) -> Any:
    if unit_id not in ws.units:
        return None
    chain = []
    seen: set[str] = set()
    current: str | None = unit_id
    while current in ws.units and current not in seen:
        seen.add(current)
        unit = ws.units[current]
        chain.append(unit.model_dump(mode="json"))
        current = unit.parent
    return {"opd": ws.opd_of(unit_id), "chain": chain}


def plan_item(ws: Workspace, i: str) -> Any:
    s = ws.sasaran.get(i)
    ind = ws.indicators.get(i)
    return [
        None if s is None else [s.source, s.doc_id, s.unit, s.file,
                                s.sasaran.model_dump(mode="json")],
        None if ind is None else [ind.owner, ind.source, ind.doc_id, ind.unit, ind.file,
                                  ind.indicator.model_dump(mode="json")],
    ]


class MapIndex:
    """What per-map caching needs of one workspace, computed once per run and shared by all
    rules: cross-functional maps grouped by map, and map fingerprints. The views of units and
    sasaran are digested once each, not once per map that refers to them.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.groups = map_groups(ws)
        self._file_sha: dict[str, str] | None = None
        self._units: dict[str, str] = {}
        self._plans: dict[str, str] = {}
        self._fingerprints: dict[int, str] = {}
        self._references: dict[int, tuple[list[str], list[str]]] = {}

    @property
    def file_sha(self) -> dict[str, str]:
        if self._file_sha is None:
            self._file_sha = {d.file: d.sha256 for d in self.ws.docs}
        return self._file_sha


    def unit_digest(self, unit_id: str) -> str:
        if unit_id not in self._units:
            self._units[unit_id] = digest(unit_view(self.ws, unit_id))
        return self._units[unit_id]

    def plan_digest(self, item: str) -> str:
        if item not in self._plans:
            self._plans[item] = digest(plan_item(self.ws, item))
        return self._plans[item]

    def fingerprint(self, entry: MapEntry) -> str:
        key = id(entry.map)
        if key not in self._fingerprints:
            self._fingerprints[key] = map_fingerprint(self.ws, entry, self.groups.of(entry),
                                                      self.file_sha, self)
        return self._fingerprints[key]

    def references(self, entry: MapEntry) -> tuple[list[str], list[str]]:
        """The unit ids and the sasaran/indicator ids ``entry`` (with its cross-functional
        maps) refers to: the parts of its fingerprint that another SOTK or plan can change."""
        key = id(entry.map)
        if key not in self._references:
            processes = entry.map.processes
            self._references[key] = (
                referenced_units(entry, self.groups.of(entry)),
                sorted({i for p in processes for i in (*p.supports, *p.indicators)}))
        return self._references[key]


def map_fingerprint(ws: Workspace, entry: MapEntry, lfs: list[LfEntry],
                    file_sha: dict[str, str], index: MapIndex | None = None) -> str:
    index = index or MapIndex(ws)
    processes = entry.map.processes
    units, plans = index.references(entry)
    return digest({
        "map": [entry.file, file_sha.get(entry.file)],
        "lf": [[lf.file, file_sha.get(lf.file)] for lf in lfs],
        "units": {u: index.unit_digest(u) for u in units},
        "plans": {i: index.plan_digest(i) for i in plans},
        "around": [[p.code, p.code in ws.maps_by_code, len(ws.processes_by_code.get(p.code, [])),
                    len(ws.lf_by_process.get(p.code, []))] for p in processes],
    })


def outside_map_facts(unmapped: list[LfEntry]
                      ) -> Callable[[Workspace, dt.date], Iterator[FactRef]]:
    """The core fact builder of everything outside process maps: the cross-functional maps
    ``unmapped`` (of no map's process), units and plans (``collect_facts``'s ``core``)."""

    def core(ws: Workspace, as_of: dt.date) -> Iterator[FactRef]:
        for lf_entry in unmapped:
            yield from lf_facts(ws, lf_entry)
        yield from unit_and_plan_facts(ws)

    return core


def group_digest(produced: Sequence[FactRef]) -> str:
    """Digest of a group of facts (before they are numbered) with their element references:
    what the rule files' results on the group are a function of."""
    return digest([[fact for fact, _ in produced], [astuple(ref) for _, ref in produced]])


# --- (de)serialising results -----------------------------------------------------------


Home = tuple[str | None, str | None]  # file and code of the map a stored result belongs to


def _finding_out(f: Finding, info: RuleInfo, home: Home,
                 values: dict[str, Any] | None = None) -> list[Any]:
    """A finding of rule ``info`` as compact JSON: what the rule's metadata gives is not
    stored, nor the file and map code when they are the home map's (0 instead), nor a rule
    file's message when ``values`` (the fact fields its template reads) rebuild it."""
    r = f.ref
    exact = f.rule == info.id and f.rule_set == info.rule_set and f.basis == info.basis
    ref = [r.element, r.kind, 0 if r.file is not None and r.file == home[0] else r.file,
           r.line, 0 if r.map is not None and r.map == home[1] else r.map, r.unit]
    return [f.severity, ref, f.message if values is None else None,
            None if f.fix == info.fix else f.fix, f.evidence,
            None if exact else [f.rule, f.rule_set, f.basis], values]


def _finding_in(d: list[Any], info: RuleInfo, home: Home,
                rule: DeclarativeRule | None = None) -> Finding:
    severity, ref, message, fix, evidence, other, values = d
    rule_id, rule_set, basis = other or (info.id, info.rule_set, info.basis)
    element, kind, file, line, map_code, unit = ref
    if message is None and rule is not None:
        message = format_text(rule.cases[evidence["case"]].message, values)
    return Finding(rule=rule_id, rule_set=rule_set, severity=severity,
                   ref=ElementRef(element, kind, home[0] if file == 0 else file, line,
                                  home[1] if map_code == 0 else map_code, unit),
                   message=message, basis=dict(basis), fix=dict(fix or info.fix),
                   evidence=evidence)


def _part_out(ev: Evaluation, home: Home,
              values: Callable[[Finding], dict[str, Any] | None] = lambda f: None) -> list[Any]:
    """One rule's result on one map: applicable checks and findings."""
    for f in ev.findings:
        f.evidence = _jsonable(f.evidence)  # so a fresh result equals a replayed one
    # map and unit may be None beside text (a map without a unit, its processes with one)
    return [sorted(([s, m, u, n] for (s, m, u), n in ev.applicable_tally.items()),
                   key=lambda row: [(v is not None, v) for v in row[:3]]),
            [_finding_out(f, ev.info, home, values(f)) for f in ev.findings]]


def _part_in(stored: list[Any], out: Evaluation, home: Home,
             rule: DeclarativeRule | None = None) -> Evaluation:
    tally, findings = stored
    for severity, map_code, unit, n in tally:
        out.applicable_tally[(severity, map_code, unit)] += n
    info = out.info
    out.findings.extend(_finding_in(f, info, home, rule) for f in findings)
    return out


def _decoded(decode: Callable[[], Any], stored: Any) -> Any:
    """``decode()`` of a stored value, or None when there is none or it is malformed (a
    damaged or foreign cache is never trusted, never a crash)."""
    if stored is None:
        return None
    try:
        return decode()
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None


def _template_fields(template: Text) -> set[str]:
    """The value names a message template reads (``{name}``, ``{name:>3}``, ``{name[0]}``)."""
    names: set[str] = set()
    for text_ in template.values():
        for _, field_name, _, _ in string.Formatter().parse(str(text_)):
            if field_name:
                names.add(re.split(r"[.\[]", field_name, maxsplit=1)[0])
    return names


def _message_values(rule: DeclarativeRule, f: Finding, fact: Fact) -> dict[str, Any] | None:
    """The fact fields that rebuild ``f``'s message from its case's template, or None (store
    the message itself) when they would not give exactly the same text."""
    case = f.evidence.get("case")
    if not isinstance(case, int) or not 0 <= case < len(rule.cases):
        return None
    template = rule.cases[case].message
    shown = message_values(fact)
    values = {k: shown[k] for k in sorted(_template_fields(template)) if k in shown}
    try:
        same = json.loads(json.dumps(values)) == values and \
            format_text(template, values) == f.message
    except (TypeError, ValueError):
        return None
    return values if same else None


def _merge(part: Evaluation, out: Evaluation) -> None:
    out.applicable_tally.update(part.applicable_tally)
    out.findings.extend(part.findings)


def _source_digest(obj: Any) -> str:
    try:
        return hashlib.sha256(Path(inspect.getfile(obj)).read_bytes()).hexdigest()
    except (OSError, TypeError):
        return getattr(obj, "__name__", repr(obj))


def _jsonable(value: Any) -> Any:
    """What a value becomes after a JSON round trip, so a fresh result equals a cached one."""
    return json.loads(json.dumps(value, default=str))


# --- the cache --------------------------------------------------------------------------


def cache_key_path() -> Path:
    """Where the per-user secret that signs cache files lives: the user's cache folder,
    never a workspace (``$XDG_CACHE_HOME/probis/cache-key``, else ``~/.cache/probis/...``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "probis" / KEY_FILE


def _user_secret() -> bytes:
    """The per-user secret, created (0600) on first use; raises OSError when it cannot be
    had safely (then nothing is read from or written to a disk cache)."""
    path = cache_key_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_hex(32).encode("ascii"))
    raw = read_regular(path, 4096, follow_links=False)
    info = path.lstat()
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
        raise PermissionError(0, "owned by another user or readable by others", str(path))
    if len(raw.strip()) < 32:
        raise PermissionError(0, "too short", str(path))
    return raw.strip()


def _versions() -> dict[str, str]:
    """probis and every installed plugin distribution with its version: a cache file written
    by other versions is not read."""
    from importlib.metadata import entry_points

    found = {"probis": __version__}
    for ep in entry_points(group="probis"):
        dist = getattr(ep, "dist", None)
        if dist is not None:
            found[dist.name] = dist.version
    return found


def _sign(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest().encode("ascii")


@dataclass
class RunRecord:
    """One cached run's results by block, kept for a delta re-evaluation (delta.py):
    each rule's raw result (before profile and waivers) per map — its index in ``ws.maps`` —
    or, for what belongs to no map, under None; and what per-map rules read beyond a map."""

    blocks: dict[tuple[str, int | None], Evaluation] = field(default_factory=dict)
    map_inputs: dict[tuple[str, int], Any] = field(default_factory=dict)
    contexts: dict[str, Any] = field(default_factory=dict)
    facts: dict[int | None, int] = field(default_factory=dict)  # rule-file facts per block
    fact_digests: dict[int | None, str] = field(default_factory=dict)  # group_digest per block


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    evaluated_maps: set[str] = field(default_factory=set)  # files of maps evaluated afresh
    cached_maps: set[str] = field(default_factory=set)
    facts_sent: int = 0
    facts_cached: int = 0


class ResultCache:
    """Per-map and per-file results, stored as one JSON file per workspace."""

    def __init__(self, folder: Path | None, force: Iterable[str] = (),
                 root: Path | None = None) -> None:
        self.folder = folder
        self.root = root  # the workspace the folder must stay inside (None: not checked)
        self.force = set(force)  # map files to re-evaluate whatever their fingerprint
        self.stats = CacheStats()
        # why a cache file was ignored or not written, in both languages (the command picks)
        self.notes: list[Text] = []
        self._secret: bytes | None = None
        self._limit = Limits.from_env().max_cache_bytes if folder is not None else 0
        self._data: dict[str, Any] = {}
        self._generation = 1
        self._dirty = False
        self._rule_sources: dict[str, str] = {}
        self._index: MapIndex | None = None
        self._record = RunRecord()
        if folder is not None:
            self._load()

    @classmethod
    def for_workspace(cls, root: str | Path, force: Iterable[str] = ()) -> ResultCache:
        return cls(Path(root) / CACHE_DIR, force, Path(root))

    @classmethod
    def in_memory(cls, force: Iterable[str] = ()) -> ResultCache:
        return cls(None, force)

    @property
    def _file(self) -> Path | None:
        return None if self.folder is None else self.folder / "results.json"

    def _refuse(self, why: Text) -> None:
        """Use no disk cache for this run (results are computed afresh), saying why."""
        self.notes.append(text(id=f"{CACHE_DIR}: {why['id']}; cache tidak dipakai",
                               en=f"{CACHE_DIR}: {why['en']}; the cache is not used"))
        self.folder = None

    def _safe_folder(self) -> bool:
        """The cache folder is a real folder inside the workspace (or absent), never a
        symbolic link: the cache must not read or write anywhere else."""
        if self.folder is None:
            return False
        if self.root is None:
            return True
        try:
            if self.folder.is_symlink():
                self._refuse(text("berupa tautan simbolik", "is a symbolic link"))
                return False
            real_root = self.root.resolve(strict=True)
            if not self.folder.resolve().is_relative_to(real_root):
                self._refuse(text("berada di luar ruang kerja", "leaves the workspace"))
                return False
            if self.folder.exists() and not self.folder.is_dir():
                self._refuse(text("bukan folder", "is not a folder"))
                return False
        except (OSError, RuntimeError) as exc:
            self._refuse(text(f"tidak dapat diperiksa ({exc})", f"cannot be checked ({exc})"))
            return False
        return True

    def _load(self) -> None:
        if not self._safe_folder():
            return
        try:
            self._secret = _user_secret()
        except OSError as exc:
            self._refuse(text(f"kunci per pengguna di {cache_key_path()} tidak dapat dipakai "
                              f"({exc.strerror or exc})",
                              f"no usable per-user key at {cache_key_path()} "
                              f"({exc.strerror or exc})"))
            return
        path = self._file
        assert path is not None
        try:
            raw = read_regular(path, self._limit, follow_links=False)
        except FileNotFoundError:
            return
        except TooLarge as exc:
            self.notes.append(text(
                id=f"{CACHE_DIR}/results.json: lebih besar dari "
                   + f"{exc.limit:,}".replace(",", ".") + " bita (PROBIS_MAX_CACHE_BYTES); "
                   "diabaikan",
                en=f"{CACHE_DIR}/results.json: larger than {exc.limit:,} bytes "
                   "(PROBIS_MAX_CACHE_BYTES); ignored"))
            return
        except NotRegularFile as exc:
            self._refuse(text(f"results.json bukan berkas biasa ({exc.what})",
                              f"results.json is not a regular file ({exc.what})"))
            return
        except OSError as exc:  # a symbolic link (O_NOFOLLOW), no permission
            why = exc.strerror or exc
            self._refuse(text(f"results.json tidak dapat dibaca dengan aman ({why})",
                              f"results.json cannot be read safely ({why})"))
            return
        stored = self._verified(raw)
        if stored is not None:
            self._data = stored["entries"]
            self._generation = int(stored.get("generation", 0)) + 1

    def _verified(self, raw: bytes) -> dict[str, Any] | None:
        """The file's content if this user's key signed it for these versions, else None
        (noted): a cache shipped inside a workspace is someone else's and is not trusted."""
        head, _, payload = raw.partition(b"\n")
        mac = head.removeprefix(SIGNATURE)
        if (not head.startswith(SIGNATURE) or self._secret is None
                or not hmac.compare_digest(mac, _sign(self._secret, payload))):
            self.notes.append(text(
                id=f"{CACHE_DIR}/results.json: tidak ditandatangani dengan kunci pengguna ini "
                   "(ditulis di tempat lain, oleh probis lama, atau disunting); diabaikan",
                en=f"{CACHE_DIR}/results.json: not signed with this user's key "
                   "(written elsewhere, by an older probis, or edited); ignored"))
            return None
        try:
            with paused_gc():
                stored = _decode(payload)
        except ValueError:
            stored = None
        if not (isinstance(stored, dict) and stored.get("format") == FORMAT
                and stored.get("versions") == _versions()
                and isinstance(stored.get("entries"), dict)):
            self.notes.append(text(
                id=f"{CACHE_DIR}/results.json: ditulis oleh versi probis atau plugin lain; "
                   "diabaikan",
                en=f"{CACHE_DIR}/results.json: written by other probis or plugin versions; "
                   "ignored"))
            return None
        return stored

    def save(self) -> None:
        self._index = None  # the next run may see another (or an edited) workspace
        path = self._file
        if path is None or not self._dirty:
            return
        keep = {k: v for k, v in self._data.items()
                if v.get("g", 0) > self._generation - KEEP_GENERATIONS}
        if self._secret is None or not self._safe_folder():
            return
        payload = _encode({"format": FORMAT, "versions": _versions(),
                           "generation": self._generation, "entries": keep})
        with contextlib.suppress(OSError):  # a read-only workspace still gets its report
            path.parent.mkdir(parents=True, exist_ok=True)
            if not self._safe_folder():  # made a link meanwhile
                return
            write_atomic(path, SIGNATURE + _sign(self._secret, payload) + b"\n" + payload)

    def _get(self, key: str) -> Any:
        item = self._data.get(key)
        if item is None:
            return None
        if item.get("g") != self._generation:
            item["g"] = self._generation
            self._dirty = True
        return item["v"]

    def _put(self, key: str, value: Any) -> None:
        self._data[key] = {"g": self._generation, "v": value}
        self._dirty = True

    def _rule_source(self, rule: PythonRule) -> str:
        """Hash of the rule's module: editing a rule invalidates its cached results."""
        name = type(rule).__module__ + "." + type(rule).__qualname__
        if name not in self._rule_sources:
            self._rule_sources[name] = _source_digest(type(rule))
        return self._rule_sources[name]

    def take_record(self) -> RunRecord:
        """The blocks of the run that just ended (and a fresh record for the next run)."""
        record, self._record = self._record, RunRecord()
        return record

    def index(self, ws: Workspace) -> MapIndex:
        """The map index of ``ws`` for this run (kept until ``save``)."""
        if self._index is None or self._index.ws is not ws:
            self._index = MapIndex(ws)
        return self._index

    # -- per-map Python rules --
    def run_per_map(self, rule: PerMapRule, ctx: RuleContext, out: Evaluation) -> None:
        with paused_gc():
            self._run_per_map(rule, ctx, out)

    def _run_per_map(self, rule: PerMapRule, ctx: RuleContext, out: Evaluation) -> None:
        ws = ctx.workspace
        index = self.index(ws)
        rid = rule.info.id
        context = rule.map_context(ctx)
        self._record.contexts[rid] = context
        base = digest([FORMAT, rid, rule.cache_version, self._rule_source(rule),
                       dict(ctx.options), context])
        for position, entry in enumerate(ws.maps):
            lfs = index.groups.of(entry)
            inputs = rule.map_inputs(ctx, entry, lfs)
            self._record.map_inputs[(rid, position)] = inputs
            key = "m:" + digest([base, index.fingerprint(entry), inputs])
            stored = None if entry.file in self.force else self._get(key)
            replayed = _decoded(lambda stored=stored, home=(entry.file, entry.map.code):
                                _part_in(stored, Evaluation(rule.info), home), stored)
            if replayed is not None:
                self.stats.hits += 1
                self.stats.cached_maps.add(entry.file)
                part = replayed
            else:
                self.stats.misses += 1
                self.stats.evaluated_maps.add(entry.file)
                part = Evaluation(rule.info)
                rule.check_map(ctx, entry, lfs, part)
                self._put(key, _part_out(part, (entry.file, entry.map.code)))
            self._record.blocks[(rid, position)] = part
            _merge(part, out)
        rest = Evaluation(rule.info)
        rule.check_unmapped(ctx, index.groups.unmapped, rest)
        self._record.blocks[(rid, None)] = rest
        _merge(rest, out)

    # -- rule files --
    def run_declarative(
        self, ws: Workspace, as_of: dt.date, rules: Sequence[DeclarativeRule],
        collect_rest: Callable[[Callable[[Workspace, dt.date], Iterable[FactRef]]],
                               list[FactRef]],
        run: Callable[[FactBatch], list[list[Evaluation]]],
    ) -> list[Evaluation]:
        """The rule files' evaluations, built per map: an unchanged map (same fingerprint)
        replays its stored results without building its facts; the facts of changed maps
        and of everything outside maps (units, indicators, cross-functional maps of no
        map's process, plugins' facts) go to durable-rules in one batch. The rest is cached
        too, keyed by the facts themselves (a rule file reads nothing but its fact).

        ``collect_rest(core)`` gives the non-map facts (core builder ``core`` plus plugins'
        facts); ``run(batch)`` evaluates a batch of facts group by group.
        """
        index = self.index(ws)
        base = digest([FORMAT, "rule-files", self._facts_source(), [repr(r) for r in rules]])
        out = [Evaluation(rule.info) for rule in rules]
        batch = FactBatch()
        # key, number of facts, home map, its index in ws.maps (None: facts of no map), digest
        fresh: list[tuple[str, int, Home, int | None, str]] = []

        def add(produced: Iterable[FactRef], position: int | None,
                group: str | None = None) -> tuple[int, str]:
            pairs = list(produced)
            group = group or group_digest(pairs)  # before the facts are numbered
            self._record.fact_digests[position] = group
            return batch.add(pairs), group

        with paused_gc():
            self._replay_maps(ws, as_of, index, base, rules, out, add, fresh)

        rest = collect_rest(outside_map_facts(index.groups.unmapped))
        rest_group = group_digest(rest)  # a rule file reads nothing but its fact
        key = "R:" + digest([base, rest_group])
        stored = self._get(key)
        replayed = self._replay(stored, rules, (None, None))
        if replayed is not None:
            self.stats.facts_cached += stored["n"]
            self._keep(rules, None, replayed, out, stored["n"], stored.get("f"))
        else:
            n, group = add(rest, None, rest_group)
            fresh.append((key, n, (None, None), None, group))
        self.stats.facts_sent += len(batch.facts)
        if batch.facts:
            parts = run(batch)
            fact_of = {id(ref): fact for fact, ref in zip(batch.facts, batch.refs, strict=True)}
            for (key, n, home, position, group), evs in zip(fresh, parts, strict=True):
                self._put(key, {"n": n, "f": group, "r": {
                    ev.info.id: _part_out(ev, home, lambda f, rule=rule: _message_values(
                        rule, f, fact_of[id(f.ref)]) if id(f.ref) in fact_of else None)
                    for ev, rule in zip(evs, rules, strict=True)
                    if ev.applicable_tally or ev.findings}})
                self._keep(rules, position, evs, out, n, group)
        return out

    def _keep(self, rules: Sequence[DeclarativeRule], position: int | None,
              parts: list[Evaluation], out: list[Evaluation], n_facts: int,
              group: Any) -> None:
        """Add one block's per-rule parts to the totals and to the run's record."""
        self._record.facts[position] = n_facts
        if isinstance(group, str):
            self._record.fact_digests[position] = group
        for rule, part, total in zip(rules, parts, out, strict=True):
            self._record.blocks[(rule.info.id, position)] = part
            _merge(part, total)

    def _replay_maps(self, ws: Workspace, as_of: dt.date, index: MapIndex, base: str,
                     rules: Sequence[DeclarativeRule], out: list[Evaluation],
                     add: Callable[[Iterable[FactRef], int | None], tuple[int, str]],
                     fresh: list[tuple[str, int, Home, int | None, str]]) -> None:
        """Replay the stored rule-file results of unchanged maps; add the facts of the rest."""
        for position, entry in enumerate(ws.maps):
            # as_of enters the facts only through last_evaluated (evaluated_days_ago)
            key = "D:" + digest([base, index.fingerprint(entry),
                                 as_of.isoformat() if entry.map.last_evaluated else None])
            stored = None if entry.file in self.force else self._get(key)
            replayed = self._replay(stored, rules, (entry.file, entry.map.code))
            if replayed is not None:
                self.stats.hits += 1
                self.stats.cached_maps.add(entry.file)
                self.stats.facts_cached += stored["n"]
                self._keep(rules, position, replayed, out, stored["n"], stored.get("f"))
                continue
            self.stats.misses += 1
            self.stats.evaluated_maps.add(entry.file)
            n, group = add(map_facts(ws, entry, ws.processes_of(entry),
                                     index.groups.of(entry), as_of), position)
            fresh.append((key, n, (entry.file, entry.map.code), position, group))

    @staticmethod
    def _replay(stored: Any, rules: Sequence[DeclarativeRule],
                home: Home) -> list[Evaluation] | None:
        """The rule files' stored results on one map, or None when there are none (or they
        cannot be read: then the map is evaluated afresh)."""

        def decode() -> list[Evaluation]:
            parts = [Evaluation(rule.info) for rule in rules]
            if not isinstance(stored["n"], int):
                raise TypeError("fact count")
            for part, rule in zip(parts, rules, strict=True):
                found = stored["r"].get(rule.info.id)
                if found is not None:
                    _part_in(found, part, home, rule)
            return parts

        return _decoded(decode, stored)

    def _facts_source(self) -> str:
        if "facts" not in self._rule_sources:
            from .. import facts as facts_module

            self._rule_sources["facts"] = _source_digest(facts_module)
        return self._rule_sources["facts"]


def tally_of(findings: Iterable[Finding]) -> Counter[str]:
    """Multiset of findings as canonical JSON, to compare two runs exactly (tests, benchmark)."""
    return Counter(json.dumps(f.to_dict(), sort_keys=True, default=str) for f in findings)
