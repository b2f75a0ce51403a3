"""The kamus file and its per-workspace extension."""

from __future__ import annotations

import pytest
from probis.plugins.overlap.lexicon import Lexicon, LexiconError, default_lexicon
from probis.plugins.overlap.normalize import Normalizer


def test_builtin_file_is_rich_enough() -> None:
    lex = default_lexicon()
    assert len(lex.singkatan) >= 60
    for abbr in ("ktp-el", "kk", "kia", "pbg", "imb", "umkm", "sktm", "bphtb", "pbb-p2", "oss"):
        assert abbr in lex.singkatan
    assert {"pelayanan", "pengelolaan", "administrasi"} <= lex.umum
    assert {"kepegawaian", "keuangan", "arsip"} <= lex.pendukung
    assert ["penerbitan", "pembuatan", "pencetakan", "pemberian"] in lex.sinonim


def test_extend_adds_abbreviation_without_touching_the_base() -> None:
    base = default_lexicon()
    ext = base.extend({"kind": "kamus", "singkatan": {"SIMPEL": "sistem informasi pelayanan"}})
    assert "simpel" in ext.singkatan and "simpel" not in base.singkatan
    norm = Normalizer(ext)
    assert norm.normalize("Pemeliharaan SIMPEL").tokens == norm.normalize(
        "Pemeliharaan Sistem Informasi Pelayanan"
    ).tokens


def test_extend_overrides_an_ambiguous_abbreviation() -> None:
    ext = default_lexicon().extend({"singkatan": {"KIA": "kesehatan ibu dan anak"}})
    assert ext.singkatan["kia"] == "kesehatan ibu dan anak"


def test_extend_merges_synonym_groups_keeping_canonical_first() -> None:
    ext = default_lexicon().extend(
        {"sinonim": [["izin bangunan gedung", "persetujuan bangunan gedung"]]}
    )
    group = next(g for g in ext.sinonim if "izin bangunan gedung" in g)
    assert group[0] == "persetujuan bangunan gedung"
    assert "izin mendirikan bangunan" in group
    norm = Normalizer(ext)
    assert norm.normalize("Izin Bangunan Gedung").tokens == norm.normalize("PBG").tokens


def test_extend_unites_word_lists() -> None:
    ext = default_lexicon().extend({"umum": ["Sinergi"], "pendukung": ["Protokol"]})
    assert "sinergi" in ext.umum and "protokol" in ext.pendukung
    norm = Normalizer(ext)
    assert norm.normalize("Sinergi Penerbitan KK").tokens == {"penerbitan", "kartu keluarga"}


@pytest.mark.parametrize(
    "doc",
    [
        {"singkatan": ["not", "a", "mapping"]},
        {"sinonim": [["only one"]]},
        {"umum": "not a list"},
        {"kata_henti": [None]},
    ],
)
def test_malformed_kamus_is_rejected(doc: dict) -> None:
    with pytest.raises(LexiconError):
        Lexicon.from_mapping(doc)


def test_load_from_file(tmp_path) -> None:
    path = tmp_path / "kamus.yaml"
    path.write_text("kind: kamus\nsingkatan:\n  ABC: alat bantu cepat\n", encoding="utf-8")
    assert Lexicon.load(path).singkatan == {"abc": "alat bantu cepat"}
