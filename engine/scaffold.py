"""`probis new-plugin NAME`: write a working plugin package from engine/templates/new-plugin/.

The skeleton installs with pip, registers itself through the `probis` entry point, ships one
rule file and one Python rule with bilingual metadata, and has fixtures and tests that pass
as soon as it is installed. Templates use ``{{key}}`` markers (not ``$name``: rule files are
full of ``$lt``), replaced from a fixed table so an unknown marker is a bug caught by tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import ProbisUsageError
from .i18n import text
from .packagefiles import package_files

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PREFIX_RE = re.compile(r"^[A-Z]{2,5}$")
TEMPLATE_SUFFIX = ".tmpl"
MARKER_RE = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class PluginNames:
    name: str  # as given: perda-banjir
    entry: str  # entry-point name and rule set: perda_banjir
    dist: str  # distribution: probis-plugin-perda-banjir
    module: str  # import package: probis_plugin_perda_banjir
    prefix: str  # rule id prefix: PER


def plugin_names(name: str, prefix: str | None = None) -> PluginNames:
    if not NAME_RE.match(name):
        raise ProbisUsageError(text(
            id=f"nama plugin `{name}` tidak sah: gunakan huruf kecil, angka dan tanda hubung "
               "(misalnya perda-banjir)",
            en=f"invalid plugin name `{name}`: use lower-case letters, digits and hyphens "
               "(e.g. perda-banjir)"))
    short = name.removeprefix("probis-plugin-").removeprefix("probis-") or name
    dist = f"probis-plugin-{short}"
    prefix = prefix if prefix is not None else re.sub(r"[^a-z]", "", short)[:3].upper()
    if not PREFIX_RE.match(prefix):
        raise ProbisUsageError(text(
            id=f"awalan id aturan `{prefix}` tidak sah: 2-5 huruf besar; pilih dengan --prefix",
            en=f"invalid rule id prefix `{prefix}`: 2-5 capital letters; choose it with "
               "--prefix"))
    return PluginNames(name=short, entry=short.replace("-", "_"), dist=dist,
                       module=dist.replace("-", "_"), prefix=prefix)


def _templates() -> Iterable[tuple[str, str]]:
    """(relative path without .tmpl, template text) for every template file, sorted."""
    root = package_files("probis.engine").joinpath("templates", "new-plugin")
    stack = [(root, "")]
    found = []
    while stack:
        folder, rel = stack.pop()
        for item in folder.iterdir():
            item_rel = f"{rel}{item.name}"
            if item.is_dir():
                stack.append((item, item_rel + "/"))
            elif item.name.endswith(TEMPLATE_SUFFIX):
                found.append((item_rel.removesuffix(TEMPLATE_SUFFIX), item.read_text("utf-8")))
    return sorted(found)


def _fill(template: str, values: dict[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {where}: unknown marker {{{{{key}}}}}")
        return values[key]

    return MARKER_RE.sub(replace, template)


def create_plugin(name: str, parent: Path, prefix: str | None = None,
                  taken_rule_ids: Iterable[str] = ()) -> Path:
    """Write the package into ``parent/<dist>``; returns that folder."""
    names = plugin_names(name, prefix)
    clash = sorted(r for r in taken_rule_ids if re.fullmatch(rf"{names.prefix}\d+", r))
    if clash:
        used = ", ".join(clash[:3])
        raise ProbisUsageError(text(
            id=f"awalan `{names.prefix}` sudah dipakai aturan {used}; pilih awalan lain dengan "
               "--prefix",
            en=f"prefix `{names.prefix}` is already used by rules {used}; choose another with "
               "--prefix"))
    target = parent / names.dist
    if target.exists():
        raise ProbisUsageError(text(id=f"{target} sudah ada; pilih folder lain dengan --dir",
                                    en=f"{target} already exists; choose another folder "
                                       "with --dir"))
    values = {"name": names.name, "entry": names.entry, "dist": names.dist,
              "module": names.module, "prefix": names.prefix,
              "probis_version": __version__.rsplit(".", 1)[0]}
    for rel, template in _templates():
        out_rel = rel.replace("package/", f"{names.module}/", 1)
        out_rel = out_rel.replace("RULE001", f"{names.prefix}001")
        path = target / out_rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(template, values, rel), encoding="utf-8")
    return target
