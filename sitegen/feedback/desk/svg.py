"""The trend of a page's "ja" share as a small inline SVG, drawn by the server.

No script and no image request: the line is in the page. The figures it shows are also
in its text alternative, so a screen reader hears the same trend.
"""
from __future__ import annotations

from html import escape

WIDTH, HEIGHT, PAD = 120, 32, 3


def trend(months: list[tuple[str, int, int]], label: str) -> str:
    """``months``: (YYYY-MM, yes, answers), oldest first; ``label``: the text alternative."""
    points = [(month, yes / total) for month, yes, total in months if total]
    if len(points) < 2:
        return ""
    step = (WIDTH - 2 * PAD) / (len(points) - 1)
    coords = " ".join(f"{PAD + i * step:.1f},{PAD + (1 - share) * (HEIGHT - 2 * PAD):.1f}"
                      for i, (_, share) in enumerate(points))
    last_x = PAD + (len(points) - 1) * step
    last_y = PAD + (1 - points[-1][1]) * (HEIGHT - 2 * PAD)
    return (f'<svg class="trend" role="img" aria-label="{escape(label, quote=True)}" '
            f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            'xmlns="http://www.w3.org/2000/svg" focusable="false">'
            f'<line x1="0" y1="{HEIGHT / 2}" x2="{WIDTH}" y2="{HEIGHT / 2}" class="mid"/>'
            f'<polyline points="{coords}" fill="none"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5"/></svg>')
