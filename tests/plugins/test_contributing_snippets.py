"""Every code block of the CONTRIBUTING.md tutorial is cut from a file the test suite runs.

A block is preceded by ``<!-- snippet: PATH#REGION -->``; the region is the lines between
``[snippet:REGION]`` and ``[/snippet]`` comments in PATH (``PATH`` alone: the whole file).
"""

from __future__ import annotations

import re
from pathlib import Path

from plugin_env import ROOT

DOC = ROOT / "CONTRIBUTING.md"
MARKED_RE = re.compile(r"<!-- snippet: (\S+?) -->\n```(\w+)\n(.*?)```", re.DOTALL)
BLOCK_RE = re.compile(r"^```(\w*)\n", re.MULTILINE)
# blocks of commands, layouts and diagrams are not code cut from a file
FREE_LANGS = {"sh", "text"}


def region(path: Path, name: str | None) -> str:
    text = path.read_text(encoding="utf-8")
    if name is None:
        return text
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip().endswith(f"[snippet:{name}]")]
    assert len(starts) == 1, f"{path}: region {name} must be marked exactly once"
    for end in range(starts[0] + 1, len(lines)):
        if lines[end].strip().endswith("[/snippet]"):
            return "".join(lines[starts[0] + 1:end])
    raise AssertionError(f"{path}: region {name} is not closed with [/snippet]")


def snippets() -> list[tuple[str, str, str]]:
    return MARKED_RE.findall(DOC.read_text(encoding="utf-8"))


def tutorial() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Tutorial")
    return text[start:text.index("\n## ", start + 1)]


def test_snippets_equal_the_file_regions_they_name() -> None:
    found = snippets()
    assert len(found) >= 8
    for target, _lang, code in found:
        path, _, name = target.partition("#")
        assert (ROOT / path).is_file(), f"{target}: no such file"
        assert code == region(ROOT / path, name or None), (
            f"CONTRIBUTING.md snippet {target} differs from the file; copy the region again")


def test_every_code_block_of_the_tutorial_is_a_snippet() -> None:
    text = tutorial()
    marked = len(MARKED_RE.findall(text))
    code_blocks = [lang for i, lang in enumerate(BLOCK_RE.findall(text)) if i % 2 == 0]
    assert marked == sum(1 for lang in code_blocks if lang not in FREE_LANGS)
    assert all(lang in FREE_LANGS | {"python", "yaml", "toml"} for lang in code_blocks)


def test_snippet_files_are_run_by_the_suite() -> None:
    """The files the tutorial cuts from belong to the example plugin, whose tests the suite
    runs (tests/plugins/test_sop_plugin.py) against a pip-installed copy, or to a bundled
    plugin (plugins/, its rules tested under tests/)."""
    for target, _lang, _code in snippets():
        assert target.startswith(("examples/probis-plugin-sop/", "plugins/")), target


def test_the_tutorials_commands_name_the_example_plugin() -> None:
    """`probis docs --plugin sop` in the tutorial wrote the built-in SOP plugin's pages into the
    example package; the example's entry-point name is what `--plugin` takes."""
    import tomllib

    project = tomllib.loads((ROOT / "examples" / "probis-plugin-sop" / "pyproject.toml")
                           .read_text(encoding="utf-8"))
    (example,) = project["project"]["entry-points"]["probis"]
    named = re.findall(r"^probis \w[\w-]* .*?--plugin (\S+)", tutorial(), re.MULTILINE)
    assert named and set(named) == {example}, named
