"""A file that cannot be parsed is said in Indonesian without an English clause: the parser's
usual complaints (a tab, a colon) are translated (found on a staffer's map with a tab and a
date written 2026-13-01). A date-shaped value that is no date is not a parse error at all: it
stays text, and validation drops that one value (tests below)."""

from __future__ import annotations

import pytest
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError, parse_bytes


@pytest.mark.parametrize(("source", "said_id", "english"), [
    ("kind: peta-proses\nprocesses:\n  - code: A\n\t  name: B\n",
     "ada karakter tab yang merusak indentasi", "tab character"),
    ("kind: peta-proses\ncode: PB\ntitle: a: b\n",
     "tanda titik dua (`:`) tidak boleh ada di sini", "mapping values"),
])
def test_parse_errors_in_indonesian_have_no_english(source: str, said_id: str,
                                                     english: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_bytes(source.encode(), "peta/PB.yaml", Limits())
    assert said_id in error.value.message["id"]
    assert english not in error.value.message["id"]
    assert english in error.value.message["en"]  # English keeps the parser's own words


@pytest.mark.parametrize("written", ["2026-13-01", "2026-02-30", "2026-1-32"])
def test_a_date_shaped_value_that_is_no_date_stays_text(written: str) -> None:
    # one mistyped date must not make the whole map unreadable (the loader's validation then
    # names the field, drops that value and audits the rest: tests/engine/test_lenient.py)
    doc = parse_bytes(f"kind: peta-proses\nadopted:\n  date: {written}\n".encode(),
                      "peta/PB.yaml", Limits())
    assert doc["adopted"]["date"] == written
