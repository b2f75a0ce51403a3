"""Self-contained HTML report shaped as an LHP: one file an auditor can e-mail, open offline,
print on A4 or turn into a PDF (engine/render/pdf.py).

The document is the Jinja2 template ``templates/lhp.html.j2`` filled from the LHP model
(engine/render/lhp_model.py); autoescaping is on, so every value from the report arrives as
text. The only markup that passes through unescaped is ours: the stylesheet, the filter
script, the map drawings of engine.diagram and a plugin's own ``probis_render_section(...,
"html")`` answer (the plugin escapes its text). The file references no external resource.
Without JavaScript every finding is visible and the filter controls stay hidden.

The output depends on the report dict only (no clock, no random ids): same inputs, same bytes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import BaseLoader, Environment, Template, TemplateNotFound

from ..packagefiles import package_files
from .common import SectionRenderer
from .lhp_model import LhpModel, build_model

# Filtering: findings carry data-unit / data-rule-set / data-severity. The controls are hidden
# in the markup and only shown by this script, so without JavaScript nothing pretends to filter.
SCRIPT = """
(function () {
  var box = document.getElementById('filters');
  if (!box) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll('li.finding'));
  var rules = Array.prototype.slice.call(document.querySelectorAll('article.rule'));
  var chapters = Array.prototype.slice.call(document.querySelectorAll('section.chapter'));
  var selects = Array.prototype.slice.call(box.querySelectorAll('select'));
  var shown = document.getElementById('shown-count');
  function apply() {
    var n = 0;
    items.forEach(function (item) {
      var ok = selects.every(function (s) {
        return s.value === '' || item.getAttribute('data-' + s.name) === s.value;
      });
      item.hidden = !ok;
      if (ok) { n += 1; }
    });
    rules.forEach(function (r) { r.hidden = !r.querySelector('li.finding:not([hidden])'); });
    var unit = box.querySelector('select[name=unit]').value;
    chapters.forEach(function (c) { c.hidden = unit !== '' && c.dataset.unit !== unit; });
    shown.textContent = String(n);
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  box.hidden = false;
  apply();
})();
"""


class _PackageLoader(BaseLoader):
    """Templates shipped as package data next to this module (works from a wheel too)."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, None, Any]:
        path = package_files(__package__).joinpath("templates", template)
        if not path.is_file():
            raise TemplateNotFound(template)
        return path.read_text(encoding="utf-8"), None, lambda: True


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=_PackageLoader(), autoescape=True, trim_blocks=False,
                       keep_trailing_newline=True)


def template(name: str) -> Template:
    return _environment().get_template(name)


def stylesheet() -> str:
    return package_files(__package__).joinpath("templates", "lhp.css").read_text(encoding="utf-8")


def html_from_model(m: LhpModel, report: dict[str, Any]) -> str:
    L = m.L
    appendix_ids = {L["input_errors"]: "input-errors-table", L["run"]: "run-table",
                    L["files_read"]: "files-table", L["expired"]: "expired-table",
                    L["unused"]: "unused-table", L["notices"]: "notices-table",
                    L["engine"]: "engine-table"}
    return template("lhp.html.j2").render(
        m=m, css=stylesheet(), script=SCRIPT, version=report["probis"]["version"],
        total=len(report["findings"]), waived_count=len(report["waived"]),
        appendix_ids=appendix_ids)


def render_html(report: dict[str, Any], lang: str = "id",
                section_renderer: SectionRenderer | None = None, workspace: Any = None,
                **_: Any) -> str:
    model = build_model(report, lang, section_renderer, "html", workspace)
    return html_from_model(model, report)
