"""Rule documentation generated from rule metadata (never written twice).

``probis explain ID`` prints it; ``docs/rules/`` pages are generated from the same function
(``probis docs docs/rules`` or ``python -m probis.engine.docs docs/rules``), and a test checks
they are up to date. The latter also writes ``docs/facts.md`` (beside the rules folder) from
the declared fact kinds. Both cover probis's own plugins only, whatever else is installed.
``probis docs --plugin NAME DIR`` writes the pages of one plugin's rules.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import pick, say
from .rule import DeclarativeRule, RuleInfo, applies_kinds

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
    from .render.common import rule_set_label, severity_label

    meta = (f"{h['severity']}: {severity_label(info.severity, lang)} · "
            f"{h['set']}: {rule_set_label(info.rule_set, lang)}")
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
        own = builtin_plugins(registry)
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
        return say(f"plugin `{plugin}` gagal dimuat ({'; '.join(failed)}); lihat `probis "
                   "plugins`", f"plugin `{plugin}` failed to load ({'; '.join(failed)}); see "
                   "`probis plugins`")
    if any(p.name == plugin for p in registry.plugins):
        return say(f"plugin `{plugin}` tidak mendaftarkan aturan",
                   f"plugin `{plugin}` registers no rules")
    loaded = ", ".join(sorted(p.name for p in registry.plugins)) or "-"
    return say(f"plugin `{plugin}` tidak dimuat (yang dimuat: {loaded}); lihat `probis plugins`",
               f"plugin `{plugin}` is not loaded (loaded: {loaded}); see `probis plugins`")


def builtin_plugins(registry: Registry) -> set[str]:
    """The loaded plugins that are probis's own rule sets (of the ``probis`` distribution)."""
    return {p.name for p in registry.plugins if p.distribution == "probis"}


def facts_markdown(registry: Registry) -> str:
    """docs/facts.md: every fact kind the core or probis's own plugins declare, with its fields,
    who declares it and the rule files over it (an installed third-party plugin's are left out)."""
    out = [
        "# Facts",
        "",
        "<!-- generated by `python -m probis.engine.docs docs/rules`; do not edit -->",
        "",
        "Rule files (`rules/<rule set>/<ID>.yaml`) evaluate their conditions over *facts*: one",
        "flat record per element. `applies_to` names the fact kind(s); conditions and message",
        "`{placeholders}` name fields. Every fact also has `t`, its kind (`{t: lane}`). A field",
        "whose value is unknown is left out of the fact, so `$nex` means \"missing\" and a",
        "comparison on it is false. Types are never mixed within a field: `text`, `integer`,",
        "`number` (integer or decimal) or `boolean` (true/false).",
        "",
        "The core kinds are declared in `engine/facts.py`; a plugin declares the kinds its",
        "`probis_facts` adds with `probis_register_fact_kinds` (docs/plugin-hooks.md). Rule",
        "files are checked against these declarations when the plugins load: an unknown kind or",
        "field refuses that rule with an ENG001 finding naming the file, the rule and the",
        "closest known name.",
        "",
        "| kind | declared by | rule files over it |",
        "|---|---|---|",
    ]
    own = builtin_plugins(registry)
    # core kinds first, then by plugin name
    kinds = [k for k in registry.fact_kinds.values() if k.plugin is None or k.plugin in own]
    over: dict[str, list[str]] = {kind.kind: [] for kind in kinds}
    for rid, rule in registry.rules.items():
        if isinstance(rule, DeclarativeRule) and registry.plugin_of(rid) in own:
            for kind in applies_kinds(rule.info):
                over.setdefault(kind, []).append(rid)

    def owner(plugin: str | None) -> str:
        return f"plugin `{plugin}`" if plugin else "core (`engine/facts.py`)"

    for kind in kinds:
        rules = ", ".join(f"[{r}](rules/{r}.md)" for r in sorted(over[kind.kind])) or "-"
        out.append(f"| [`{kind.kind}`](#{kind.kind}) | {owner(kind.plugin)} | {rules} |")
    for kind in kinds:
        out += ["", f"## {kind.kind}", "", f"Declared by {owner(kind.plugin)}."]
        if kind.description:
            out += ["", kind.description]
        out += ["", "| field | type | description |", "|---|---|---|"]
        out += [f"| `{name}` | {spec.type} | {_cell(spec.description)} |"
                for name, spec in kind.fields.items()]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a table cell: `start | end` must not split it


def write_facts(path: Path, registry: Registry | None = None) -> Path:
    from .plugins import build_registry

    path.write_text(facts_markdown(registry or build_registry()), encoding="utf-8")
    return path


if __name__ == "__main__":
    rules_folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    write_docs(rules_folder)
    write_facts(Path(sys.argv[2]) if len(sys.argv) > 2 else rules_folder.parent / "facts.md")
