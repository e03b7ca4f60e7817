"""Images: Markdown images and `image:` become responsive <picture> elements, resized once."""
from __future__ import annotations

import io
import re

from PIL import Image

from sitegen import images
from testkit import NOW, page, run_sitegen


def jpeg(width: int = 1500, height: int = 1000, color=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def png(width: int = 500, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 80, 120, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def build(content, tmp_path, *extra):
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, *extra)
    return result, out / "demo"


def test_markdown_image_becomes_a_picture_with_widths_and_webp(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "![Ett rött hus vid sjön.](hus.jpg)"),
                         "hus.jpg": jpeg()})
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    html = (site / "om" / "index.html").read_text(encoding="utf-8")
    picture = re.search(r"<picture>.*?</picture>", html).group(0)
    assert '<source type="image/webp"' in picture
    assert 'alt="Ett rött hus vid sjön."' in picture
    assert 'loading="lazy"' in picture
    assert 'width="960" height="640"' in picture
    for width in (320, 640, 960, 1280, 1500):
        assert f"hus-{width}.webp {width}w" in picture
        assert f"hus-{width}.jpg {width}w" in picture
    urls = re.findall(r"/demo/(assets/img/[^ \"]+)", picture)
    assert urls and all((site / url).is_file() for url in urls)
    with Image.open(site / urls[0]) as first:
        assert first.width == 320 and first.height == 213


def test_small_image_is_never_enlarged(make_site, tmp_path):
    content = make_site({"index.md": page("Start", "![Logga](logga.png)"), "logga.png": png(500, 400)})
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "logga-320.png 320w, /demo/assets/img/" in html
    assert "logga-500.png 500w" in html and "logga-640" not in html


def test_page_image_is_a_picture_on_the_card(make_site, tmp_path):
    content = make_site({
        "index.md": page("Start"),
        "a/index.md": page("Avsnitt"),
        "a/b.md": page("Barn", image="bild.jpg", image_alt="En bild av barnet."),
        "a/bild.jpg": jpeg(800, 600),
    })
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    html = (site / "a" / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<li class="card">.*?</li>', html, re.S).group(0)
    assert "<picture>" in card and 'alt="En bild av barnet."' in card and 'class="card-image"' in card


def test_unchanged_images_are_not_processed_again(make_site, tmp_path, monkeypatch):
    content = make_site({"index.md": page("Start", "![Hus](hus.jpg)"), "hus.jpg": jpeg()})
    site = next(content.glob("*"))
    cache = tmp_path / ".sitegen-cache" / "images"

    class FakeSite:
        class config:
            content_dir = site
    assert images.cache_dir(FakeSite) == cache
    first = images.process(site / "hus.jpg", cache)
    calls = []
    monkeypatch.setattr(images.Image, "open", lambda *a, **k: calls.append(a))
    images._process.cache_clear()
    again = images.process(site / "hus.jpg", cache)
    assert again == first and calls == []
    assert (cache / first.digest / "manifest.json").is_file()


def test_changed_image_gets_a_new_cache_entry(tmp_path):
    source = tmp_path / "bild.jpg"
    source.write_bytes(jpeg(color=(1, 2, 3)))
    first = images.process(source, tmp_path / "cache")
    source.write_bytes(jpeg(color=(200, 2, 3)))
    second = images.process(source, tmp_path / "cache")
    assert first.digest != second.digest
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted([first.digest, second.digest])


def test_unreadable_image_is_an_error_at_the_file(make_site, tmp_path):
    content = make_site({"index.md": page("Start", "![Trasig](trasig.jpg)"), "trasig.jpg": b"not a jpeg"})
    result, _ = build(content, tmp_path)
    assert result.status == 1
    assert "demo/trasig.jpg: error: cannot read the image" in result.stderr


def test_image_without_alt_text_is_a_check_error(make_site):
    content = make_site({"index.md": page("Start", "Text\n\n![](hus.jpg)"), "hus.jpg": jpeg(400, 300)})
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert result.status == 1
    assert "demo/index.md:8: error: image without alt text: describe it in ![text](...) or mark it " \
           "{.decorative}" in result.stderr


def test_decorative_image_has_empty_alt(make_site, tmp_path):
    content = make_site({"index.md": page("Start", "![](linje.png){.decorative}"), "linje.png": png()})
    assert run_sitegen("check", "--content", str(content), "--now", NOW).status == 0
    result, site = build(content, tmp_path)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'alt="" class="decorative"' in html


def test_image_on_another_site_is_left_as_written(make_site, tmp_path):
    content = make_site({"index.md": page("Start", "![Karta](https://example.se/karta.png)")})
    result, site = build(content, tmp_path)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<img src="https://example.se/karta.png" alt="Karta" loading="lazy"' in html


def test_a_page_image_is_its_open_graph_image(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om/index.md": page("Om", image="sal.jpg", image_alt="Salen"),
                         "om/sal.jpg": jpeg(), "om/annan.md": page("Annan")})
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    html = (site / "om/index.html").read_text(encoding="utf-8")
    found = re.search(r'<meta property="og:image" content="https://www.example.se/demo/(assets/img/[0-9a-f]{12}/sal-1280.jpg)">',
                      html)
    assert found is not None   # a resized copy without the photo's own data, not the original
    assert (site / found.group(1)).is_file()
    assert "og:image" not in (site / "om/annan/index.html").read_text(encoding="utf-8")   # no image, no tag


def test_an_image_with_too_many_pixels_is_an_error_at_the_file_not_a_traceback(make_site, tmp_path):
    bomb = io.BytesIO()
    Image.new("1", (20000, 10000)).save(bomb, "PNG", optimize=True)   # 200 million pixels in a few kB
    content = make_site({"index.md": page("Start", "![Stor](stor.png)"), "stor.png": bomb.getvalue()})
    result, _ = build(content, tmp_path)
    assert result.status == 1
    assert ("demo/stor.png: error: the image has 200 million pixels, more than can be read safely "
            "(179 million at most): save it smaller") in result.stderr
    assert "Traceback" not in result.stderr and "save it again as JPEG" not in result.stderr


def test_a_wide_image_gets_each_width_once():
    assert images.widths_for(6000) == [320, 640, 960, 1280, 1920]
    assert images.widths_for(1920) == [320, 640, 960, 1280, 1920]
    assert images.widths_for(500) == [320, 500]


def test_a_photo_with_its_location_is_a_warning_and_its_copies_have_none(make_site, tmp_path):
    photo = Image.new("RGB", (800, 600), (10, 120, 60))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (59.0, 16.0, 30.0), 3: "E", 4: (15.0, 12.0, 0.0)})
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif)
    content = make_site({"index.md": page("Start", "![Parken i Örebro.](park.jpg)"), "park.jpg": buffer.getvalue()})
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    assert "content/demo/park.jpg: warning: the photo holds the place where it was taken" in result.stderr
    copies = list((site / "assets/img").rglob("park-*.jpg"))
    assert copies and all(not Image.open(c).getexif().get_ifd(0x8825) for c in copies)


def test_a_palette_png_is_resized_smoothly(make_site, tmp_path):
    logo = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    for x in range(800):   # a soft edge, then saved with a palette as optimisers do
        for y in range(180, 220):
            logo.putpixel((x, y), (0, 80, 120, 255))
    buffer = io.BytesIO()
    logo.quantize(colors=16).save(buffer, "PNG")
    content = make_site({"index.md": page("Start", "![Logga.](logga.png)"), "logga.png": buffer.getvalue()})
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    small = Image.open(next((site / "assets/img").rglob("logga-320.png")))
    assert small.mode == "RGBA"


def test_gif_and_svg_are_shown_as_they_are_with_their_size(make_site, tmp_path):
    buffer = io.BytesIO()
    Image.new("P", (120, 80)).save(buffer, "GIF")
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><rect width="300" height="150"/></svg>'
    content = make_site({"index.md": page("Start", "![En gif.](rorlig.gif)\n\n![En ritning.](ritning.svg)"),
                         "rorlig.gif": buffer.getvalue(), "ritning.svg": svg})
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<img src="/demo/rorlig.gif" width="120" height="80"' in html
    assert '<img src="/demo/ritning.svg" width="300" height="150"' in html


def test_an_animated_webp_keeps_its_frames(make_site, tmp_path):
    frames = [Image.new("RGB", (200, 100), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=200, loop=0)
    content = make_site({"index.md": page("Start", "![Blinkar.](blink.webp)"), "blink.webp": buffer.getvalue()})
    result, site = build(content, tmp_path)
    assert result.status == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<img src="/demo/blink.webp" width="200" height="100"' in html   # the original, not a still copy
    assert Image.open(site / "blink.webp").n_frames == 3


def test_a_build_without_cache_keeps_no_resized_images(make_site, tmp_path):
    content = make_site({"index.md": page("Start", "![Ett rött hus vid sjön.](hus.jpg)"), "hus.jpg": jpeg()})
    result, site = build(content, tmp_path, "--no-cache")
    assert result.status == 0, result.stderr
    assert list((site / "assets/img").rglob("hus-*.webp"))   # the copies are in the site
    assert not (content.parent / ".sitegen-cache").exists()   # and nowhere else
