"""The editorial desk's settings: a YAML file the operator gives with ``--config``.

Everything is optional; without a file the desk runs with secure cookies, no single
sign-on, no publishing and no e-mail. A mistake is a problem at its line, all of them
in one run.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.messages import _
from sitegen.problems import Problems
from sitegen.yamlload import YamlError, key_lines, load_plain

# The only placeholders a publish command may hold; their values are checked (a site
# name is a folder name of the content, the content folder is the service's own).
PLACEHOLDERS = ("{site}", "{content}")
SITE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass(frozen=True)
class Smtp:
    host: str = ""
    port: int = 25
    sender: str = ""
    starttls: bool = False
    username: str = ""
    password_file: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


@dataclass
class DeskConfig:
    secure_cookies: bool = True
    sso_header: str = ""            # e.g. X-Remote-User, set by the municipality's proxy
    session_hours: int = 10
    login_attempts: int = 5         # per client and per account, per login_window
    login_window: int = 900         # seconds
    public_url: str = ""            # the desk's address: its origin, links in e-mails
    personal_data_days: int = 30    # then personal data in comments is masked for good
    publish: dict[str, list[list[str]]] = field(default_factory=dict)
    publish_timeout: int = 600
    publish_cwd: str = ""
    smtp: Smtp = field(default_factory=Smtp)


def plain_http_elsewhere(url: str) -> bool:
    """An http:// address on another machine than the browser's own (localhost, 127.x, ::1)."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        return False
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def load_config(path: Path | None, problems: Problems) -> DeskConfig:
    if path is None:
        return DeskConfig()
    try:
        text = path.read_text(encoding="utf-8")
        data = load_plain(text) or {}
    except OSError as exc:
        problems.error(path, 0, _("cannot read the desk settings: {reason}").format(
            reason=exc.strerror))
        return DeskConfig()
    except YamlError as exc:
        problems.error(path, exc.line, _("the desk settings are not valid YAML; check the "
                                     "indentation and the quotes"))
        return DeskConfig()
    lines = key_lines(text)
    if not isinstance(data, dict):
        problems.error(path, 1, _("the desk settings must be a list of settings (key: value)"))
        return DeskConfig()
    return Reader(path, lines, problems).config(data)


@dataclass
class Reader:
    path: Path
    lines: dict
    problems: Problems

    def error(self, keys: tuple, message: str) -> None:
        self.problems.error(self.path, self.lines.get(keys, 0), message)

    def value(self, data: dict, keys: tuple, kind: type, default):
        value = data.get(keys[-1], default)
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            self.error(keys, _("'{key}' must be {kind}").format(
                key=".".join(keys), kind={bool: _("true or false"), int: _("a whole number"),
                                          str: _("a text")}[kind]))
            return default
        return value

    def config(self, data: dict) -> DeskConfig:
        known = {"secure_cookies", "sso_header", "session_hours", "login_attempts",
                 "login_window", "public_url", "personal_data_days", "publish", "publish_timeout", "publish_cwd",
                 "smtp"}
        for key in data:
            if key not in known:
                self.error((str(key),), _("unknown setting '{key}' (known: {known})").format(
                    key=key, known=", ".join(sorted(known))))
        config = DeskConfig()
        config.secure_cookies = self.value(data, ("secure_cookies",), bool, True)
        config.sso_header = self.value(data, ("sso_header",), str, "")
        if config.sso_header and not HEADER_NAME.fullmatch(config.sso_header):
            self.error(("sso_header",), _("'sso_header' must be a header name such as "
                                          "X-Remote-User"))
            config.sso_header = ""
        for key in ("session_hours", "login_attempts", "login_window", "publish_timeout"):
            number = self.value(data, (key,), int, getattr(config, key))
            if number < 1:
                self.error((key,), _("'{key}' must be 1 or more").format(key=key))
            else:
                setattr(config, key, number)
        config.public_url = self.value(data, ("public_url",), str, "")
        if config.public_url and not config.public_url.startswith(("https://", "http://")):
            self.error(("public_url",), _("'public_url' must be the desk's address, such as "
                                          "https://feedback.example.se/desk/"))
            config.public_url = ""
        elif config.secure_cookies and plain_http_elsewhere(config.public_url):
            # Browsers keep a Secure cookie only from https (and from the machine itself).
            self.error(("public_url",), _("the desk at '{url}' is plain http, where browsers do not keep "
                                          "the sign-in cookie: give its https address, or write "
                                          "secure_cookies: false on a test machine").format(
                                              url=config.public_url))
        days = self.value(data, ("personal_data_days",), int, config.personal_data_days)
        if days < 0:
            self.error(("personal_data_days",), _("'personal_data_days' must be 0 (keep) or more"))
        else:
            config.personal_data_days = days
        config.publish_cwd = self.value(data, ("publish_cwd",), str, "")
        config.publish = self.publish(data.get("publish", {}) or {})
        config.smtp = self.smtp(data.get("smtp", {}) or {})
        return config

    def publish(self, data) -> dict[str, list[list[str]]]:
        if not isinstance(data, dict):
            self.error(("publish",), _("'publish' must list commands per site name"))
            return {}
        commands = {}
        for site, steps in data.items():
            keys = ("publish", str(site))
            if not SITE_NAME.fullmatch(str(site)):
                self.error(keys, _("'{site}' is not a site name (a folder under the content)")
                           .format(site=site))
                continue
            if not isinstance(steps, list) or not steps or not all(
                    isinstance(step, list) and step and all(isinstance(a, str) for a in step)
                    for step in steps):
                self.error(keys, _("the publish commands of '{site}' must be a list of "
                                   "commands, each a list of texts: - [sitegen, build, {site}]")
                           .format(site=site))
                continue
            bad = [a for step in steps for a in step
                   if "{" in a.replace("{site}", "").replace("{content}", "")]
            if bad:
                self.error(keys, _("'{arg}' holds a placeholder that is not {known}").format(
                    arg=bad[0], known=" or ".join(PLACEHOLDERS)))
                continue
            commands[str(site)] = steps
        return commands

    def smtp(self, data) -> Smtp:
        if not isinstance(data, dict):
            self.error(("smtp",), _("'smtp' must hold host, port, sender and so on"))
            return Smtp()
        known = {"host", "port", "sender", "starttls", "username", "password_file"}
        for key in data:
            if key not in known:
                self.error(("smtp", str(key)), _("unknown setting '{key}' (known: {known})")
                           .format(key=f"smtp.{key}", known=", ".join(sorted(known))))
        return Smtp(
            host=self.value(data, ("smtp", "host"), str, ""),
            port=self.value(data, ("smtp", "port"), int, 25),
            sender=self.value(data, ("smtp", "sender"), str, ""),
            starttls=self.value(data, ("smtp", "starttls"), bool, False),
            username=self.value(data, ("smtp", "username"), str, ""),
            password_file=self.value(data, ("smtp", "password_file"), str, ""))


def expand(step: list[str], site: str, content: Path) -> list[str]:
    """A publish command with its placeholders filled; never run through a shell."""
    if not SITE_NAME.fullmatch(site):
        raise ValueError(f"not a site name: {site!r}")
    return [a.replace("{site}", site).replace("{content}", str(content)) for a in step]
