"""`probis status` on the sample city: every OPD of its SOTK is listed, with counts computed
here independently from the YAML files; the same table is the report section "status"."""

from __future__ import annotations

import json
from collections import Counter

import yaml
from testkit import SAMPLE_CITY, run_cli

AS_OF = "2026-11-28"


def _yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _expected() -> tuple[set[str], dict[str, Counter]]:
    sotk = _yaml(SAMPLE_CITY / "sotk" / "sotk-2025.yaml")
    units = {u["id"]: u for u in sotk["units"]}

    def opd(unit: str) -> str:  # top-level unit; a Bagian of the Setda is its own
        while units[unit].get("type") != "bagian" and units[unit].get("parent") in units:
            unit = units[unit]["parent"]
        return unit

    opds = {u for u in units if opd(u) == u}
    counts: dict[str, Counter] = {}
    docs = [_yaml(path) for path in sorted(SAMPLE_CITY.glob("peta/*/*.yaml"))]
    map_codes = {d["code"] for d in docs if d.get("kind") == "peta-proses"}
    lf_codes = {d["process"] for d in docs if d.get("kind") == "peta-lintas-fungsi"}
    lowest: dict[str, set[str]] = {}
    covered: dict[str, set[str]] = {}
    for doc in docs:
        if doc.get("kind") != "peta-proses":
            continue
        map_unit = opd(doc["unit"]) if doc["unit"] in units else doc["unit"]
        c = counts.setdefault(map_unit, Counter())
        c["maps"] += 1
        c[f"L{doc['level']}"] += 1
        c[doc.get("status") or "none"] += 1
        c["adopted"] += bool(doc.get("adopted"))
        for p in doc["processes"]:
            owner = p.get("owner")  # a process counts for its one known owner's OPD
            unit = opd(owner) if isinstance(owner, str) and owner in units else map_unit
            if p["code"] in map_codes:
                continue
            lowest.setdefault(unit, set()).add(p["code"])
            if p.get("sop") or p["code"] in lf_codes:
                covered.setdefault(unit, set()).add(p["code"])
    for unit in lowest:
        counts.setdefault(unit, Counter())
        counts[unit]["lowest"] = len(lowest[unit])
        counts[unit]["covered"] = len(covered.get(unit, ()))
    return opds, counts


def test_status_lists_every_opd_of_the_sotk_with_independent_counts() -> None:
    code, out, err = run_cli("status", str(SAMPLE_CITY), "-f", "json", "--as-of", AS_OF)
    assert code == 0, err
    section = json.loads(out)
    rows = {r["unit"]: r for r in section["opds"]}
    opds, counts = _expected()
    assert opds <= set(rows)
    assert sorted(r["rank"] for r in rows.values()) == list(range(1, len(rows) + 1))
    for unit in opds:
        c = counts.get(unit, Counter())
        r = rows[unit]
        assert r["maps"] == c["maps"], unit
        assert r["draft"] == c["draft"] and r["final"] == c["final"], unit
        assert r["adopted"] == c["adopted"], unit
        assert (r["lowest"], r["lowest_covered"]) == (c["lowest"], c["covered"]), unit
        assert r["maps_by_level"] == {k[1:]: v for k, v in sorted(c.items())
                                      if k.startswith("L")}, unit
    assert set(section["no_map"]) == {u for u in opds if not counts.get(u, Counter())["maps"]
                                      and not counts.get(u, Counter())["lowest"]}
    # a Bagian whose processes the Setda's map holds has its work mapped; one with none has not
    # (all four were listed: a Kabag Organisasi was sent to call units that had done their part)
    assert section["no_map"] == ["setda.prokopim"]
    # the OPDs with no map come first: they are whom to call first
    first = [r["unit"] for r in section["opds"][:len(section["no_map"])]]
    assert set(first) == set(section["no_map"])


def test_status_is_a_report_section() -> None:
    code, out, err = run_cli("check", str(SAMPLE_CITY), "-f", "json", "--as-of", AS_OF)
    assert code == 1, err
    report = json.loads(out)
    assert report["status"]["sotk"] == "sotk-2025"
    code, html, _ = run_cli("check", str(SAMPLE_CITY), "-f", "html", "--as-of", AS_OF,
                            "--lang", "en")
    assert "Map progress per OPD" in html and "setda.organisasi" in html


def test_check_many_rows_carry_each_pemdas_map_progress(tmp_path) -> None:
    import shutil

    shutil.copytree(SAMPLE_CITY, tmp_path / "prov" / "kota-metro")
    out = tmp_path / "out"
    code, _, err = run_cli("check-many", str(tmp_path / "prov"), "-o", str(out),
                           "--as-of", AS_OF, "--jobs", "1")
    assert code in (0, 1), err
    row = json.loads((out / "ranking.json").read_text("utf-8"))["ranking"][0]
    _, section_out, _ = run_cli("status", str(SAMPLE_CITY), "-f", "json", "--as-of", AS_OF)
    section = json.loads(section_out)
    progress = row["map_progress"]
    assert progress["opds_without_map"] == section["no_map"]
    assert progress["lowest_covered"] == sum(r["lowest_covered"] for r in section["opds"])
    report = json.loads((out / "kota-metro.json").read_text("utf-8"))
    assert report["status"]["no_map"] == section["no_map"]


def test_status_table_fits_the_terminal_width() -> None:
    """Issue 21: the terminal table follows COLUMNS like `check`'s: a wide terminal gets one
    line per OPD, a narrow one shortened names and wrapped headings, a very narrow one a block
    per OPD; no line is wider than the terminal."""
    rows = {}
    for columns in (200, 120, 72):
        code, out, err = run_cli("status", str(SAMPLE_CITY), "--as-of", AS_OF,
                                 env={"COLUMNS": str(columns), "PROBIS_LANG": "id"})
        assert code == 0, err
        widest = max(len(line) for line in out.splitlines())
        assert widest <= columns, (columns, widest)
        rows[columns] = out
    opds, _ = _expected()
    # wide: a table, each OPD on one line with its full name
    assert "Bagian Protokol dan Komunikasi Pimpinan (setda.prokopim)" in rows[200]
    assert "Peta per level" in rows[200]
    # narrower: still a table, names shortened as in `probis check`
    assert "Urutan" in rows[120] and "…" in rows[120]
    # narrow: one block per OPD, every field named and every OPD there
    for unit in opds:
        assert f"({unit})" in rows[72].replace("\n    ", " "), unit
    assert "Peta per level: " in rows[72]


def test_status_terminal_text_keeps_within_any_width() -> None:
    from probis.plugins.sop.status_render import render_status

    section = {"sotk": "s", "as_of": "2026-11-28", "no_map": ["a" * 30, "b" * 30, "c" * 30],
               "opds": [{"rank": 1, "name": "Dinas " + "Panjang " * 12, "unit": "dp",
                         "maps_by_level": {"0": 1, "1": 2}, "draft": 1, "final": 0,
                         "adopted": 0, "evaluated_12m": 0, "lf_maps": 0, "lowest": 2,
                         "lowest_covered": 1, "share_percent": 50.0}]}
    for width in (60, 90, 140):
        text = render_status(section, "terminal", "en", width=width)
        assert max(len(line) for line in text.splitlines()) <= width, (width, text)
        assert "OPDs of the SOTK with no map" in text


def test_status_marks_unread_map_files_and_exits_2(tmp_path) -> None:
    """An OPD whose map file could not be read is not "without a map": it is marked with the
    file, the section carries the input errors, and the command exits 2 like `coverage`."""
    import shutil

    city = shutil.copytree(SAMPLE_CITY, tmp_path / "kota")
    # dropped by validation (`level` missing): attributed by the `unit` it states
    stated = city / "peta" / "inspektorat" / "PB.02.yaml"
    stated.write_text(stated.read_text(encoding="utf-8").replace("level: 0\n", ""),
                      encoding="utf-8")
    # not parsable: attributed by its unit folder
    (city / "peta" / "diskominfo" / "PB.10.yaml").write_text(
        "kind: peta-proses\ncode: PB.10\n\tlevel: 0\n", encoding="utf-8")
    code, out, err = run_cli("status", str(city), "-f", "json", "--as-of", AS_OF)
    assert code == 2, err
    assert "peta/inspektorat/PB.02.yaml" in err and "peta/diskominfo/PB.10.yaml" in err
    section = json.loads(out)
    rows = {r["unit"]: r for r in section["opds"]}
    assert rows["inspektorat"]["maps"] == 0 and rows["diskominfo"]["maps"] == 0
    assert rows["inspektorat"]["unread_maps"] == ["peta/inspektorat/PB.02.yaml"]
    assert rows["diskominfo"]["unread_maps"] == ["peta/diskominfo/PB.10.yaml"]
    assert not {"inspektorat", "diskominfo"} & set(section["no_map"])
    assert section["input_errors"]["count"] >= 2
    assert section["input_errors"]["files"] == ["peta/diskominfo/PB.10.yaml",
                                                "peta/inspektorat/PB.02.yaml"]
    assert section["input_errors"]["unread_maps_unknown_unit"] == []
    for lang, words in (("en", "could not be read"), ("id", "tidak terbaca")):
        code, out, _err = run_cli("status", str(city), "--as-of", AS_OF, "--lang", lang,
                                  env={"COLUMNS": "200"})
        assert code == 2
        line = next(line for line in out.splitlines() if words in line)
        assert "inspektorat (peta/inspektorat/PB.02.yaml)" in line
        assert "diskominfo (peta/diskominfo/PB.10.yaml)" in line
    # the same section inside `check`'s report
    _code, out, _err = run_cli("check", str(city), "-f", "json", "--as-of", AS_OF)
    report = json.loads(out)
    assert report["status"]["input_errors"]["files"] == section["input_errors"]["files"]
    assert "inspektorat" not in report["status"]["no_map"]


def test_status_section_of_a_clean_workspace_has_no_input_error_keys() -> None:
    code, out, err = run_cli("status", str(SAMPLE_CITY), "-f", "json", "--as-of", AS_OF)
    assert code == 0, err
    section = json.loads(out)
    assert "input_errors" not in section
    assert all("unread_maps" not in r for r in section["opds"])
