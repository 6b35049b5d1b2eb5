"""Accounts: slow salted hashes, no defaults, throttled failed logins (per name and client, the
same for unknown names, counted atomically), live role and credential checks, password rules;
on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from atlas import auth
from atlas import store as store_module
from atlas.auth import Account, LoginRefused, PermissionDenied
from atlas.cli import build_parser, cmd_user
from atlas.i18n import t
from atlas.paths import REPO_ROOT
from atlas.store import SqlStore, open_store, store_location
from tests.databases import StoreMaker

PASSWORD = "correct horse battery"


@pytest.fixture()
def store(new_store: StoreMaker) -> SqlStore:
    return new_store()


def test_no_account_exists_until_one_is_made(store: SqlStore) -> None:
    assert auth.list_users(store) == []
    with pytest.raises(LoginRefused):
        auth.authenticate(store, "admin", "admin")


def test_password_is_stored_as_a_salted_argon2_hash(store: SqlStore) -> None:
    auth.add_user(store, "alice", "editor", PASSWORD)
    auth.add_user(store, "bob", "editor", PASSWORD)
    users = store.metadata.tables["atlas_users"]
    with store.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(sa.select(users.c.password_hash))]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert hashes[0] != hashes[1]  # salted: same password, different hashes
    assert auth.authenticate(store, "alice", PASSWORD) == Account("alice", "editor")


@pytest.mark.parametrize("password", ["short", "alice", "ALICE     "])
def test_weak_passwords_are_refused(store: SqlStore, password: str) -> None:
    with pytest.raises(ValueError):
        auth.add_user(store, "alice", "editor", password)


def test_failed_logins_are_slowed_down(store: SqlStore) -> None:
    auth.add_user(store, "alice", "editor", PASSWORD)
    now = 1_000_000.0
    for _ in range(auth.FREE_FAILURES - 1):
        with pytest.raises(LoginRefused) as exc:
            auth.authenticate(store, "alice", "wrong password", clock=now)
        assert exc.value.retry_after == 0
    with pytest.raises(LoginRefused) as exc:
        auth.authenticate(store, "alice", "wrong password", clock=now)
    assert exc.value.retry_after == 2.0
    # Even the right password waits until the pause is over.
    with pytest.raises(LoginRefused) as exc:
        auth.authenticate(store, "alice", PASSWORD, clock=now + 1)
    assert "try again" in str(exc.value)
    assert auth.authenticate(store, "alice", PASSWORD, clock=now + 3) == Account("alice", "editor")
    # A name's wait stays short (the issue: capped at an hour, it locked the admin out).
    assert [auth.NAME_RULE.wait(n) for n in (2, 3, 4, 5, 30)] == [0, 2.0, 4.0, 8.0, 60.0]
    assert [auth.CLIENT_RULE.wait(n) for n in (4, 5, 6, 30, 10**6)] == [0, 4.0, 16.0, 3600.0,
                                                                       3600.0]


def test_unknown_name_and_wrong_password_read_the_same(store: SqlStore) -> None:
    auth.add_user(store, "alice", "editor", PASSWORD)
    messages = set()
    # A name with a NUL byte (no account can have one; PostgreSQL cannot even compare it)
    # reads the same, on both engines.
    for name in ("alice", "nobody", "alice\x00", "\x00"):
        with pytest.raises(LoginRefused) as exc:
            auth.authenticate(store, name, "wrong password\x00")
        messages.add(str(exc.value))
    assert messages == {"wrong name or password"}


def test_roles_are_read_from_the_store_on_every_check(store: SqlStore) -> None:
    auth.add_user(store, "alice", "admin", PASSWORD)
    session_account = Account("alice", "admin")
    assert auth.require(store, session_account, "admin").is_admin
    auth.set_role(store, "alice", "editor")
    with pytest.raises(PermissionDenied):
        auth.require(store, session_account, "admin")
    with pytest.raises(PermissionDenied):
        auth.require(store, None)


def test_cli_user_add_prompts_and_never_takes_the_password_as_an_argument(
        tmp_path: Path) -> None:
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["user", "add", "alice", "--role", "editor", "--password", "x"])
    store_file = tmp_path / "s.sqlite"
    args = parser.parse_args(["--store", str(store_file), "user", "add", "alice",
                              "--role", "editor"])
    answers = iter([PASSWORD, PASSWORD])
    assert cmd_user(args, read=lambda _prompt: next(answers)) == 0
    assert auth.authenticate(open_store(store_file), "alice", PASSWORD).role == "editor"
    mismatch = iter([PASSWORD, PASSWORD + "!"])
    args = parser.parse_args(["--store", str(store_file), "user", "add", "bob",
                              "--role", "editor"])
    assert cmd_user(args, read=lambda _prompt: next(mismatch)) == 1
    assert [u[0] for u in auth.list_users(open_store(store_file))] == ["alice"]


# --- the hardening issue: lock-outs, what a lock tells, parallel guesses, old sessions, rules --

ATTACKER, ADMIN_DESK = "203.0.113.9", "198.51.100.7"


@pytest.fixture()
def empty_store(empty_location: str, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    """A new store with no data (the accounts and the throttle are all these tests need), and
    argon2id at its lowest cost: these tests count checks, they do not measure them."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", cheap)
    monkeypatch.setattr(auth, "_DUMMY_HASH", cheap.hash("not a password of anyone"))
    return SqlStore(store_location(empty_location))


class CountingHasher:
    """The module's hasher, counting the password checks (the slow part of a login)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.verified, self._lock = inner, 0, threading.Lock()

    def verify(self, password_hash: str, password: bytes) -> bool:
        with self._lock:
            self.verified += 1
        return bool(self.inner.verify(password_hash, password))

    def hash(self, password: bytes) -> str:
        return str(self.inner.hash(password))


@pytest.fixture()
def hasher(empty_store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    return counting


def attempt(store: SqlStore, name: str, password: str, client: str = "",
            clock: float = 1_000_000.0) -> tuple[str, dict[str, Any], float, str]:
    """A refused login as (code, values, wait, English message)."""
    with pytest.raises(LoginRefused) as exc:
        auth.authenticate(store, name, password, client=client, clock=clock)
    refusal = exc.value
    return refusal.code, refusal.params, refusal.retry_after, str(refusal)


def test_an_attacker_who_knows_the_admin_name_cannot_keep_the_admin_out(
        empty_store: SqlStore) -> None:
    auth.add_user(empty_store, "root", "admin", PASSWORD)
    start = 1_000_000.0
    # 36 wrong passwords spread over a day, from one client.
    times = [start + i * 2400.0 for i in range(36)]
    for when in times:
        attempt(empty_store, "root", "guess-number-x", ATTACKER, when)
    # The attacker's client now waits long; the admin, at another desk, only a short while.
    code, _, wait, _ = attempt(empty_store, "root", PASSWORD, ATTACKER, times[-1] + 61)
    assert code == "auth_login_wait" and wait > 600
    who = auth.authenticate(empty_store, "root", PASSWORD, client=ADMIN_DESK,
                            clock=times[-1] + 61)  # a minute, not the attacker's hour
    assert who == Account("root", "admin")


def test_during_a_short_name_lock_the_right_password_waits_then_gets_in(
        empty_store: SqlStore) -> None:
    auth.add_user(empty_store, "root", "admin", PASSWORD)
    now = 1_000_000.0
    for i in range(20):  # hammered from many clients: the name's wait stops growing
        attempt(empty_store, "root", "guess-number-x", f"192.0.2.{i}", now + i * 61)
    last = now + 19 * 61
    assert attempt(empty_store, "root", PASSWORD, ADMIN_DESK, last + 1)[0] == "auth_login_wait"
    assert auth.authenticate(empty_store, "root", PASSWORD, client=ADMIN_DESK,
                             clock=last + 60).name == "root"


def test_failures_are_forgotten_after_a_quiet_period(empty_store: SqlStore) -> None:
    now = 1_000_000.0
    for i in range(12):
        attempt(empty_store, f"user{i}", "guess-number-x", ATTACKER, now + i * 4000)
    last = now + 11 * 4000
    assert attempt(empty_store, "other", "guess", ATTACKER, last + 10)[0] == "auth_login_wait"
    later = last + auth.QUIET_PERIOD + 1
    assert attempt(empty_store, "other", "guess", ATTACKER, later)[:3] == (
        "auth_login_wrong", {}, 0.0)
    assert auth.throttle_failures(empty_store, auth.client_key(ATTACKER)) == 1


def test_atlas_user_unlock_clears_a_name_and_all_clears_everything(
        empty_store: SqlStore, capsys: pytest.CaptureFixture[str]) -> None:
    store_file = empty_store.url
    auth.add_user(empty_store, "root", "admin", PASSWORD)
    now = time.time()
    for _ in range(10):
        with contextlib.suppress(LoginRefused):
            auth.authenticate(empty_store, "ROOT ", "guess-number-x", client=ATTACKER)
    assert attempt(empty_store, "root", PASSWORD, ADMIN_DESK, now + 1)[0] == "auth_login_wait"
    parser = build_parser()
    assert cmd_user(parser.parse_args(["--store", str(store_file), "user", "unlock",
                                       "root"])) == 0
    assert "cleared the failed logins of root" in capsys.readouterr().out
    assert auth.authenticate(empty_store, "root", PASSWORD, client=ADMIN_DESK).is_admin
    # The attacker's client is still slowed down, until --all.
    assert attempt(empty_store, "root", PASSWORD, ATTACKER)[0] == "auth_login_wait"
    assert cmd_user(parser.parse_args(["--store", str(store_file), "user", "unlock",
                                       "--all"])) == 0
    assert auth.authenticate(empty_store, "root", PASSWORD, client=ATTACKER).is_admin
    assert cmd_user(parser.parse_args(["--store", str(store_file), "user", "unlock"])) == 1
    assert "NAME or --all" in capsys.readouterr().err


def test_a_lock_answers_the_same_for_known_and_unknown_names_after_the_same_work(
        empty_store: SqlStore, hasher: CountingHasher) -> None:
    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    answers: dict[str, list[tuple[Any, ...]]] = {}
    for name in ("alice", "nobody"):
        answers[name] = []
        for _ in range(auth.NAME_RULE.free + 3):
            before = hasher.verified
            answers[name].append((*attempt(empty_store, name, "guess-number-x"),
                                  hasher.verified - before))
    assert answers["alice"] == answers["nobody"]
    codes = [a[0] for a in answers["alice"]]
    assert codes == ["auth_login_wrong"] * 3 + ["auth_login_wait"] * 3
    assert [a[-1] for a in answers["alice"]] == [1, 1, 1, 0, 0, 0]  # checked, then not at all


@pytest.mark.parametrize("spelling", ["ALICE", " alice ", "Alice"])
def test_every_spelling_of_a_name_counts_on_the_same_counter(
        empty_store: SqlStore, spelling: str) -> None:
    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    for _ in range(auth.NAME_RULE.free):
        attempt(empty_store, spelling, "guess-number-x")
    assert attempt(empty_store, "alice", PASSWORD)[0] == "auth_login_wait"


def test_parallel_guesses_are_counted_or_refused_unchecked(
        empty_store: SqlStore, hasher: CountingHasher) -> None:
    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    hasher.verified = 0
    guesses = 40
    start = threading.Barrier(guesses)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        start.wait()
        try:
            auth.authenticate(empty_store, "alice", f"guess number {i}", clock=1_000_000.0)
        except LoginRefused as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # a lost race shows as a database error: fail on it
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counted = auth.throttle_failures(empty_store, auth.name_key("alice"))
    assert sorted(set(outcomes)) == ["auth_login_wait", "auth_login_wrong"]
    assert outcomes.count("auth_login_wrong") == counted == hasher.verified
    assert hasher.verified <= auth.NAME_RULE.free
    assert outcomes.count("auth_login_wait") == guesses - counted


def test_a_right_password_resets_the_name_but_keeps_the_clients_other_failures(
        empty_store: SqlStore) -> None:
    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    for name in ("alice", "bob"):
        attempt(empty_store, name, "guess-number-x", ATTACKER)
    assert auth.authenticate(empty_store, "alice", PASSWORD, client=ATTACKER,
                             clock=1_000_001.0).name == "alice"
    assert auth.throttle_failures(empty_store, auth.name_key("alice")) == 0
    assert auth.throttle_failures(empty_store, auth.client_key(ATTACKER)) == 2


def test_the_throttle_keeps_a_bounded_number_of_counters(
        empty_store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "MAX_THROTTLE_KEYS", 50)
    monkeypatch.setattr(auth, "_password_matches", lambda _hash, _password: False)
    for i in range(80):
        attempt(empty_store, f"nobody-{i}", "guess", clock=1_000_000.0 + i)
    throttle = empty_store.metadata.tables["atlas_login_throttle"]
    with empty_store.engine.connect() as conn:
        keys = set(conn.execute(sa.select(throttle.c.key)).scalars())
    assert len(keys) == 50
    assert auth.name_key("nobody-79") in keys and auth.name_key("nobody-0") not in keys


def test_huge_names_and_passwords_cost_one_ordinary_check(
        empty_store: SqlStore, hasher: CountingHasher) -> None:
    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    hasher.verified = 0
    assert attempt(empty_store, "x" * 10_000, PASSWORD)[0] == "auth_login_wrong"
    assert attempt(empty_store, "alice", PASSWORD + "x" * 1_000_000)[0] == "auth_login_wrong"
    assert attempt(empty_store, "alice\ud800", "guess\udc00")[0] == "auth_login_wrong"
    assert hasher.verified == 3
    assert len(auth.name_key("x" * 10_000)) == len(auth.name_key("a"))
    with pytest.raises(auth.PasswordRefused) as exc:
        auth.set_password(empty_store, "alice", "x" * 1_000_000)
    assert exc.value.code == "auth_pw_long"


def test_a_new_password_ends_the_sessions_logged_in_with_the_old_one(
        empty_store: SqlStore) -> None:
    auth.add_user(empty_store, "alice", "admin", PASSWORD)
    session = auth.authenticate(empty_store, "alice", PASSWORD)
    assert auth.require(empty_store, session, "admin").name == "alice"
    auth.set_password(empty_store, "alice", "a brand new pass phrase")
    with pytest.raises(auth.SessionExpired):
        auth.require(empty_store, session)
    assert not auth.session_is_current(empty_store, session)
    fresh = auth.authenticate(empty_store, "alice", "a brand new pass phrase")
    assert auth.require(empty_store, fresh).name == "alice"
    assert auth.session_is_current(empty_store, fresh)
    # Removed and added again under the same name (even with the same password).
    auth.remove_user(empty_store, "alice")
    assert not auth.session_is_current(empty_store, fresh)
    auth.add_user(empty_store, "alice", "admin", "a brand new pass phrase")
    with pytest.raises(PermissionDenied):
        auth.require(empty_store, fresh, "admin")
    assert "credential" not in repr(fresh) and fresh.credential not in repr(fresh)


def test_credentials_are_fresh_random_tokens(empty_store: SqlStore) -> None:
    users = empty_store.metadata.tables["atlas_users"]

    def credential() -> str:
        with empty_store.engine.connect() as conn:
            return str(conn.execute(sa.select(users.c.credential)).scalar_one())

    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    seen = [credential()]
    auth.set_password(empty_store, "alice", PASSWORD)  # even the same password again
    seen.append(credential())
    assert len(set(seen)) == 2 and all(len(c) >= 32 for c in seen)


@pytest.mark.parametrize(("password", "code"), [
    (" " * 10, "auth_pw_blank"),
    ("\t\n" * 6, "auth_pw_blank"),
    ("aaaaaaaaaa", "auth_pw_distinct"),
    ("abababababab", "auth_pw_distinct"),
    ("1234567890", "auth_pw_run"),
    ("0987654321", "auth_pw_run"),
    ("QWERTYUIOP", "auth_pw_run"),
    ("asdfghjkl;'", "auth_pw_run"),
    ("йцукенгшщз", "auth_pw_run"),
    ("abcdefghijk", "auth_pw_run"),
    ("qwerty123456", "auth_pw_run"),
    ("alice12345", "auth_pw_name"),
    ("Alice-Alice-Alice", "auth_pw_name"),
    ("Password2024!", "auth_pw_common"),
    ("P@ssw0rd!!!!", "auth_pw_common"),
    ("1q2w3e4r5t", "auth_pw_common"),
    ("ҚАЗАҚСТАН2024", "auth_pw_common"),
    ("short", "acc_pw_short"),
])
def test_trivial_passwords_are_refused_with_a_message_code(
        empty_store: SqlStore, password: str, code: str) -> None:
    with pytest.raises(auth.PasswordRefused) as exc:
        auth.add_user(empty_store, "alice", "editor", password)
    assert exc.value.code == code
    assert str(exc.value) == t(code, "en", **exc.value.params)  # the command line's English
    assert auth.list_users(empty_store) == []


@pytest.mark.parametrize("password", [PASSWORD, "alice-password-1", "Tr0ub4dor&3x",
                                      "жасыл алма 77", "alice in the garden"])
def test_ordinary_passwords_are_accepted(password: str) -> None:
    assert auth.password_problem("alice", password) is None


def test_the_common_password_list_is_package_data() -> None:
    assert {"password", "qwerty", "пароль"} <= auth.common_passwords()
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^atlas = \[.*"common_passwords\.txt"', pyproject, re.M)


def test_cli_refuses_a_trivial_password_in_english(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["--store", str(tmp_path / "accounts.sqlite"), "user",
                                      "add", "alice", "--role", "editor"])
    assert cmd_user(args, read=lambda _prompt: "aaaaaaaaaaaa") == 1
    assert capsys.readouterr().err.strip() == \
        "atlas: The password needs at least 5 different characters."


def test_names_differing_only_in_case_are_one_account(empty_store: SqlStore) -> None:
    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    with pytest.raises(auth.AccountRefused) as exc:
        auth.add_user(empty_store, "ALICE", "admin", PASSWORD)
    assert exc.value.code == "auth_name_taken"
    for bad in ("ali\u202ece", "x" * 65, "a b", ""):
        with pytest.raises(auth.AccountRefused):
            auth.add_user(empty_store, bad, "editor", PASSWORD)


def test_parallel_password_checks_share_a_few_slots(empty_store: SqlStore,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Logins spread over many names from an unknown client are not slowed by the throttle;
    the slots still bound how many argon2 checks (64 MiB each) run at once."""
    busy = threading.Condition()
    state = {"active": 0, "peak": 0}
    limit = auth.MAX_PARALLEL_CHECKS

    class Hasher:
        def verify(self, _hash: str, _password: bytes) -> bool:
            with busy:
                state["active"] += 1
                state["peak"] = max(state["peak"], state["active"])
                busy.notify_all()
                # Held until more checks than the slots run at once (or, with the slots, a while).
                busy.wait_for(lambda: state["active"] > limit, timeout=0.3)
                state["active"] -= 1
            return False

    monkeypatch.setattr(auth, "_hasher", Hasher())
    def guess(name: str) -> None:
        with contextlib.suppress(LoginRefused):
            auth.authenticate(empty_store, name, "guess")

    threads = [threading.Thread(target=guess, args=(f"name-{i}",)) for i in range(3 * limit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert state["peak"] == limit


def test_a_try_that_finds_the_counters_locked_is_refused_with_a_message(
        empty_store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    auth.add_user(empty_store, "alice", "editor", PASSWORD)
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    impatient = SqlStore(empty_store.url)
    with empty_store.writing():  # another writer (another connection) holds the store
        code, params, wait, _ = attempt(impatient, "alice", PASSWORD)
    assert (code, params, wait) == ("auth_login_wait", {"seconds": 1}, auth.BUSY_WAIT)
    assert auth.authenticate(impatient, "alice", PASSWORD).name == "alice"


# --- sessions that outlive a page load ---------------------------------------------------------

def logged_in(store: SqlStore, name: str = "alice", role: str = "editor") -> Account:
    auth.add_user(store, name, role, PASSWORD)
    return auth.authenticate(store, name, PASSWORD)


def session_rows(store: SqlStore) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.exec_driver_sql("SELECT * FROM atlas_sessions").mappings()]


def test_a_session_token_resumes_its_account_and_only_its_hash_is_stored(
        store: SqlStore) -> None:
    account = logged_in(store)
    token = auth.start_session(store, account, clock=1000.0)
    assert len(token) >= 40  # 256 random bits
    resumed = auth.resume_session(store, token, clock=1001.0)
    assert resumed == account and resumed is not None
    assert resumed.credential == account.credential  # it acts like the login it came from
    auth.require(store, resumed)
    (stored,) = session_rows(store)
    assert stored["token_hash"] == auth.token_digest(token) != token
    assert token not in repr(stored)
    assert stored["expires_at"] == 1000.0 + auth.SESSION_LIFETIME
    # A role changed since the login is the role the session has now.
    auth.set_role(store, "alice", "admin")
    assert auth.resume_session(store, token, clock=1001.0).role == "admin"  # type: ignore[union-attr]


def test_a_session_expires(store: SqlStore) -> None:
    token = auth.start_session(store, logged_in(store), clock=1000.0)
    end = 1000.0 + auth.SESSION_LIFETIME
    assert auth.resume_session(store, token, clock=end - 1) is not None
    assert auth.resume_session(store, token, clock=end) is None
    assert session_rows(store) == []  # an expired session is deleted when met
    assert auth.resume_session(store, token, clock=1001.0) is None  # and stays gone


def test_logout_ends_the_session_and_no_other(store: SqlStore) -> None:
    account = logged_in(store)
    here, there = auth.start_session(store, account), auth.start_session(store, account)
    auth.end_session(store, auth.token_digest(here))
    assert auth.resume_session(store, here) is None
    assert auth.resume_session(store, there) == account


def test_a_new_password_or_a_removed_account_ends_every_session(store: SqlStore) -> None:
    alice, bob = logged_in(store), logged_in(store, "bob")
    tokens = [auth.start_session(store, alice) for _ in range(2)]
    bobs = auth.start_session(store, bob)
    auth.set_password(store, "alice", "another correct horse")
    assert [auth.resume_session(store, x) for x in tokens] == [None, None]
    assert {r["name"] for r in session_rows(store)} == {"bob"}
    token = auth.start_session(store, auth.authenticate(store, "alice",
                                                        "another correct horse"))
    auth.remove_user(store, "alice")
    assert auth.resume_session(store, token) is None
    # The name made again is another account: the old cookie does not open it.
    auth.add_user(store, "alice", "admin", PASSWORD)
    assert auth.resume_session(store, token) is None
    assert auth.resume_session(store, bobs) == bob


def test_a_stale_credential_is_refused_even_if_its_row_was_left(store: SqlStore) -> None:
    token = auth.start_session(store, logged_in(store))
    users = store.metadata.tables["atlas_users"]
    with store.engine.begin() as conn:  # as if another tool changed the credential directly
        conn.execute(sa.update(users).values(credential="replaced"))
    assert auth.resume_session(store, token) is None


@pytest.mark.parametrize("tamper", [
    lambda x: x[:-1] + ("A" if x[-1] != "A" else "B"),  # one character changed
    lambda x: x[:-1],  # cut short
    lambda x: x + "A",  # lengthened
    lambda x: x.upper(),
    lambda x: auth.token_digest(x),  # the stored hash is not a token
    lambda x: "",
    lambda x: "A" * 10_000,
    lambda x: x[:10] + "é" + x[11:],
    lambda x: x + "\x00",
    lambda x: x[:10] + "\udcff" + x[11:],  # not even encodable
])
def test_a_tampered_or_malformed_token_opens_nothing(store: SqlStore, tamper: Any) -> None:
    token = auth.start_session(store, logged_in(store))
    assert auth.resume_session(store, tamper(token)) is None
    assert auth.resume_session(store, token) is not None


def test_no_session_table_means_no_session(new_store: StoreMaker) -> None:
    store = new_store()
    assert auth.resume_session(store, "x" * 43) is None
    auth.end_session(store, "0" * 64)  # nothing to end, and no error
    assert not sa.inspect(store.engine).has_table("atlas_sessions")  # reading makes nothing


def test_an_account_keeps_at_most_so_many_sessions(store: SqlStore) -> None:
    account = logged_in(store)
    tokens = [auth.start_session(store, account, clock=1000.0 + i)
              for i in range(auth.MAX_SESSIONS_PER_ACCOUNT + 2)]
    assert len(session_rows(store)) == auth.MAX_SESSIONS_PER_ACCOUNT
    assert auth.resume_session(store, tokens[0], clock=1100.0) is None  # the oldest ended
    assert auth.resume_session(store, tokens[-1], clock=1100.0) == account


def test_only_a_real_login_starts_a_session(store: SqlStore) -> None:
    auth.add_user(store, "alice", "editor", PASSWORD)
    with pytest.raises(PermissionDenied):
        auth.start_session(store, Account("alice", "editor"))  # made in code, no login
    with pytest.raises(PermissionDenied):
        auth.start_session(store, Account("ghost", "admin", "made-up"))
