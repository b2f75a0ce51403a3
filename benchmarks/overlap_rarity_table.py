"""Build plugins/overlap/data/frekuensi_latar.json: document frequencies of real government
work names, the background that plugins/overlap/rarity.py pools with a workspace's own counts.

Run ``python benchmarks/overlap_rarity_table.py`` beside ../shared (needs
``corpora/real-pemda``). Documents: every distinct name of the budget nomenclature
(``03_nomenklatur_urusan_program_kegiatan_subkegiatan.csv``: urusan, bidang urusan, program,
kegiatan, sub kegiatan) and of the DPMPTSP permit list of Kab. Batang
(``01_batang_dpmptsp_jenis_izin.csv``), normalised with the built-in kamus like a process name
(content words). Only counts are stored, no names; sources and licences: the corpus README.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from probis.plugins.overlap.normalize import Normalizer  # noqa: E402
from probis.plugins.overlap.rarity import BACKGROUND_PATH  # noqa: E402
from vendored import SHARED  # noqa: E402


def names(corpus: Path) -> list[str]:
    out: list[str] = []
    with (corpus / "03_nomenklatur_urusan_program_kegiatan_subkegiatan.csv").open(
            encoding="utf-8") as fh:
        out.extend(row["nomenklatur"] for row in csv.DictReader(fh))
    with (corpus / "01_batang_dpmptsp_jenis_izin.csv").open(encoding="utf-8") as fh:
        out.extend(row["process_or_service_name"] for row in csv.DictReader(fh))
    return sorted({n.strip() for n in out if n.strip()}, key=str.casefold)


def main() -> int:
    if SHARED is None:
        print("../shared/corpora/real-pemda is not beside this checkout", file=sys.stderr)
        return 2
    norm = Normalizer()
    seen: set[str] = set()
    df: dict[str, int] = {}
    documents = 0
    for name in names(SHARED / "corpora" / "real-pemda"):
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        p = norm.normalize(name)
        words = p.words | p.audience_words
        if not words:
            continue
        documents += 1
        for w in words:
            df[w] = df.get(w, 0) + 1
    table = {"documents": documents,
             "source": "real-pemda 03_nomenklatur (all levels) + 01_batang_dpmptsp_jenis_izin",
             "df": dict(sorted(df.items()))}
    BACKGROUND_PATH.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n",
                               encoding="utf-8")
    print(f"{BACKGROUND_PATH.relative_to(ROOT)}: {documents} documents, {len(df)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
