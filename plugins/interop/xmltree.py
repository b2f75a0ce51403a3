"""Safe XML parsing into a small element tree that remembers line numbers.

BPMN files come from outside tools, so they are parsed with defusedxml's SAX parser: entity
declarations (billion laughs, quadratic blow-up), external entities and DTD fetches are refused,
and nothing is ever read from the network. The standard ElementTree keeps no line numbers; the
SAX locator does, and findings must point at the BPMN element's line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import (
    ContentHandler,
    feature_external_ges,
    feature_external_pes,
    feature_namespaces,
)

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from probis.engine.i18n import text
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError

# BPMN nests processes, sub-processes and extension elements; real files stay far below this.
MAX_XML_DEPTH = 256


@dataclass(eq=False)
class Node:
    ns: str
    tag: str
    attrs: dict[tuple[str | None, str], str]
    line: int | None
    children: list[Node] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    def get(self, name: str, ns: str | None = None) -> str | None:
        return self.attrs.get((ns, name))

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def iter(self) -> list[Node]:
        """This node and every descendant, in document order."""
        out: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


class _FastParser(DefusedExpatParser):
    """defusedxml's SAX parser (its entity and external-reference guards stay installed), with
    element callbacks wired straight to expat: the SAX attribute wrappers are slow."""

    def __init__(self, builder: _Builder) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.builder = builder

    def reset(self) -> None:
        super().reset()
        expat = self._parser
        self.builder.expat = expat
        expat.StartElementHandler = self.builder.startElement
        expat.EndElementHandler = self.builder.endElement
        expat.CharacterDataHandler = self.builder.characters


class _Builder(ContentHandler):
    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self.root: Node | None = None
        self.stack: list[Node] = []
        self.count = 0
        self.limits = limits
        self._locator = None
        self.expat = None
        # prefix -> namespace URI in scope. Namespaces are resolved here rather than by expat,
        # because expat's SAX mode splits names on a space and real BPMN files (IBM Process
        # Designer) declare namespace URIs that contain spaces.
        self.scopes: list[dict[str, str]] = [{"xml": "http://www.w3.org/XML/1998/namespace"}]

    def setDocumentLocator(self, locator):  # noqa: N802 - SAX API name
        self._locator = locator

    def startElement(self, name, attrs):  # noqa: N802 - SAX API name
        self.count += 1
        line = self.expat.CurrentLineNumber if self.expat is not None else None
        if self.count > self.limits.max_elements:
            raise ParseError(line, None, text(
                f"berkas XML berisi lebih dari {self.limits.max_elements:,} elemen",
                f"XML file holds more than {self.limits.max_elements:,} elements"))
        if len(self.stack) >= MAX_XML_DEPTH:
            raise ParseError(line, None, text(
                f"elemen XML bersarang lebih dari {MAX_XML_DEPTH} tingkat",
                f"XML elements nest deeper than {MAX_XML_DEPTH} levels"))
        scope = self.scopes[-1]
        declared = {k[6:] if k.startswith("xmlns:") else "": v for k, v in attrs.items()
                    if k == "xmlns" or k.startswith("xmlns:")}
        if declared:
            scope = scope | declared
        self.scopes.append(scope)
        prefix, _, local = name.rpartition(":")
        resolved: dict[tuple[str | None, str], str] = {}
        for key, value in attrs.items():
            if key == "xmlns" or key.startswith("xmlns:"):
                continue
            a_prefix, _, a_local = key.rpartition(":")
            # unprefixed attributes have no namespace; an undeclared prefix is kept as written
            resolved[(scope.get(a_prefix, a_prefix) if a_prefix else None, a_local)] = value
        node = Node(scope.get(prefix, prefix), local, resolved, line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name):  # noqa: N802 - SAX API name
        self.stack.pop()
        self.scopes.pop()

    def characters(self, content):
        if self.stack:
            self.stack[-1].text_parts.append(content)


def parse_xml(raw: bytes, limits: Limits | None = None) -> Node:
    """Parse ``raw`` into a Node tree or raise ParseError with the line and a fix."""
    limits = limits or Limits()
    builder = _Builder(limits)
    parser = _FastParser(builder)
    parser.setFeature(feature_namespaces, False)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(builder)
    try:
        parser.parse(io.BytesIO(raw))
    except DefusedXmlException as exc:
        raise ParseError(None, None, text(
            f"XML berisi deklarasi entitas atau rujukan eksternal ({type(exc).__name__}); "
            "probis menolaknya demi keamanan (bom XML). Ekspor ulang berkas dari alat pemodelan",
            f"XML holds entity declarations or external references ({type(exc).__name__}); "
            "probis refuses them for safety (XML bombs). Export the file again from the "
            "modelling tool")) from None
    except SAXParseException as exc:
        raise ParseError(exc.getLineNumber(), None, text(
            f"XML tidak sah pada baris {exc.getLineNumber()} kolom {exc.getColumnNumber()}: "
            f"{exc.getMessage()}. Ekspor ulang berkas dari alat pemodelan",
            f"invalid XML at line {exc.getLineNumber()} column {exc.getColumnNumber()}: "
            f"{exc.getMessage()}. Export the file again from the modelling tool")) from None
    except SAXException as exc:
        raise ParseError(None, None, text(
            f"XML tidak dapat dibaca: {exc}", f"XML cannot be read: {exc}")) from None
    if builder.root is None:
        raise ParseError(None, None, text("berkas XML kosong", "the XML file is empty"))
    return builder.root
