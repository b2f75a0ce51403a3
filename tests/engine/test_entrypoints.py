"""engine/entrypoints.py finds what importlib.metadata finds: the same entry points in the
same order, the same objects loaded, the same distribution name and version; and hands
what it does not read plainly to importlib.metadata."""

from __future__ import annotations

import sys
import warnings
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from probis.engine import entrypoints


def _ours(group: str) -> list[tuple[str, str, str, str | None]]:
    return [(ep.name, ep.value, ep.group, str(getattr(ep.dist, "_path", None)))
            for ep in entrypoints.entry_points(group)]


def _theirs(group: str) -> list[tuple[str, str, str, str | None]]:
    return [(ep.name, ep.value, ep.group, str(getattr(ep.dist, "_path", None)))
            for ep in metadata.entry_points(group=group)]


def _dist(site: Path, folder: str, entry_points: str | None, meta: str | None = None) -> Path:
    info = site / folder
    info.mkdir(parents=True)
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, "utf-8")
    name = folder.partition("-")[0]
    (info / "METADATA").write_text(
        meta if meta is not None else f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\n"
        "Long: description\n", "utf-8")
    return info


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    first, second = tmp_path / "site1", tmp_path / "site2"
    _dist(first, "alpha_plug-1.0.dist-info",
          "# a comment\n[console_scripts]\nalpha = alpha:main\n\n[probis]\n"
          "  zeta = zeta_mod:plugin [extra]  \nalpha=alpha_mod\n[other]\nx = y\n")
    # the same distribution twice in one folder and again later on the path: the first wins
    _dist(first, "Dup.Name-2.0.dist-info", "[probis]\ndup = dup_new\n")
    _dist(first, "dup_name-1.0.dist-info", "[probis]\ndup = dup_old\n")
    _dist(second, "dup_name-3.0.dist-info", "[probis]\ndup = dup_third\n")
    _dist(second, "beta-0.1.egg-info", "[probis]\r\nbeta = beta_mod:sub.attr\r\n")
    _dist(second, "noentry-1.0.dist-info", None)
    _dist(second, "brackets-1.0.dist-info", "[[probis]]\nbracketed = b_mod\n")
    for folder in (second, first):  # first, then second on sys.path
        monkeypatch.syspath_prepend(str(folder))
    monkeypatch.syspath_prepend(str(tmp_path / "does-not-exist"))
    return tmp_path


def test_same_entry_points_as_importlib_metadata(site: Path) -> None:
    for group in ("probis", "console_scripts", "other", "none-such"):
        assert _ours(group) == _theirs(group)
    names = [name for name, *_ in _ours("probis")]
    assert sorted(names[:3]) == ["alpha", "dup", "zeta"] and "bracketed" in names  # site1 first
    assert names.index("zeta") < names.index("alpha")  # file order
    dups = [value for name, value, *_ in _ours("probis") if name == "dup"]
    assert len(dups) == 1 and dups[0] in ("dup_new", "dup_old")  # never the later folder's


def test_listing_order_grouped_by_name_as_importlib_metadata(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing that interleaves two folders of one normalised name with another
    distribution: the first folder of the name wins, at its place."""
    import os

    listdir = os.listdir
    order = ["dup_name-1.0.dist-info", "alpha_plug-1.0.dist-info", "Dup.Name-2.0.dist-info"]

    def interleaved(path: object = ".") -> list[str]:
        names = listdir(path)  # type: ignore[arg-type]
        return order if sorted(names) == sorted(order) else names

    monkeypatch.setattr(os, "listdir", interleaved)
    assert _ours("probis") == _theirs("probis")
    assert [v for n, v, *_ in _ours("probis")][:3] == ["dup_old", "zeta_mod:plugin [extra]",
                                                       "alpha_mod"]


def test_same_entry_points_on_this_interpreters_path() -> None:
    assert _ours("probis") == _theirs("probis")
    assert _ours("console_scripts") == _theirs("console_scripts")


def test_our_scan_answers_without_importlib_metadata(site: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: object) -> None:
        raise AssertionError("importlib.metadata asked")

    monkeypatch.setattr(metadata, "entry_points", refuse)
    found = {ep.name for ep in entrypoints.entry_points("probis")}
    assert {"zeta", "alpha", "dup", "beta"} <= found


def test_load_imports_what_importlib_metadata_loads(site: Path) -> None:
    mod = site / "site1" / "ep_target_mod.py"
    mod.write_text("class sub:\n    attr = 42\n", "utf-8")
    ours = entrypoints.EntryPoint("t", "ep_target_mod:sub.attr [x]", "probis",
                                  entrypoints.Distribution(str(site)))
    theirs = metadata.EntryPoint("t", "ep_target_mod:sub.attr [x]", "probis")
    assert ours.load() == theirs.load() == 42
    bad = entrypoints.EntryPoint("t", "not a valid: value!", "probis",
                                 entrypoints.Distribution(str(site)))
    with pytest.raises(Exception) as ours_error:
        bad.load()
    with pytest.raises(Exception) as their_error:
        metadata.EntryPoint("t", "not a valid: value!", "probis").load()
    assert (type(ours_error.value), str(ours_error.value)) == (
        type(their_error.value), str(their_error.value))


@pytest.mark.parametrize("meta", [
    "Metadata-Version: 2.1\nName: plain\nVersion: 1.2.3\nSummary: x\n\nbody Name: no\n",
    "Metadata-Version: 2.1\nname:\t spaced-out \nVERSION: 0.1\nName: second\n",
    "Metadata-Version: 2.1\nName: folded\n  continued\nVersion: 1\n",  # folded: importlib reads
    "Metadata-Version: 2.1\nVersion: 1\n",  # no Name: importlib.metadata answers None
    "not a header line\nName: x\nVersion: 1\n",
])
@pytest.mark.parametrize("pkg_info", [False, True])  # an egg-info has PKG-INFO
def test_name_and_version_as_importlib_metadata_reads_them(tmp_path: Path, meta: str,
                                                           pkg_info: bool) -> None:
    info = _dist(tmp_path, "some_dist-1.0.dist-info", None, meta)
    if pkg_info:
        (info / "METADATA").rename(info / "PKG-INFO")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # a missing Name warns there
        theirs_meta = metadata.PathDistribution(info).metadata
        theirs = (theirs_meta["Name"], theirs_meta["Version"])
        assert entrypoints.name_and_version(entrypoints.Distribution(str(info))) == theirs


def test_a_zip_on_the_path_is_read_by_importlib_metadata(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
        z.writestr("zipped-1.0.dist-info/entry_points.txt", "[probis]\nzipped = zipped_mod\n")
    monkeypatch.syspath_prepend(str(archive))
    assert ("zipped", "zipped_mod") in {(ep.name, ep.value)
                                       for ep in entrypoints.entry_points("probis")}
    assert _ours("probis") == _theirs("probis")


def test_a_malformed_entry_points_file_fails_as_importlib_metadata_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _dist(tmp_path, "broken-1.0.dist-info", "[probis]\nno equals sign here\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(Exception) as theirs:
        metadata.entry_points(group="probis")
    with pytest.raises(Exception) as ours:
        entrypoints.entry_points("probis")
    assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_a_distribution_finder_of_its_own_is_asked_through_importlib_metadata(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Finder:
        @staticmethod
        def find_spec(*_: object) -> None:
            return None

        @staticmethod
        def find_distributions(*_: object, **__: object) -> list[object]:
            return [metadata.PathDistribution(Path("/nonexistent/extra-1.0.dist-info"))]

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert _ours("probis") == _theirs("probis")
