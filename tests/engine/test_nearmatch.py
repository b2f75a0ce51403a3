"""engine/nearmatch.py gives exactly difflib.get_close_matches's answer (issue 24: the
"perhaps X?" suggestions of ALN002/REG008 took seconds in a finding-heavy workspace)."""

from __future__ import annotations

import difflib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from probis.engine import nearmatch
from probis.engine.nearmatch import close_matches

# a small alphabet: many ties and near-ties, where a wrong bound or a wrong stop would show
IDS = st.text(alphabet="ab.-1", max_size=12)


@settings(max_examples=150, deadline=None)
@given(word=IDS, possibilities=st.lists(IDS, min_size=64, max_size=120),
       n=st.integers(1, 4), cutoff=st.sampled_from([0.0, 0.5, 0.6, 0.75, 0.8, 1.0]))
def test_same_answer_as_difflib(word: str, possibilities: list[str], n: int,
                                cutoff: float) -> None:
    assert close_matches(word, possibilities, n, cutoff) == difflib.get_close_matches(
        word, possibilities, n, cutoff)


def test_scores_equal_to_the_cutoff_are_kept() -> None:
    # rapidfuzz's own float cutoff drops "b2" (0.8 against "b2x", cutoff 0.8); difflib keeps it
    possibilities = ["zzzz", "qq"] * 40 + ["b2"]
    assert close_matches("b2x", possibilities, 4, 0.8) == ["b2"]


def test_unit_ids_and_long_text() -> None:
    rnd = random.Random(7)
    units = [f"dinas{rnd.choice(['pendidikan', 'kesehatan', 'sosial'])}.bidang{i}"
             for i in range(500)]
    for word in ("dinaskesehtan.bidang17", "dinassosial.bidang4", "kecamatan.metro"):
        assert close_matches(word, units, 2, 0.75) == difflib.get_close_matches(
            word, units, 2, 0.75)
    long = ["".join(rnd.choice("ab") for _ in range(rnd.randint(190, 230))) for _ in range(80)]
    word = "".join(rnd.choice("ab") for _ in range(210))  # difflib's autojunk from 200 chars
    assert close_matches(word, long, 3, 0.6) == difflib.get_close_matches(word, long, 3, 0.6)


def test_few_possibilities_and_bad_arguments_go_to_difflib() -> None:
    assert close_matches("abc", ["abd", "xyz"], 1, 0.6) == ["abd"]
    with pytest.raises(ValueError):
        close_matches("abc", ["abd"] * 100, 0, 0.6)
    with pytest.raises(ValueError):
        close_matches("abc", ["abd"] * 100, 1, 1.5)


def test_the_bound_prunes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the module: difflib's ratio runs on a few possibilities, not on all."""
    calls = 0
    ratio = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher) -> float:
        nonlocal calls
        calls += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    units = [f"opd{i:04d}.bidang.umum" for i in range(2000)]
    assert nearmatch.close_matches("opd0007.bidang.umun", units, 1, 0.6) == ["opd0007.bidang.umum"]
    assert calls < 50
