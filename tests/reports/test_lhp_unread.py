"""The LHP's chapter of an OPD whose map file could not be read: it names the file and says
why the OPD's grade is capped, instead of "no maps" under a B with no error finding (found on
a realistic workspace where the only map of an OPD had a missing `level`)."""

from __future__ import annotations

import copy
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from probis.engine.render.lhp_model import build_model

from ._shared import SAMPLE_CITY, run_cli

pytestmark = pytest.mark.skipif(not SAMPLE_CITY.is_dir(), reason="needs sample_maps/kota-metro")

AS_OF = "2026-11-28"
UNREAD = "peta/diskominfo/PB.10.yaml"  # diskominfo's only map


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("lhp-unread") / "city"
    shutil.copytree(SAMPLE_CITY, ws)
    path = ws / UNREAD
    path.write_text(path.read_text(encoding="utf-8").replace("\n  ", "\n\t", 1),
                    encoding="utf-8")  # a tab: the file cannot be parsed
    return ws


def _chapter(text: str, name: str, start: str) -> str:
    """The chapter of the OPD ``name``: from its heading to the next chapter or section."""
    head = next(i for i, line in enumerate(text.splitlines())
                if line.startswith(start) and f"({name})" in line)
    lines = text.splitlines()[head:]
    end = next((i for i, line in enumerate(lines[1:], 1) if line.startswith("## ")),
               len(lines))
    return "\n".join(lines[:end])


@pytest.mark.parametrize(("lang", "start", "unread", "limited", "no_maps"), [
    ("id", "## Bab", "berkas tidak terbaca",
     f"1 berkas peta unit ini tidak terbaca ({UNREAD}): paling tinggi B", "Tidak ada peta."),
    ("en", "## Chapter", "files not read",
     f"1 map file of this unit could not be read ({UNREAD}): at most B", "No maps."),
])
def test_markdown_chapter_names_the_unread_map(broken: Path, tmp_path: Path, lang: str,
                                               start: str, unread: str, limited: str,
                                               no_maps: str) -> None:
    out = tmp_path / "lhp.md"
    code, _, err = run_cli("check", str(broken), "--as-of", AS_OF, "-j", "1", "--lang", lang,
                           "-f", "markdown", "-o", str(out))
    assert code == 2, err  # the unreadable file is an input error
    chapter = _chapter(out.read_text(encoding="utf-8"), "diskominfo", start)
    assert f"{unread}: `{UNREAD}`" in chapter
    reasons = next(line for line in chapter.splitlines()
                   if line.startswith(("Nilai dibatasi: ", "Grade limited: ")))
    assert limited in reasons.replace("\\", "")  # (Markdown escapes the file name's `_`)
    assert no_maps not in chapter


def test_html_and_docx_chapters_name_the_unread_map(broken: Path, tmp_path: Path) -> None:
    html, docx = tmp_path / "lhp.html", tmp_path / "lhp.docx"
    for fmt, path in (("html", html), ("docx", docx)):
        run_cli("check", str(broken), "--as-of", AS_OF, "-j", "1", "--lang", "id",
                "-f", fmt, "-o", str(path))
    page = html.read_text(encoding="utf-8")
    assert f"berkas tidak terbaca: <code>{UNREAD}</code>" in page
    assert "paling tinggi B; 1 berkas peta unit ini tidak terbaca" in page
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert f"Peta: berkas tidak terbaca: {UNREAD}" in body


@pytest.fixture(scope="module")
def city_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("lhp-counts") / "r.json"
    run_cli("check", str(SAMPLE_CITY), "--as-of", AS_OF, "-j", "1", "-f", "json", "-o", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def test_english_counts_agree_with_their_noun(city_report: dict[str, Any]) -> None:
    """"1 other OPD", "12 process maps": the English LHP counts in English."""
    report = copy.deepcopy(city_report)
    with_findings = {f.get("unit") for f in report["findings"]}
    by_unit = report["scores"]["by_unit"]
    quiet = [u for u in by_unit if u not in with_findings]
    assert quiet, "the sample city has OPDs without findings"
    for u in quiet[1:]:  # leave exactly one OPD without findings
        del by_unit[u]
    assert build_model(report, "en").other_units == "1 other OPD without active findings."
    assert build_model(report, "id").other_units == "1 OPD lain tanpa temuan aktif."
    maps = sum(1 for x in report["run"]["files"] if x["kind"] == "peta-proses")
    assert maps > 1
    assert f" {maps} process maps" in dict(build_model(report, "en").scope)["Files examined"]
    assert f" {maps} peta proses" in dict(build_model(report, "id").scope)[
        "Berkas yang diperiksa"]
