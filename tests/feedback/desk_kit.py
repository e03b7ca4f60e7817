"""Helpers for the desk's tests: a service with a desk, accounts, signing in, CSRF tokens."""
from __future__ import annotations

import re
import warnings

from sitegen.feedback.app import Service, create_app
from sitegen.feedback.desk.config import DeskConfig
from sitegen.feedback.desk.web import Desk
from sitegen.feedback.limits import Limits, RateLimiter

PASSWORD = "rätt häftigt lösenord"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def desk_service(store, sites, config: DeskConfig | None = None, build_root=None) -> Service:
    service = Service(store=store, sites=sites, limits=Limits(), limiter=RateLimiter(0, 60))
    service.desk = Desk(config or DeskConfig(), store, sites, build_root)
    return service


def add_accounts(service: Service) -> None:
    accounts = service.desk.accounts
    accounts.add("anna", PASSWORD, ["kulturskolan"], False, "anna@example.se")
    accounts.add("bo", PASSWORD, ["stadsarkiv"], False, "bo@example.se")
    accounts.add("admin", PASSWORD, [], True)


def client_of(service: Service, address: str = "192.0.2.10"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
        return TestClient(create_app(service), base_url="https://feedback.example.se",
                          follow_redirects=False, client=(address, 50000))


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


def sign_in(client, name: str, password: str = PASSWORD):
    form = client.get("/desk/logga-in")
    return client.post("/desk/logga-in", data={"csrf": csrf_of(form.text), "name": name,
                                               "password": password})


def signed_in(service: Service, name: str):
    client = client_of(service)
    answer = sign_in(client, name)
    assert answer.status_code == 303, answer.text
    return client
