"""A file that cannot be parsed is said in Indonesian without an English clause: the parser's
usual complaints (a tab, a colon, a bad date) are translated (found on a staffer's map with a
tab and a date written 2026-13-01)."""

from __future__ import annotations

import pytest
from probis.engine.limits import Limits
from probis.engine.yamlload import ParseError, parse_bytes


@pytest.mark.parametrize(("source", "said_id", "english"), [
    ("kind: peta-proses\nprocesses:\n  - code: A\n\t  name: B\n",
     "ada karakter tab yang merusak indentasi", "tab character"),
    ("kind: peta-proses\ncode: PB\ntitle: a: b\n",
     "tanda titik dua (`:`) tidak boleh ada di sini", "mapping values"),
    ("kind: peta-proses\nadopted:\n  date: 2026-13-01\n",
     "bulan harus 1 sampai 12", "month must be"),
    ("kind: peta-proses\nadopted:\n  date: 2026-02-30\n",
     "hari melebihi jumlah hari pada bulan itu", "out of range"),
])
def test_parse_errors_in_indonesian_have_no_english(source: str, said_id: str,
                                                     english: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_bytes(source.encode(), "peta/PB.yaml", Limits())
    assert said_id in error.value.message["id"]
    assert english not in error.value.message["id"]
    assert english in error.value.message["en"]  # English keeps the parser's own words
