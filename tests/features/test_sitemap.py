"""sitemap.xml and robots.txt."""
import xml.etree.ElementTree as ET
from pathlib import Path


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_sitemap_lists_pages_with_absolute_urls(built):
    root = ET.fromstring(read(built / "sitemap.xml"))
    locs = {el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://www.example.se/demo/om/historia/" in locs
    assert all(loc.startswith("https://www.example.se/demo/") for loc in locs)
    assert not any("404" in loc for loc in locs)


def test_robots_points_to_the_sitemap(built):
    assert "Sitemap: https://www.example.se/demo/sitemap.xml" in read(built / "robots.txt")
