"""One language at a time: find the other language's words in a rendered output.

Reusable by every output test (terminal, explain, restructure, HTML, PDF text...):

    from language_scan import leaks, workspace_names
    assert leaks(text, "id", names=workspace_names(SAMPLE_CITY)) == []

``leaks(text, lang)`` returns the words of the *other* language found in ``text`` (an
Indonesian output is scanned for English words, an English one for Indonesian words), each
with a little context, after removing the Pemda's own names (every text value of the
workspace's YAML files: unit, process and sasaran names are the Pemda's words in either
language) and the field's own terms, which stay Indonesian in English output (OPD, sasaran,
RPJMD, Renstra, kondisi...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# English words an Indonesian reader should never meet: common function words and the
# words issue 21 found leaking ("Skor workspace", "process · Peta", "step", "lane", ...)
ENGLISH_WORDS = _words("""
the and with from into for not does has have was were are this that which when where should
must will would can cannot could there their its it's been being than then only also every
any all each other more most such
step steps lane lanes process processes error errors warning warnings source change changes
proposed why workspace score scores finding findings rule rules severity file files map
maps flow flows element elements found missing unknown known invalid given give see use
before after total grade title package version hooks coverage served event events impact
affected copies written reused facts sent inferred stated renamed merged created split
moved abolished name names passed applicable waived waivers expired notes line field
message messages fix basis default perhaps available folder's
""")

# Indonesian words an English reader should never meet (outside names and the field's terms)
INDONESIAN_WORDS = _words("""
yang dan atau tidak untuk dengan dari pada dalam oleh ini itu sudah belum harus bukan
temuan peta tingkat langkah lajur alur aturan berkas galat peringatan nilai skor himpunan
dikecualikan pengecualian catatan cakupan dilayani selengkapnya menjadi perbaikan gunakan
usulan alasan sebelum sesudah peristiwa dampak terdampak perubahan sumber tertulis
disimpulkan keselarasan regulasi restrukturisasi keseluruhan lulus berlaku teratas lainnya
semua kedaluwarsa diganti digabung dipecah dipindah dihapus judul paket versi kait
halaman mungkin dikenal lihat berikan ditemukan tersedia menurut lalu dievaluasi ulang
diambil pasangan ambang kode perintah opsi penggunaan bantuan coba
""") | {"unit kerja"}

# the field's own words, Indonesian in any language (domain terms, document kinds, instruments)
DOMAIN_TERMS = (
    "OPD", "Pemda", "sasaran", "RPJMD", "Renstra", "SOTK", "kondisi", "kriteria", "akibat",
    "rekomendasi", "misi", "visi", "tujuan", "subkegiatan", "instansi", "Inspektorat",
    "peta lintas fungsi", "Peta Proses Bisnis", "tugas dan fungsi", "Perangkat Daerah",
    "Perda", "Perwali",
    "Perbup", "Permendagri", "PermenPANRB", "Peraturan", "Pemerintah", "Undang-Undang",
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@cache
def workspace_names(root: Path) -> tuple[str, ...]:
    """Every text value of the workspace's YAML files (the Pemda's own names and words),
    longest first so a long name is removed before a shorter one inside it."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            # a lower-case word without spaces is an identifier (`sop: probis`), not a name
            if len(value) >= 4 and not re.fullmatch(r"[a-z0-9_./-]+", value.strip()):
                found.add(value.strip())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(Path(root).rglob("*.y*ml")):
        try:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


def leaks(text: str, lang: str, names: Iterable[str] = (), allow: Iterable[str] = (),
          context: int = 30) -> list[str]:
    """The other language's words in ``text`` (rendered in ``lang``), each as
    ``word: …context…``; empty when the text keeps to one language."""
    words = ENGLISH_WORDS if lang == "id" else INDONESIAN_WORDS
    # fenced blocks are format samples (YAML keys are the format's identifiers)
    cleaned = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    # a placeholder such as SOTK_FILE is nobody's language (before SOTK is removed from it)
    cleaned = re.sub(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", " ", cleaned)
    cleaned = " ".join(cleaned.split())  # a name wrapped over two lines is still one name
    for phrase in [*names, *allow, *DOMAIN_TERMS]:
        phrase = " ".join(phrase.split())
        if phrase:
            cleaned = re.sub(re.escape(phrase), " ", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r'"[^"]{0,40}"', " ", cleaned)  # a short quotation is the quoted's words
    # identifiers are nobody's language: file paths, rule ids, `code`, --options, a.b.c
    # an all-capitals token is a placeholder or an abbreviation (WORKSPACE, OPD), not prose
    cleaned = re.sub(r"\b[A-Z][A-Z_]{2,}\b", " ", cleaned)
    cleaned = re.sub(r"`[^`\n]*`|\S*[/\\]\S*|--?[a-z][\w-]*|\b\w+(?:[._#]\w+)+\b"
                     r"|\bprobis [a-z][\w-]*", " ", cleaned)
    found = []
    multi = [w for w in words if " " in w]
    for phrase in multi:
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", cleaned, flags=re.IGNORECASE):
            found.append(_hit(cleaned, m, context))
    for m in _WORD.finditer(cleaned):
        if m.group().lower() in words:
            found.append(_hit(cleaned, m, context))
    return found


def _hit(text: str, match: re.Match[str], context: int) -> str:
    start, end = max(match.start() - context, 0), match.end() + context
    around = " ".join(text[start:end].split())
    return f"{match.group()}: …{around}…"
