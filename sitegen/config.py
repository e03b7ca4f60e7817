"""Load ``content/<site>/site.yaml`` into a ``SiteConfig``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sitegen import confine, keynames, pagetypes, yamlload
from sitegen.problems import Problems
from sitegen.schema import validate
from sitegen.schemas import SITE_SCHEMA
from sitegen.messages import _
from sitegen.slugs import slugify

DEFAULT_THEME = "orebro"


@dataclass
class SiteConfig:
    name: str                 # folder name under content/
    content_dir: Path
    title: str
    base_url: str             # always ends with "/"
    language: str = "sv"
    theme: str = DEFAULT_THEME
    organization: str = ""
    description: str = ""
    logo: str = ""
    contact: dict = field(default_factory=dict)
    feedback_endpoint: str = ""
    feedback_enabled: bool = True
    social: list = field(default_factory=list)
    accessibility: dict = field(default_factory=dict)
    removed: list = field(default_factory=list)
    news: dict = field(default_factory=dict)
    calendar: dict = field(default_factory=dict)
    menu_depth: int = 2
    lines: dict = field(default_factory=dict)  # key -> line in site.yaml
    item_lines: dict = field(default_factory=dict)  # list key -> line of each item (removed:)
    page_types: dict = field(default_factory=dict)  # name -> pagetypes.PageType, the site's own included

    def line_of_item(self, key: str, index: int) -> int:
        items = self.item_lines.get(key, [])
        return items[index] if index < len(items) else self.lines.get(key, 1)

    @property
    def path_prefix(self) -> str:
        """URL path of the site, e.g. ``/kulturskolan/``."""
        return urlsplit(self.base_url).path or "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def config_path(self) -> Path:
        return self.content_dir / "site.yaml"

    def endpoint(self, kind: str) -> str:
        """URL of the feedback service for ``feedback``, ``comments`` or ``missing``.

        site.yaml names only the feedback endpoint; the others sit beside it.
        """
        if not self.feedback_endpoint:
            return ""
        if kind == "feedback":
            return self.feedback_endpoint
        return self.feedback_endpoint.rstrip("/").rsplit("/", 1)[0] + "/" + kind


def load_site_config(content_dir: Path, problems: Problems) -> SiteConfig | None:
    path = content_dir / "site.yaml"
    data = confine.read_yaml(path, content_dir, problems)
    if data is confine.FAILED:
        return None
    if data is None:
        problems.error(path, 1, _("site.yaml is empty: 'title' and 'base_url' are required"))
        return None
    # Bad keys are reported and left out; the pages are still checked in the same run.
    values = validate(data, SITE_SCHEMA, path, problems)
    if "base_url" in values:
        parts = urlsplit(values["base_url"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.error(path, data.line_of("base_url"),
                           _("'base_url' must be a full URL such as "
                             "https://www.orebro.se/kulturskolan/"))
            del values["base_url"]
    for key in ("news", "calendar"):
        _check_folder(values, data, key, path, problems)
    if "title" not in values or "base_url" not in values:
        return None
    base_url = values["base_url"] if values["base_url"].endswith("/") else values["base_url"] + "/"
    feedback = values.get("feedback", {})
    return SiteConfig(
        name=content_dir.name,
        content_dir=content_dir,
        title=values["title"],
        base_url=base_url,
        language=values.get("language", "sv"),
        theme=values.get("theme", DEFAULT_THEME),
        organization=values.get("organization", ""),
        description=values.get("description", ""),
        logo=values.get("logo", ""),
        contact=values.get("contact", {}),
        feedback_endpoint=feedback.get("endpoint", ""),
        feedback_enabled=feedback.get("enabled", True),
        social=values.get("social", []),
        accessibility=values.get("accessibility", {}),
        removed=values.get("removed", []),
        news=values.get("news", {}),
        calendar=values.get("calendar", {}),
        menu_depth=values.get("menu_depth", 2),
        lines=dict(data.lines),
        item_lines={k: list(v.lines) for k, v in data.items() if isinstance(v, yamlload.MarkedList)},
        page_types=pagetypes.load(content_dir, problems),
    )


def _check_folder(values: dict, data, key: str, path: Path, problems: Problems) -> None:
    """``news.folder`` / ``calendar.folder`` name a folder of the site: each part a URL segment
    (``aktuellt``, ``om-oss/kalender``), never ``..`` or a path that leaves the site's output."""
    settings = values.get(key)
    folder = settings.get("folder") if isinstance(settings, dict) else None
    if folder is None:
        return
    parts = str(folder).strip("/").split("/")
    if not all(part and slugify(part) == part for part in parts):
        problems.error(path, data.line_of(key),
                       _("'{key}.folder' '{folder}' is not a folder name such as {example}: use lower-case "
                         "letters a-z, digits and '-', with '/' between folders").format(
                           key=key, folder=folder, example="nyheter" if key == "news" else "kalender"))
        values[key] = {k: v for k, v in settings.items() if k != "folder"}


def find_sites(content_root: Path, names: list[str], problems: Problems) -> list[Path]:
    """Folders under ``content_root`` that hold a site.yaml (or the named ones)."""
    if not content_root.is_dir():
        problems.error(content_root, 0, _("content folder not found: give the folder of the sites with --content"))
        return []
    # A site folder may itself be a link (a site kept elsewhere): what it holds is its content,
    # and nothing inside it may lead out of it (confine.py).
    found = sorted(p.parent for p in content_root.glob("*/site.yaml"))
    if not names:
        if not found:
            problems.error(content_root, 0, _("no sites found: a site is a folder with a site.yaml"))
        return found
    by_name = {p.name: p for p in found}
    chosen = []
    for name in names:
        if name in by_name:
            chosen.append(by_name[name])
        else:
            known = ", ".join(sorted(by_name)) or "none"
            close = keynames.nearest_choice(name, sorted(by_name))
            hint = _(" (did you mean '{name}'?)").format(name=close) if close else ""
            problems.error(content_root, 0, _("no site named '{name}'{hint} (sites: {known})").format(
                                                name=name, hint=hint, known=known))
    return chosen
