"""Accounts of the desk: an editor of some sites, or an administrator of all.

Passwords are hashed with Argon2id (argon2-cffi); the hash is all that is stored.
"""
from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sitegen.feedback.desk.db import DeskData
from sitegen.feedback.store import timestamp

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
HASHER = PasswordHasher()


@functools.cache
def dummy_hash() -> str:
    """Verified when the account is unknown, so a wrong name takes as long as a wrong password.
    Made when the accounts are first opened, not on import: every sitegen command (a build
    too) imports this module to list its commands, and one hash costs 0.1-0.6 s."""
    return HASHER.hash("not a password of anyone")


@dataclass(frozen=True)
class Account:
    name: str
    admin: bool
    sites: tuple[str, ...]
    email: str = ""
    signed_out: float = 0.0   # sessions issued before this (epoch seconds) are over

    def may_see(self, site: str) -> bool:
        return self.admin or site in self.sites

    def visible(self, all_sites: list[str]) -> list[str]:
        return [s for s in all_sites if self.may_see(s)]


class Accounts:
    def __init__(self, data: DeskData):
        self.data = data
        dummy_hash()   # before the first sign-in, which then takes as long as any other

    def add(self, name: str, password: str, sites: list[str], admin: bool, email: str = "") -> None:
        # A changed account (a new password, fewer sites) ends its sessions.
        with self.data.cursor() as cur:
            cur.execute("INSERT INTO desk_users (name, password, admin, sites, email, signed_out,"
                        " created) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                        " password = excluded.password, admin = excluded.admin,"
                        " sites = excluded.sites, email = excluded.email,"
                        " signed_out = excluded.signed_out",
                        (name, HASHER.hash(password) if password else "", int(admin),
                         ",".join(sites), email, time.time(), timestamp()))

    def sign_out_everywhere(self, name: str) -> None:
        with self.data.cursor() as cur:
            cur.execute("UPDATE desk_users SET signed_out = ? WHERE name = ?", (time.time(), name))

    def remove(self, name: str) -> bool:
        with self.data.cursor() as cur:
            cur.execute("DELETE FROM desk_users WHERE name = ?", (name,))
            return cur.rowcount > 0

    def get(self, name: str) -> Account | None:
        with self.data.cursor() as cur:
            cur.execute("SELECT name, admin, sites, email, signed_out FROM desk_users"
                        " WHERE name = ?", (name,))
            row = cur.fetchone()
        return account(row) if row else None

    def all(self) -> list[Account]:
        with self.data.cursor() as cur:
            cur.execute("SELECT name, admin, sites, email, signed_out FROM desk_users"
                        " ORDER BY name", ())
            return [account(row) for row in cur.fetchall()]

    def check(self, name: str, password: str) -> Account | None:
        """The account when the password is right; None otherwise (same work either way)."""
        with self.data.cursor() as cur:
            cur.execute("SELECT password FROM desk_users WHERE name = ?", (name,))
            row = cur.fetchone()
        stored = row[0] if row and row[0] else dummy_hash()
        try:
            HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if not row or not row[0]:
            return None
        if HASHER.check_needs_rehash(stored):
            with self.data.cursor() as cur:
                cur.execute("UPDATE desk_users SET password = ? WHERE name = ?",
                            (HASHER.hash(password), name))
        return self.get(name)


def account(row) -> Account:
    name, admin, sites, email, signed_out = row
    return Account(name, bool(admin), tuple(s for s in sites.split(",") if s), email,
                   float(signed_out))
