"""An incremental run (engine/incremental/cache.py) gives exactly the findings and scores of a
full run, after every kind of change, and reuses the maps the change did not touch."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from probis.engine.incremental.cache import ResultCache, tally_of
from probis.engine.runner import audit

BASE = Path(__file__).parent / "kota-uji"
AS_OF = dt.date(2026, 11, 28)


def _sotk(ws: Path, edit: Callable[[dict], None], stated: bool = True) -> None:
    """Write sotk/sotk-next.yaml (sotk-2023 edited) and put it in force."""
    data = yaml.safe_load((ws / "sotk/sotk-2023.yaml").read_text("utf-8"))
    data.update(id="sotk-next", previous="sotk-2023", effective="2025-01-01", changes=[])
    edit(data)
    if not stated:
        data.pop("changes")
    (ws / "sotk/sotk-next.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    _manifest(ws, sotk="sotk/sotk-next.yaml")


def _manifest(ws: Path, **update: str) -> None:
    data = yaml.safe_load((ws / "probis.yaml").read_text("utf-8"))
    data.update(update)
    (ws / "probis.yaml").write_text(yaml.safe_dump(data), "utf-8")


def _units(data: dict) -> dict[str, dict]:
    return {u["id"]: u for u in data["units"]}


def rename(d: dict) -> None:
    for u in d["units"]:
        u["id"] = u["id"].replace("bappeda", "bapperida")
        if u.get("parent") == "bappeda":
            u["parent"] = "bapperida"
    d["changes"].append({"op": "rename", "from": "bappeda", "to": "bapperida"})


def merge(d: dict) -> None:
    d["units"] = [u for u in d["units"] if u["id"] not in ("diskopukm", "disdag")]
    d["units"].append({"id": "diskopdag", "name": "Dinas Koperasi UKM dan Perdagangan",
                       "functions": ["Pemberdayaan koperasi", "Pengelolaan pasar rakyat"]})
    d["changes"].append({"op": "merge", "from": ["diskopukm", "disdag"], "to": "diskopdag"})


def split(d: dict) -> None:
    d["units"] = [u for u in d["units"] if u["id"] != "disdikbud"]
    d["units"] += [{"id": "disdik", "functions": ["Pendidikan dasar sekolah"]},
                   {"id": "disbud", "functions": ["Pelestarian cagar budaya kesenian"]}]
    d["changes"].append({"op": "split", "from": "disdikbud", "to": ["disdik", "disbud"]})


def move(d: dict) -> None:
    for u in d["units"]:
        if u["id"] == "disdukcapil.pias":
            u["id"], u["parent"] = "diskominfo.pias", "diskominfo"
    d["changes"].append({"op": "move", "unit": "disdukcapil.pias", "parent": "diskominfo"})


def move_keeping_id(d: dict) -> None:
    """The bidang keeps its id under another OPD: its processes are scored elsewhere."""
    for u in d["units"]:
        if u["id"] == "disdukcapil.pias":
            u["parent"] = "diskominfo"
    d["changes"].append({"op": "move", "unit": "disdukcapil.pias", "parent": "diskominfo"})


def abolish(d: dict) -> None:
    d["units"] = [u for u in d["units"] if u["id"] != "dinas-x"]
    d["changes"].append({"op": "abolish", "unit": "dinas-x"})


def create(d: dict) -> None:
    d["units"].append({"id": "diskominfo.sandi", "parent": "diskominfo",
                       "functions": ["Pengelolaan tempat pemakaman umum"]})
    d["changes"].append({"op": "create", "unit": "diskominfo.sandi"})


def inferred_rename(d: dict) -> None:
    for u in d["units"]:
        if u["id"] == "disdag":
            u["id"] = "dinas-perdagangan"


def _plan_without_s2(ws: Path) -> None:
    """A revised RPJMD (period starting a year later, so the maps' adoption still counts)
    without sasaran S2."""
    text = (ws / "rencana/rpjmd-2021-2026.yaml").read_text("utf-8")
    text = text.replace("  - {id: S2, text: Meningkatnya daya saing koperasi}\n", "")
    text = text.replace("rpjmd-2021-2026", "rpjmd-2022-2026").replace("start: 2021", "start: 2022")
    (ws / "rencana/rpjmd-2022-2026.yaml").write_text(text, "utf-8")
    _manifest(ws, rpjmd="rencana/rpjmd-2022-2026.yaml")


CHANGES: dict[str, Callable[[Path], None]] = {
    "rename": lambda ws: _sotk(ws, rename),
    "merge": lambda ws: _sotk(ws, merge),
    "split": lambda ws: _sotk(ws, split),
    "move": lambda ws: _sotk(ws, move),
    "move-keeping-id": lambda ws: _sotk(ws, move_keeping_id),
    "abolish": lambda ws: _sotk(ws, abolish),
    "create": lambda ws: _sotk(ws, create),
    "inferred-rename": lambda ws: _sotk(ws, inferred_rename, stated=False),
    "new-rpjmd-period": lambda ws: _manifest(ws, rpjmd="rencana/rpjmd-2025-2029.yaml"),
    "sasaran-removed": lambda ws: _plan_without_s2(ws),
    "map-edited": lambda ws: (ws / "peta/disdag.yaml").write_text(
        (ws / "peta/disdag.yaml").read_text("utf-8").replace("owner: disdag", "owner: disdagg"),
        "utf-8"),
}


@pytest.fixture(autouse=True)
def _plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBIS_LOAD_PLUGINS", "regulation,restructure")


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_incremental_equals_full(tmp_path: Path, kind: str) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))  # warm the cache on the old state
    CHANGES[kind](ws)

    cache = ResultCache.for_workspace(ws)
    incremental = audit(ws, AS_OF, cache=cache)
    full = audit(ws, AS_OF)

    assert tally_of(incremental.findings) == tally_of(full.findings)
    assert incremental.scores.workspace.to_dict() == full.scores.workspace.to_dict()
    assert {u: c.to_dict() for u, c in incremental.scores.by_unit.items()} == \
        {u: c.to_dict() for u, c in full.scores.by_unit.items()}
    # the change really changed something, and untouched maps came from the cache
    baseline = audit(BASE, AS_OF)
    assert tally_of(full.findings) != tally_of(baseline.findings)
    assert cache.stats.hits > 0 and cache.stats.facts_cached > 0


def test_unchanged_workspace_is_not_re_evaluated(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    first = audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))
    cache = ResultCache.for_workspace(ws)
    second = audit(ws, AS_OF, cache=cache)
    assert cache.stats.misses == 0 and cache.stats.facts_sent == 0
    assert tally_of(first.findings) == tally_of(second.findings)


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    (ws / ".probis-cache").mkdir()
    (ws / ".probis-cache/results.json").write_text("{not json", "utf-8")
    result = audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))
    assert tally_of(result.findings) == tally_of(audit(ws, AS_OF).findings)


def test_rule_files_and_per_map_rules_reuse_untouched_maps(tmp_path: Path) -> None:
    """Editing one map re-evaluates that map only, for rule files and per-map Python rules
    (REG008, STR001) alike."""
    from probis.engine.rule import PerMapRule
    from probis.plugins.regulation.reg008 import UnitsExistInSotk

    assert issubclass(UnitsExistInSotk, PerMapRule)
    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))
    CHANGES["map-edited"](ws)
    cache = ResultCache.for_workspace(ws)
    incremental = audit(ws, AS_OF, cache=cache)
    assert cache.stats.evaluated_maps == {"peta/disdag.yaml"}
    full = audit(ws, AS_OF)
    assert tally_of(incremental.findings) == tally_of(full.findings)
    assert any(f.rule == "REG008" for f in full.findings)


def test_unit_known_to_an_older_sotk_re_opens_reg008(tmp_path: Path) -> None:
    """REG008 reads the earlier SOTK versions too: adding one that knows a unit changes the
    result of a map whose file did not change."""
    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    CHANGES["map-edited"](ws)  # owner: disdagg, a unit no SOTK knows
    before = audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))
    data = yaml.safe_load((ws / "sotk/sotk-2023.yaml").read_text("utf-8"))
    data.update(id="sotk-2019", effective="2019-01-01")
    data.pop("previous", None), data.pop("changes", None)
    data["units"].append({"id": "disdagg", "name": "Dinas Perdagangan (lama)"})
    (ws / "sotk/sotk-2019.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    incremental = audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))
    full = audit(ws, AS_OF)
    assert tally_of(incremental.findings) == tally_of(full.findings)
    reg008 = [f for f in before.findings if f.rule == "REG008"]
    assert reg008 and not [f for f in full.findings if f.rule == "REG008" and f in reg008]


def test_malformed_cache_entries_are_evaluated_afresh(tmp_path: Path) -> None:
    """A cache file with the right header but damaged entries is not trusted."""
    import json

    ws = tmp_path / "ws"
    shutil.copytree(BASE, ws, ignore=shutil.ignore_patterns(".probis-cache"))
    audit(ws, AS_OF, cache=ResultCache.for_workspace(ws))
    from probis.engine.incremental.cache import SIGNATURE, _sign, _user_secret

    path = ws / ".probis-cache/results.json"
    stored = json.loads(path.read_bytes().partition(b"\n")[2])
    for item in stored["entries"].values():
        item["v"] = {"n": "x", "r": 7} if isinstance(item["v"], dict) else [[1], 2]
    payload = json.dumps(stored).encode("utf-8")  # signed: only the entries are damaged
    path.write_bytes(SIGNATURE + _sign(_user_secret(), payload) + b"\n" + payload)
    cache = ResultCache.for_workspace(ws)
    result = audit(ws, AS_OF, cache=cache)
    assert cache.stats.hits == 0
    assert tally_of(result.findings) == tally_of(audit(ws, AS_OF).findings)


def test_cache_file_round_trips_values_exactly() -> None:
    # orjson reads an integer beyond 64 bits as a float: such files go to the standard library
    from probis.engine.incremental.cache import _decode, _encode, digest

    value = {"besar": 2**70, "nik": "1871012345678901234567", "skor": [0.1, 1e-05, None]}
    assert _decode(_encode(value)) == value
    assert type(_decode(_encode(value))["besar"]) is int
    assert _decode(_encode({"kecil": [1, 2.5, "teks"]})) == {"kecil": [1, 2.5, "teks"]}
    with pytest.raises(ValueError):
        _decode(b'{"format": 4, "entries": {')  # half written: the caller starts empty
    # digests are stable and tell values apart, whichever encoder wrote them
    assert digest({"b": 1, "a": 2}) == digest({"a": 2, "b": 1})
    assert digest({"n": 2**70}) != digest({"n": 2**70 + 1})
    assert digest({1: "a"}) != digest({2: "a"})


def test_old_import_path_of_per_map_rule_still_works_with_a_warning() -> None:
    """``probis.engine.cache.PerMapRule`` was public (docs/api-stability.md): it keeps working
    for one minor release after the move, with a DeprecationWarning naming the new place."""
    import probis.engine.cache as old
    from probis.engine.rule import PerMapRule

    with pytest.warns(DeprecationWarning, match=r"probis\.engine\.rule\.PerMapRule"):
        assert old.PerMapRule is PerMapRule
    with pytest.warns(DeprecationWarning, match=r"probis\.engine\.incremental\.cache"):
        assert old.ResultCache is ResultCache
    with pytest.raises(AttributeError):
        old.NoSuchName  # noqa: B018
