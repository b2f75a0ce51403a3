"""Rule documentation generated from rule metadata (never written twice).

``probis explain ID`` prints it; ``docs/rules/`` pages are generated from the same function
(``probis docs docs/rules`` or ``python -m probis.engine.docs docs/rules``), and a test checks
they are up to date. ``probis docs --plugin NAME DIR`` writes the pages of one plugin's rules.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import pick
from .rule import RuleInfo

if TYPE_CHECKING:
    from .plugins import Registry

HEAD = {
    "id": {
        "checks": "Yang diperiksa",
        "why": "Mengapa penting",
        "basis": "Dasar",
        "fail": "Contoh yang gagal",
        "pass": "Contoh yang lulus",
        "fix": "Cara memperbaiki",
        "severity": "Tingkat bawaan",
        "set": "Himpunan aturan",
        "plugin": "Plugin",
        "source": "Sumber",
        "options": "Opsi",
    },
    "en": {
        "checks": "What it checks",
        "why": "Why it matters",
        "basis": "Basis",
        "fail": "Failing example",
        "pass": "Passing example",
        "fix": "How to fix",
        "severity": "Default severity",
        "set": "Rule set",
        "plugin": "Plugin",
        "source": "Source",
        "options": "Options",
    },
}


def rule_markdown(info: RuleInfo, lang: str = "id", plugin: str | None = None) -> str:
    h = HEAD.get(lang, HEAD["id"])
    out = [f"# {info.id}: {pick(info.title, lang)}", ""]
    meta = f"{h['severity']}: {info.severity} · {h['set']}: {info.rule_set}"
    if plugin:
        meta += f" · {h['plugin']}: {plugin}"
    out += [
        meta,
        "",
        f"## {h['checks']}",
        pick(info.checks, lang),
        "",
        f"## {h['why']}",
        pick(info.rationale, lang),
        "",
        f"## {h['basis']}",
        pick(info.basis, lang),
        "",
    ]
    if info.example_fail:
        out += [f"## {h['fail']}", "```yaml", info.example_fail, "```", ""]
    if info.example_pass:
        out += [f"## {h['pass']}", "```yaml", info.example_pass, "```", ""]
    out += [f"## {h['fix']}", pick(info.fix, lang), ""]
    if info.options:
        out += [f"## {h['options']}"] + [f"- `{k}`: {v}" for k, v in info.options.items()] + [""]
    if info.source:
        out += [f"{h['source']}: `{info.source}`"]
    return "\n".join(out).rstrip() + "\n"


def write_docs(folder: Path, plugin: str | None = None,
               registry: Registry | None = None) -> list[Path]:
    """Write one page per rule and an index (README.md) into ``folder``. Without ``plugin``:
    probis's own rules (built-in rule sets and engine rules; docs/rules/), whatever else is
    installed. With ``plugin``: the rules of that loaded plugin only (``probis docs
    --plugin``); ValueError when it is not loaded or has no rules."""
    from .engine_rules import ENGINE_RULES
    from .plugins import build_registry

    registry = registry or build_registry()
    if plugin is None:
        own = {p.name for p in registry.plugins if p.distribution == "probis"}
        infos = {rid: r.info for rid, r in registry.rules.items()
                 if registry.plugin_of(rid) in own} | ENGINE_RULES
        title = "# probis rules"
    else:
        infos = {rid: r.info for rid, r in registry.rules.items()
                 if registry.plugin_of(rid) == plugin}
        title = f"# Rules of plugin {plugin}"
        if not infos:
            raise ValueError(_no_rules(registry, plugin))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    index = [title, "", "| id | severity | rule set | title |", "|---|---|---|---|"]
    for rid in sorted(infos):
        info = infos[rid]
        page = folder / f"{rid}.md"
        page.write_text(
            rule_markdown(info, "en", registry.plugin_of(rid) if rid in registry.rules else None)
            + "\n---\n\n"
            + rule_markdown(info, "id"),
            encoding="utf-8",
        )
        written.append(page)
        index.append(
            f"| [{rid}]({rid}.md) | {info.severity} | {info.rule_set} | {pick(info.title, 'en')} |"
        )
    (folder / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written


def _no_rules(registry: Registry, plugin: str) -> str:
    failed = [f"{f.stage}: {f.error}" for f in registry.failures if f.plugin == plugin]
    if failed:
        return (f"plugin `{plugin}` gagal dimuat / failed to load ({'; '.join(failed)}); "
                "lihat / see `probis plugins`")
    if any(p.name == plugin for p in registry.plugins):
        return f"plugin `{plugin}` tidak mendaftarkan aturan / registers no rules"
    loaded = ", ".join(sorted(p.name for p in registry.plugins)) or "-"
    return (f"plugin `{plugin}` tidak dimuat / is not loaded (dimuat / loaded: {loaded}); "
            "lihat / see `probis plugins`")


if __name__ == "__main__":
    write_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules"))
