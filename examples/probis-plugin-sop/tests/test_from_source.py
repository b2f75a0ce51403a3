"""The rules run straight from the source folder with probis's testing helpers: no install.
`python -m pytest` in this folder puts it on sys.path, so `probis_plugin_sop` imports from here
(probis's own suite runs this file against the pip-installed copy too)."""

from __future__ import annotations

from conftest import AS_OF, FIXTURES
from probis.engine.testing import assert_finding, assert_no_finding, audit_workspace

# the fixture workspace and the valid SOPs, in memory: relative path -> YAML text
WORKSPACE = {
    **{p.relative_to(FIXTURES / "workspace").as_posix(): p.read_text(encoding="utf-8")
       for p in (FIXTURES / "workspace").rglob("*.yaml")},
    **{f"sop/{p.name}": p.read_text(encoding="utf-8") for p in (FIXTURES / "valid").glob("*.yaml")},
}


# [snippet:testing]
SOP_WITHOUT_EXECUTOR = """\
kind: contoh-sop
id: SOP-UJI-009
number: 800/109/SOP/Disdukcapil/2025
name: Legalisasi Kartu Keluarga
unit: disdukcapil.dafduk
made: 2025-01-10
effective: 2025-02-01
approved_by: Kepala Dinas Kependudukan dan Pencatatan Sipil
steps:
  - {id: 1, type: start, activity: Menyerahkan fotokopi KK, executor: Pemohon,
     mutu_baku: {requirements: [Fotokopi KK], time: 5m, output: [Berkas]}}
  - {id: 2, type: end, activity: Melegalisasi fotokopi KK,
     mutu_baku: {requirements: [Berkas], time: 10m, output: [KK terlegalisasi]}}
"""


def test_a_step_without_executor_fails_sop003() -> None:
    result = audit_workspace({**WORKSPACE, "sop/SOP-UJI-009.yaml": SOP_WITHOUT_EXECUTOR},
                             plugins={"contoh-sop": "probis_plugin_sop"}, as_of=AS_OF)
    assert_finding(result, rule="CTH003", element="SOP-UJI-009#2", severity="error",
                   file="sop/SOP-UJI-009.yaml", line=12)
    assert_no_finding(result, rule="CTH005")  # it ends with an end step
# [/snippet]


def test_the_valid_workspace_has_no_finding() -> None:
    result = audit_workspace(WORKSPACE, plugins={"contoh-sop": "probis_plugin_sop"}, as_of=AS_OF)
    for rule in sorted(result.registry.rules):
        assert_no_finding(result, rule=rule)
