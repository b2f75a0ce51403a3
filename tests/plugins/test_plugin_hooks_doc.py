"""docs/plugin-hooks.md documents every hookspec with its exact signature, and its examples,
installed together as one plugin, load and work."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import re
import typing
from pathlib import Path

from plugin_env import ROOT, run_cli
from probis.engine import hookspecs

DOC = ROOT / "docs" / "plugin-hooks.md"
SECTION_RE = re.compile(r"^## (\w+)\s*$", re.MULTILINE)
CODE_RE = re.compile(r"```python\n(.*?)```", re.DOTALL)
EXAMPLE_RE = re.compile(r"<!-- example -->\n```python\n(.*?)```", re.DOTALL)


def hookspec_functions() -> dict[str, object]:
    return {name: fn for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(fn, "probis_spec")}


def doc_sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = SECTION_RE.split(text)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def _documented_def(body: str) -> ast.FunctionDef:
    block = CODE_RE.search(body)
    assert block, "a section starts with the hook's signature in a python block"
    tree = ast.parse(block.group(1).rstrip() + ": ...\n")
    (node,) = tree.body
    assert isinstance(node, ast.FunctionDef)
    return node


def test_every_hookspec_has_a_section_and_nothing_else_does() -> None:
    specs, sections = hookspec_functions(), doc_sections()
    assert specs, "no hookspecs found"
    assert sorted(sections) == sorted(specs)


def test_documented_signatures_equal_the_hookspecs() -> None:
    sections = doc_sections()
    for name, fn in hookspec_functions().items():
        node = _documented_def(sections[name])
        assert node.name == name
        signature = inspect.signature(fn)
        documented = [(a.arg, ast.unparse(a.annotation) if a.annotation else None)
                      for a in node.args.args]
        actual = [(p.name, p.annotation if p.annotation is not inspect.Parameter.empty else None)
                  for p in signature.parameters.values()]
        assert documented == actual, name
        returns = ast.unparse(node.returns) if node.returns else None
        assert returns == signature.return_annotation, name
        # hookspec options (firstresult, historic) are part of the contract too
        options = {k for k, v in fn.probis_spec.items() if v is True}
        (decorator,) = node.decorator_list
        written = ({kw.arg for kw in decorator.keywords if ast.literal_eval(kw.value) is True}
                   if isinstance(decorator, ast.Call) else set())
        assert written == options, name


def test_hookspec_arguments_have_real_types_and_are_documented() -> None:
    """Like pytest's hookspec.py: every argument has a type that resolves (imports under
    TYPE_CHECKING) and a ``:param:`` line; ``Any`` only where any JSON value is meant."""
    tree = ast.parse(inspect.getsource(hookspecs))
    (guard,) = [node for node in tree.body if isinstance(node, ast.If)
                and ast.unparse(node.test) == "TYPE_CHECKING"]
    namespace = dict(vars(hookspecs))
    exec(compile(ast.Module(body=guard.body, type_ignores=[]), "hookspecs", "exec"),  # noqa: S102
         namespace)
    for name, fn in hookspec_functions().items():
        hints = typing.get_type_hints(fn, globalns=namespace)
        for arg in inspect.signature(fn).parameters:
            assert hints[arg] is not typing.Any or (name, arg) == (
                "probis_render_section", "section"), (name, arg)
            assert f":param {arg}:" in (fn.__doc__ or ""), (name, arg)
        assert hints["return"] is not typing.Any, name


def test_every_section_says_arguments_when_and_example() -> None:
    for name, body in doc_sections().items():
        for heading in ("**Arguments.**", "**When it is called.**", "**Example.**"):
            assert heading in body, (name, heading)
        assert "<!-- example -->" in body, name


def test_examples_installed_as_a_plugin_work(example_workspace: Path, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "plugin_factory", ROOT / "tests" / "engine" / "plugin_factory.py")
    factory = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(factory)
    source = "\n\n".join(EXAMPLE_RE.findall(DOC.read_text(encoding="utf-8")))
    site = factory.make_plugin(tmp_path / "site", "probis-docs-example", "docs_example",
                               "probis_docs_example", source)
    env = {"PYTHONPATH": str(site), "PROBIS_LOAD_PLUGINS": "docs_example"}

    code, out, err = run_cli("plugins", env=env)
    assert code == 0 and err == "", err  # no hook failed to register
    assert all(name in out for name in hookspec_functions())  # each hook has an example

    (example_workspace / "lists").mkdir()
    (example_workspace / "lists" / "loket.checklist").write_text("KTP\nKK\n", encoding="utf-8")
    code, out, err = run_cli("check", str(example_workspace), "-f", "json", "--fail-on", "never",
                             "--as-of", "2026-11-28", env=env)
    assert code == 0, err
    report = json.loads(out)
    assert report["input_errors"] == [] and report["engine_findings"] == []
    assert report["docs_checklists"] == {"count": 1}
    code, out, _ = run_cli("check", str(example_workspace), "-f", "docs-count", "--lang", "en",
                           "--fail-on", "never", "--as-of", "2026-11-28", env=env)
    assert code == 0 and out == f"{len(report['findings'])} findings\n"
    code, out, _ = run_cli("check", str(example_workspace), "--fail-on", "never",
                           "--as-of", "2026-11-28", env=env)
    assert "Daftar periksa: 1" in out
    code, out, _ = run_cli("docs-hello", env=env)
    assert code == 0 and out == "halo\n"
