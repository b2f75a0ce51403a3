"""``Evaluation.finding_given`` (the path OVL001 reports tens of thousands of pairs through)
makes the finding ``Evaluation.finding`` makes, keeps the caller's dicts instead of copies,
and refuses plugin garbage with the same errors."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest
from probis.engine.findings import ElementRef
from probis.engine.rule import Evaluation, RuleInfo

INFO = RuleInfo("OVL001", "overlap", "warning", {"id": "Tumpang tindih", "en": "Overlap"},
                {"id": "c", "en": "c"}, {"id": "PermenPANRB 19/2018", "en": "PermenPANRB 19/2018"},
                {"id": "r", "en": "r"}, {"id": "Gabungkan", "en": "Merge"})
REF = ElementRef("PB.01.01", "process", "peta/a.yaml", 12, "PB.01", "dinkes")


def _message() -> dict[str, str]:
    return {"id": "Proses PB.01.01 dan PB.02.01", "en": "Processes PB.01.01 and PB.02.01"}


def _evidence() -> dict[str, Any]:
    return {"process": {"process": "PB.01.01"}, "score": 0.91, "matched_words": ["izin"]}


def test_the_same_finding_as_the_general_path_without_copies() -> None:
    general, given = Evaluation(INFO), Evaluation(INFO)
    message, evidence = _message(), _evidence()
    a = general.finding(REF, _message(), evidence=_evidence())
    b = given.finding_given(REF, message, evidence)
    assert a == b and general.findings == given.findings == [b]
    assert b.message is message and b.evidence is evidence  # given up by the caller: kept
    assert b.basis == INFO.basis and b.fix == INFO.fix and b.severity == INFO.severity
    c = given.finding_given(REF, _message(), _evidence())
    assert c.basis is b.basis and c.fix is b.fix  # one copy per evaluation, as finding's
    assert b.basis is not INFO.basis


def _error(call: Callable[[], Any]) -> tuple[type, str]:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the error is what is compared
        call()
    return type(caught.value), str(caught.value)


@pytest.mark.parametrize(("ref", "message", "evidence"), [
    ("PB.01.01", _message(), _evidence()),  # not an ElementRef
    (ElementRef("PB.01.01", "process", line="12"), _message(), _evidence()),  # type: ignore[arg-type]
    (ElementRef(1, "process"), _message(), _evidence()),  # type: ignore[arg-type]
    (REF, ["id", "en"], _evidence()),
    (REF, {"id": "teks", "en": 3}, _evidence()),
    (REF, {"id": b"teks", "en": "text"}, _evidence()),
    (REF, _message(), ["score", 0.9]),
    (REF, _message(), "score"),
    ("PB.01.01", {"id": 3}, ["x"]),  # several faults: the first one the general path names
])
def test_garbage_is_refused_with_the_general_paths_error(ref: Any, message: Any,
                                                          evidence: Any) -> None:
    expected = _error(lambda: Evaluation(INFO).finding(ref, message, evidence=evidence))
    given = Evaluation(INFO)
    assert _error(lambda: given.finding_given(ref, message, evidence)) == expected
    assert given.findings == []


def test_other_mappings_are_copied_as_by_the_general_path() -> None:
    message, evidence = MappingProxyType(_message()), MappingProxyType(_evidence())
    f = Evaluation(INFO).finding_given(REF, message, evidence)  # type: ignore[arg-type]
    assert f == Evaluation(INFO).finding(REF, message, evidence=evidence)
    assert type(f.message) is dict and type(f.evidence) is dict
