"""The self-contained HTML report: one file, inline CSS and SVG, no requests.

Every value goes through ``html.escape``: comments are a visitor's text and
the report is opened in an editor's browser.
"""
from __future__ import annotations

from html import escape

from sitegen.feedback.report import Report, local_time, percent

BAR_HEIGHT = 22
LABEL_WIDTH = 320
CHART_WIDTH = 360
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;margin:2rem auto;
max-width:64rem;padding:0 1rem;line-height:1.5}
h1,h2{line-height:1.2}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #ccc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
ul.comments{margin:0;padding-left:1.1rem}.when{color:#555;font-size:.9em}
svg text{font-size:13px;fill:#1a1a1a}.note{color:#444}
"""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def chart(report: Report) -> str:
    """Horizontal bars: the share of "ja" per page, worst first."""
    rows = report.pages
    height = BAR_HEIGHT * len(rows) + 30
    width = LABEL_WIDTH + CHART_WIDTH + 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title"'
             f' width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             '<title id="chart-title">Andel ja per sida, sämst först</title>']
    for tick in (0, 50, 100):
        x = LABEL_WIDTH + CHART_WIDTH * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}"'
                     ' stroke="#bbb" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 5}" text-anchor="middle">{tick} %</text>')
    for i, p in enumerate(rows):
        y = i * BAR_HEIGHT
        bar = CHART_WIDTH * p.share_yes
        # Dark colours on white keep 3:1 contrast for the bars (WCAG 1.4.11).
        colour = "#b00020" if p.share_yes < 0.5 else "#1f6f3f"
        label = p.page if len(p.page) <= 45 else "…" + p.page[-44:]
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">'
                     f'{esc(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{bar:.1f}"'
                     f' height="{BAR_HEIGHT - 6}" fill="{colour}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + bar + 6:.1f}" y="{y + 15}">'
                     f'{esc(percent(p.share_yes))} av {p.total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def pages_table(report: Report) -> str:
    rows = []
    for p in report.pages:
        comments = "".join(f'<li><span class="when">{esc(local_time(c))}</span> {esc(t)}</li>'
                           for c, t in p.latest)
        rows.append(f"<tr><td>{esc(p.site)}</td><td>{esc(p.page)}</td>"
                    f'<td class="num">{esc(percent(p.share_yes))}</td>'
                    f'<td class="num">{p.total}</td>'
                    f'<td><ul class="comments">{comments}</ul></td></tr>')
    return ('<table><thead><tr><th scope="col">Webbplats</th><th scope="col">Sida</th>'
            '<th scope="col" class="num">Ja</th><th scope="col" class="num">Svar</th>'
            '<th scope="col">Senaste kommentarer</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def missing_table(report: Report) -> str:
    rows = []
    for row in report.missing:
        m = row.summary
        suggestion = esc(row.suggestion) if row.suggestion else "–"
        rows.append(f"<tr><td>{esc(m.site)}</td><td>{esc(m.path)}</td>"
                    f'<td class="num">{m.hits}</td><td>{esc(local_time(m.last_seen))}</td>'
                    f"<td>{esc(m.referrer) or '–'}</td><td>{suggestion}</td></tr>")
    return ('<table><thead><tr><th scope="col">Webbplats</th><th scope="col">Saknad sökväg</th>'
            '<th scope="col" class="num">Träffar</th><th scope="col">Senast</th>'
            '<th scope="col">Kom från</th><th scope="col">Föreslaget alias till sidan</th>'
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def format_html(report: Report) -> str:
    period = (f"från {esc(local_time(report.since.isoformat()))}" if report.since
              else "alla sparade svar")
    body = ["<h1>Återkoppling från besökare</h1>",
            f'<p class="note">Skapad {esc(local_time(report.generated.isoformat()))}, {period}.</p>',
            "<h2>Hade du nytta av innehållet?</h2>"]
    if report.pages:
        body += [chart(report), pages_table(report)]
    else:
        body.append("<p>Inga svar ännu.</p>")
    body.append("<h2>Saknade sidor</h2>")
    if report.missing:
        body += ['<p class="note">Lägg till föreslagen sökväg som <code>aliases</code> i'
                 " sidans front matter om sidan har flyttat.</p>", missing_table(report)]
    else:
        body.append("<p>Inga rapporter.</p>")
    return ('<!doctype html><html lang="sv"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
            " style-src 'unsafe-inline'\">"
            f"<title>Återkoppling från besökare</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")
