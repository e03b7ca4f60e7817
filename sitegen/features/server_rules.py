"""The web server rules of a site in ``_server/``: for nginx and Apache, one file per place
in the server's configuration (sitegen/webserver/), with the 301 and 410 answers of the
aliases and removed paths (features/redirects.py), the security headers and the
Content-Security-Policy (csp.py). docs/deploy.md shows where each file is included."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from sitegen import addresses, csp
from sitegen.features.redirects import RULES_DIR, Redirects
from sitegen.messages import _
from sitegen.webserver import Redirect, SiteRules, apache, nginx, security_headers

PHASE = "files"
PROVIDES = ("server rules",)
NEEDS = ("redirect rules",)   # the redirects' rules go into the server's
# The site's path goes into patterns and quoted arguments of both servers: keep it plain.
_PLAIN_PATH = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*$")


def _config_problems(build) -> bool:
    """Errors in the parts of site.yaml that the rules are made of; True when there are none."""
    config, problems = build.config, build.problems
    parts, fine = urlsplit(config.base_url), True
    line = config.lines.get("base_url", 1)
    if addresses.host_name(parts.hostname or "") is None or parts.username is not None:
        problems.error(config.config_path, line, _("'base_url' has no valid host name ('{host}'): write it as "
                                                   "https://www.orebro.se/site/").format(host=parts.netloc))
        fine = False
    if not _PLAIN_PATH.match(config.path_prefix) or any(c.isspace() or ord(c) < 32 for c in config.base_url):
        problems.error(config.config_path, line, _("the path of 'base_url' ('{path}') may only have letters a-z, "
                                                   "digits and - . _ ~ between its slashes").format(
            path=config.path_prefix))
        fine = False
    endpoint = config.feedback_endpoint
    if endpoint and not endpoint.startswith("/") and csp.origin(endpoint) is None:
        problems.error(config.config_path, config.lines.get("feedback", 1),
                       _("feedback endpoint '{url}' must be a full http(s) URL with a valid host name").format(
                           url=config.feedback_endpoint))
        fine = False
    return fine


def site_rules(build, redirects: Redirects) -> SiteRules:
    config = build.config
    prefix = config.path_prefix
    parts = urlsplit(config.base_url)
    host = addresses.host_name(parts.hostname or "") or ""
    # Titles and addresses go into the files' comments too: one line each, of checked parts only.
    rules = SiteRules(title=" ".join(config.title.split()), base_url=f"{parts.scheme}://{host}{prefix}",
                      prefix=prefix, host=host,
                      headers=security_headers(csp.site_policy(config, build.site.pages),
                                               https=config.base_url.startswith("https:")))
    for rule in redirects.rules:
        redirect = Redirect(rule.path, rule.target)
        if rule.host:
            rules.old_hosts.setdefault(rule.host, []).append(redirect)
        elif rule.path.startswith(prefix):
            rules.inside.append(redirect)
        else:
            rules.outside.append(redirect)
    for path in redirects.removed:
        (rules.gone_inside if path.startswith(prefix) else rules.gone_outside).append(path)
    return rules


def run(build) -> None:
    redirects = build.redirects
    if redirects is None or not _config_problems(build):
        return
    rules = site_rules(build, redirects)
    for name, write in {**nginx.FILES, **apache.FILES}.items():
        build.files[f"{RULES_DIR}/{name}"] = write(rules)
