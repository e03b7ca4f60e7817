"""Images in page bodies and page images: the one module that uses Pillow.

Every raster image of a site (JPEG, PNG, WebP) is resized to a few widths and saved
as WebP plus its own format. The results live in a cache folder beside the content
folder (``.sitegen-cache/images/<content hash>/``), so an unchanged image is never
processed twice, and are copied into the site under ``assets/img/``. Templates and
Markdown get a ``<picture>`` with ``srcset``, ``sizes``, ``width`` and ``height``, so the
browser picks the smallest file that fits and reserves the space before it loads.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError
from sitegen.messages import _

# Widths offered to the browser; an image is never enlarged past its own width.
WIDTHS = (320, 640, 960, 1280, 1920)
# File suffix -> (Pillow format, suffix of the re-encoded original).
FORMATS = {".jpg": ("JPEG", "jpg"), ".jpeg": ("JPEG", "jpg"), ".png": ("PNG", "png"), ".webp": ("WEBP", "webp")}
QUALITY = 80
GPS_IFD = 0x8825   # EXIF's GPS block
OG_WIDTH = 1280   # the copy used as a page's Open Graph image
CACHE_VERSION = 2  # bump when the output changes, so old cache entries are not reused
# Body images fill the text column (42rem); cards are a third of the page on wide screens.
BODY_SIZES = "(min-width: 44rem) 42rem, 100vw"
CARD_SIZES = "(min-width: 64rem) 22rem, (min-width: 48rem) 45vw, 100vw"


class ImageError(Exception):
    """An image file that Pillow cannot read."""


class Animated(Exception):
    """An animated image (WebP, PNG): shown as it is, not resized."""


class ImageTooLarge(ImageError):
    """An image with more pixels than Pillow reads safely (a "decompression bomb")."""


def _too_large(exc: Exception) -> str:
    found = re.search(r"\((\d+) pixels\)", str(exc))
    size = _("{count:.0f} million pixels").format(count=int(found.group(1)) / 1e6) if found else _("too many pixels")
    limit = 2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6
    return _("the image has {size}, more than can be read safely ({limit:.0f} million at most): "
             "save it smaller, e.g. 3000 pixels wide").format(size=size, limit=limit)


class TooManyPixels(Exception):
    """Someone else's image past Pillow's warning size: it is not read at all."""


def max_pixels() -> int:
    """Pillow's warning size in pixels (0: it has none)."""
    return Image.MAX_IMAGE_PIXELS or 0


def foreign_thumbnail(source: Path, width: int) -> bytes:
    """Someone else's image (a social post's) as a JPEG at most ``width`` wide and twice that
    high. Raises TooManyPixels past Pillow's warning size (89 million pixels), and ImageError
    with the reason for anything else a hostile or broken file does."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                image = image.convert("RGB")
                image.thumbnail((width, width * 2))
                out = io.BytesIO()
                image.save(out, "JPEG", quality=80, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooManyPixels(str(source)) from None
    except Exception as exc:   # noqa: BLE001 - a hostile or broken file may raise anything; never a traceback
        raise ImageError(str(exc) if isinstance(exc, (UnidentifiedImageError, OSError))
                         else exc.__class__.__name__) from None
    return out.getvalue()


@dataclass
class Renditions:
    """What one processed image produced: its size and the files per width and format."""

    digest: str
    width: int
    height: int
    original: str                  # suffix of the re-encoded original format, e.g. "jpg"
    widths: list[int]
    located: bool = False          # the file says where it was taken (EXIF GPS)

    def name(self, stem: str, width: int, suffix: str) -> str:
        """Output path of one rendition, relative to the site."""
        return f"assets/img/{self.digest[:12]}/{stem}-{width}.{suffix}"

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


def cache_dir(site) -> Path:
    """``.sitegen-cache/images`` beside the content folder (one per repository, ignored by git),
    or the build's own folder when it keeps no cache (``--no-cache``)."""
    own = getattr(site, "image_cache", None)
    if own is not None:
        return own
    return site.config.content_dir.resolve().parent.parent / ".sitegen-cache" / "images"


def is_processed(path: str | PurePosixPath) -> bool:
    return PurePosixPath(str(path)).suffix.lower() in FORMATS


def widths_for(width: int) -> list[int]:
    """The widths made of an image this wide: each standard width below it, and its own
    width (at most the largest standard one), never larger than the original, never twice."""
    chosen = [w for w in WIDTHS if w < width]
    top = min(width, WIDTHS[-1])
    return chosen if top in chosen else [*chosen, top]


def process(source: Path, cache: Path) -> Renditions:
    """Resize ``source`` into ``cache`` unless its content was processed before."""
    stat = source.stat()
    return _process(source.resolve(), cache, stat.st_mtime_ns, stat.st_size)


# Cards show the same image on many pages; within one run, look each file up once.
# The key holds mtime and size, so a file changed while serving is processed again.
@functools.lru_cache(maxsize=4096)
def _process(source: Path, cache: Path, mtime_ns: int, size: int) -> Renditions:
    data = source.read_bytes()
    digest = hashlib.sha256(data + f"v{CACHE_VERSION}".encode()).hexdigest()
    folder = cache / digest
    manifest = folder / "manifest.json"
    if manifest.is_file():
        return Renditions(**json.loads(manifest.read_text(encoding="utf-8")))
    fmt, suffix = FORMATS[source.suffix.lower()]
    try:
        with warnings.catch_warnings():
            # Up to Pillow's hard limit a large image is only slow, not a reason for Python's warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                if getattr(opened, "is_animated", False):
                    raise Animated()   # resizing keeps one frame: the original is shown as it is
                image = ImageOps.exif_transpose(opened)  # phones store rotation in EXIF; apply it
                image.load()
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(_too_large(exc)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(_("cannot read the image: {reason}").format(reason=exc)) from exc
    located = bool(image.getexif().get_ifd(GPS_IFD)) if hasattr(image, "getexif") else False
    if image.mode == "P":   # palette images (optimised PNGs) resize smoothly only as RGBA
        image = image.convert("RGBA")
    renditions = Renditions(digest, image.width, image.height, suffix, widths_for(image.width), located)
    cache.mkdir(parents=True, exist_ok=True)
    # Write into a temporary folder and rename it: a half-written entry is never used.
    work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache))
    for width in renditions.widths:
        resized = image if width == image.width else image.resize(
            (width, renditions.height_at(width)), Image.Resampling.LANCZOS)
        _save(resized, work / f"{width}.webp", "WEBP")
        if suffix != "webp":
            _save(resized, work / f"{width}.{suffix}", fmt)
    (work / "manifest.json").write_text(json.dumps(renditions.__dict__), encoding="utf-8")
    try:
        os.replace(work, folder)
    except OSError:  # another build wrote the same entry first; theirs is as good as ours
        _remove(work)
    return renditions


def _save(image: Image.Image, path: Path, fmt: str) -> None:
    if fmt == "JPEG":
        image.convert("RGB").save(path, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(path, "WEBP", quality=QUALITY, method=4)
    else:
        image.save(path, fmt, optimize=True)


def _remove(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


def _renditions(site, target: str) -> Renditions | None:
    """The processed image for a site asset, or None when it is not a raster image we resize."""
    if not is_processed(target):
        return None
    try:
        return process(site.config.content_dir / target, cache_dir(site))
    except (ImageError, OSError, Animated):
        return None  # reported once, with the file's path, by derived_files()


@functools.lru_cache(maxsize=4096)
def _size_of(path: Path, mtime_ns: int) -> tuple[int, int] | None:
    """Width and height of an image shown as it is (GIF, SVG, animated), so the browser can
    reserve its space; None when the file does not say."""
    if path.suffix.lower() == ".svg":
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
        tag = re.search(r"<svg\b[^>]*>", head, re.S)
        if tag is None:
            return None
        size = [re.search(rf'\b{name}="([0-9.]+)(px)?"', tag.group(0)) for name in ("width", "height")]
        if all(size):
            return round(float(size[0].group(1))), round(float(size[1].group(1)))
        box = re.search(r'viewBox="\s*[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)\s*"', tag.group(0))
        return (round(float(box.group(1))), round(float(box.group(2)))) if box else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as opened:   # reads the header only
                return opened.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None   # a file that cannot be read is reported by derived_files


def _plain_size(site, target: str) -> tuple[int, int] | None:
    path = site.config.content_dir / target
    try:
        size = _size_of(path, path.stat().st_mtime_ns)
    except OSError:
        return None
    return size if size and all(size) else None


def _picture(site, problems=None, **context) -> str:
    """``partials/picture.html`` of the site's theme: a theme can change the markup of images."""
    from sitegen import shortcodes
    return shortcodes.markup_of(site).render(shortcodes.PICTURE, problems, **context)


def picture_html(site, target: str, src: str, alt: str, classes: str = "", title: str = "",
                 sizes: str = BODY_SIZES, lazy: bool = True, problems=None) -> str:
    """``<picture>`` for the site asset ``target``; a plain ``<img>`` when it cannot be resized."""
    renditions = _renditions(site, target)
    image = {"src": src, "alt": alt, "classes": classes, "title": title, "lazy": lazy}
    if renditions is None:
        width, height = _plain_size(site, target) or ("", "")
        return _picture(site, problems, image={**image, "width": width, "height": height})
    stem = PurePosixPath(site.assets.get(target, target)).stem
    prefix = site.config.path_prefix

    def srcset(suffix: str) -> str:
        return ", ".join(f"{prefix}{renditions.name(stem, w, suffix)} {w}w" for w in renditions.widths)

    # Browsers without srcset get a middle size; width/height give the aspect ratio either way.
    middle = min(renditions.widths, key=lambda w: abs(w - 960))
    image.update(src=prefix + renditions.name(stem, middle, renditions.original), srcset=srcset(renditions.original),
                 sizes=sizes, width=middle, height=renditions.height_at(middle),
                 webp="" if renditions.original == "webp" else srcset("webp"))
    return _picture(site, problems, image=image)


def image_html(site, src: str, alt: str, asset_paths: dict, classes: str = "", title: str = "",
               problems=None) -> str:
    """HTML for one Markdown image; ``src`` is already a site URL when the image is local.

    ``asset_paths`` maps such URLs to the image's path in the site folder; other images
    (full URLs) are left as they are.
    """
    target = asset_paths.get(src)
    if target is None:
        return _picture(site, problems, external=True,
                        image={"src": src, "alt": alt, "classes": classes, "title": title, "lazy": True})
    return picture_html(site, target, src, alt, classes, title, problems=problems)


def card_html(site, target: str, src: str, alt: str) -> str:
    """The image of a navigation card (below the fold on every page, so loaded lazily)."""
    return picture_html(site, target, src, alt, classes="card-image", sizes=CARD_SIZES)


def derived_files(site, problems) -> dict[str, Path]:
    """Every rendition of the site's raster images: output path -> cached file.

    An image Pillow cannot read is a Problem at that file; the page keeps a plain ``<img>``.
    """
    files: dict[str, Path] = {}
    cache = cache_dir(site)
    for target, output in sorted(site.assets.items()):
        if not is_processed(target):
            continue
        try:
            renditions = process(site.config.content_dir / target, cache)
        except Animated:
            continue   # published as it is, like a GIF
        except (ImageError, OSError) as exc:
            hint = "" if isinstance(exc, ImageTooLarge) else _("; save it again as JPEG or PNG")
            problems.error(site.config.content_dir / target, 0, f"{exc}{hint}")
            continue
        if renditions.located:
            problems.warning(site.config.content_dir / target, 0, _("the photo holds the place where it was taken (GPS in its EXIF data): "
                                                                    "the resized copies do not, but the file itself is published as it is; "
                                                                    "remove the location before publishing it"), strict=False)
        stem = PurePosixPath(output).stem
        folder = cache / renditions.digest
        for width in renditions.widths:
            for suffix in {"webp", renditions.original}:
                files[renditions.name(stem, width, suffix)] = folder / f"{width}.{suffix}"
    return files


def shared_copy(site, target: str) -> str | None:
    """The site path of a resized copy of ``target`` to show beyond the site (Open Graph):
    no EXIF data, at most ``OG_WIDTH`` wide, in the original's format; None when the image
    is not one sitegen resizes."""
    renditions = _renditions(site, target)
    if renditions is None:
        return None
    width = max([w for w in renditions.widths if w <= OG_WIDTH] or renditions.widths[:1])
    return renditions.name(PurePosixPath(site.assets.get(target, target)).stem, width, renditions.original)
