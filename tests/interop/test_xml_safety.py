"""The BPMN XML parser (plugins/interop/xmltree.py, libxml2 through lxml): the protections
defusedxml gave, the lines and messages probis has always reported, and lxml loaded only
when a .bpmn file is read."""

from __future__ import annotations

import http.server
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError
from probis.plugins.interop.xmltree import MAX_XML_DEPTH, parse_xml

NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'
LOL = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
       + "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">'
                 for i in range(1, 10)) + "]>")


def _refused(raw: bytes) -> ParseError:
    t0 = time.perf_counter()
    with pytest.raises(ParseError) as caught:
        parse_xml(raw)
    assert time.perf_counter() - t0 < 5  # refused, not expanded: a bomb would take minutes
    return caught.value


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every path asked of it."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            asked.append(self.path)
            body = b'<!ENTITY x "FETCHED">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("name, raw", [
    ("billion laughs in text",
     f'<?xml version="1.0"?>\n{LOL}\n<definitions {NS}><process id="p">&lol9;</process>'
     "</definitions>"),
    ("billion laughs in an attribute",
     f'<?xml version="1.0"?>\n{LOL}\n<definitions {NS}><process id="p" name="&lol9;"/>'
     "</definitions>"),
    ("quadratic blow-up",
     '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "' + "x" * 50_000 + '">]>\n'
     f'<definitions {NS}><process id="p" name="' + "&a;" * 2_000 + '"/></definitions>'),
    ("unparsed entity",
     '<?xml version="1.0"?>\n<!DOCTYPE d [<!NOTATION n SYSTEM "x"><!ENTITY u SYSTEM "x" NDATA n>'
     f']>\n<definitions {NS}/>'),
])
def test_entity_declarations_are_refused_with_the_line(name: str, raw: str) -> None:
    err = _refused(raw.encode())
    assert "EntitiesForbidden" in err.message["en"] and "XML bombs" in err.message["en"]
    assert err.line == 2  # the DOCTYPE's line: the reader prefixes the file name


def test_a_utf16_bomb_is_refused_too() -> None:
    raw = (f'<?xml version="1.0" encoding="UTF-16"?>\n{LOL}\n<definitions {NS}>'
           '<process id="p">&lol9;</process></definitions>').encode("utf-16")
    assert "EntitiesForbidden" in _refused(raw).message["en"]


def test_external_entities_read_no_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA-NEGARA", encoding="utf-8")
    raw = (f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
           f'<definitions {NS}><process id="p" name="a">&x;</process></definitions>').encode()
    err = _refused(raw)
    assert "EntitiesForbidden" in err.message["en"]
    assert "RAHASIA" not in str(err.message)


def test_nothing_is_fetched_from_the_network(web: tuple[str, list[str]], tmp_path: Path) -> None:
    base, asked = web
    dtd = tmp_path / "ent.dtd"
    dtd.write_text('<!ENTITY ext "FROM-DISK">', encoding="utf-8")
    cases = {
        "external entity": (f'<!DOCTYPE d [<!ENTITY x SYSTEM "{base}/entity">]>', "&x;",
                            "EntitiesForbidden"),
        "parameter entity": (f'<!DOCTYPE d [<!ENTITY % p SYSTEM "{base}/pe"> %p;]>', "",
                             "EntitiesForbidden"),
        "external DTD over http": (f'<!DOCTYPE definitions SYSTEM "{base}/dtd">', "",
                                   "ExternalReferenceForbidden"),
        "external DTD by PUBLIC id": (f'<!DOCTYPE definitions PUBLIC "-//X//Y" "{base}/pub">',
                                      "", "ExternalReferenceForbidden"),
        "external DTD on disk": (f'<!DOCTYPE definitions SYSTEM "{dtd.as_uri()}">', "&ext;",
                                 "ExternalReferenceForbidden"),
    }
    for name, (doctype, body, kind) in cases.items():
        raw = (f'<?xml version="1.0"?>\n{doctype}\n<definitions {NS}><process id="p">{body}'
               "</process></definitions>").encode()
        err = _refused(raw)
        assert kind in err.message["en"], name
        assert err.line == 2, name
        assert "FETCHED" not in str(err.message) and "FROM-DISK" not in str(err.message)
    assert asked == []


def test_a_standalone_document_never_reads_its_external_dtd(web: tuple[str, list[str]]) -> None:
    base, asked = web
    raw = (f'<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE definitions SYSTEM "{base}/x">\n'
           f'<definitions {NS}><process id="p"/></definitions>').encode()
    assert parse_xml(raw).children[0].get("id") == "p"  # as before: nothing to expand
    assert asked == []


def test_a_doctype_without_entities_is_read() -> None:
    raw = (f'<?xml version="1.0"?>\n<!DOCTYPE definitions [<!ELEMENT definitions ANY>]>\n'
           f'<definitions {NS}>\n<process id="p"/></definitions>').encode()
    assert [(c.tag, c.line) for c in parse_xml(raw).children] == [("process", 4)]


def _nested(levels: int) -> bytes:
    inner = levels - 1
    return (f"<definitions {NS}>\n" + "<a>\n" * inner + "</a>" * inner
            + "</definitions>").encode()


def test_depth_limit_keeps_its_message_and_line() -> None:
    assert parse_xml(_nested(MAX_XML_DEPTH)).tag == "definitions"
    with pytest.raises(ParseError) as caught:
        parse_xml(_nested(MAX_XML_DEPTH + 1))
    assert caught.value.message["en"] == f"XML elements nest deeper than {MAX_XML_DEPTH} levels"
    assert caught.value.line == MAX_XML_DEPTH + 1


def test_element_limit_names_the_line_of_the_first_element_too_many() -> None:
    raw = (f"<definitions {NS}>\n<process id='p'>\n<task\n id='a'/>\n<task id='b'/>\n"
           "<task\n\n id='c'/></process></definitions>").encode()
    assert len(parse_xml(raw, Limits(max_elements=5)).iter()) == 5
    with pytest.raises(ParseError) as caught:
        parse_xml(raw, Limits(max_elements=4))
    # the message names the limit's variable, as every limit message does (docs/limits.md)
    assert caught.value.message["en"] == ("XML file holds more than 4 elements (limit "
                                          "PROBIS_MAX_ELEMENTS); split the map or raise the "
                                          "limit with PROBIS_MAX_ELEMENTS")
    assert "PROBIS_MAX_ELEMENTS" in caught.value.message["id"]
    assert caught.value.line == 6  # where the fifth start tag begins


@pytest.mark.parametrize("raw, message", [
    (b"<definitions><unclosed></definitions>", "line 1 column 25: mismatched tag"),
    (b"", "line 1 column 0: no element found"),
    (f"<definitions {NS}/>\n<more/>".encode(), "line 2 column 0: junk after document element"),
    (f"<definitions {NS}>\n<process id='p'>&nbsp;</process></definitions>".encode(),
     "line 2 column 16: undefined entity"),
    (f"<definitions {NS}>\n<process id='p' id='q'/></definitions>".encode(),
     "line 2 column 16: duplicate attribute"),
    (f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions {NS} name="caf\xe9"/>'
     .encode("latin-1"), "line 2 column 74: not well-formed (invalid token)"),
])
def test_invalid_xml_is_worded_as_before(raw: bytes, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_xml(raw)
    assert caught.value.message["en"] == (f"invalid XML at {message}. Export the file again "
                                          "from the modelling tool")
    assert caught.value.line == int(message.split()[1])


MULTILINE = f"""<?xml version="1.0"?>
<!-- a comment holding <task id="x"
     > that is no element -->
<definitions {NS} xmlns:x="urn:IBM Process Designer/spaces">
  <process
     id="p" name="a &gt; b">
    <task id="a"
    /><task id="b"/><task
       id="c" name="two
lines"/>
    <sequenceFlow id="f"><conditionExpression><![CDATA[ a <b
      ]]>rest</conditionExpression></sequenceFlow>
    <x:ext und:attr="1"><und:thing/></x:ext>
  </process>
</definitions>
"""


@pytest.mark.parametrize("encoding, newline", [
    ("utf-8", "\n"), ("utf-8", "\r\n"), ("utf-8", "\r"), ("utf-16", "\n")])
def test_lines_are_where_start_tags_begin(encoding: str, newline: str) -> None:
    source = MULTILINE.replace("\n", newline)
    if encoding == "utf-16":
        source = source.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    root = parse_xml(source.encode(encoding))
    got = [(n.tag, n.get("id"), n.line) for n in root.iter()]
    assert got == [("definitions", None, 4), ("process", "p", 5), ("task", "a", 7),
                   ("task", "b", 8), ("task", "c", 8), ("sequenceFlow", "f", 11),
                   ("conditionExpression", None, 11), ("ext", None, 13), ("thing", None, 13)]
    flow = root.children[0].children[3]
    assert flow.children[0].text == " a <b\n      rest"
    ext = root.children[0].children[4]
    assert (ext.ns, ext.attrs) == ("urn:IBM Process Designer/spaces", {("und", "attr"): "1"})
    assert (ext.children[0].ns, ext.children[0].tag) == ("und", "thing")  # kept as written


@pytest.mark.parametrize("tag_break", ["\n", " "])
def test_lines_past_65535(tag_break: str) -> None:
    raw = (f"<definitions {NS}>" + "\n" * 70_000 + f"<process{tag_break}id='p'>\n<task id='t'/>"
           "</process></definitions>").encode()
    process = parse_xml(raw).children[0]
    assert (process.line, process.children[0].line) == (70_001, 70_002 + tag_break.count("\n"))


def test_lxml_is_loaded_only_when_a_bpmn_file_is_read() -> None:
    code = textwrap.dedent("""
        import sys
        import probis.plugins.interop
        before = "lxml" in sys.modules
        from probis.plugins.interop.xmltree import parse_xml
        parse_xml(b"<definitions/>")
        print(before, "lxml" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.split() == ["False", "True"]
