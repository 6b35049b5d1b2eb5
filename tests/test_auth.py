"""Accounts: slow salted hashes, no defaults, slowed-down failed logins, live role checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from atlas import auth
from atlas.auth import Account, LoginRefused, PermissionDenied
from atlas.cli import build_parser, cmd_user
from atlas.store import SqlStore, open_store

PASSWORD = "correct horse battery"


@pytest.fixture()
def store(tmp_path: Path) -> SqlStore:
    return open_store(tmp_path / "atlas.sqlite")


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
    assert [auth.failure_wait(n) for n in (3, 4, 5, 30)] == [2.0, 4.0, 8.0, auth.MAX_WAIT]


def test_unknown_name_and_wrong_password_read_the_same(store: SqlStore) -> None:
    auth.add_user(store, "alice", "editor", PASSWORD)
    messages = set()
    for name in ("alice", "nobody"):
        with pytest.raises(LoginRefused) as exc:
            auth.authenticate(store, name, "wrong password")
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
