"""Safe XML parsing into a small element tree that remembers line numbers.

BPMN files come from outside tools. They are parsed by libxml2 (lxml) in C, configured with
the protections defusedxml gave: no entity substitution, no DTD loading or validation, no
network, no huge-tree mode (libxml2's own limits on depth, text size and entity amplification
stay on). On top of that a document whose DOCTYPE declares entities or names an external DTD
is refused outright, and any document libxml2 rejects is read once more by expat (stdlib, only
on that error path) so the message, line and column are the ones probis has always given.

A ``Node`` wraps an lxml element and is made only when the importer reaches it: the diagram
interchange part of a BPMN file (most of its elements) is never turned into Python objects.
``Node.line`` is the line where the element's start tag begins (lxml's ``sourceline`` is
the line where it ends; the two differ for start tags written over several lines).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from probis.engine.i18n import text
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError

if TYPE_CHECKING:
    from lxml import etree

# BPMN nests processes, sub-processes and extension elements; real files stay far below this.
# libxml2 without huge-tree mode refuses the same depth (256), so a deeper file fails in C.
MAX_XML_DEPTH = 256

# a start tag with a line break before its closing ">" (in the white space between attributes
# or inside a value); only files holding one need their lines recounted
_MULTILINE_TAG = re.compile(
    rb"<[^/!?<>](?:[^<>\"'\r\n]++|\"[^\"\r\n<]*+\"|'[^'\r\n<]*+')*+"
    rb"(?:[\r\n]|\"[^\"<]*?[\r\n]|'[^'<]*?[\r\n])")
# everything that may hold a "<" that opens no element, then the "<" of each start tag
_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|<(?=[^/!?])",
    re.S)


class Node:
    """One XML element: namespace, local name, attributes, line, child elements, text."""

    __slots__ = ("_el", "_lines", "_children", "ns", "tag")

    def __init__(self, el: etree._Element, lines: dict[Any, int] | None) -> None:
        self._el = el
        self._lines = lines
        self._children: list[Node] | None = None
        qname: str = el.tag
        if qname[0] == "{":
            self.ns, _, self.tag = qname[1:].partition("}")
        else:  # no namespace, or a prefix never declared: kept as written
            self.ns, _, self.tag = qname.rpartition(":")

    def get(self, name: str, ns: str | None = None) -> str | None:
        return self._el.get(name if ns is None else f"{{{ns}}}{name}")

    @property
    def attrs(self) -> dict[tuple[str | None, str], str]:
        out: dict[tuple[str | None, str], str] = {}
        for key, value in self._el.attrib.items():
            if key[0] == "{":
                ns, _, local = key[1:].partition("}")
                out[(ns, local)] = value
            else:
                prefix, _, local = key.rpartition(":")
                out[(prefix or None, local)] = value
        return out

    @property
    def line(self) -> int | None:
        if self._lines is not None:
            fixed = self._lines.get(self._el)
            if fixed is not None:
                return fixed
        return self._el.sourceline

    @property
    def children(self) -> list[Node]:
        if self._children is None:
            lines = self._lines
            self._children = [Node(c, lines) for c in self._el.iterchildren(_ELEMENT)]
        return self._children

    @property
    def text(self) -> str:
        """The character data directly inside the element (CDATA included, not the children's)."""
        el = self._el
        parts = [el.text or ""]
        parts.extend(c.tail for c in el if c.tail)
        return "".join(parts)

    def iter(self, ns: str | None = None, tag: str | None = None) -> list[Node]:
        """This node and every descendant, in document order; with ``ns`` and ``tag`` only the
        elements of that name (found by libxml2: no Node is made for the others)."""
        if tag is not None:
            lines = self._lines
            return [Node(e, lines) for e in self._el.iter(f"{{{ns}}}{tag}" if ns else tag)]
        out: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


_ELEMENT: Any = None  # lxml's etree.Element, once lxml is loaded (the filter for elements only)


def _parser(recover: bool) -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, recover=recover,
                           remove_comments=False, remove_pis=False)


def parse_xml(raw: bytes, limits: Limits | None = None) -> Node:
    """Parse ``raw`` into a Node tree or raise ParseError with the line and a fix."""
    global _ELEMENT
    from lxml import etree  # here, not at import: `probis --version` must not load libxml2

    _ELEMENT = etree.Element
    limits = limits or Limits()
    parser = _parser(recover=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        errors = list(parser.error_log.filter_from_errors())  # this parse's, not the thread's
        if not errors or any(e.domain_name != "NAMESPACE" for e in errors):
            raise _diagnose(raw, limits) or _invalid_lxml(exc) from None
        # well-formed, but a namespace libxml2 finds wrong (a URI with spaces, as IBM Process
        # Designer writes, or an undeclared prefix): expat never checked these, nor does probis
        root = etree.fromstring(raw, _parser(recover=True))

    if root is None:
        raise ParseError(None, None, text("berkas XML kosong", "the XML file is empty"))
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if docinfo.system_url or docinfo.public_id or (
            dtd is not None and next(dtd.iterentities(), None) is not None):
        refused = _diagnose(raw, limits)
        if refused is not None:  # else: standalone="yes", the external DTD is never read
            raise refused
    lines = _start_lines(raw, root, docinfo.encoding)
    if len(raw) >= 4 * (limits.max_elements + 1):  # "<a/>": fewer bytes cannot hold more
        count = int(root.xpath("count(//*)"))
        if count > limits.max_elements:
            el = next(e for i, e in enumerate(root.iter(etree.Element))
                      if i == limits.max_elements)
            raise _too_many(Node(el, lines).line, limits)
    return Node(root, lines)


def _start_lines(raw: bytes, root: etree._Element, encoding: str | None) -> dict[Any, int] | None:
    """Start-tag lines that differ from lxml's ``sourceline`` (None when none can)."""
    from lxml import etree

    wide = raw[:4].count(b"\x00") > 0  # UTF-16/32: the byte patterns do not apply
    # libxml2 keeps a line number in 16 bits: past line 65535 it reports 65535
    short = raw.count(b"\n") + raw.count(b"\r") < 65_535
    if not wide and short and _MULTILINE_TAG.search(raw) is None:
        return None
    try:
        source = raw.decode(encoding or "utf-8", errors="replace")
    except LookupError:  # an encoding libxml2 knows by a name Python does not
        source = raw.decode("utf-8", errors="replace")
    if source.startswith("\ufeff"):
        source = source[1:]
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    starts = [m.start() for m in _MARKUP.finditer(source) if m.end() - m.start() == 1]
    elements = list(root.iter(etree.Element))
    if len(starts) != len(elements):
        return None  # cannot happen for a document libxml2 accepted; keep libxml2's lines
    fixed: dict[Any, int] = {}
    line, last = 1, 0
    for el, pos in zip(elements, starts, strict=True):
        line += source.count("\n", last, pos)
        last = pos
        if el.sourceline != line:
            fixed[el] = line  # keeps the proxy alive, so the Node made later finds the same one
    return fixed


def _too_many(line: int | None, limits: Limits) -> ParseError:
    n = f"{limits.max_elements:,}"
    return ParseError(line, None, text(
        f"berkas XML berisi lebih dari {n.replace(',', '.')} elemen (batas PROBIS_MAX_ELEMENTS); "
        "pecah petanya atau naikkan batas dengan PROBIS_MAX_ELEMENTS",
        f"XML file holds more than {n} elements (limit PROBIS_MAX_ELEMENTS); split the map or "
        "raise the limit with PROBIS_MAX_ELEMENTS"))


class _Refused(Exception):
    def __init__(self, kind: str, line: int) -> None:
        super().__init__(kind)
        self.kind = kind
        self.line = line


def _diagnose(raw: bytes, limits: Limits) -> ParseError | None:
    """The error for a document libxml2 rejected (or whose DOCTYPE probis refuses), as expat
    words it: expat is what probis parsed with before, and its messages are what users know.
    Entity declarations and external references are refused in expat's callbacks, before any
    is expanded or fetched. None when expat finds nothing wrong."""
    parser = expat.ParserCreate()
    depth = [0, 0]  # open elements, elements seen

    def refuse(kind: str) -> Any:
        def handler(*_args: Any) -> None:
            raise _Refused(kind, parser.CurrentLineNumber)
        return handler

    def start(_name: str, _attrs: Any) -> None:
        depth[1] += 1
        if depth[1] > limits.max_elements:
            raise _too_many(parser.CurrentLineNumber, limits)
        if depth[0] >= MAX_XML_DEPTH:
            raise ParseError(parser.CurrentLineNumber, None, text(
                f"elemen XML bersarang lebih dari {MAX_XML_DEPTH} tingkat",
                f"XML elements nest deeper than {MAX_XML_DEPTH} levels"))
        depth[0] += 1

    def end(_name: str) -> None:
        depth[0] -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = refuse("EntitiesForbidden")
    parser.UnparsedEntityDeclHandler = refuse("EntitiesForbidden")
    parser.ExternalEntityRefHandler = refuse("ExternalReferenceForbidden")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE)
    try:
        parser.Parse(raw, True)
    except ParseError as exc:
        return exc
    except _Refused as exc:
        return ParseError(exc.line, None, text(
            f"XML berisi deklarasi entitas atau rujukan eksternal ({exc.kind}); "
            "probis menolaknya demi keamanan (bom XML). Ekspor ulang berkas dari alat pemodelan",
            f"XML holds entity declarations or external references ({exc.kind}); "
            "probis refuses them for safety (XML bombs). Export the file again from the "
            "modelling tool"))
    except expat.ExpatError as exc:
        return _invalid(exc.lineno, exc.offset, expat.ErrorString(exc.code))
    return None


def _invalid_lxml(exc: etree.XMLSyntaxError) -> ParseError:
    """What libxml2 found wrong, for the rare file expat accepts and libxml2 does not."""
    line, column = exc.position if exc.position else (exc.lineno, 0)
    return _invalid(line, column, (exc.msg or str(exc)).split(", line ")[0])


def _invalid(line: int | None, column: int, message: str) -> ParseError:
    return ParseError(line, None, text(
        f"XML tidak sah pada baris {line} kolom {column}: {message}. "
        "Ekspor ulang berkas dari alat pemodelan",
        f"invalid XML at line {line} column {column}: {message}. "
        "Export the file again from the modelling tool"))
