"""The rollout as one self-contained HTML page: inline CSS, SVG and script, nothing fetched.

Pure: rows in, text out. Each row carries its stage, jurisdiction and completeness as data
attributes, which the inline script sorts by; the page reads nothing from anywhere.
"""

from datetime import datetime
from html import escape

from mgi_cli.rollout.model import (
    STAGE_NAMES,
    STAGES,
    RolloutRow,
    ordered,
    per_stage,
    percent,
    when,
)

INK, DONE, TODO, FULL = "#1f2933", "#1f5f8b", "#d6dde3", "#2e8b57"

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1f2933; margin: 2rem auto;
       max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.meta { color: #52606d; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e4e7eb; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: #52606d; }
td.when { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.code { color: #52606d; font-size: .85rem; }
.conflicts { background: #fde8e8; color: #9b1c1c; border-radius: 1rem; padding: 0 .5rem; }
.sort button { font: inherit; margin-right: .4rem; padding: .25rem .7rem; border-radius: .3rem;
               border: 1px solid #9aa5b1; background: #fff; cursor: pointer; }
.sort button[aria-pressed=true] { background: #1f5f8b; color: #fff; border-color: #1f5f8b; }
"""

SCRIPT = """
(function () {
  var body = document.querySelector('#rollout tbody');
  var directions = {stage: -1, jurisdiction: 1, completeness: -1};
  function value(row, key) {
    var v = row.dataset[key];
    return key === 'jurisdiction' ? v : parseFloat(v);
  }
  function sortBy(key, flip) {
    if (flip) { directions[key] = -directions[key]; }
    var d = directions[key];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      if (x < y) { return -d; }
      if (x > y) { return d; }
      return a.dataset.jurisdiction < b.dataset.jurisdiction ? -1 : 1;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    document.querySelectorAll('.sort button').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.dataset.sort === key));
    });
  }
  document.querySelectorAll('.sort button').forEach(function (button) {
    button.addEventListener('click', function () {
      var active = button.getAttribute('aria-pressed') === 'true';
      sortBy(button.dataset.sort, active);
    });
  });
  sortBy('stage', false);
})();
"""


def rollout_page(rows: list[RolloutRow], generated_at: datetime) -> str:
    countries = {r.jurisdiction.split("-")[0] for r in rows}
    body_rows = "\n".join(_row(r) for r in ordered(rows))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MGI rollout overview</title>
<style>{STYLE}</style>
</head>
<body>
<h1>MGI rollout overview</h1>
<p class="meta">{len(rows)} assessment(s) in {len(countries)} countr{"y" if len(countries) == 1 else "ies"},
as of {escape(generated_at.strftime("%Y-%m-%d %H:%M UTC"))}</p>
{_stage_chart(per_stage(rows))}
<p class="sort">Sort by
<button type="button" data-sort="stage" aria-pressed="true">Stage</button>
<button type="button" data-sort="jurisdiction" aria-pressed="false">Jurisdiction</button>
<button type="button" data-sort="completeness" aria-pressed="false">Completeness</button></p>
<table id="rollout">
<thead><tr><th>Jurisdiction</th><th>Round</th><th>Stage</th><th>Completeness</th>
<th>Open conflicts</th><th>Last submission</th><th>Published</th></tr></thead>
<tbody>
{body_rows}
</tbody>
</table>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _row(r: RolloutRow) -> str:
    completeness = -1.0 if r.completeness is None else r.completeness
    conflicts = "-" if r.conflicts is None else (
        f'<span class="conflicts">{r.conflicts}</span>' if r.conflicts else "0")  # fmt: skip
    return (
        f'<tr data-stage="{r.stage}" data-jurisdiction="{escape(r.jurisdiction)}" '
        f'data-completeness="{completeness:.4f}" data-assessment="{escape(r.assessment_id)}">'
        f'<td>{escape(r.jurisdiction_name)} <span class="code">{escape(r.jurisdiction)}'
        f' · {escape(r.scope)}</span><br><span class="code">{escape(r.assessment_id)}</span></td>'
        f'<td class="num">{r.round}</td>'
        f"<td>{_stage_track(r.stage)}</td>"
        f"<td>{_completeness_bar(r.completeness)}</td>"
        f'<td class="num">{conflicts}</td>'
        f'<td class="when">{escape(when(r.last_submission_at))}</td>'
        f"<td>{'yes' if r.published else 'no'}</td></tr>"
    )


def _stage_track(stage: int) -> str:
    """Six dots on a line, filled up to the assessment's stage."""
    name = STAGE_NAMES[STAGES[stage]]
    dots = "".join(
        f'<circle cx="{10 + i * 22}" cy="10" r="6" fill="{DONE if i <= stage else TODO}"/>'
        for i in range(len(STAGES))
    )
    return (
        f'<svg class="stage-track" width="230" height="20" viewBox="0 0 230 20" role="img" '
        f'aria-label="{name}"><title>{name}</title>'
        f'<line x1="10" y1="10" x2="120" y2="10" stroke="{TODO}" stroke-width="2"/>'
        f'<line x1="10" y1="10" x2="{10 + stage * 22}" y2="10" stroke="{DONE}" stroke-width="2"/>'
        f'{dots}<text x="140" y="14" font-size="12" fill="{INK}">{name}</text></svg>'
    )


def _completeness_bar(completeness: float | None) -> str:
    width = 0 if completeness is None else round(120 * completeness)
    label = percent(completeness)
    return (
        f'<svg class="completeness" width="170" height="16" viewBox="0 0 170 16" role="img" '
        f'aria-label="completeness {label}"><title>completeness {label}</title>'
        f'<rect x="0" y="3" width="120" height="10" rx="3" fill="{TODO}"/>'
        f'<rect class="fill" x="0" y="3" width="{width}" height="10" rx="3" fill="{FULL}"/>'
        f'<text x="128" y="13" font-size="12" fill="{INK}">{label}</text></svg>'
    )


def _stage_chart(counts: list[int]) -> str:
    """How many assessments are at each stage: one column per stage."""
    top = max(counts) or 1
    columns = []
    for i, (status, count) in enumerate(zip(STAGES, counts, strict=True)):
        height = round(100 * count / top)
        x = 20 + i * 115
        columns.append(
            f'<rect class="bar" x="{x}" y="{130 - height}" width="80" height="{height}" '
            f'fill="{DONE}"><title>{STAGE_NAMES[status]}: {count}</title></rect>'
            f'<text x="{x + 40}" y="{124 - height}" text-anchor="middle" font-size="14" '
            f'fill="{INK}">{count}</text>'
            f'<text x="{x + 40}" y="150" text-anchor="middle" font-size="12" '
            f'fill="{INK}">{STAGE_NAMES[status]}</text>'
        )
    return (
        '<svg class="stage-chart" width="720" height="160" viewBox="0 0 720 160" role="img" '
        'aria-labelledby="stage-chart-title stage-chart-desc">'
        '<title id="stage-chart-title">Assessments per stage</title>'
        '<desc id="stage-chart-desc">How many assessments are at each stage of the workflow'
        f"</desc>{''.join(columns)}</svg>"
    )
