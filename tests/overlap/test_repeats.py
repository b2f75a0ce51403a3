"""Workspaces of copied maps (issue 24): records with the same texts are prepared once and
each pair of the same texts is scored once, with the same pairs as scoring every pair."""

from __future__ import annotations

import pytest
from probis.plugins.overlap.matcher import OverlapMatcher, ProcessRecord
from probis.plugins.overlap.normalize import Normalizer

SERVICES = (
    ("Penerbitan Izin Reklame", ("Izin Reklame",)),
    ("Pelayanan Izin Mendirikan Bangunan", ("Surat Izin Mendirikan Bangunan",)),
    ("Penerbitan Persetujuan Bangunan Gedung", ("Dokumen PBG",)),
    ("Pembinaan Pelaku Usaha Mikro", ()),
)


def _copies(opds: int) -> list[ProcessRecord]:
    """The same four services in every OPD (as in a workspace of renamed copies), plus one
    service of its own per OPD."""
    records = []
    for o in range(opds):
        for s, (name, outputs) in enumerate(SERVICES):
            records.append(ProcessRecord(code=f"PB.{o:02d}.{s}", name=name, outputs=outputs,
                                         customers=("Masyarakat",), owner=f"opd{o}",
                                         owner_type="dinas", map_code=f"PB.{o:02d}"))
        records.append(ProcessRecord(code=f"PB.{o:02d}.9", name=f"Pendataan Wilayah {o}",
                                     owner=f"opd{o}", map_code=f"PB.{o:02d}"))
    return records


@pytest.mark.parametrize("exhaustive_below", [0, 500])  # blocked and pair by pair
def test_pairs_of_the_same_texts_are_scored_once(norm: Normalizer, exhaustive_below: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = OverlapMatcher(norm, exhaustive_below=exhaustive_below)
    records = _copies(6)
    prepared = matcher.prepare(records)
    assert len({p.content for p in prepared}) == len(SERVICES) + 6
    assert {p.content for p in prepared if p.code.endswith(".0")} == {prepared[0].content}
    calls: list[tuple[int, int]] = []
    score = OverlapMatcher._score

    def counting(self: OverlapMatcher, a, b):  # noqa: ANN001, ANN202 - a pass-through
        calls.append((a.content, b.content))
        return score(self, a, b)

    monkeypatch.setattr(OverlapMatcher, "_score", counting)
    pairs = matcher.find_pairs(records, prepared=prepared)
    assert pairs and len(calls) == len(set(calls)) < len(pairs)

    # the same pairs, scores and order as scoring every pair on its own
    for p in prepared:
        p.content = -1
    calls.clear()
    assert matcher.find_pairs(records, prepared=prepared) == pairs
    assert len(calls) >= len(pairs)


def test_records_of_the_same_texts_share_what_their_texts_give(norm: Normalizer) -> None:
    matcher = OverlapMatcher(norm)
    first, second, other = matcher.prepare([
        ProcessRecord("A.1", "Penerbitan Izin Reklame", ("Izin Reklame",), ("Warga",), "a"),
        ProcessRecord("B.1", "Penerbitan Izin Reklame", ("Izin Reklame",), ("Warga",), "b",
                      category="pendukung"),
        ProcessRecord("C.1", "Penerbitan Izin Reklame", ("Izin Reklame",), ("Pelaku Usaha",),
                      "c"),
    ])
    assert first.content == second.content != other.content
    assert first.name is second.name and first.outputs is second.outputs
    # what is not read from the texts stays the record's own
    assert (first.code, first.owner, first.support) == ("A.1", "a", False)
    assert (second.code, second.owner, second.support) == ("B.1", "b", True)
