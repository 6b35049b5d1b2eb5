"""Staff accounts: roles, salted slow password hashes (argon2id), throttled failed logins, and
sessions that end when their account's password changes (and, kept in a cookie, survive a
reload of the page until they expire or the staff member logs out).

There is no default account and no default password: accounts are made with
``atlas user add NAME --role editor``, which prompts for the password.

Failed logins are counted per account name (any name, known or not, so that a lock tells
nothing about who exists) and per client. The client's wait grows to an hour; the name's wait
stays short, so that an attacker who knows the admin's name cannot keep the admin out: from
another client the right password gets in after at most ``NAME_RULE.max_wait``. Counters are
forgotten after a quiet day, and ``atlas user unlock`` clears them.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import math
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from atlas.i18n import t
from atlas.store import SqlStore, StoreBusy, StoreError, now_text

Role = Literal["editor", "admin"]
ROLES: tuple[Role, ...] = ("editor", "admin")
MIN_PASSWORD_LENGTH = 10
# A pass-phrase fits; a megabyte sent to the login form is never hashed whole.
MAX_PASSWORD_LENGTH = 1024
MIN_DISTINCT_CHARACTERS = 5
MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class ThrottleRule:
    """How long a key waits after ``failures`` failed logins: nothing for the first ``free``
    ones, then ``growth``, ``growth``², ... seconds, at most ``max_wait``."""

    free: int
    growth: float
    max_wait: float

    def wait(self, failures: int) -> float:
        """Seconds to wait before the next try after ``failures`` failures in a row."""
        if failures < self.free:
            return 0.0
        return min(self.max_wait, self.growth ** min(failures - self.free + 1, 64))


# Short and capped: the real owner of a name under attack gets in from another client.
NAME_RULE = ThrottleRule(free=3, growth=2.0, max_wait=60.0)
# Strong: one client guessing (at one name or many) waits up to an hour per try.
CLIENT_RULE = ThrottleRule(free=5, growth=4.0, max_wait=3600.0)
FREE_FAILURES = NAME_RULE.free
# Failures older than this, with none since, are forgotten.
QUIET_PERIOD = 24 * 3600.0
# A try that finds the counters locked longer than the database waits is refused for this long.
BUSY_WAIT = 1.0
# Every unknown name tried gets a counter: beyond this many the least recent are dropped.
MAX_THROTTLE_KEYS = 10_000

_hasher = PasswordHasher()
# Each check holds argon2's 64 MiB for a moment: parallel logins (from clients the throttle
# cannot tell apart, or spread over many names) queue for a slot instead of adding up memory.
MAX_PARALLEL_CHECKS = 4
_CHECK_SLOTS = threading.BoundedSemaphore(MAX_PARALLEL_CHECKS)
# Verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountRefused(ValueError):
    """An account action refused for a reason the web app shows in the reader's language:
    ``code`` is an interface string key, ``params`` its values; ``str()`` is the English text
    (for the command line)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(t(code, "en", **params))
        self.code = code
        self.params = params


class PasswordRefused(AccountRefused):
    """A new password that breaks a password rule."""


class LoginRefused(Exception):
    """Wrong name or password, or too many failed tries: ``code`` and ``params`` say which
    (an interface string key and its values), ``retry_after`` how long the next try waits."""

    def __init__(self, code: str, retry_after: float = 0.0, **params: Any) -> None:
        super().__init__(t(code, "en", **params))
        self.code = code
        self.params = params
        self.retry_after = retry_after


class PermissionDenied(Exception):
    """The action needs a login (or a higher role) that the caller does not have: ``code``
    and ``params`` say why (an interface string key and its values, for the web app in the
    reader's language); ``str()`` is the English text (for the command line)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(t(code, "en", **params))
        self.code = code
        self.params = params


class SessionExpired(PermissionDenied):
    """The session logged in with a password that has since been replaced (or the account was
    removed, perhaps re-added): it must log in again."""


@dataclass(frozen=True)
class Account:
    """A logged-in member of staff.

    ``credential`` is the account's credential when the session logged in (None for an
    account made in code, not by a login): ``require`` refuses it once the store holds
    another, so a new password or a re-created account ends older sessions.
    """

    name: str
    role: Role
    credential: str | None = field(default=None, compare=False, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _users(store: SqlStore) -> sa.Table:
    return store.metadata.tables["atlas_users"]


def _throttle(store: SqlStore) -> sa.Table:
    return store.metadata.tables["atlas_login_throttle"]


def _new_credential() -> str:
    return secrets.token_urlsafe(32)


# --- password rules ---------------------------------------------------------------------------

# Rows and orders a lazy password walks along; each neighbouring pair, either way, is one step.
_RUNS = (
    string.ascii_lowercase, string.digits, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "әіңғүұқөһ", "`1234567890-=", "~!@#$%^&*()_+", "qwertyuiop[]", "asdfghjkl;'",
    "zxcvbnm,./", "qwertzuiop", "azertyuiop", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю.",
)
_STEPS = frozenset(
    pair for run in _RUNS for a, b in zip(run, run[1:], strict=False) for pair in ((a, b), (b, a)))
_TRAILING_DECORATION = string.digits + string.punctuation + " "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of most common passwords (package data), case-folded."""
    text = resources.files("atlas").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _breaks(text: str) -> int:
    """How many neighbouring characters are neither equal nor one step along a key row,
    the alphabet or the digits: 0 for ``qwerty`` or ``aaaa``, 1 for ``qwerty123456``."""
    return sum(1 for a, b in zip(text, text[1:], strict=False) if a != b and (a, b) not in _STEPS)


def _is_trivial(text: str) -> bool:
    folded = text.strip().casefold()
    return len(set(folded)) < MIN_DISTINCT_CHARACTERS or _breaks(folded) <= 1


def password_problem(name: str, password: str) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with ``password`` as the password of ``name``: an interface string key
    and its values, or None if it may be used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "acc_pw_short", {"n": MIN_PASSWORD_LENGTH}
    if len(password) > MAX_PASSWORD_LENGTH:
        return "auth_pw_long", {"n": MAX_PASSWORD_LENGTH}
    folded = password.strip().casefold()
    if not folded:
        return "auth_pw_blank", {}
    account = name.strip().casefold()
    if account and (folded == account or (
            account in folded and _is_trivial(folded.replace(account, "")))):
        return "auth_pw_name", {}
    if len(set(folded)) < MIN_DISTINCT_CHARACTERS:
        return "auth_pw_distinct", {"n": MIN_DISTINCT_CHARACTERS}
    if _breaks(folded) <= 1:
        return "auth_pw_run", {}
    common = common_passwords()
    if folded in common or folded.rstrip(_TRAILING_DECORATION) in common:
        return "auth_pw_common", {}
    return None


def check_password_rules(name: str, password: str) -> None:
    """Raise PasswordRefused if ``password`` breaks a password rule (see password_problem)."""
    problem = password_problem(name, password)
    if problem is not None:
        raise PasswordRefused(problem[0], **problem[1])


# --- accounts ---------------------------------------------------------------------------------

def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or any(
            ch.isspace() or not ch.isprintable() for ch in name):
        raise AccountRefused("auth_name_rule", n=MAX_NAME_LENGTH)
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountRefused("auth_role_unknown", roles=", ".join(ROLES))


def add_user(store: SqlStore, name: str, role: str, password: str) -> Account:
    """Create an account; the password is stored only as an argon2id hash."""
    name = _check_name(name)
    _check_role(role)
    check_password_rules(name, password)
    password_hash = _hasher.hash(_secret(password))
    users = _users(store)
    with store.writing() as conn:  # two admins adding "Ann" and "ann" at once: one wins
        # Names differing only in case would read as one person in the history.
        taken = {str(n).casefold() for (n,) in conn.execute(sa.select(users.c.name))}
        if name.casefold() in taken:
            raise AccountRefused("auth_name_taken", name=name)
        conn.execute(sa.insert(users).values(
            name=name, role=role, password_hash=password_hash, created_at=now_text(),
            failed_logins=0, blocked_until=0.0, credential=_new_credential()))
    return Account(name, role)  # type: ignore[arg-type]


def set_password(store: SqlStore, name: str, password: str) -> None:
    """Replace an account's password; sessions logged in with the old one may no longer act."""
    check_password_rules(name, password)
    password_hash = _hasher.hash(_secret(password))
    users, sessions = _users(store), _sessions(store, create=False)
    with store.engine.begin() as conn:
        done = conn.execute(sa.update(users).where(users.c.name == name).values(
            password_hash=password_hash, credential=_new_credential(),
            failed_logins=0, blocked_until=0.0))
        if not done.rowcount:
            raise AccountRefused("auth_no_account", name=name)
        _end_sessions_of(conn, sessions, name)


def set_role(store: SqlStore, name: str, role: str) -> None:
    """Change an account's role."""
    _check_role(role)
    users = _users(store)
    with store.engine.begin() as conn:
        done = conn.execute(sa.update(users).where(users.c.name == name).values(role=role))
        if not done.rowcount:
            raise AccountRefused("auth_no_account", name=name)


def remove_user(store: SqlStore, name: str) -> None:
    """Delete an account (its past changes stay in the history under its name) and end its
    sessions."""
    users, sessions = _users(store), _sessions(store, create=False)
    with store.engine.begin() as conn:
        if not conn.execute(sa.delete(users).where(users.c.name == name)).rowcount:
            raise AccountRefused("auth_no_account", name=name)
        _end_sessions_of(conn, sessions, name)


def list_users(store: SqlStore) -> list[tuple[str, str, str]]:
    """(name, role, created at) of every account, by name."""
    users = _users(store)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(users.c.name, users.c.role, users.c.created_at)
                            .order_by(users.c.name)).all()
    return [(r[0], r[1], r[2]) for r in rows]


# --- the login throttle -----------------------------------------------------------------------

def name_key(name: str) -> str:
    """The throttle key of an account name, known or not: the same for every spelling that
    differs only in case or surrounding spaces, and of fixed length whatever the name's."""
    folded = name.strip().casefold().encode("utf-8", "surrogatepass")
    return "name:" + hashlib.sha256(folded).hexdigest()


def client_key(client: str) -> str:
    """The throttle key of a client (its address as the web server saw it)."""
    return "client:" + client[:100]


def _throttle_keys(name: str, client: str) -> list[tuple[str, ThrottleRule]]:
    keys = [(name_key(name), NAME_RULE)]
    if client:  # unknown (a local connection): only the name is counted
        keys.append((client_key(client), CLIENT_RULE))
    return keys


def _reserve(store: SqlStore, keys: list[tuple[str, ThrottleRule]],
             now: float) -> tuple[float, float]:
    """Count this try as a failure of every key before its password is checked, unless a key
    must still wait: then count nothing. Returns (the wait that refuses this try, or 0; the
    wait this try imposes if its password is wrong).

    One write transaction under the store's write lock, taken before the counters are read, so
    parallel tries (on any app server) queue here and each sees the ones before it.
    """
    table = _throttle(store)
    with store.writing() as conn:
        conn.execute(sa.delete(table).where(table.c.last_failure < now - QUIET_PERIOD))
        rows = {r.key: r for r in conn.execute(
            sa.select(table).where(table.c.key.in_([key for key, _ in keys])))}
        wait = max((r.blocked_until - now for r in rows.values()), default=0.0)
        if wait > 0:
            return wait, wait
        imposed = 0.0
        for key, rule in keys:
            failures = rows[key].failures + 1 if key in rows else 1
            values = {"failures": failures, "last_failure": now,
                      "blocked_until": now + rule.wait(failures)}
            imposed = max(imposed, rule.wait(failures))
            if key in rows:
                conn.execute(sa.update(table).where(table.c.key == key).values(**values))
            else:
                conn.execute(sa.insert(table).values(key=key, **values))
        if len(rows) < len(keys):
            _drop_least_recent(conn, table)
    return 0.0, imposed


def _drop_least_recent(conn: sa.Connection, table: sa.Table) -> None:
    """Keep at most MAX_THROTTLE_KEYS counters: many names tried must not grow the store."""
    excess = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() \
        - MAX_THROTTLE_KEYS
    if excess > 0:
        oldest = sa.select(table.c.key).order_by(table.c.last_failure).limit(excess)
        conn.execute(sa.delete(table).where(table.c.key.in_(oldest.scalar_subquery())))


def _after_success(store: SqlStore, keys: list[tuple[str, ThrottleRule]]) -> None:
    """A right password clears its name's counter and takes back the client's reserved failure
    (but not the client's earlier failures: logging in to one's own account must not buy
    more guesses at others)."""
    table = _throttle(store)
    with store.writing() as conn:
        conn.execute(sa.delete(table).where(table.c.key == keys[0][0]))
        for key, _ in keys[1:]:
            conn.execute(sa.update(table).where(table.c.key == key, table.c.failures > 0)
                         .values(failures=table.c.failures - 1))


def throttle_failures(store: SqlStore, key: str) -> int:
    """Failures counted now for a throttle key (0 if none)."""
    table = _throttle(store)
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(table.c.failures).where(table.c.key == key)).scalar()
    return int(found or 0)


def unlock(store: SqlStore, name: str) -> int:
    """Forget the failed logins counted for ``name`` (any spelling); returns how many counters
    were cleared (0 or 1)."""
    table, users = _throttle(store), _users(store)
    with store.engine.begin() as conn:
        cleared = conn.execute(sa.delete(table).where(table.c.key == name_key(name))).rowcount
        conn.execute(sa.update(users).where(users.c.name == name.strip())
                     .values(failed_logins=0, blocked_until=0.0))
    return int(cleared)


def unlock_all(store: SqlStore) -> int:
    """Forget every counted failed login, of names and of clients; returns how many counters
    were cleared."""
    table, users = _throttle(store), _users(store)
    with store.engine.begin() as conn:
        cleared = conn.execute(sa.delete(table)).rowcount
        conn.execute(sa.update(users).values(failed_logins=0, blocked_until=0.0))
    return int(cleared)


# --- logging in and acting --------------------------------------------------------------------

def _secret(password: str) -> bytes:
    # What a terminal read with surrogateescape gives must hash, not raise.
    return password.encode("utf-8", "surrogatepass")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _password_matches(password_hash: str, password: str) -> bool:
    with _CHECK_SLOTS:
        try:
            return bool(_hasher.verify(password_hash, _secret(password)))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def authenticate(store: SqlStore, name: str, password: str, client: str = "",
                 clock: float | None = None) -> Account:
    """The account for a name and password, or LoginRefused.

    ``client`` is the address the try comes from ("" if unknown). Every try is counted as a
    failure of the name and the client before the password is checked (and taken back when it
    is right); a name or client that must still wait is refused without any check. A known and
    an unknown name get the same answers after the same work.
    """
    now = time.time() if clock is None else clock
    keys = _throttle_keys(name, client)
    try:
        wait, imposed = _reserve(store, keys, now)
    except (sa.exc.OperationalError, StoreBusy):  # the store stayed locked (a flood of tries)
        wait, imposed = BUSY_WAIT, BUSY_WAIT
    if wait > 0:
        raise LoginRefused("auth_login_wait", wait, seconds=math.ceil(wait))
    row = None
    stripped = name.strip()
    # Else it names no account (a NUL byte cannot even be compared by PostgreSQL).
    if len(stripped) <= MAX_NAME_LENGTH and _encodable(stripped) and "\x00" not in stripped:
        users = _users(store)
        with store.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == stripped)) \
                .mappings().first()
    # A password longer than any allowed is checked (for the same work) but cannot match.
    matches = _password_matches(_DUMMY_HASH if row is None else row["password_hash"],
                                password[:MAX_PASSWORD_LENGTH])
    if row is None or not matches or len(password) > MAX_PASSWORD_LENGTH:
        raise LoginRefused("auth_login_wrong", imposed)
    # Left counted if the store stays locked: a success must not fail on its bookkeeping.
    with contextlib.suppress(sa.exc.OperationalError, StoreBusy):
        _after_success(store, keys)
    return Account(row["name"], row["role"], row["credential"] or "")


def _same_credential(held: str, current: str) -> bool:
    return hmac.compare_digest(held.encode("utf-8"), current.encode("utf-8"))


def require(store: SqlStore, account: Account | None, role: Role = "editor") -> Account:
    """The account, as the store knows it now, if it may act with ``role``; else
    PermissionDenied. Read from the store on every action, so a removed account, a lowered
    role or a new password takes effect at once, whatever a session still holds."""
    if account is None:
        raise PermissionDenied("auth_denied_login")
    users = _users(store)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(users.c.role, users.c.credential)
                           .where(users.c.name == account.name)).first()
    if row is None:
        raise PermissionDenied("auth_denied_gone", name=account.name)
    if account.credential is not None and not _same_credential(account.credential,
                                                               row[1] or ""):
        raise SessionExpired("auth_denied_expired", name=account.name)
    current = Account(account.name, row[0], account.credential)
    if role == "admin" and not current.is_admin:
        raise PermissionDenied("auth_denied_admin")
    return current


def session_is_current(store: SqlStore, account: Account) -> bool:
    """False if a logged-in session's account was removed or got a new password (or was
    re-created) since the login: the session must log in again."""
    try:
        require(store, account)
    except SessionExpired:
        return False
    except PermissionDenied:
        return account.credential is None  # removed after a login
    return True


# --- sessions that outlive a page load --------------------------------------------------------
#
# A browser keeps a random session token in an HttpOnly cookie; the store keeps only the token's
# SHA-256, the account, the credential the account had at the login, and when it expires. The
# token is 256 random bits, so it cannot be guessed or forged, and a copy of the store does not
# hold a usable token. A session ends at its expiry, at logout (its row is deleted), and when
# the account is removed or gets a new password (its rows are deleted, and a row whose
# credential is no longer the account's is refused anyway).
#
# Sessions are not data: their table is made on first use, outside the schema versions, and a
# store without it simply has no sessions yet.

SESSION_LIFETIME = 12 * 3600.0  # a working day, then the password again
MAX_SESSIONS_PER_ACCOUNT = 20  # browsers an account may stay logged in on; the oldest end first
MAX_TOKEN_LENGTH = 100

_session_metadata = sa.MetaData()
_SESSIONS = sa.Table(
    "atlas_sessions", _session_metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, index=True),
    sa.Column("credential", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)
_TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")


def _sessions(store: SqlStore, *, create: bool) -> sa.Table | None:
    """The sessions table of ``store``; made when ``create`` and missing, else None when
    missing (a store nobody has logged in to, or a read-only one)."""
    if store.__dict__.get("_atlas_sessions_ready"):
        return _SESSIONS
    with store.engine.connect() as conn:
        present = sa.inspect(conn).has_table(_SESSIONS.name)
    if not present:
        if not create:
            return None
        with store.writing() as conn:  # two app servers making it at once: one does
            _SESSIONS.create(conn, checkfirst=True)
    store.__dict__["_atlas_sessions_ready"] = True
    return _SESSIONS


def token_digest(token: str) -> str:
    """What the store keeps of a session token (and what names the session in a page)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _well_formed(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN_LENGTH and set(token) <= _TOKEN_CHARACTERS


def start_session(store: SqlStore, account: Account, clock: float | None = None) -> str:
    """A new session token for an account that has just logged in (PermissionDenied if the
    store no longer knows it with that credential). Only the token's digest is stored."""
    current = require(store, account)
    if current.credential is None:
        raise PermissionDenied("auth_denied_no_login")
    now = time.time() if clock is None else clock
    token = secrets.token_urlsafe(32)
    table = _sessions(store, create=True)
    assert table is not None
    with store.engine.begin() as conn:
        conn.execute(sa.delete(table).where(table.c.expires_at <= now))
        conn.execute(sa.insert(table).values(
            token_hash=token_digest(token), name=current.name,
            credential=current.credential, created_at=now,
            expires_at=now + SESSION_LIFETIME))
        keep = sa.select(table.c.token_hash).where(table.c.name == current.name) \
            .order_by(table.c.created_at.desc()).limit(MAX_SESSIONS_PER_ACCOUNT)
        conn.execute(sa.delete(table).where(table.c.name == current.name,
                                            table.c.token_hash.not_in(keep.scalar_subquery())))
    return token


def resume_session(store: SqlStore, token: str, clock: float | None = None) -> Account | None:
    """The account a session token was given to, as the store knows it now; None if the
    token is malformed, unknown, expired, or its account was removed or got a new password
    since (such a row is deleted when the store can be written)."""
    if not isinstance(token, str) or not _well_formed(token):
        return None
    table = _sessions(store, create=False)
    if table is None:
        return None
    now = time.time() if clock is None else clock
    digest = token_digest(token)
    users = _users(store)
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(table.c.expires_at, table.c.credential, users.c.name, users.c.role,
                      users.c.credential.label("current"))
            .select_from(table.outerjoin(users, users.c.name == table.c.name))
            .where(table.c.token_hash == digest)).first()
    if row is None:
        return None
    if row.expires_at <= now or row.name is None or not _same_credential(
            row.credential, row.current or ""):
        with contextlib.suppress(sa.exc.OperationalError, StoreError):
            end_session(store, digest)
        return None
    return Account(row.name, row.role, row.credential)


def end_session(store: SqlStore, digest: str) -> None:
    """End the session whose token has ``digest`` (logout); nothing if there is none."""
    table = _sessions(store, create=False)
    if table is None:
        return
    with store.engine.begin() as conn:
        conn.execute(sa.delete(table).where(table.c.token_hash == digest))


def _end_sessions_of(conn: sa.Connection, sessions: sa.Table | None, name: str) -> None:
    if sessions is not None:
        conn.execute(sa.delete(sessions).where(sessions.c.name == name))
