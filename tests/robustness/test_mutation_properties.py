"""Property-based tests (hypothesis): whatever is done to the sample city, probis ends with a
report or a clean input error, never an unexpected exception, and every file that was valid
is still audited.

Mutations: a field removed, a value's type changed, a reference broken (a string value
altered), the text truncated, bytes inserted. The engine is called in-process (audit +
build_report) for speed, with a fixed seed (derandomize) and bounded examples; a few
mutations also run through the ``probis`` command.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from probis.engine.limits import Limits
from probis.engine.plugins import build_registry
from probis.engine.report import build_report
from probis.engine.runner import audit
from probis.engine.yamlload import ParseError, parse_bytes
from testkit import AS_OF, SAMPLE_CITY, run_cli

pytestmark = pytest.mark.skipif(not SAMPLE_CITY.is_dir(), reason="sample city not present")

FILES = sorted(p.relative_to(SAMPLE_CITY).as_posix() for p in SAMPLE_CITY.rglob("*.yaml"))
ORIGINAL = {rel: (SAMPLE_CITY / rel).read_bytes() for rel in FILES}
PARSED = {rel: yaml.safe_load(raw) for rel, raw in ORIGINAL.items()}

PROFILE = settings(derandomize=True, max_examples=40, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=True),
    st.text(max_size=6), st.dates(), st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(0, 3), max_size=2),
    st.just("PB.TIDAK.ADA"), st.just(""),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, prefix + (i,))
    return out


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutations(draw: st.DrawFn) -> dict[str, bytes]:
    """1-2 mutated files: {relative path: new bytes}."""
    changed: dict[str, bytes] = {}
    for _ in range(draw(st.integers(1, 2))):
        rel = draw(st.sampled_from(FILES))
        how = draw(st.sampled_from(["remove", "retype", "break-ref", "truncate", "insert",
                                    "bad-scalar"]))
        if how == "bad-scalar":  # a date or number that YAML recognises but cannot convert
            raw = changed.get(rel, ORIGINAL[rel])
            dates = [m.span() for m in re.finditer(rb"\b\d{4}-\d{2}-\d{2}\b", raw)]
            bad = draw(st.sampled_from([b"2026-13-45", b"2026-02-30", b"1" + b"0" * 5000]))
            if dates:
                start, end = draw(st.sampled_from(dates))
                changed[rel] = raw[:start] + bad + raw[end:]
            else:
                changed[rel] = raw + b"\nx: " + bad + b"\n"
            continue
        if how in ("truncate", "insert"):
            raw = changed.get(rel, ORIGINAL[rel])
            at = draw(st.integers(0, len(raw)))
            extra = draw(st.binary(min_size=1, max_size=4)) if how == "insert" else b""
            changed[rel] = raw[:at] + extra + (raw[at:] if how == "insert" else b"")
            continue
        data = copy.deepcopy(PARSED[rel])
        path = draw(st.sampled_from(_paths(data)))
        parent, last = _get(data, path[:-1]), path[-1]
        if how == "remove":
            del parent[last]
        elif how == "retype":
            parent[last] = draw(ODD_VALUES)
        else:
            value = parent[last]
            parent[last] = (value + draw(st.sampled_from(["-X", "", " "])) if isinstance(value, str)
                            else "TIDAK-ADA")
        changed[rel] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    return changed


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city") / "kota-metro"
    shutil.copytree(SAMPLE_CITY, root)
    return root


@pytest.fixture(scope="module")
def registry():
    return build_registry()


def _processes_by_file(result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for entry in result.workspace.processes:
        out.setdefault(entry.file, set()).add(entry.process.code)
    return out


@pytest.fixture(scope="module")
def baseline(city: Path, registry) -> dict[str, set[str]]:
    return _processes_by_file(audit(city, AS_OF, registry))


@pytest.mark.slow  # a full audit per generated example
@given(changed=mutations())
@PROFILE
def test_any_mutation_gives_a_report_and_keeps_valid_files(city: Path, registry, baseline,
                                                           changed: dict[str, bytes]) -> None:
    try:
        for rel, raw in changed.items():
            (city / rel).write_bytes(raw)
        result = audit(city, AS_OF, registry)  # raises on a bug: that is the property
        report = json.loads(json.dumps(build_report(result)))
    finally:
        for rel in changed:
            (city / rel).write_bytes(ORIGINAL[rel])
    # no built-in plugin crashed on odd input (a crash would be an ENG finding)
    assert report["engine_findings"] == [], report["engine_findings"]
    for error in report["input_errors"]:
        assert error["file"] and error["message"]["id"] and error["message"]["en"]
    # every file that was not touched is still audited, with all its processes
    now = _processes_by_file(result)
    for file, codes in baseline.items():
        if file not in changed:
            assert codes <= now.get(file, set()), f"{file} lost processes"
    assert report["workspace"]["counts"]["processes"] >= sum(
        len(c) for f, c in baseline.items() if f not in changed)


@given(raw=st.one_of(
    st.binary(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300).map(str.encode),
    st.lists(st.sampled_from(["kind: peta-proses\n", "code: A\n", "- x\n", "  ", "[", "]",
                              "{", "}", "&a ", "*a ", "!!python/object:x ", "<<: ", "? ",
                              "\t", ": ", "'", '"', "\r\n", "\ufeff", "2026-13-45", "9" * 5000,
                              "---\n", "%YAML 1.1\n", "!x "]),
             max_size=40).map(lambda parts: "".join(parts).encode())),
    name=st.sampled_from(["x.yaml", "x.json"]))
@settings(derandomize=True, max_examples=300, deadline=None, database=None)
def test_parser_raises_only_parse_errors(raw: bytes, name: str) -> None:
    try:
        parse_bytes(raw, name, Limits())
    except ParseError as exc:
        assert exc.message["id"] and exc.message["en"]
        assert exc.line is None or exc.line >= 1


def test_a_few_mutations_through_the_cli(tmp_path: Path) -> None:
    rng = random.Random(20261128)  # fixed: the same three runs every time
    for i in range(3):
        root = tmp_path / f"city{i}"
        shutil.copytree(SAMPLE_CITY, root)
        rel = rng.choice([f for f in FILES if f.startswith("peta/")])
        data = copy.deepcopy(PARSED[rel])
        path = rng.choice(_paths(data))
        parent = _get(data, path[:-1])
        parent[path[-1]] = rng.choice([None, 42, ["x"], {"a": 1}, dt.date(2026, 1, 1)])
        (root / rel).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        code, out, err = run_cli("check", str(root), "-f", "json", "--as-of", "2026-11-28")
        assert code in (0, 1, 2), err
        assert "Traceback" not in err
        report = json.loads(out)
        assert report["workspace"]["counts"]["processes"] > 100
