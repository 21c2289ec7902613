"""API keys: created once, stored hashed, verified in constant time, expired and revoked keys refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from analyzer.store import keys
from analyzer.store.tables import agencies, api_keys, utcnow
from tests.store.conftest import Upload


def test_create_and_verify(engine: Engine, upload: Upload) -> None:
    upload(b"x")
    with engine.connect() as conn:
        agency_id = conn.execute(select(agencies.c.id)).scalar_one()
    key_id, plaintext = keys.create_key(engine, "staff", agency_id, "구미 담당")
    scheme, prefix, secret = plaintext.split("_", 2)
    assert scheme == "mks" and len(prefix) == 8 and len(secret) >= 40
    assert keys.verify(engine, plaintext) == keys.Principal(key_id=key_id, role="staff", agency_id=agency_id)


def test_only_a_hash_is_stored(engine: Engine) -> None:
    _, plaintext = keys.create_key(engine, "admin", None, "관리자")
    with engine.connect() as conn:
        stored = conn.execute(select(api_keys)).mappings().one()
    assert plaintext not in {str(value) for value in stored.values()}
    assert len(stored["hash"]) == 64


@pytest.mark.parametrize(
    "tamper",
    [
        lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"),
        lambda k: k + "x",
        lambda k: "mks_00000000_" + k.split("_", 2)[2],
        lambda k: "",
        lambda k: "mks__",
        lambda k: k.replace("mks_", "abc_", 1),
    ],
)
def test_wrong_keys_are_refused(engine: Engine, tamper) -> None:  # type: ignore[no-untyped-def]
    _, plaintext = keys.create_key(engine, "researcher", None)
    assert keys.verify(engine, tamper(plaintext)) is None


def test_expired_key_is_refused(engine: Engine) -> None:
    now = utcnow()
    _, plaintext = keys.create_key(engine, "leadership", None, expires_at=now + timedelta(days=1))
    assert keys.verify(engine, plaintext, now) is not None
    assert keys.verify(engine, plaintext, now + timedelta(days=1)) is None


def test_revoked_key_is_refused(engine: Engine) -> None:
    key_id, plaintext = keys.create_key(engine, "staff", None)
    assert keys.revoke(engine, key_id)
    assert not keys.revoke(engine, key_id)
    assert not keys.revoke(engine, 999)
    assert keys.verify(engine, plaintext) is None


def test_list_keys_never_shows_hash_or_plaintext(engine: Engine) -> None:
    first, plaintext = keys.create_key(engine, "admin", None, "첫 키")
    second, _ = keys.create_key(engine, "staff", None, "둘째 키")
    keys.revoke(engine, second)
    listed = keys.list_keys(engine)
    assert [row["id"] for row in listed] == [first, second]
    assert "hash" not in listed[0]
    assert plaintext not in repr(listed)
    assert listed[1]["revoked_at"] is not None and listed[0]["revoked_at"] is None
    assert listed[0]["prefix"] == plaintext.split("_")[1]


def test_unknown_role_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="role"):
        keys.create_key(engine, "root", None)
