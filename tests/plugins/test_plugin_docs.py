"""`probis docs --plugin NAME DIR` writes a plugin's rule pages; with a third-party plugin
installed beside probis, `probis docs` (and docs/rules/) still covers probis's own rules only."""

# fixtures are imported from plugin_env (see its docstring), which ruff reads as redefinitions
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest
from pip_install import env_with
from plugin_env import ROOT, plugin_cache, run_cli, sop_site  # noqa: F401

SOP_RULES = [f"CTH00{n}" for n in range(1, 9)]  # the tutorial plugin's


@pytest.fixture(autouse=True)
def every_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROBIS_LOAD_PLUGINS", raising=False)


def _pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_docs_plugin_writes_the_plugins_rule_pages(sop_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "sop-docs"
    code, stdout, err = run_cli("docs", "--plugin", "contoh-sop", str(out), env=env_with(sop_site))
    assert code == 0, err
    assert "8 halaman aturan" in stdout  # the default language, Indonesian
    pages = _pages(out)
    assert sorted(pages) == sorted(["README.md", *[f"{rid}.md" for rid in SOP_RULES]])
    page = pages["CTH006.md"]
    assert page.startswith("# CTH006: ") and "· Plugin: contoh-sop" in page
    assert "PermenPANRB 35/2012" in page and "\n---\n\n# CTH006: " in page  # English, then id
    assert "## Yang diperiksa" in page and "## What it checks" in page
    index = pages["README.md"]
    assert index.startswith("# Rules of plugin contoh-sop\n")
    assert all(f"[{rid}]({rid}.md)" in index for rid in SOP_RULES)


def test_probis_docs_stay_built_in_with_a_plugin_installed(sop_site: Path,
                                                          tmp_path: Path) -> None:
    code, _, err = run_cli("docs", str(tmp_path / "docs"), env=env_with(sop_site))
    assert code == 0, err
    assert _pages(tmp_path / "docs") == _pages(ROOT / "docs" / "rules")


def test_docs_plugin_that_is_unknown_or_has_no_rules_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run_cli("docs", "--plugin", "nope", str(tmp_path / "a"))
    assert code == 2
    assert "`nope`" in err and "tidak dimuat" in err and "regulation" in err
    assert "not loaded" not in err  # one language at a time (the run's: id)
    assert not (tmp_path / "a").exists()
    code, _, err = run_cli("docs", "--plugin", "interop", str(tmp_path / "b"))
    assert code == 2 and "tidak mendaftarkan aturan" in err


def test_docs_plugin_that_failed_to_load_says_why(tmp_path: Path) -> None:
    # what `pip install` of a plugin whose module raises on import leaves behind
    site = tmp_path / "site"
    info = site / "probis_plugin_broken-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: probis-plugin-broken\n"
                                   "Version: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[probis]\nbroken = broken_mod\n", encoding="utf-8")
    (site / "broken_mod.py").write_text("raise RuntimeError('the plugin is broken')\n",
                                        encoding="utf-8")
    code, _, err = run_cli("docs", "--plugin", "broken", str(tmp_path / "c"),
                           env=env_with(site))
    assert code == 2
    assert "`broken`" in err and "gagal dimuat" in err and "the plugin is broken" in err
