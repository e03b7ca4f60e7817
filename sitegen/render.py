"""Render stage, part two: pages through the theme's Jinja2 templates.

A page's template gets one immutable context: the core variables (made here, each named in
``features.CORE_VARIABLES``) and, each under its feature's name, what features contributed
to the page (``Page.contribute``: ``news.listing``, ``calendar.months``). A contribution never
replaces a core variable: ``Page.contribute`` refuses those names, and so does the start-up
for a feature that has one (features/__init__.py).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType

from sitegen import csp, images, navigation
from sitegen.features import FeatureError
from sitegen.messages import _
from sitegen.model import Alternate, Page, Site, WellKnownLinks
from sitegen.problems import Problems
from sitegen.theme import Theme, TemplateError, TemplateNotFound, make_environment, template_problem


@dataclass
class SiteView:
    """The part of the site every template may use."""

    title: str
    language: str
    base_url: str
    prefix: str
    organization: str
    logo: str
    contact: dict
    feedback_endpoint: str
    comments_endpoint: str
    missing_endpoint: str
    feedback_enabled: bool
    alternates: list[Alternate] = field(default_factory=list)   # feeds linked from every page
    links: WellKnownLinks = field(default_factory=WellKnownLinks)   # root-relative; "" when the site has none
    data: dict = field(default_factory=dict)         # the site's data/ files by name (SPEC: for templates)

    def href(self, url: str) -> str:
        return self.prefix + url

    def asset(self, path: str) -> str:
        return f"{self.prefix}assets/{path}"


def site_view(site: Site) -> SiteView:
    c = site.config
    # Without an endpoint in site.yaml the forms post to the site's own host, where a
    # reverse proxy can route <prefix>feedback, comments and missing to the service.
    endpoint = c.endpoint("feedback") or f"{c.path_prefix}feedback"
    return SiteView(
        title=c.title, language=c.language, base_url=c.base_url, prefix=c.path_prefix,
        organization=c.organization, logo=c.logo, contact=c.contact,
        feedback_endpoint=endpoint, comments_endpoint=c.endpoint("comments") or f"{c.path_prefix}comments",
        missing_endpoint=c.endpoint("missing") or f"{c.path_prefix}missing", feedback_enabled=c.feedback_enabled,
        alternates=list(site.alternates),
        links=WellKnownLinks(**{key: "" if url is None else c.path_prefix + url
                                for key, url in dataclasses.asdict(site.links).items()}),
        data=site.data,
    )


def template_for(page: Page, env) -> str:
    if page.template:
        return page.template
    if page.is_root:
        name = "start.html"
    elif page.kind != "page":
        name = f"{page.kind}.html"
    elif page.is_section:
        name = "section.html"
    else:
        name = "page.html"
    try:
        env.get_template(name)
    except TemplateNotFound:
        return "page.html"
    except TemplateError:
        pass   # a broken template is the page's: render_page reports it at the template's line
    return name


class Renderer:
    def __init__(self, site: Site, theme: Theme, problems: Problems):
        self.site = site
        self.problems = problems
        self.env = make_environment(theme, site.config.language)
        self.view = site_view(site)
        self.menu: navigation.Menu | None = None   # set once the pages are known (builder)

    def context(self, page: Page) -> MappingProxyType:
        """The page's template context: core variables, then each feature's contribution
        under the feature's name."""
        values = self.core_values(page)
        for name, data in page.contributions.items():
            if name in values:   # Page.contribute refuses these; a direct write to the dict is caught here
                raise FeatureError(_("feature '{name}' cannot give templates a variable of that name: "
                                     "it is a core variable or not a name").format(name=name))
            values[name] = data
        return MappingProxyType(values)

    def core_values(self, page: Page) -> dict:
        site = self.site
        image = navigation.image_of(site, page)
        values = {
            "site": self.view,
            "page": page,
            "canonical": site.absolute_url(page) if page.own_address else None,
            "og_image": site.absolute_url(images.shared_copy(site, image) or site.assets[image]) if image else "",
            "href": site.href(page),
            "menu": self.menu.links_for(page) if self.menu else navigation.menu_links(site, page),
            "breadcrumbs": navigation.breadcrumbs(site, page, self.menu),
            "cards": navigation.sibling_cards(site, page, self.menu),
            "child_cards": navigation.child_cards(site, page, self.menu) if page.is_section else [],
            "show_feedback": self.view.feedback_enabled and page.meta.get("feedback", True),
            "alternates": self.view.alternates + page.alternates,
            "now": site.now,
            "csp": csp.page_policy(site.config, page),
        }
        return values

    def render_page(self, page: Page) -> str | None:
        name = template_for(page, self.env)
        try:
            template = self.env.get_template(name)
            return template.render(self.context(page))
        except TemplateNotFound as exc:
            if exc.name != name or page.source is not None:
                template_problem(exc, self.problems)
            else:
                self._missing_feature_template(name)
            return None
        except TemplateError as exc:
            template_problem(exc, self.problems)
            return None

    def _missing_feature_template(self, name: str) -> None:
        """A feature's page whose template no theme of the chain has: at the site's theme, which
        is where it is added (a template for a feature's own page type comes with its package, docs/features.md)."""
        config = self.site.config
        self.problems.error(config.config_path, config.lines.get("theme", 1), _(
            "a feature's pages need the template '{name}', which the theme '{theme}' and the themes it extends "
            "do not have: add templates/{name} to the site's theme (a theme of your own can say extends: "
            "{theme})").format(name=name, theme=config.theme))

    def render_template(self, name: str, **context) -> str | None:
        """For features that render non-page files (e.g. redirect pages)."""
        try:
            context.setdefault("csp", csp.policy(self.site.config))
            return self.env.get_template(name).render(site=self.view, **context)
        except TemplateError as exc:
            template_problem(exc, self.problems)
            return None
