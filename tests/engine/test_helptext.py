"""``--help`` in the run's language (engine/helptext.py): pairs given inline by a plugin, in
either language, are shown in the language asked for; a text without a pair as written."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from probis.engine import clicktext
from probis.engine.helptext import help_text, translate
from probis.engine.i18n import reset_lang, use_lang
from probis.engine.langoption import lang_in_args, lang_option


@click.command("banjir", help=help_text(
    id="Periksa peta proses terhadap Perda banjir.",
    en="Check the process maps against the flood Perda."))
@click.argument("workspace")
@click.option("--dry-run", is_flag=True, help=help_text(
    # a plugin whose authors write Indonesian first: the pair works both ways
    en="Say what would be written, and write nothing.",
    id="Katakan apa yang akan ditulis, tanpa menulis."))
@click.option("--tanpa-pasangan", is_flag=True, help="Only in one language.")
@lang_option()
def banjir(workspace: str, dry_run: bool, tanpa_pasangan: bool, lang: str) -> None:
    """Not the help: ``help=`` is."""


@pytest.fixture(autouse=True)
def installed() -> Iterator[None]:
    clicktext.install()
    yield
    reset_lang()


def _page(lang: str) -> str:
    use_lang(lang)
    return banjir.get_help(click.Context(banjir, info_name="banjir"))


def test_a_plugin_command_help_page_speaks_the_run_language() -> None:
    page = _page("id")
    assert "Penggunaan: banjir [OPSI] WORKSPACE" in page
    assert "Periksa peta proses terhadap Perda banjir." in page
    assert "Katakan apa yang akan ditulis, tanpa menulis." in page
    assert "Bahasa setiap teks" in page and "Opsi:" in page
    assert "Check the process" not in page and "Say what" not in page
    page = _page("en")
    assert "Usage: banjir [OPTIONS] WORKSPACE" in page
    assert "Check the process maps against the flood Perda." in page
    assert "Say what would be written, and write nothing." in page
    assert "Language of every text" in page and "Periksa" not in page


def test_a_text_without_a_pair_is_shown_as_written_and_nothing_stays_changed() -> None:
    assert "Only in one language." in _page("id")
    # the command keeps its own texts: a page in one language does not change the next one
    assert banjir.help == "Check the process maps against the flood Perda."
    assert translate("Katakan apa yang akan ditulis, tanpa menulis.", "en") == (
        "Say what would be written, and write nothing.")
    assert translate("Anything else", "id") == "Anything else"


def test_the_short_help_in_a_command_list_is_translated() -> None:
    use_lang("id")
    assert banjir.get_short_help_str(80).startswith("Periksa peta proses")
    use_lang("en")
    assert banjir.get_short_help_str(80).startswith("Check the process")


@pytest.mark.parametrize(("args", "lang"), [
    (["check", "--help", "--lang", "en"], "en"), (["--lang=id", "rules"], "id"),
    (["check", "ws"], None), (["explain", "--", "--lang", "en"], None),
    (["check", "--lang", "fr"], None)])
def test_the_lang_of_a_command_line_is_read_before_click_parses_it(
        args: list[str], lang: str | None) -> None:
    assert lang_in_args(args) == lang
