"""Loading a workspace folder: find files, parse them safely, validate, index.

Nothing here raises on bad input: every problem becomes an ``InputError`` naming the file,
line and field, and the remaining files are still loaded. Only a folder that is not a
workspace at all (no ``probis.yaml``) stops the run, with a usage error.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import parallel
from .errors import InputError, ProbisUsageError
from .gcpause import paused_gc
from .i18n import text
from .lenient import deprecated_fields, unknown_fields, validate_lenient
from .limits import Limits
from .model import CORE_KINDS, DEPRECATED_FIELDS, WorkspaceDoc
from .progress import Progress
from .regular import NotRegularFile, TooLarge, read_regular
from .validation_messages import field_path
from .workspace import LoadedDoc, Workspace, index
from .yamlload import READER_FIELDS_KEY, ParseError, parse_bytes

MANIFEST_NAMES = ("probis.yaml", "probis.yml", "probis.json")
_EXCEL_NOTE = text(
    "buku kerja Excel tidak dibaca audit; ubah petanya menjadi YAML dengan `probis import-excel "
    "BERKAS -o FOLDER`",
    "an Excel workbook is not read by the audit; turn its maps into YAML with `probis "
    "import-excel FILE -o FOLDER`")
# files of the formats probis itself writes for people, found where it reads: said, not skipped
OFFICE_NOTES = {".xlsx": _EXCEL_NOTE, ".xlsm": _EXCEL_NOTE, ".docx": text(
    "dokumen Word tidak dibaca audit; SOP dibaca dari dokumen `kind: sop` YAML (`probis sop "
    "WORKSPACE KODE -o SOP.yaml` menulis drafnya)",
    "a Word document is not read by the audit; SOPs are read from `kind: sop` YAML documents "
    "(`probis sop WORKSPACE CODE -o SOP.yaml` writes a draft)")}
SKIP_DIRS = {".probis-cache", ".git", "__pycache__", "node_modules"}

# A reader turns one file's bytes into zero or more documents (plain dicts with a `kind`).
Reader = Callable[[Path, bytes, Limits], list[dict[str, Any]]]


def _yaml_reader(path: Path, raw: bytes, limits: Limits) -> list[dict[str, Any]]:
    return [parse_bytes(raw, path.name, limits)]


@dataclass
class LoaderConfig:
    kinds: dict[str, type[BaseModel]] = field(default_factory=lambda: dict(CORE_KINDS))
    readers: dict[str, Reader] = field(
        default_factory=lambda: {".yaml": _yaml_reader, ".yml": _yaml_reader, ".json": _yaml_reader}
    )
    limits: Limits = field(default_factory=Limits.from_env)
    # field paths plugins add to a kind (probis_register_fields), e.g. {"peta-proses":
    # {"processes.risiko"}}: not reported as unknown fields
    fields: dict[str, set[str]] = field(default_factory=dict)


@paused_gc()  # long-lived, acyclic objects by the million: see engine/gcpause.py
def load_workspace(path: str | Path, config: LoaderConfig | None = None,
                   progress: Progress | None = None, *, jobs: int = 1) -> Workspace:
    """Load ``path``; ``progress("load", done, total)`` is called once per file when given.
    With ``jobs`` > 1 files are parsed in that many processes (same result)."""
    config = config or LoaderConfig()
    root = Path(path)
    if not root.is_dir():
        raise ProbisUsageError(text(
            id=f"{path}: folder tidak ditemukan. Berikan folder yang berisi probis.yaml.",
            en=f"{path}: folder not found. Give a workspace folder holding probis.yaml."))
    manifest_path = next((root / n for n in MANIFEST_NAMES if (root / n).is_file()), None)
    if manifest_path is None:
        raise ProbisUsageError(text(
            id=f"{path}: tidak ada probis.yaml di folder ini. Lihat docs/format.md bagian "
               "'workspace'.",
            en=f"{path}: not a probis workspace, no probis.yaml. See docs/format.md, "
               "'workspace'."))
    ws = Workspace(root=root, name=root.resolve().name)
    real_root = root.resolve()

    files: list[Path] = []
    for item in _walk(root, real_root, ws, config):
        files.append(item)
        if len(files) > config.limits.max_files:
            ws.input_errors.append(InputError(
                ".", None, None,
                text(f"workspace berisi lebih dari {config.limits.max_files:,} berkas; "
                     "naikkan batas dengan PROBIS_MAX_FILES",
                     f"workspace holds more than {config.limits.max_files:,} files; "
                     "raise the limit with PROBIS_MAX_FILES"),
                code="limit"))
            break

    # documents whose kind no loaded plugin knows: judged once the manifest is read, because
    # the manifest may declare the kind as provided by a plugin (docs/format-extensions.md)
    unknown: list[UnknownKind] = []
    parallel.load_files(ws, [(p, p.relative_to(root).as_posix()) for p in files],
                        lambda into, p, rel, odd: _load_file(into, p, rel, config, odd),
                        unknown, progress, jobs)

    manifests = [d for d in ws.docs if d.kind == "workspace"]
    manifest_rel = manifest_path.relative_to(root).as_posix()
    for doc in manifests:
        if doc.file == manifest_rel:
            ws.manifest, ws.manifest_file = doc.model, doc.file
        else:
            ws.input_errors.append(InputError(
                doc.file, None, "kind",
                text("hanya probis.yaml di akar workspace yang boleh ber-kind `workspace`; "
                     "hapus berkas ini atau ubah kind-nya",
                     "only probis.yaml at the workspace root may be of kind `workspace`; "
                     "delete this file or change its kind"),
                code="kind"))
    ws.docs = [d for d in ws.docs if d.kind != "workspace" or d.file == manifest_rel]
    if ws.manifest is not None:
        _check_manifest_paths(ws, real_root)
        _check_manifest_plugins(ws)
    _judge_unknown_kinds(ws, unknown, config)
    index(ws)
    _check_unique_ids(ws)
    _note_untyped_opds(ws)
    ws.input_errors.sort()
    return ws


def _note_untyped_opds(ws: Workspace) -> None:
    """A top-level unit of the SOTK in force without `type` (``probis init`` leaves it to
    fill when it cannot guess): the rules that depend on an OPD's type (REG002's core process
    of a dinas or kecamatan, OVL001's territorial kecamatan) pass it by without a word."""
    if ws.sotk is None:
        return
    kinds = "dinas | badan | kecamatan | bagian | inspektorat | sekretariat-daerah | ..."
    for i, unit in enumerate(ws.sotk.units):
        if unit.parent is None and unit.type is None:
            ws.notices.append(InputError(
                ws.sotk_file or "sotk", unit.line, f"units[{i}].type", text(
                    f"unit `{unit.id}` tidak memiliki `type`: aturan yang bergantung pada jenis "
                    f"OPD (mis. REG002 untuk dinas dan kecamatan) tidak menilainya; isi salah "
                    f"satu dari: {kinds}",
                    f"unit `{unit.id}` has no `type`: the rules that depend on an OPD's type "
                    f"(such as REG002 for dinas and kecamatan) do not judge it; fill one of: "
                    f"{kinds}"), code="untyped-unit"))


def _walk(root: Path, real_root: Path, ws: Workspace, config: LoaderConfig) -> Iterator[Path]:
    """Files below ``root`` in a stable order. Symlinks are followed only when they stay inside."""
    def unreadable(exc: OSError) -> None:  # os.walk would skip the folder silently
        where = Path(exc.filename) if exc.filename else root
        ws.input_errors.append(InputError(
            where.relative_to(root).as_posix(), None, None,
            text(f"folder tidak dapat dibaca: {exc.strerror}; berkas di dalamnya tidak "
                 "diaudit. Beri izin baca (chmod) atau pindahkan folder ini",
                 f"folder cannot be read: {exc.strerror}; the files in it are not audited. "
                 "Give read permission (chmod) or move the folder out"),
            code="io"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        current = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d.startswith(".") or d in SKIP_DIRS:
                continue
            p = current / d
            if p.is_symlink():
                ws.input_errors.append(InputError(
                    p.relative_to(root).as_posix(), None, None,
                    text("tautan simbolik ke folder tidak diikuti; salin isinya ke dalam workspace",
                         "symbolic link to a folder is not followed; "
                         "copy its files into the workspace"),
                    code="symlink"))
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            p = current / name
            if p.suffix.lower() not in config.readers:
                if p.suffix.lower() in OFFICE_NOTES and not name.startswith("~$"):
                    # a workbook or Word file beside the maps is work the audit does not see
                    ws.notices.append(InputError(p.relative_to(root).as_posix(), None, None,
                                                 OFFICE_NOTES[p.suffix.lower()],
                                                 code="not-read"))
                continue
            if p.is_symlink():
                try:
                    target = p.resolve(strict=True)
                except (OSError, RuntimeError):
                    ws.input_errors.append(_link_error(root, p, "loop"))
                    continue
                if not target.is_relative_to(real_root):
                    ws.input_errors.append(_link_error(root, p, "outside"))
                    continue
            yield p


def _link_error(root: Path, p: Path, why: str) -> InputError:
    if why == "loop":
        msg = text("tautan simbolik berputar atau rusak; hapus tautan ini",
                   "symbolic link loops or is broken; remove the link")
    else:
        msg = text("tautan simbolik mengarah ke luar workspace dan tidak dibaca; "
                   "salin berkasnya ke dalam workspace",
                   "symbolic link points outside the workspace and is not read; "
                   "copy the file into the workspace")
    return InputError(p.relative_to(root).as_posix(), None, None, msg, code="symlink")


@dataclass(frozen=True)
class UnknownKind:
    file: str
    line: int | None
    kind: str


def _load_file(ws: Workspace, file_path: Path, rel: str, config: LoaderConfig,
               unknown: list[UnknownKind]) -> None:
    try:
        raw = read_regular(file_path, config.limits.max_file_bytes)
    except TooLarge as exc:
        size, limit = exc.size, exc.limit
        ws.input_errors.append(InputError(rel, None, None, text(
            f"berkas terlalu besar ({size:,} byte, batas {limit:,}); "
            "pecah berkas atau naikkan batas dengan PROBIS_MAX_FILE_BYTES",
            f"file too large ({size:,} bytes, limit {limit:,}); "
            "split it or raise the limit with PROBIS_MAX_FILE_BYTES"), code="limit"))
        return
    except NotRegularFile as exc:  # a FIFO would block the read for ever
        ws.input_errors.append(InputError(rel, None, None, text(
            f"bukan berkas biasa ({exc.what}) dan tidak dibaca; hapus dari workspace",
            f"not a regular file ({exc.what}) and not read; remove it from the workspace"),
            code="io"))
        return
    except OSError as exc:
        ws.input_errors.append(InputError(
            rel, None, None,
            text(f"berkas tidak dapat dibaca: {exc.strerror}",
                 f"file cannot be read: {exc.strerror}"),
            code="io"))
        return
    digest = hashlib.sha256(raw).hexdigest()
    reader = config.readers[file_path.suffix.lower()]
    try:
        documents = reader(file_path, raw, config.limits)
        if not isinstance(documents, list | tuple):
            raise TypeError("a reader must return a list of documents, "
                            f"got {type(documents).__name__}")
    except ParseError as exc:
        ws.input_errors.append(InputError(rel, exc.line, exc.field, exc.message, code="syntax",
                                          dropped_kind=_written_kind(raw)))
        return
    except Exception as exc:  # a reader plugin that fails must not stop the other files
        ws.input_errors.append(InputError(
            rel, None, None,
            text(f"pembaca berkas {file_path.suffix} gagal: {type(exc).__name__}: {exc}",
                 f"the reader for {file_path.suffix} files failed: {type(exc).__name__}: {exc}"),
            code="reader"))
        return
    if len(documents) > config.limits.max_documents:
        ws.input_errors.append(InputError(
            rel, None, None,
            text(f"berkas menghasilkan {len(documents):,} dokumen (batas "
                 f"{config.limits.max_documents:,}); pecah berkas atau naikkan batas dengan "
                 "PROBIS_MAX_DOCUMENTS",
                 f"file yields {len(documents):,} documents (limit "
                 f"{config.limits.max_documents:,}); split it or raise the limit with "
                 "PROBIS_MAX_DOCUMENTS"),
            code="limit"))
        return
    yaml_file = file_path.suffix.lower() in (".yaml", ".yml")
    source = raw.decode("utf-8", "replace") if yaml_file and len(documents) == 1 else None
    for data in documents:
        doc = _validate(ws, data, rel, config, unknown, source)
        if doc is not None:
            doc.sha256 = digest
            ws.docs.append(doc)


_KIND_LINE = re.compile(rb"^kind:[ \t]*[\"']?([A-Za-z0-9_-]+)", re.M)


def _written_kind(raw: bytes) -> str | None:
    """The kind a file that cannot be parsed says it is, for the audit's completeness."""
    found = _KIND_LINE.search(raw)
    return found.group(1).decode("ascii") if found else None


def _stated_unit(data: dict[Any, Any]) -> str | None:
    """The `unit` a document states, read from the raw mapping when validation drops it."""
    unit = data.get("unit")
    return (unit.strip() or None) if isinstance(unit, str) else None


CROSS_FUNCTIONAL_KIND = "peta-lintas-fungsi"


def _too_many_steps(ws: Workspace, data: dict[Any, Any], rel: str, limits: Limits) -> bool:
    """A cross-functional map with more steps (or flows) than ``PROBIS_MAX_STEPS`` is an input
    error before it is validated: rules report per step, and a generated map of a million
    unconnected tasks would take gigabytes of findings."""
    for name in ("steps", "flows"):
        items = data.get(name)
        if isinstance(items, list) and len(items) > limits.max_steps:
            say = {"steps": ("langkah", "steps"), "flows": ("alur", "flows")}[name]
            ws.input_errors.append(InputError(
                rel, data.get("__line__"), name,
                text(f"peta lintas fungsi berisi {len(items):,} {say[0]} (batas "
                     f"{limits.max_steps:,}); pecah peta menjadi beberapa subproses atau "
                     "naikkan batas dengan PROBIS_MAX_STEPS. Peta ini tidak diaudit",
                     f"cross-functional map holds {len(items):,} {say[1]} (limit "
                     f"{limits.max_steps:,}); split it into subprocesses or raise the limit "
                     "with PROBIS_MAX_STEPS. This map is not audited"),
                code="limit", dropped_kind=CROSS_FUNCTIONAL_KIND,
                dropped_unit=_stated_unit(data)))
            return True
    return False


def _validate(ws: Workspace, data: Any, rel: str, config: LoaderConfig,
              unknown: list[UnknownKind], source: str | None = None) -> LoadedDoc | None:
    if not isinstance(data, dict):
        ws.input_errors.append(InputError(
            rel, None, None,
            text("berkas harus berisi satu pemetaan (kunci: nilai) dengan `kind`",
                 "file must hold one mapping (key: value) with a `kind`"),
            code="kind"))
        return None
    kind = data.get("kind")
    known = ", ".join(sorted(config.kinds))
    if kind is None:
        ws.input_errors.append(InputError(
            rel, data.get("__line__"), "kind",
            text(f"kolom `kind` tidak ada; tambahkan `kind:` dengan salah satu dari: {known}",
                 f"field `kind` is missing; add `kind:` with one of: {known}"),
            code="kind"))
        return None
    if isinstance(kind, str) and kind not in config.kinds:
        # judged once the manifest is read: a plugin may be declared to provide it
        unknown.append(UnknownKind(rel, data.get("__line__"), kind))
        return None
    model = config.kinds.get(kind) if isinstance(kind, str) else None
    if model is None:  # a kind that is not text (a number, a list)
        if isinstance(kind, list | dict):  # not its repr: that shows the loader's line stamps
            what = text("kind berupa daftar" if isinstance(kind, list) else "kind berupa mapping",
                        "a list as kind" if isinstance(kind, list) else "a mapping as kind")
        else:
            what = text(f"kind `{kind}` tidak dikenal", f"unknown kind `{kind}`")
        ws.input_errors.append(InputError(
            rel, data.get("__line__"), "kind",
            text(f"{what['id']}; gunakan salah satu dari: {known}",
                 f"{what['en']}; use one of: {known}"),
            code="kind"))
        return None
    if kind == CROSS_FUNCTIONAL_KIND and _too_many_steps(ws, data, rel, config.limits):
        return None
    written = data.get(READER_FIELDS_KEY)
    if written is not None:  # a reader's own fields: not the model's, not unknown fields
        data = {k: v for k, v in data.items() if k != READER_FIELDS_KEY}
    reader_fields = ({f for f in written if isinstance(f, str)}
                     if isinstance(written, list | tuple | set | frozenset) else set())
    try:
        checked = validate_lenient(model, data, source)
    except Exception as exc:  # a plugin kind's validator that raises something else
        ws.input_errors.append(InputError(
            rel, data.get("__line__"), None,
            text(f"dokumen kind `{kind}` tidak dapat divalidasi: {type(exc).__name__}: {exc}",
                 f"document of kind `{kind}` could not be validated: {type(exc).__name__}: {exc}"),
            code="schema", dropped_kind=kind, dropped_unit=_stated_unit(data)))
        return None
    instance = checked.instance
    if instance is not None:
        lines = source.splitlines() if source is not None else None
        declared = config.fields.get(kind, set()) | reader_fields
        for line, name, closest in unknown_fields(instance, lines, data, declared):
            hint_id = f" — maksudnya `{closest[0]}`?" if closest else ""
            hint_en = f" — did you mean `{closest[0]}`?" if closest else ""
            ws.notices.append(InputError(rel, line, name, text(
                f"kolom `{name}` tidak dikenal dan tidak diperiksa{hint_id}",
                f"field `{name}` is not known and is not checked{hint_en}"),
                code="unknown-field"))
        for line, name, new in deprecated_fields(data, DEPRECATED_FIELDS.get(kind, {}), lines):
            ws.notices.append(InputError(rel, line, name, text(
                f"kolom `{name}` memakai ejaan lama; tulis `{new}` (ejaan lama masih dibaca, "
                "tetapi akan dihapus di format berikutnya)",
                f"field `{name}` uses an old spelling; write `{new}` (the old one is still "
                "read, but will be removed in the next format version)"),
                code="deprecated-field"))
    for line, name, message in checked.errors:
        ws.input_errors.append(InputError(
            rel, line, name, message, code="schema",
            dropped_kind=kind if instance is None else None,
            dropped_unit=_stated_unit(data) if instance is None else None))
    if instance is None:
        return None
    return LoadedDoc(file=rel, kind=kind, model=instance, sha256="",
                     pruned=[(p.container_line, field_path(p.path)) for p in checked.pruned])


def _check_manifest_paths(ws: Workspace, real_root: Path) -> None:
    manifest: WorkspaceDoc = ws.manifest  # type: ignore[assignment]
    for key in ("sotk", "rpjmd", "renstra", "maps", "waivers"):
        value = getattr(manifest, key)
        if not value:
            continue
        if any(ord(c) < 32 or ord(c) == 127 for c in value):  # NUL: no file system takes it
            _manifest_error(ws, key, value, "control")
            setattr(manifest, key, None)
            continue
        if os.path.isabs(value) or value.startswith(("/", "\\")):
            _manifest_error(ws, key, value, "absolute")
            setattr(manifest, key, None)
            continue
        target = (ws.root / value)
        try:
            resolved = target.resolve(strict=False)
        except (OSError, RuntimeError, ValueError):
            _manifest_error(ws, key, value, "loop")
            setattr(manifest, key, None)
            continue
        if not resolved.is_relative_to(real_root):
            _manifest_error(ws, key, value, "outside")
            setattr(manifest, key, None)
            continue
        if not target.exists():
            _manifest_error(ws, key, value, "missing")
            setattr(manifest, key, None)


def _manifest_error(ws: Workspace, key: str, value: str, why: str) -> None:
    messages = {
        "absolute": ("jalur absolut tidak diizinkan; tulis jalur relatif terhadap folder workspace",
                     "absolute paths are not allowed; "
                     "write a path relative to the workspace folder"),
        "outside": ("jalur mengarah ke luar folder workspace dan tidak dibaca",
                    "path points outside the workspace folder and is not read"),
        "control": ("jalur berisi karakter kendali (mis. NUL atau baris baru); tulis jalurnya "
                    "tanpa karakter itu",
                    "the path holds a control character (such as NUL or a line break); write "
                    "it without one"),
        "loop": ("jalur berisi tautan simbolik yang berputar",
                 "path contains a symbolic link loop"),
        "missing": ("berkas atau folder yang disebut tidak ada; periksa ejaan jalurnya",
                    "the file or folder named does not exist; check the path's spelling"),
    }
    id_msg, en_msg = messages[why]
    ws.input_errors.append(InputError(
        ws.manifest_file or "probis.yaml", ws.manifest.line if ws.manifest else None, key,
        text(f"`{key}: {value}`: {id_msg}", f"`{key}: {value}`: {en_msg}"), code="manifest"))


def _check_manifest_plugins(ws: Workspace) -> None:
    """`plugins:` may only declare kinds outside the core format, each with a package name."""
    manifest: WorkspaceDoc = ws.manifest  # type: ignore[assignment]
    for kind, dist in list(manifest.plugins.items()):
        problem = None
        if kind in CORE_KINDS:
            problem = text(f"`{kind}` adalah kind inti format probis, bukan kind plugin; "
                           "hapus baris ini",
                           f"`{kind}` is a core kind of the probis format, not a plugin kind; "
                           "remove this line")
        elif not isinstance(dist, str) or not dist.strip():
            problem = text("tulis nama paket plugin, misalnya `sop: probis-plugin-sop`",
                           "write the plugin's package name, e.g. `sop: probis-plugin-sop`")
        if problem is not None:
            ws.input_errors.append(InputError(
                ws.manifest_file or "probis.yaml", manifest.line, f"plugins.{kind}", problem,
                code="manifest"))
            del manifest.plugins[kind]


def _judge_unknown_kinds(ws: Workspace, unknown: list[UnknownKind], config: LoaderConfig) -> None:
    """An unknown kind is an input error unless the manifest says a plugin provides it.

    A declared kind whose plugin is not loaded is skipped with one notice per kind: the audit
    of everything else stays valid, and the notice says which package to install.
    """
    declared = ws.manifest.plugins if ws.manifest is not None else {}
    skipped: dict[str, list[str]] = {}
    for item in unknown:
        if item.kind in declared:
            skipped.setdefault(item.kind, []).append(item.file)
            continue
        known = ", ".join(sorted(config.kinds))
        ws.input_errors.append(InputError(
            item.file, item.line, "kind",
            text(f"kind `{item.kind}` tidak dikenal; gunakan salah satu dari: {known} "
                 "(kind dari plugin dideklarasikan di `plugins:` probis.yaml)",
                 f"unknown kind `{item.kind}`; use one of: {known} "
                 "(declare kinds that plugins provide under `plugins:` in probis.yaml)"),
            code="kind"))
    for kind, files in sorted(skipped.items()):
        dist = declared[kind]
        shown = ", ".join(files[:5]) + (f", ... (+{len(files) - 5})" if len(files) > 5 else "")
        ws.notices.append(InputError(
            ws.manifest_file or "probis.yaml", None, f"plugins.{kind}",
            text(f"{len(files)} dokumen ber-kind `{kind}` tidak diaudit karena plugin "
                 f"`{dist}` tidak dimuat ({shown}); pasang dengan `pip install {dist}` "
                 "atau periksa PROBIS_LOAD_PLUGINS",
                 f"{len(files)} documents of kind `{kind}` were not audited because plugin "
                 f"`{dist}` is not loaded ({shown}); install it with `pip install {dist}` "
                 "or check PROBIS_LOAD_PLUGINS"),
            code="plugin-kind"))


def _check_unique_ids(ws: Workspace) -> None:
    """Duplicate ids that make references ambiguous are input errors.

    Unit ids inside one SOTK, and the ids of SOTK and RPJMD documents (``previous:`` and a
    Renstra's ``rpjmd:`` point at them): the index keeps the first and would otherwise drop
    the second without a word. Duplicate map and process codes are REG004 findings and
    duplicate step ids FLW004 findings instead: those files stay fully audited.
    """
    for kind, versions in (("sotk", ws.sotk_versions), ("rpjmd", ws.rpjmd_versions)):
        for doc in ws.docs:
            if doc.kind != kind:
                continue
            first = versions.get(doc.model.id)
            if first is not None and first[1] != doc.file:
                ws.input_errors.append(InputError(
                    doc.file, doc.model.line, "id",
                    text(f"id {kind} `{doc.model.id}` sudah dipakai oleh {first[1]}; berkas ini "
                         "tidak dibaca. Beri setiap versi id yang unik",
                         f"{kind} id `{doc.model.id}` is already used by {first[1]}; this file "
                         "is not read. Give every version a unique id"),
                    code="duplicate"))
    for sotk, file in ws.sotk_versions.values():
        seen: dict[str, int | None] = {}
        for unit in sotk.units:
            if unit.id in seen:
                ws.input_errors.append(InputError(
                    file, unit.line, "units.id",
                    text(f"id unit `{unit.id}` dipakai dua kali "
                         f"(pertama di baris {seen[unit.id]}); "
                         "setiap unit harus punya id unik",
                         f"unit id `{unit.id}` is used twice (first at line {seen[unit.id]}); "
                         "every unit needs a unique id"),
                    code="duplicate"))
            else:
                seen[unit.id] = unit.line
