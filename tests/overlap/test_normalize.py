"""Normalisation: the same work written differently must give the same canonical tokens."""

from __future__ import annotations

import pytest
from probis.plugins.overlap.normalize import Normalizer


def toks(norm: Normalizer, text: str) -> frozenset[str]:
    return norm.normalize(text).tokens


@pytest.mark.parametrize(
    "a, b",
    [
        # case and punctuation
        ("Penerbitan Kartu Keluarga", "PENERBITAN kartu keluarga."),
        ("Penerbitan Kartu Keluarga", '  "Penerbitan,  Kartu Keluarga"  '),
        # word order (between constituents)
        ("Penerbitan Kartu Keluarga", "Kartu Keluarga: Penerbitan"),
        # stop words
        ("Pembinaan UMKM bagi Nelayan", "Pembinaan UMKM untuk para Nelayan"),
        # affixes through Sastrawi, and synonyms of the work
        ("Penerbitan Akta Kelahiran", "Akta Kelahiran diterbitkan"),
        ("Penerbitan Akta Kelahiran", "Menerbitkan Akta Kelahiran"),
        ("Penerbitan Akta Kelahiran", "Pencetakan Akte Kelahiran"),
        ("Pengawasan Pasar Rakyat", "Mengawasi Pasar Rakyat"),
        # abbreviations against expansions
        ("Penerbitan KTP-el", "Penerbitan Kartu Tanda Penduduk Elektronik"),
        ("Penerbitan KTP-el", "Penerbitan e-KTP"),
        ("Penerbitan KTP-el", "Penerbitan KTP el"),
        ("Penerbitan KTP-el", "penerbitan ktpel"),
        ("Penerbitan PBG", "Penerbitan Persetujuan Bangunan Gedung"),
        ("Penerbitan PBG", "Penerbitan IMB"),
        ("Penerbitan PBG", "Penerbitan Izin Mendirikan Bangunan"),
        ("Pembinaan UMKM", "Pembinaan Usaha Mikro, Kecil, dan Menengah"),
        ("Pembinaan UMKM", "Pembinaan UKM"),
        ("Penerbitan KK", "Penerbitan Kartu Keluarga"),
        ("Penerbitan SKTM", "Penerbitan Surat Keterangan Tidak Mampu"),
        ("Verifikasi BPHTB", "Verifikasi Bea Perolehan Hak atas Tanah dan Bangunan"),
        ("Penagihan PBB-P2", "Penagihan Pajak Bumi dan Bangunan Perdesaan dan Perkotaan"),
        ("Penagihan PBB-P2", "Penagihan PBB P2"),
    ],
)
def test_same_work_same_tokens(norm: Normalizer, a: str, b: str) -> None:
    assert toks(norm, a) == toks(norm, b)
    assert toks(norm, a)  # and not trivially empty


@pytest.mark.parametrize(
    "a, b",
    [
        ("Penerbitan Kartu Keluarga", "Penerbitan Kartu Identitas Anak"),
        ("Penerbitan KTP-el", "Penerbitan KK"),
        ("Penerbitan PBG", "Penerbitan SLF"),
        ("Penagihan PBB-P2", "Penagihan BPHTB"),
    ],
)
def test_different_objects_stay_different(norm: Normalizer, a: str, b: str) -> None:
    assert toks(norm, a) != toks(norm, b)


def test_abbreviation_becomes_one_concept_token(norm: Normalizer) -> None:
    assert toks(norm, "KTP-el") == {"kartu tanda penduduk elektronik"}
    assert toks(norm, "KK") == {"kartu keluarga"}
    # "kartu" alone must not link Kartu Keluarga and Kartu Identitas Anak
    assert not toks(norm, "Kartu Keluarga") & toks(norm, "Kartu Identitas Anak")


def test_stop_words_removed(norm: Normalizer) -> None:
    tokens = norm.canonical("Pelayanan dan Penerbitan yang untuk dari pada Kartu Keluarga")
    for stop in ("dan", "yang", "untuk", "dari", "pada"):
        assert stop not in tokens


def test_generic_words_reported_not_matched(norm: Normalizer) -> None:
    result = norm.normalize("Pelayanan Administrasi Penerbitan Kartu Keluarga")
    assert result.tokens == {"penerbitan", "kartu keluarga"}
    assert {"pelayanan", "administrasi"} <= result.generic
    assert norm.normalize("Pelayanan Administrasi Umum").tokens == frozenset()


def test_stem_override_keeps_persetujuan_apart_from_tujuan(norm: Normalizer) -> None:
    assert not toks(norm, "Persetujuan") & toks(norm, "Tujuan")


def test_stems_are_cached(norm: Normalizer) -> None:
    calls: list[str] = []

    def counting_stem(word: str) -> str:
        calls.append(word)
        return word

    fresh = Normalizer(norm.lexicon, stemmer=counting_stem)
    calls.clear()
    fresh.normalize("pembinaan kelompok nelayan")
    fresh.normalize("kelompok nelayan pembinaan lanjutan")
    assert calls.count("nelayan") <= 1
    assert calls.count("kelompok") <= 1


def test_deterministic(norm: Normalizer) -> None:
    other = Normalizer(norm.lexicon)
    text = "Pelayanan Penerbitan KTP-el dan KK bagi Penduduk Rentan"
    assert norm.canonical(text) == other.canonical(text)


def test_support_keywords(norm: Normalizer) -> None:
    assert norm.is_support(toks(norm, "Pengelolaan Keuangan"))
    assert norm.is_support(toks(norm, "Penyusunan Renja Perangkat Daerah"))
    assert norm.is_support(toks(norm, "Pengelolaan Arsip Dinamis"))
    assert not norm.is_support(toks(norm, "Penerbitan Kartu Keluarga"))
    assert not norm.is_support(toks(norm, "Pelatihan Tenaga Kerja"))
