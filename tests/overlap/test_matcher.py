"""Pair finding: exemptions, generic words, scopes, and blocking against exhaustive search."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from probis.plugins.overlap.matcher import OverlapMatcher, ProcessRecord
from probis.plugins.overlap.normalize import Normalizer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synth_overlap import generate  # noqa: E402


@pytest.fixture(scope="module")
def matcher(norm: Normalizer) -> OverlapMatcher:
    # every word weighs 1 and blocking runs even on two records: these tests pin the plain
    # scores and the join itself (rarity weights: test_rarity.py)
    return OverlapMatcher(norm, rarity=0, exhaustive_below=0)


def rec(code: str, name: str, owner: str, *, owner_type: str = "dinas",
        outputs: tuple[str, ...] = (), customers: tuple[str, ...] = ("Masyarakat",),
        category: str | None = "inti", map_code: str | None = None) -> ProcessRecord:
    return ProcessRecord(code=code, name=name, outputs=outputs, customers=customers,
                         owner=owner, owner_type=owner_type, category=category,
                         map_code=map_code or code.rsplit(".", 1)[0])


def codes(pairs) -> set[tuple[str, str]]:
    return {(p.a_code, p.b_code) for p in pairs}


def test_paraphrased_duplicate_across_opds_is_found(matcher: OverlapMatcher) -> None:
    records = [
        rec("A.1.1", "Penerbitan KTP-el", "disdukcapil", outputs=("KTP-el",)),
        rec("B.1.1", "Pencetakan Kartu Tanda Penduduk Elektronik", "diskominfo",
            outputs=("Kartu Tanda Penduduk Elektronik",), customers=("Warga",)),
    ]
    pairs = matcher.find_pairs(records)
    assert codes(pairs) == {("A.1.1", "B.1.1")}
    pair = pairs[0]
    assert pair.score == pytest.approx(1.0)
    assert "kartu tanda penduduk elektronik" in pair.matched_words
    assert set(pair.matched_outputs) == {"KTP-el", "Kartu Tanda Penduduk Elektronik"}


def test_pbg_and_imb_are_the_same_service(matcher: OverlapMatcher) -> None:
    records = [rec("A.1.1", "Penerbitan PBG", "dpmptsp", outputs=("PBG",)),
               rec("B.1.1", "Penerbitan IMB", "dpupr", outputs=("Izin Mendirikan Bangunan",))]
    assert codes(matcher.find_pairs(records)) == {("A.1.1", "B.1.1")}


def test_same_owner_is_not_ovl001(matcher: OverlapMatcher) -> None:
    records = [rec("A.1.1", "Penerbitan KK", "disdukcapil"),
               rec("A.2.1", "Penerbitan Kartu Keluarga", "disdukcapil")]
    assert matcher.find_pairs(records) == []
    # ... but it is OVL004 when the two processes sit in different maps
    assert codes(matcher.find_pairs(records, scope="same_owner")) == {("A.1.1", "A.2.1")}


def test_same_owner_same_map_is_not_ovl004(matcher: OverlapMatcher) -> None:
    records = [rec("A.1.1", "Penerbitan KK", "disdukcapil"),
               rec("A.1.2", "Penerbitan Kartu Keluarga", "disdukcapil")]
    assert matcher.find_pairs(records, scope="same_owner") == []


def test_support_processes_are_exempt(matcher: OverlapMatcher) -> None:
    # by category, and by keywords whatever the category
    records = [
        rec("A.1.1", "Pengelolaan Keuangan", "dinkes", category="pendukung"),
        rec("B.1.1", "Pengelolaan Keuangan", "disdik", category="pendukung"),
        rec("C.1.1", "Penyusunan Renja", "dinsos", category=None),
        rec("D.1.1", "Penyusunan Rencana Kerja", "dishub", category="manajemen"),
    ]
    assert matcher.find_pairs(records) == []
    assert matcher.find_pairs(records, exhaustive=True) == []


def test_support_exemption_needs_both_sides(matcher: OverlapMatcher) -> None:
    records = [rec("A.1.1", "Penerbitan KK", "disdukcapil", category="pendukung"),
               rec("B.1.1", "Penerbitan Kartu Keluarga", "kecamatan-x", owner_type="kecamatan")]
    assert codes(matcher.find_pairs(records)) == {("A.1.1", "B.1.1")}


def test_kecamatan_territorial_service_is_exempt(matcher: OverlapMatcher) -> None:
    records = [
        rec("K1.1.1", "Pelayanan Surat Keterangan Domisili Usaha", "kec-utara",
            owner_type="kecamatan"),
        rec("K2.1.1", "Penerbitan Surat Keterangan Domisili Usaha", "kec-selatan",
            owner_type="kecamatan"),
        rec("L1.1.1", "Pendataan Warga Pendatang", "kel-a", owner_type="kelurahan"),
        rec("L2.1.1", "Pencatatan Warga Pendatang", "kel-b", owner_type="kelurahan"),
    ]
    assert matcher.find_pairs(records) == []
    # the same service by a dinas and a kecamatan is not territorial: it is reported
    records.append(rec("D.1.1", "Penerbitan Surat Keterangan Domisili Usaha", "dpmptsp"))
    assert ("D.1.1", "K2.1.1") in codes(matcher.find_pairs(records))


def test_generic_words_only_is_not_an_overlap(matcher: OverlapMatcher) -> None:
    records = [
        rec("A.1.1", "Pelayanan Administrasi", "dinkes", outputs=("Dokumen",)),
        rec("B.1.1", "Pelayanan Administrasi", "disdik", outputs=("Dokumen",)),
        rec("C.1.1", "Pengelolaan Data dan Dokumen Izin Reklame", "dpmptsp"),
        rec("D.1.1", "Pengelolaan Data dan Dokumen Pasar Rakyat", "disdag"),
    ]
    assert matcher.find_pairs(records) == []
    assert matcher.find_pairs(records, exhaustive=True) == []


def test_different_work_on_the_same_object_is_not_reported(matcher: OverlapMatcher) -> None:
    records = [rec("A.1.1", "Penerbitan Kartu Keluarga", "disdukcapil"),
               rec("B.1.1", "Verifikasi Kartu Keluarga", "dinsos")]
    assert matcher.find_pairs(records) == []


def test_typo_is_tolerated_by_the_score(matcher: OverlapMatcher) -> None:
    # Scoring tolerates a typo next to an exact shared word. Blocking keys are exact
    # tokens, so only the exhaustive mode is guaranteed to see such a pair (documented).
    records = [rec("A.1.1", "Pengawasan Minuman Beralkohol Ilegal", "satpolpp"),
               rec("B.1.1", "Pengawasan Minuman Beralkohol Illegal", "disdag")]
    pairs = matcher.find_pairs(records, exhaustive=True)
    assert codes(pairs) == {("A.1.1", "B.1.1")}
    assert pairs[0].name_similarity == pytest.approx(1.0)


def test_pairs_are_ordered_and_codes_sorted(matcher: OverlapMatcher) -> None:
    records = [rec("Z.1.1", "Penerbitan KK", "a"), rec("B.1.1", "Penerbitan KK", "b"),
               rec("M.1.1", "Penerbitan Kartu Keluarga", "c")]
    pairs = matcher.find_pairs(records)
    assert all(p.a_code < p.b_code for p in pairs)
    assert pairs == sorted(pairs, key=lambda p: (-p.score, p.a_code, p.b_code))
    assert len(pairs) == 3


def test_threshold_is_validated(norm: Normalizer) -> None:
    with pytest.raises(ValueError):
        OverlapMatcher(norm, threshold=0)


@pytest.mark.parametrize("seed", [3, 7])
def test_blocking_finds_what_exhaustive_finds(matcher: OverlapMatcher, seed: int) -> None:
    data = generate(600, seed=seed)
    blocked = codes(matcher.find_pairs(data.records))
    exhaustive = codes(matcher.find_pairs(data.records, exhaustive=True))
    assert exhaustive  # the set contains planted duplicates
    assert blocked == exhaustive
    assert data.planted <= blocked


def test_generator_is_deterministic() -> None:
    a, b = generate(300, seed=5), generate(300, seed=5)
    assert [r.name for r in a.records] == [r.name for r in b.records]
    assert a.planted == b.planted and len(a.records) == 300


def test_weak_action_words_count_only_when_both_names_say_them(matcher: OverlapMatcher) -> None:
    # one-sided "penerbitan" is dropped: "Pelayanan IMB" issues the IMB as surely as
    # "Penerbitan PBG" issues the PBG
    records = [rec("A.1.1", "Penerbitan Persetujuan Bangunan Gedung", "dpmptsp"),
               rec("B.1.1", "Pelayanan Izin Mendirikan Bangunan", "dputr")]
    [pair] = matcher.find_pairs(records)
    assert pair.name_similarity == 1.0 and pair.matched_words == ("persetujuan bangunan gedung",)
    # shared "penerbitan" counts, and the blocked search finds what exhaustive search finds
    # although the names without weak words are only half alike
    records = [rec("A.1.1", "Penerbitan KTP-el", "disdukcapil", outputs=("KTP-el",)),
               rec("B.1.1", "Perekaman dan Penerbitan KTP-el", "kec-timur",
                   outputs=("KTP elektronik",))]
    blocked = matcher.find_pairs(records)
    assert codes(blocked) == codes(matcher.find_pairs(records, exhaustive=True))
    # words compared: KTP-el spelled out (kartu, tanda, duduk, elektronik) + penerbitan, and
    # "perekaman" on one side only: 5 of 6
    assert blocked[0].name_similarity == pytest.approx(5 / 6, abs=1e-3)
    # sharing only weak words is never a match
    records = [rec("A.1.1", "Penerbitan Izin", "dpmptsp"),
               rec("B.1.1", "Pembuatan Kartu Keluarga", "disdukcapil")]
    assert matcher.find_pairs(records, exhaustive=True) == []


def test_pair_below_the_name_join_is_found_through_alike_outputs(
        matcher: OverlapMatcher) -> None:
    # names share 6 of 8 tokens (0.75): under the name join's floor, so only the output
    # join can propose the pair; identical outputs and customers lift it to 0.85
    records = [
        rec("A.1.1", "Pemantauan Kualitas Air Sungai Irigasi Tersier Dasar", "dlh",
            outputs=("Laporan Kualitas Air Sungai",)),
        rec("B.1.1", "Pemantauan Kualitas Air Sungai Irigasi Tersier Negeri", "dpupr",
            outputs=("Laporan Kualitas Air Sungai",)),
    ]
    assert matcher.name_floor < 0.75 < matcher.join_name_floor
    [pair] = matcher.find_pairs(records)
    assert pair.name_similarity == pytest.approx(0.75) and pair.score == pytest.approx(0.85)
    # with different outputs the same names cannot reach the threshold, and are not proposed
    other = records[1].__class__(**{**{f: getattr(records[1], f) for f in (
        "code", "name", "customers", "owner", "owner_type", "category", "map_code")},
        "outputs": ("Rekomendasi Teknis",)})
    prepared = matcher.prepare([records[0], other])
    assert matcher.candidate_pairs(prepared, "cross_owner") == set()
    assert matcher.find_pairs([records[0], other], exhaustive=True) == []


def test_groups_that_never_pair_are_skipped_but_their_partners_are_not(
        matcher: OverlapMatcher) -> None:
    # many OPDs file the same process as support work (exempt among themselves); one OPD
    # files it as core work, and several kecamatan run the same territorial service
    records = [rec(f"S{i}.1.1", "Pengadaan Seragam Petugas Pemadam", f"opd{i}",
                   category="pendukung") for i in range(30)]
    records.append(rec("X.1.1", "Pengadaan Seragam Petugas Pemadam", "damkar"))
    records += [rec(f"K{i}.1.1", "Legalisasi Surat Keterangan Ahli Waris", f"kec{i}",
                    owner_type="kecamatan") for i in range(3)]
    records.append(rec("D.1.1", "Legalisasi Surat Keterangan Ahli Waris", "dukcapil"))
    blocked = codes(matcher.find_pairs(records))
    assert blocked == codes(matcher.find_pairs(records, exhaustive=True))
    assert blocked == {(f"S{i}.1.1", "X.1.1") for i in range(30)} | {
        ("D.1.1", f"K{i}.1.1") for i in range(3)}
    # OVL004 pairs within one OPD only, across its maps
    same = [rec("A.1.1", "Pengelolaan Arsip Dinamis", "opd1", map_code="A.1"),
            rec("A.2.1", "Pengelolaan Arsip Dinamis", "opd1", map_code="A.2"),
            rec("B.1.1", "Pengelolaan Arsip Dinamis", "opd2", map_code="B.1")]
    assert codes(matcher.find_pairs(same, scope="same_owner")) == {("A.1.1", "A.2.1")}


def test_pairs_made_through_the_slots_are_the_constructors() -> None:
    import dataclasses

    from probis.plugins.overlap import matcher as m

    # every field, in order: a field added to OverlapPair and not to _pair fails here
    assert tuple(f.name for f in dataclasses.fields(m.OverlapPair)) == m._PAIR_FIELDS
    scored = (0.91, ("izin", "reklame"), ("sk",), 0.95, 0.5, 1.0)
    made = m._pair("PB.02.01", "PB.01.01", scored)
    assert made == m.OverlapPair("PB.01.01", "PB.02.01", *scored)
    assert dataclasses.astuple(made) == ("PB.01.01", "PB.02.01", *scored)
    assert type(made) is m.OverlapPair and hash(made) == hash(m.OverlapPair(
        "PB.01.01", "PB.02.01", *scored))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.score = 0.1  # type: ignore[misc]


def test_tied_pairs_are_ordered_by_both_codes(matcher: OverlapMatcher) -> None:
    # eight copies of one process (all pairs tie on the score) and two of another, given in
    # no code order: the order is score, then a_code, then b_code, whatever the join's order
    order = [5, 2, 7, 0, 3, 6, 1, 4]
    records = [rec(f"PB.{i:02d}.01", "Penerbitan Izin Reklame", f"opd{i}") for i in order]
    records += [rec("PA.09.01", "Penerbitan Kartu Keluarga", "x"),
                rec("PA.08.01", "Penerbitan Kartu Keluarga", "y")]
    pairs = matcher.find_pairs(records)
    assert len(pairs) == 28 + 1
    assert pairs == sorted(pairs, key=lambda p: (-p.score, p.a_code, p.b_code))
    assert len({p.score for p in pairs}) == 1  # all tied: the codes alone order them
    assert [(p.a_code, p.b_code) for p in pairs[:3]] == [
        ("PA.08.01", "PA.09.01"), ("PB.00.01", "PB.01.01"), ("PB.00.01", "PB.02.01")]
