"""The compiled form of a condition gives the interpreter's answer on every fact.

``compile_condition`` (engine/conditions.py) is what the runner counts applicable checks and
picks severities with; ``evaluate`` is the reference that the durable-rules property test
(test_bridge_property.py) ties to durable-rules itself. Here the two are compared on generated
conditions over facts whose fields take values of every type a fact may hold, mixed (a flag
where a number is compared, text against null, a missing field), so the cross-type rules
(true is not 1, "0" is not 0, 1 equals 1.0) are exercised both ways.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from probis.engine.conditions import compile_condition, evaluate, normalize

SETTINGS = settings(max_examples=400, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# few fields and few values, each look-alike of another type (0, 0.0, False, "0", None), so a
# condition and a fact often meet on the same field with a value that differs only in type
FIELDS = ("a", "b")
value = st.sampled_from([None, True, False, 0, 1, 2, -1, 0.0, 1.0, 1.5, "", "0", "1", "x",
                         "true"])
number = st.sampled_from([-1, 0, 1, 2, 0.0, 1.0, 1.5])
field = st.sampled_from(FIELDS)
leaf = st.one_of(
    st.builds(lambda f, v: {f: v}, field, value),
    st.builds(lambda f, v: {"$neq": {f: v}}, field, value),
    st.builds(lambda op, f, v: {op: {f: v}},
              st.sampled_from(["$lt", "$lte", "$gt", "$gte"]), field, number),
    st.builds(lambda op, f: {op: {f: 1}}, st.sampled_from(["$ex", "$nex"]), field),
)
condition = st.recursive(
    leaf,
    lambda inner: st.builds(lambda op, cs: {op: cs}, st.sampled_from(["$and", "$or"]),
                            st.lists(inner, min_size=1, max_size=4)),
    max_leaves=8,
)
fact = st.dictionaries(field, value, max_size=2)


def subconditions(cond: dict[str, Any]) -> list[dict[str, Any]]:
    """``cond`` and every condition inside it (an $and/$or can hide a wrong leaf)."""
    (key, inner), = cond.items()
    if key in ("$and", "$or"):
        return [cond] + [sub for c in inner for sub in subconditions(c)]
    return [cond]


@SETTINGS
@given(cond=condition, facts=st.lists(fact, min_size=1, max_size=12))
def test_compiled_condition_equals_interpreter(cond: dict[str, Any],
                                               facts: list[dict[str, Any]]) -> None:
    for sub in subconditions(normalize(cond)):
        compiled = compile_condition(sub)
        for f in facts:
            assert compiled(f) is evaluate(sub, f), (sub, f)


@pytest.mark.parametrize(("cond", "fact", "expected"), [
    ({"a": True}, {"a": 1}, False),  # a flag is not a number
    ({"a": 1}, {"a": True}, False),
    ({"a": 1}, {"a": 1.0}, True),  # numbers compare by value
    ({"a": "0"}, {"a": 0}, False),  # text is not a number
    ({"a": None}, {}, False),  # missing is not null
    ({"a": None}, {"a": None}, True),
    ({"$neq": {"a": "x"}}, {}, False),  # a comparison on a missing field is false
    ({"$neq": {"a": 1}}, {"a": True}, True),
    ({"$lt": {"a": 2}}, {"a": True}, False),  # a flag is not ordered
    ({"$gte": {"a": 1}}, {"a": 1.0}, True),
    ({"$nex": {"a": 1}}, {"a": None}, False),
    ({"$or": [{"a": 1}, {"$and": [{"b": "x"}, {"$ex": {"c": 1}}]}]}, {"b": "x", "c": False},
     True),
])
def test_compiled_condition_cases(cond: dict[str, Any], fact: dict[str, Any],
                                  expected: bool) -> None:
    normalized = normalize(cond)
    assert evaluate(normalized, fact) is expected
    assert compile_condition(normalized)(fact) is expected
