"""Safe parsing of YAML and JSON files into plain Python data with line numbers.

Why not ``yaml.safe_load``: it keeps the last of two duplicate keys silently, it expands alias
bombs without limit, and it forgets where things were. Here the C parser (libyaml, when
available) builds the node tree, and a small walker turns nodes into dicts, lists and scalars:
- every mapping gets a ``__line__`` entry (1-based) so errors and findings can name a line;
- a duplicate key is an error, not last-wins;
- only the standard YAML tags are accepted, so no tag can construct a Python object;
- depth and element count are bounded (``Limits``); the element count before the file is
  composed or decoded (engine/elementcount.py), so a huge flat list never reaches memory;
  what aliases add is bounded too: the
  expanded size of the node graph is computed once per distinct node before anything is
  built, so a billion-laughs file fails in milliseconds with a message naming the limit;
- a scalar that cannot be converted (`2025-13-45`, a 5,000-digit number) is an error with
  its line, never an exception.
"""

from __future__ import annotations

import json
from typing import Any

from .elementcount import json_bound, json_count, yaml_bound, yaml_line_past
from .i18n import text
from .limits import Limits
from .yamlimport import yaml  # PyYAML, its pure-Python reader's expression compiled on use

try:  # the C parser is much faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

LINE_KEY = "__line__"
# a reader plugin's document may list, under this key, the plain paths of the fields it wrote
# itself (``steps.note``, ``source``: list indexes left out); the loader takes the key out and
# does not report those fields as unknown in that document (a user's YAML never sets it)
READER_FIELDS_KEY = "__reader_fields__"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


_ScalarNode = yaml.ScalarNode
_TYPED_FIRST = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)


class _FastLoader(_Loader):  # type: ignore[misc, valid-type]
    """The C loader with shortcuts for what libyaml's composer calls back (in Python) for
    every node (docs/design-notes.md, "Loading"):
    - ``resolve``: a plain scalar whose first character starts no implicit type (bool, int,
      float, null, timestamp, ...) is a string, and so is a quoted one; a mapping or sequence
      gets the default tag. Exactly what the full resolver answers, without its regular
      expressions, which only the other plain scalars go through (their answer depends on
      the text alone, so it is remembered);
    - ``descend_resolver`` / ``ascend_resolver`` only track paths for path resolvers, and
      there are none: C callables that do nothing replace them."""

    _resolved: dict[str, str] = {}  # plain scalar text -> tag, for the typed-first ones

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.descend_resolver = slice  # called with (parent, index): builds a slice, no more
        self.ascend_resolver = tuple  # called with nothing: the empty tuple

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _ScalarNode:
            if not implicit[0] or value and value[0] not in _TYPED_FIRST:
                return _STR_TAG
            tag = self._resolved.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._resolved) < _RESOLVED_MAX:
                    self._resolved[value] = tag
            return tag
        return _MAP_TAG if kind is yaml.MappingNode else _SEQ_TAG


_RESOLVED_MAX = 50_000
_MAP_TAG = _Loader.DEFAULT_MAPPING_TAG
_SEQ_TAG = _Loader.DEFAULT_SEQUENCE_TAG

# the shortcuts are only exact when no resolver applies to every value or to a path, and
# the defaults are the standard tags
if (None in _Loader.yaml_implicit_resolvers or _Loader.yaml_path_resolvers
        or _Loader.DEFAULT_SCALAR_TAG != _STR_TAG):  # pragma: no cover
    _FastLoader = _Loader  # type: ignore[misc]

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class ParseError(Exception):
    def __init__(self, line: int | None, field: str | None, message: dict[str, str]) -> None:
        super().__init__(message.get("en"))
        self.line = line
        self.field = field
        self.message = message


def decode(raw: bytes) -> str:
    """UTF-8 with an optional BOM; CRLF is normalised by the YAML parser itself."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParseError(
            line,
            None,
            text(
                f"berkas bukan teks UTF-8 (byte tidak sah pada posisi {exc.start}); "
                "simpan ulang berkas dengan encoding UTF-8",
                f"file is not UTF-8 text (invalid byte at offset {exc.start}); "
                "save the file again with UTF-8 encoding",
            ),
        ) from None


def parse_bytes(raw: bytes, filename: str, limits: Limits) -> Any:
    """Parse one file's bytes; raises ParseError with line and a plain-language message."""
    if len(raw) > limits.max_file_bytes:
        raise ParseError(
            None,
            None,
            text(
                f"berkas terlalu besar ({len(raw):,} byte, batas {limits.max_file_bytes:,}); "
                "pecah menjadi beberapa berkas atau naikkan batas dengan PROBIS_MAX_FILE_BYTES",
                f"file too large ({len(raw):,} bytes, limit {limits.max_file_bytes:,}); "
                "split it into several files or raise the limit with PROBIS_MAX_FILE_BYTES",
            ),
        )
    content = decode(raw)
    if not content.strip():
        raise ParseError(
            None,
            None,
            text(
                "berkas kosong; isi dengan dokumen yang memiliki `kind` atau hapus berkasnya",
                "file is empty; give it a document with a `kind`, or delete it",
            ),
        )
    if filename.lower().endswith(".json"):
        # the element limit holds before anything is decoded (engine/elementcount.py)
        limit = limits.max_elements
        if json_bound(raw, limit) > limit and json_count(raw) > limit:
            raise _elements_error(None, limits)
        return _parse_json(content, limits)
    return _parse_yaml(content, limits, raw)


def _parse_json(content: str, limits: Limits) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ParseError(
                    None,
                    key,
                    text(
                        f"kunci `{key}` ditulis dua kali dalam satu objek; hapus salah satunya",
                        f"key `{key}` appears twice in one object; remove one of them",
                    ),
                )
            out[key] = value
        return out

    try:
        data = json.loads(content, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise ParseError(
            exc.lineno,
            None,
            text(
                f"JSON tidak sah: {exc.msg} (kolom {exc.colno})",
                f"invalid JSON: {exc.msg} (column {exc.colno})",
            ),
        ) from None
    except RecursionError:
        raise _depth_error(None, limits) from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise ParseError(None, None,
                         text(f"JSON tidak sah: {exc}", f"invalid JSON: {exc}")) from None
    _check_shape(data, limits)
    return data


def _check_shape(data: Any, limits: Limits) -> None:
    count = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > limits.max_depth:
            raise _depth_error(None, limits)
        if count > limits.max_elements:
            raise _elements_error(None, limits)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _parse_yaml(content: str, limits: Limits, raw: bytes) -> Any:
    loader = _FastLoader(content)
    try:
        # the element limit holds before the node tree is composed (engine/elementcount.py):
        # a bound from character counts, and only past it an exact count of parser events
        limit = limits.max_elements
        if yaml_bound(raw, limit) > limit:
            past = yaml_line_past(content, limit, _Loader)
            if past is not None:
                raise _elements_error(past, limits)
        try:
            node = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if "expected a single document" in str(exc):
                raise ParseError(
                    _mark_line(exc.problem_mark),
                    None,
                    text(
                        "berkas berisi lebih dari satu dokumen YAML (`---`); "
                        "simpan setiap dokumen dalam berkasnya sendiri",
                        "file holds more than one YAML document (`---`); "
                        "put each document in a file of its own",
                    ),
                ) from None
            raise
        if node is None:
            raise ParseError(None, None, text("berkas kosong", "file is empty"))
        # Only an anchor (`&name`) lets aliases share nodes; without an `&` anywhere in the
        # text the graph is a tree, and the builder's own depth and element counts bound it
        # (an `&` inside a string only costs the walk).
        if "&" in content:
            _check_graph(node, limits)
        return _Builder(loader, limits).build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if "maximum nesting depth" in problem:  # libyaml's own bound (1000 levels)
            raise _depth_error(_mark_line(mark), limits) from None
        hint_id, hint_en = _yaml_hint(content, _mark_line(mark))
        raise ParseError(
            _mark_line(mark),
            None,
            text(
                f"YAML tidak sah: {_in_indonesian(problem, YAML_PROBLEMS_ID)}{hint_id}",
                f"invalid YAML: {problem}{hint_en}",
            ),
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line = content[: exc.position].count("\n") + 1
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise ParseError(line, None, text(
            f"YAML tidak sah: karakter kendali {char} tidak diizinkan; hapus karakter tersebut",
            f"invalid YAML: control character {char} is not allowed; remove it")) from None
    except yaml.YAMLError as exc:
        raise ParseError(None, None,
                         text(f"YAML tidak sah: {exc}", f"invalid YAML: {exc}")) from None
    except RecursionError:
        raise _depth_error(None, limits) from None
    finally:
        loader.dispose()


# The parser's usual complaints in Indonesian, so an Indonesian message does
# not carry an English clause; one not listed is shown as it is.
YAML_PROBLEMS_ID: dict[str, str] = {
    "found a tab character that violates indentation": "ada karakter tab yang merusak indentasi",
    "found character '\\t' that cannot start any token": "ada karakter tab yang merusak indentasi",
    "found character that cannot start any token": "ada karakter yang tidak dapat mengawali nilai",
    "mapping values are not allowed": "tanda titik dua (`:`) tidak boleh ada di sini",
    "could not find expected ':'": "tanda titik dua (`:`) yang diharapkan tidak ditemukan",
    "did not find expected key": "kolom yang diharapkan tidak ditemukan",
    "did not find expected '-' indicator": "tanda `-` butir daftar yang diharapkan tidak ditemukan",
    "did not find expected ',' or ']'": "tanda `,` atau `]` yang diharapkan tidak ditemukan",
    "did not find expected ',' or '}'": "tanda `,` atau `}` yang diharapkan tidak ditemukan",
    "found unexpected end of stream": "berkas berakhir sebelum tanda kutip atau kurung ditutup",
    "found undefined alias": "alias (`*nama`) yang dirujuk tidak didefinisikan",
    "expected <block end>, but found": "struktur blok tidak sesuai indentasinya",
}


def _in_indonesian(problem: str, known: dict[str, str]) -> str:
    return next((said for english, said in known.items() if english in problem), problem)


def _yaml_hint(content: str, line: int | None) -> tuple[str, str]:
    lines = content.splitlines()
    if line and 0 < line <= len(lines) and "\t" in lines[line - 1]:
        return (
            "; gunakan spasi, bukan tab, untuk indentasi",
            "; indent with spaces, not tabs",
        )
    return ("; periksa indentasi dan tanda titik dua", "; check indentation and colons")


def _mark_line(mark: Any) -> int | None:
    return None if mark is None else mark.line + 1


def _depth_error(line: int | None, limits: Limits) -> ParseError:
    return ParseError(
        line,
        None,
        text(
            f"struktur terlalu dalam (lebih dari {limits.max_depth} tingkat); "
            "periksa berkas atau naikkan batas dengan PROBIS_MAX_DEPTH",
            f"nesting too deep (more than {limits.max_depth} levels); "
            "check the file or raise the limit with PROBIS_MAX_DEPTH",
        ),
    )


def _elements_error(line: int | None, limits: Limits) -> ParseError:
    return ParseError(
        line,
        None,
        text(
            f"berkas berisi terlalu banyak elemen (lebih dari {limits.max_elements:,}; "
            "mungkin alias YAML yang berlipat ganda); pecah berkas atau naikkan batas "
            "dengan PROBIS_MAX_ELEMENTS",
            f"file holds too many elements (more than {limits.max_elements:,}; perhaps "
            "multiplying YAML aliases); split the file or raise the limit with "
            "PROBIS_MAX_ELEMENTS",
        ),
    )


def _check_graph(root: yaml.Node, limits: Limits) -> None:
    """Bound what aliases add before building anything.

    The composed node graph shares an anchored node between all its aliases, so it is small
    even for a billion-laughs file; its *expanded* size is computed here once per distinct
    node (memoised), which costs time linear in the file, not in the expansion.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()
    added = 0  # elements that aliases add beyond the written ones

    def size(node: yaml.Node, depth: int) -> int:
        nonlocal added
        key = id(node)
        line = node.start_mark.line + 1
        if key in sizes:  # a second (or later) use of an anchored node: an alias
            added += sizes[key]
            if added > limits.max_alias_expansion:
                raise _alias_error(line, limits)
            return sizes[key]
        if key in active:
            raise ParseError(line, None, text(
                "alias YAML merujuk dirinya sendiri (struktur tak berujung); hapus alias tersebut",
                "a YAML alias refers to itself (an endless structure); remove the alias"))
        if depth > limits.max_depth:
            raise _depth_error(line, limits)
        total = 1
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            active.add(key)
            children = (node.value if isinstance(node, yaml.SequenceNode)
                        else [n for pair in node.value for n in pair])
            for child in children:
                total += size(child, depth + 1)
            active.discard(key)
        sizes[key] = total
        return total

    if size(root, 1) > limits.max_elements:
        raise _elements_error(None, limits)


def _alias_error(line: int | None, limits: Limits) -> ParseError:
    return ParseError(
        line,
        None,
        text(
            f"alias YAML (`*nama`) mengembang menjadi lebih dari {limits.max_alias_expansion:,} "
            "elemen (batas PROBIS_MAX_ALIAS_EXPANSION); tulis isinya secara langsung atau "
            "naikkan batas dengan PROBIS_MAX_ALIAS_EXPANSION",
            f"YAML aliases (`*name`) expand to more than {limits.max_alias_expansion:,} "
            "elements (limit PROBIS_MAX_ALIAS_EXPANSION); write the content out or raise the "
            "limit with PROBIS_MAX_ALIAS_EXPANSION",
        ),
    )


def _scalar_error(node: yaml.ScalarNode, exc: Exception) -> ParseError:
    value = node.value if len(node.value) <= 40 else node.value[:40] + "..."
    if "digits" in str(exc):  # Python's own advice (sys.set_int_max_str_digits) is no use here
        why = text(f"angka dengan {len(node.value):,} digit terlalu panjang".replace(",", "."),
                   f"a number of {len(node.value):,} digits is too long")
    else:
        why = text(str(exc), str(exc))
    return ParseError(node.start_mark.line + 1, None, text(
        f"nilai `{value}` tidak dapat dibaca ({why['id']}); tulis sebagai teks dalam tanda kutip",
        f"value `{value}` cannot be read ({why['en']}); write it as text in quotes"))


class _Builder:
    """Turns a composed node tree into plain data, enforcing the rules in the module doc.

    A child that is a plain string (most nodes) is handled in its parent's loop with the
    same checks, in the same order, as ``build`` makes: counted, its depth bounded (the
    inline path is taken only when the depth is within the limit), its tag allowed."""

    def __init__(self, loader: Any, limits: Limits) -> None:
        self.loader = loader
        self.limits = limits
        self.count = 0

    def build(self, node: yaml.Node, depth: int = 1) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > self.limits.max_elements:
            raise _elements_error(line, self.limits)
        if depth > self.limits.max_depth:
            raise _depth_error(line, self.limits)
        if node.tag not in _ALLOWED_TAGS:
            raise ParseError(
                line,
                None,
                text(
                    f"tag YAML `{node.tag}` tidak diizinkan; probis hanya membaca data biasa "
                    "(teks, angka, tanggal, daftar, pemetaan). Hapus tag tersebut",
                    f"YAML tag `{node.tag}` is not allowed; probis reads plain data only "
                    "(text, numbers, dates, lists, mappings). Remove the tag",
                ),
            )
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value  # what construct_object returns for a str, minus 3 calls
            try:
                return self.loader.construct_object(node, deep=False)
            except (ValueError, OverflowError) as exc:
                if node.tag == _TIMESTAMP_TAG:
                    # shaped like a date but none (2026-13-01): its text, so that validation
                    # drops this one value with its field's error, not the whole file
                    return node.value
                raise _scalar_error(node, exc) from None
        # children of this node: their strings are taken inline when within the depth limit
        inline = depth + 1 <= self.limits.max_depth
        max_elements = self.limits.max_elements
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            for item in node.value:
                if inline and item.__class__ is _Scalar and item.tag == _STR_TAG:
                    self.count += 1
                    if self.count > max_elements:
                        raise _elements_error(item.start_mark.line + 1, self.limits)
                    items.append(item.value)
                else:
                    items.append(self.build(item, depth + 1))
            return items
        result: dict[Any, Any] = {LINE_KEY: line}
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_tag == _MERGE_TAG:
                raise ParseError(
                    key_node.start_mark.line + 1,
                    None,
                    text(
                        "kunci gabungan YAML (`<<`) tidak didukung; tulis isinya secara langsung",
                        "YAML merge keys (`<<`) are not supported; write the fields out",
                    ),
                )
            if key_node.__class__ is not _Scalar and not isinstance(key_node, yaml.ScalarNode):
                raise ParseError(
                    key_node.start_mark.line + 1,
                    None,
                    text("kunci harus berupa teks sederhana", "keys must be plain scalars"),
                )
            if inline and key_tag == _STR_TAG:
                self.count += 1
                if self.count > max_elements:
                    raise _elements_error(key_node.start_mark.line + 1, self.limits)
                key = key_node.value
            else:
                key = self.build(key_node, depth + 1)
                if isinstance(key, bool) or key is None:
                    key = key_node.value  # e.g. `on:` or `null:` as a key: keep what was written
            if key in result:
                raise ParseError(
                    key_node.start_mark.line + 1,
                    str(key),
                    text(
                        f"kunci `{key}` ditulis dua kali dalam satu pemetaan "
                        f"(pertama di baris sebelumnya); hapus salah satunya",
                        f"key `{key}` appears twice in one mapping; remove one of them",
                    ),
                )
            if inline and value_node.__class__ is _Scalar and value_node.tag == _STR_TAG:
                self.count += 1
                if self.count > max_elements:
                    raise _elements_error(value_node.start_mark.line + 1, self.limits)
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, depth + 1)
        return result


_Scalar = yaml.ScalarNode
_MERGE_TAG = "tag:yaml.org,2002:merge"
