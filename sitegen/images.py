"""Images in page bodies and page images: the one module that uses Pillow."""
from __future__ import annotations

from html import escape


def image_html(site, src: str, alt: str, asset_paths: dict, classes: str = "", title: str = "") -> str:
    """HTML for one image; ``src`` is already a site URL when the image is local."""
    attrs = [f'src="{escape(src)}"', f'alt="{escape(alt)}"', 'loading="lazy"', 'decoding="async"']
    if classes:
        attrs.append(f'class="{escape(classes)}"')
    if title:
        attrs.append(f'title="{escape(title)}"')
    return f"<img {' '.join(attrs)}>"
