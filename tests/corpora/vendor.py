"""Copy what the test suite needs from ../shared into tests/corpora (run by hand, not by pytest).

    python tests/corpora/vendor.py [SHARED_DIR]

A user's clone has no ../shared; the tests read these copies. tests/test_vendored.py checks
that every copy still equals its original whenever ../shared is beside the checkout.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
sys.path.insert(0, str(TESTS))

from format_examples import yaml_blocks  # noqa: E402 - tests/ is not a package

# bpmnlint: the rule fixtures and their expectations (the documentation examples are not read)
BPMNLINT_SKIP = {"_docs_examples", "cases.json"}
# MIWG: per tool, the smallest file with a process and the file with most gateways and events
# under this size; plus every reference model, every malformed file and every file without
# a process (the importer's error paths)
MIWG_RICH_LIMIT = 60_000


def miwg_subset(manifest: list[dict[str, str]]) -> list[dict[str, str]]:
    by_tool: dict[str, list[dict[str, str]]] = {}
    for row in manifest:
        by_tool.setdefault(row["path"].split("/")[0], []).append(row)
    picked: dict[str, dict[str, str]] = {}
    for tool, rows in by_tool.items():
        for row in rows:
            if tool == "Reference" or row["wellformed"] == "0" or not int(row["processes"] or 0):
                picked[row["path"]] = row
        if tool == "Reference":
            continue
        usable = [r for r in rows if r["wellformed"] == "1" and int(r["processes"] or 0)]
        if not usable:
            continue
        smallest = min(usable, key=lambda r: (int(r["bytes"]), r["path"]))
        picked[smallest["path"]] = smallest
        small = [r for r in usable if int(r["bytes"]) < MIWG_RICH_LIMIT]
        if small:
            rich = max(small, key=lambda r: (int(r["gateways"] or 0) + int(r["events"] or 0),
                                             -int(r["bytes"]), r["path"]))
            picked[rich["path"]] = rich
    return [picked[p] for p in sorted(picked)]


def main(shared: Path) -> None:
    # bpmnlint
    src, dst = shared / "corpora" / "bpmnlint", HERE / "bpmnlint"
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, ignore=lambda d, names: [n for n in names if n in BPMNLINT_SKIP]
                    if Path(d) == src else [])
    # MIWG subset, with a manifest of the files copied
    src, dst = shared / "corpora" / "bpmn-miwg", HERE / "bpmn-miwg"
    shutil.rmtree(dst, ignore_errors=True)
    with (src / "MANIFEST.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    subset = miwg_subset(rows)
    for row in subset:
        (dst / row["path"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / row["path"], dst / row["path"])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(subset)
    (dst / "MANIFEST.csv").write_text(buf.getvalue(), encoding="utf-8")
    shutil.copyfile(src / "LICENSE.txt", dst / "LICENSE.txt")
    # SARIF 2.1.0 schema
    (HERE / "sarif").mkdir(exist_ok=True)
    shutil.copyfile(shared / "schemas" / "sarif-schema-2.1.0.json",
                    HERE / "sarif" / "sarif-schema-2.1.0.json")
    # the YAML examples of format v1, one file per kind
    dst = HERE / "format-v1"
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir()
    examples = yaml_blocks((shared / "format.md").read_text(encoding="utf-8"))
    for kind, body in examples.items():
        (dst / f"{kind}.yaml").write_text(body, encoding="utf-8")
    size = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"bpmn-miwg: {len(subset)} of {len(rows)} files; format-v1: {len(examples)} examples; "
          f"tests/corpora: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TESTS.parent.parent / "shared")
