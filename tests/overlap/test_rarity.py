"""Rarity weights (plugins/overlap/rarity.py): a shared rare word is stronger evidence than a
shared common one, and the weighting is bounded and off at gamma = 0."""

from __future__ import annotations

import math

import pytest
from probis.plugins.overlap.matcher import OverlapMatcher, OverlapPair, ProcessRecord
from probis.plugins.overlap.normalize import Normalizer
from probis.plugins.overlap.rarity import EMPTY, Background, default_background, word_weights

# "pembinaan" and "pengawasan" open half of this workspace's names; "radiografer", "kopi" and
# "batik" appear in one pair each
FILLERS = ("Pembinaan Kelompok Tani", "Pengawasan Koperasi", "Pembinaan Nelayan Tangkap",
           "Pengawasan Pasar Ikan", "Pembinaan Sanggar Tari", "Pengawasan Tambang Rakyat",
           "Pembinaan Perajin Anyaman", "Pengawasan Peredaran Pupuk")


def records() -> list[ProcessRecord]:
    def rec(code: str, name: str, owner: str) -> ProcessRecord:
        return ProcessRecord(code=code, name=name, customers=("Masyarakat",), owner=owner,
                             owner_type="dinas", category="inti", map_code=code[:-2])

    out = [
        # shares only the rare word (radiografer), differs in two common ones
        rec("R.1.1", "Pembinaan Radiografer", "dinkes"),
        rec("S.1.1", "Pengawasan Radiografer", "rsud"),
        # shares only the common word (pembinaan), differs in two rare ones
        rec("C.1.1", "Pembinaan Kopi", "dispertan"),
        rec("D.1.1", "Pembinaan Batik", "disperin"),
    ]
    out += [rec(f"F.{i}.1", name, "bappeda") for i, name in enumerate(FILLERS, 1)]
    return out


def pair(pairs: list[OverlapPair], a: str, b: str) -> OverlapPair:
    [found] = [p for p in pairs if (p.a_code, p.b_code) == (a, b)]
    return found


def test_a_shared_rare_word_outweighs_a_shared_common_word(norm: Normalizer) -> None:
    # both pairs share one word of three (plain Jaccard 1/3); the threshold is low so that
    # both are reported and their name similarities can be compared
    weighted = OverlapMatcher(norm, threshold=0.3, rarity=0.5, background=EMPTY)
    pairs = weighted.find_pairs(records())
    rare, common = pair(pairs, "R.1.1", "S.1.1"), pair(pairs, "C.1.1", "D.1.1")
    assert rare.name_similarity > 1 / 3 + 0.02
    assert common.name_similarity < 1 / 3 - 0.02
    assert rare.score > common.score
    # without rarity weights the two pairs are indistinguishable
    plain = OverlapMatcher(norm, threshold=0.3, rarity=0, background=EMPTY).find_pairs(records())
    assert pair(plain, "R.1.1", "S.1.1").name_similarity == pytest.approx(1 / 3, abs=1e-3)
    assert pair(plain, "C.1.1", "D.1.1").name_similarity == pytest.approx(1 / 3, abs=1e-3)
    assert pair(plain, "R.1.1", "S.1.1").score == pair(plain, "C.1.1", "D.1.1").score


def test_the_blocked_search_weighs_words_too(norm: Normalizer) -> None:
    kw = {"threshold": 0.3, "rarity": 0.5, "background": EMPTY}
    blocked = OverlapMatcher(norm, exhaustive_below=0, **kw).find_pairs(records())
    exhaustive = OverlapMatcher(norm, **kw).find_pairs(records(), exhaustive=True)
    assert pair(blocked, "R.1.1", "S.1.1") == pair(exhaustive, "R.1.1", "S.1.1")


def test_weights_are_bounded_and_follow_document_frequency() -> None:
    docs = [frozenset({"izin", "sktm"}), frozenset({"izin", "reklame"}), frozenset({"izin"})]
    weights, unseen = word_weights(docs, 0.5)
    assert weights["izin"] == pytest.approx(1.0 + 0.5 * math.log(4 / 4) / math.log(4))
    assert weights["izin"] < weights["sktm"] == weights["reklame"] < unseen == 1.5
    assert all(1.0 <= w <= 1.5 for w in weights.values())
    assert word_weights(docs, 0.0) == ({"izin": 1.0, "sktm": 1.0, "reklame": 1.0}, 1.0)


def test_the_background_decides_in_a_tiny_workspace() -> None:
    # two documents alone make every shared word look common; pooled with a background in
    # which "izin" is everywhere and "sktm" nowhere, the rare word weighs more
    docs = [frozenset({"izin", "sktm"}), frozenset({"izin", "sktm"})]
    alone, _ = word_weights(docs, 0.5)
    assert alone["izin"] == alone["sktm"]
    background = Background(100, {"izin": 90})
    pooled, _ = word_weights(docs, 0.5, background)
    assert pooled["sktm"] > pooled["izin"]


def test_the_built_in_background_is_shipped() -> None:
    bg = default_background()
    assert bg.documents > 1000
    assert bg.df["izin"] > bg.df.get("radiografer", 0)


def test_a_small_workspace_is_compared_pair_by_pair(norm: Normalizer) -> None:
    # three rare words shared, one common word ("pembinaan") on one side: plain Jaccard 3/4 is
    # under the name join's floor (0.767), weighted it passes; a workspace this small is
    # compared pair by pair, so blocking cannot lose the pair (matcher.py, Scale)
    recs = records()
    recs[:2] = [
        ProcessRecord(code="R.1.1", name="Radiografer Fisioterapis Elektromedis",
                      customers=("Masyarakat",), owner="dinkes", owner_type="dinas",
                      map_code="R.1"),
        ProcessRecord(code="S.1.1", name="Pembinaan Radiografer Fisioterapis Elektromedis",
                      customers=("Masyarakat",), owner="rsud", owner_type="dinas",
                      map_code="S.1"),
    ]
    weighted = OverlapMatcher(norm, rarity=0.5, background=EMPTY)
    assert weighted.join_name_floor > 0.75
    [found] = [p for p in weighted.find_pairs(recs) if p.a_code == "R.1.1"]
    assert found.b_code == "S.1.1" and found.score >= 0.8
    blocked = OverlapMatcher(norm, rarity=0.5, background=EMPTY, exhaustive_below=0)
    assert not [p for p in blocked.find_pairs(recs) if p.a_code == "R.1.1"]
    plain = OverlapMatcher(norm, rarity=0, background=EMPTY)
    assert not [p for p in plain.find_pairs(recs) if p.a_code == "R.1.1"]
