"""Rule profiles: which rules run and at what severity.

A workspace's ``profile`` names profiles to ``extends`` (applied in order) and then overrides
single rules. Built in: ``recommended`` (every rule at its default severity) and ``strict``
(every rule one step more severe: info becomes warning, warning becomes error). Plugins can
register more. A profile that names an unknown rule or profile is an input error.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InputError
from .i18n import text
from .model import Profile
from .rule import RuleInfo

STRICTER = {"info": "warning", "warning": "error", "error": "error"}
SETTINGS = ("off", "info", "warning", "error")


def builtin_profiles(rules: Mapping[str, RuleInfo]) -> dict[str, dict[str, str]]:
    return {
        "recommended": {rid: info.severity for rid, info in rules.items()},
        "strict": {rid: STRICTER[info.severity] for rid, info in rules.items()},
    }


def resolve(
    profile: Profile | None,
    rules: Mapping[str, RuleInfo],
    plugin_profiles: Mapping[str, Mapping[str, str]],
    manifest_file: str | None,
) -> tuple[dict[str, str], list[InputError]]:
    """Effective setting (``off`` or a severity) per rule id, and any input errors."""
    profile = profile or Profile()
    available = builtin_profiles(rules)
    effective = dict(available["recommended"])
    errors: list[InputError] = []
    file = manifest_file or "probis.yaml"
    for name in profile.extends:
        if name in available:
            effective.update(available[name])
        elif name in plugin_profiles:
            for rid, setting in plugin_profiles[name].items():
                if rid in effective and setting in SETTINGS:
                    effective[rid] = setting
        else:
            known = ", ".join(sorted(set(available) | set(plugin_profiles)))
            errors.append(InputError(
                file, profile.line, "profile.extends",
                text(f"profil `{name}` tidak dikenal; gunakan salah satu dari: {known}",
                     f"unknown profile `{name}`; use one of: {known}"),
                code="profile"))
    for rid, setting in profile.rules.items():
        if rid not in rules:
            errors.append(InputError(
                file, profile.line, f"profile.rules.{rid}",
                text(f"aturan `{rid}` tidak dikenal; lihat `probis rules` untuk daftar aturan",
                     f"unknown rule `{rid}`; see `probis rules` for the list of rules"),
                code="profile-rule"))
            continue
        effective[rid] = setting
    for rid in profile.options:
        if rid not in rules:
            errors.append(InputError(
                file, profile.line, f"profile.options.{rid}",
                text(f"aturan `{rid}` tidak dikenal", f"unknown rule `{rid}`"),
                code="profile-rule"))
    return effective, errors
