"""Staff accounts: roles, salted slow password hashes (argon2id), slowed-down failed logins.

There is no default account and no default password: accounts are made with
``atlas user add NAME --role editor``, which prompts for the password.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from atlas.store import SqlStore, now_text

Role = Literal["editor", "admin"]
ROLES: tuple[Role, ...] = ("editor", "admin")
MIN_PASSWORD_LENGTH = 10
# Failed logins beyond this many wait 2, 4, 8, ... seconds (at most an hour) before the next try.
FREE_FAILURES = 3
MAX_WAIT = 3600.0

_hasher = PasswordHasher()
# Verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class LoginRefused(Exception):
    """Wrong name or password, or too many failed tries: the message says which wait applies."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermissionDenied(Exception):
    """The action needs a login (or a higher role) that the caller does not have."""


@dataclass(frozen=True)
class Account:
    """A logged-in member of staff."""

    name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _users(store: SqlStore) -> sa.Table:
    return store.metadata.tables["atlas_users"]


def check_password_rules(name: str, password: str) -> None:
    """Refuse passwords that are too short or equal to the account name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip().lower() == name.strip().lower():
        raise ValueError("the password must not be the account name")


def add_user(store: SqlStore, name: str, role: str, password: str) -> Account:
    """Create an account; the password is stored only as an argon2id hash."""
    name = name.strip()
    if not name or any(ch.isspace() for ch in name) or len(name) > 64:
        raise ValueError("an account name is 1 to 64 characters without spaces")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    check_password_rules(name, password)
    users = _users(store)
    with store.engine.begin() as conn:
        if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
            raise ValueError(f"an account named {name!r} exists already")
        conn.execute(sa.insert(users).values(
            name=name, role=role, password_hash=_hasher.hash(password),
            created_at=now_text(), failed_logins=0, blocked_until=0.0))
    return Account(name, role)  # type: ignore[arg-type]


def set_password(store: SqlStore, name: str, password: str) -> None:
    """Replace an account's password (and clear its failed logins)."""
    check_password_rules(name, password)
    users = _users(store)
    with store.engine.begin() as conn:
        done = conn.execute(sa.update(users).where(users.c.name == name).values(
            password_hash=_hasher.hash(password), failed_logins=0, blocked_until=0.0))
        if not done.rowcount:
            raise ValueError(f"no account named {name!r}")


def set_role(store: SqlStore, name: str, role: str) -> None:
    """Change an account's role."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    users = _users(store)
    with store.engine.begin() as conn:
        done = conn.execute(sa.update(users).where(users.c.name == name).values(role=role))
        if not done.rowcount:
            raise ValueError(f"no account named {name!r}")


def remove_user(store: SqlStore, name: str) -> None:
    """Delete an account (its past changes stay in the history under its name)."""
    users = _users(store)
    with store.engine.begin() as conn:
        if not conn.execute(sa.delete(users).where(users.c.name == name)).rowcount:
            raise ValueError(f"no account named {name!r}")


def list_users(store: SqlStore) -> list[tuple[str, str, str]]:
    """(name, role, created at) of every account, by name."""
    users = _users(store)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(users.c.name, users.c.role, users.c.created_at)
                            .order_by(users.c.name)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def failure_wait(failures: int) -> float:
    """Seconds an account waits after ``failures`` failed logins in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_WAIT, 2.0 ** (failures - FREE_FAILURES + 1))


def authenticate(store: SqlStore, name: str, password: str,
                 clock: float | None = None) -> Account:
    """The account for a name and password, or LoginRefused.

    Failed tries of an account make it wait longer and longer before the next try is even
    checked; the message never says whether the name exists.
    """
    now = time.time() if clock is None else clock
    users = _users(store)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name.strip())) \
            .mappings().first()
    if row is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        raise LoginRefused("wrong name or password")
    if row["blocked_until"] > now:
        wait = row["blocked_until"] - now
        raise LoginRefused(f"too many failed logins: try again in {wait:.0f} s", wait)
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        failures = int(row["failed_logins"]) + 1
        wait = failure_wait(failures)
        with store.engine.begin() as conn:
            conn.execute(sa.update(users).where(users.c.name == row["name"]).values(
                failed_logins=failures, blocked_until=now + wait))
        raise LoginRefused("wrong name or password", wait) from None
    with store.engine.begin() as conn:
        conn.execute(sa.update(users).where(users.c.name == row["name"]).values(
            failed_logins=0, blocked_until=0.0))
    return Account(row["name"], row["role"])


def require(store: SqlStore, account: Account | None, role: Role = "editor") -> Account:
    """The account, as the store knows it now, if it may act with ``role``; else
    PermissionDenied. Read from the store on every action, so a removed account or a lowered
    role takes effect at once, whatever a session still holds."""
    if account is None:
        raise PermissionDenied("log in to change the data")
    users = _users(store)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users.c.role).where(users.c.name == account.name)).first()
    if row is None:
        raise PermissionDenied(f"the account {account.name!r} no longer exists")
    current = Account(account.name, row[0])
    if role == "admin" and not current.is_admin:
        raise PermissionDenied("only an admin may do this")
    return current
