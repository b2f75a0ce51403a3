"""The durable-rules bridge is complete and deterministic: property-based proof.

On generated workspaces, the findings produced by durable-rules for every rule file equal a
direct Python evaluation of the same conditions (engine/conditions.py), and on generated
conditions over generated facts the two agree match for match.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from probis.engine.conditions import evaluate, normalize
from probis.engine.durable_bridge import compile_ruleset, run_ruleset
from probis.engine.facts import build_core_facts
from probis.engine.model import CrossFunctionalMap, ProcessMap
from probis.engine.plugins import build_registry
from probis.engine.rule import Case, DeclarativeRule, RuleInfo, applies_kinds
from probis.engine.workspace import LoadedDoc, Workspace, index

AS_OF = dt.date(2026, 11, 28)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

words = st.sampled_from(["Masyarakat", "KK", "Berkas", "Surat", "Data"])
maybe_list = st.lists(words, max_size=2)
process = st.fixed_dictionaries(
    {"code": st.just("P")},
    optional={
        "name": st.sampled_from(["Penerbitan KK", "Pendataan UMKM", "Layanan"]),
        "category": st.sampled_from(["inti", "manajemen", "pendukung", "utama", "Inti"]),
        "owner": st.one_of(st.sampled_from(["a", "b"]), st.lists(st.sampled_from(["a", "b", "c"]),
                                                                  max_size=3)),
        "inputs": maybe_list, "outputs": maybe_list, "suppliers": maybe_list,
        "customers": maybe_list, "supports": maybe_list, "sop": maybe_list,
    },
)
process_map = st.fixed_dictionaries(
    {"kind": st.just("peta-proses"), "code": st.just("M"), "level": st.integers(0, 7),
     "processes": st.lists(process, max_size=12)},
    optional={
        "status": st.sampled_from(["final", "draft", "Final"]),
        "parent": st.just("X"),
        "last_evaluated": st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)),
        "adopted": st.fixed_dictionaries({}, optional={
            "instrument": st.just("Keputusan Wali Kota"), "number": st.just("1/2025"),
            "date": st.just(dt.date(2025, 1, 1)), "signatory": st.just("Wali Kota")}),
    },
)
lf_map = st.fixed_dictionaries({
    "kind": st.just("peta-lintas-fungsi"), "process": st.just("M.01"),
    "lanes": st.lists(st.fixed_dictionaries({"id": st.sampled_from(["l1", "l2", "l3"])},
                                            optional={"unit": st.just("a"), "external": st.booleans()}),
                      max_size=4),
    "steps": st.lists(st.fixed_dictionaries(
        {"id": st.sampled_from(["s1", "s2", "s3", "s4"]),
         "type": st.sampled_from(["start", "end", "task", "decision"])},
        optional={"lane": st.sampled_from(["l1", "l2", "zz"])}), max_size=6),
})


def _workspace(maps: list[dict], lfs: list[dict]) -> Workspace:
    ws = Workspace(root=None, name="generated")  # type: ignore[arg-type]
    for i, data in enumerate(maps):
        data = dict(data, code=f"M{i}", processes=[dict(p, code=f"M{i}.{j:02d}")
                                                   for j, p in enumerate(data["processes"])])
        ws.docs.append(LoadedDoc(f"m{i}.yaml", "peta-proses", ProcessMap.model_validate(data), ""))
    for i, data in enumerate(lfs):
        ws.docs.append(LoadedDoc(f"lf{i}.yaml", "peta-lintas-fungsi",
                                 CrossFunctionalMap.model_validate(data), ""))
    index(ws)
    return ws


_RULES = [r for r in build_registry().rules.values() if isinstance(r, DeclarativeRule)]


@SETTINGS
@given(maps=st.lists(process_map, min_size=1, max_size=4), lfs=st.lists(lf_map, max_size=2))
def test_rule_files_through_durable_equal_direct_evaluation(maps: list[dict], lfs: list[dict]) -> None:
    assert _RULES, "no rule files registered"
    ws = _workspace(maps, lfs)
    facts = []
    for n, (fact, _ref) in enumerate(build_core_facts(ws, AS_OF)):
        fact["n"] = n
        facts.append(fact)
    through_durable = run_ruleset(compile_ruleset(_RULES), facts, timeout=120)
    direct = sorted(
        (i, j, fact["n"])
        for i, rule in enumerate(_RULES)
        for j, case in enumerate(rule.cases)
        for fact in facts
        if fact["t"] in applies_kinds(rule.info)
        and (rule.applies_if is None or evaluate(rule.applies_if, fact))
        and evaluate(case.when, fact)
    )
    assert through_durable == direct
    # deterministic: the same facts give the same matches again
    assert run_ruleset(compile_ruleset(_RULES), facts, timeout=120) == through_durable


# Each fact field keeps one type, as engine/facts.py guarantees, and conditions compare a field
# with a value of its own type (durable-rules coerces across types: it finds false == 0).
fact_values = {"a": st.integers(-2, 3), "b": st.sampled_from(["x", "y", "z"]), "c": st.booleans()}
fields = st.sampled_from(sorted(fact_values))
leaf = st.one_of(
    st.builds(lambda f, data: {f: data}, st.just("a"), fact_values["a"]),
    st.builds(lambda f, data: {f: data}, st.just("b"), fact_values["b"]),
    st.builds(lambda f, data: {f: data}, st.just("c"), fact_values["c"]),
    st.builds(lambda op, v: {op: {"a": v}}, st.sampled_from(["$lt", "$lte", "$gt", "$gte"]),
              st.integers(-2, 3)),
    st.builds(lambda v: {"$neq": {"a": v}}, fact_values["a"]),
    st.builds(lambda v: {"$neq": {"b": v}}, fact_values["b"]),
    st.builds(lambda v: {"$neq": {"c": v}}, fact_values["c"]),
    st.builds(lambda op, f: {op: {f: 1}}, st.sampled_from(["$ex", "$nex"]), fields),
)
condition = st.recursive(
    leaf, lambda inner: st.builds(lambda op, cs: {op: cs}, st.sampled_from(["$and", "$or"]),
                                  st.lists(inner, min_size=1, max_size=3)), max_leaves=6)
fact = st.fixed_dictionaries({}, optional=fact_values)


@SETTINGS
@given(conds=st.lists(condition, min_size=1, max_size=4), facts=st.lists(fact, min_size=1, max_size=15))
def test_generated_conditions_agree(conds: list[dict], facts: list[dict]) -> None:
    rules = [DeclarativeRule(
        info=RuleInfo(id=f"T{i}", rule_set="t", severity="info", title={}, checks={}, basis={},
                      rationale={}, fix={}, applies_to="x"),
        applies_if=None, cases=(Case(normalize(c), {"id": "", "en": ""}),)) for i, c in enumerate(conds)]
    stamped = [dict(f, t="x", n=n) for n, f in enumerate(facts)]
    through_durable = run_ruleset(compile_ruleset(rules), stamped, timeout=120)
    direct = sorted((i, 0, f["n"]) for i, r in enumerate(rules) for f in stamped
                    if evaluate(r.cases[0].when, f))
    assert through_durable == direct
