"""Rule documentation generated from rule metadata (never written twice).

``probis explain ID`` prints it; ``docs/rules/`` pages are generated from the same function
(``python -m probis.engine.docs docs/rules``), and a test checks they are up to date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .i18n import pick
from .rule import RuleInfo

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


def write_docs(folder: Path) -> list[Path]:
    from .engine_rules import ENGINE_RULES
    from .plugins import build_registry

    registry = build_registry()
    infos = {rid: r.info for rid, r in registry.rules.items()} | ENGINE_RULES
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# probis rules", "", "| id | severity | rule set | title |", "|---|---|---|---|"]
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


if __name__ == "__main__":
    write_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules"))
