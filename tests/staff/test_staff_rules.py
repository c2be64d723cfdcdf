"""Pure rules for supporters: names, tags, passwords, sessions, CSRF, lockout, link codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from bot.staff import link_codes, lockout, models, passwords, sessions
from bot.staff.models import InvalidField, Role

T0 = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("carer", ("carer",)),
        (" Carer , language:pl,carer", ("carer", "language:pl")),
        ("community:south_asian,young_people", ("community:south_asian", "young_people")),
        ("", ()),
    ],
)
def test_tags_are_tidied(given: str, expected: tuple[str, ...]) -> None:
    assert models.tags(given) == expected


@pytest.mark.parametrize("bad", ["<script>", "language:", "a b", "9lives", "x" * 31])
def test_bad_tags_are_refused(bad: str) -> None:
    with pytest.raises(InvalidField) as raised:
        models.tags(bad)
    assert raised.value.field == "tags"


def test_names_caps_and_roles() -> None:
    assert models.login_name(" Ann.B ") == "ann.b"
    for bad in ["a", "ann b", "<x>", ""]:
        with pytest.raises(InvalidField):
            models.login_name(bad)
    assert models.display_name("  Ann   Marie ") == "Ann Marie"
    with pytest.raises(InvalidField):
        models.display_name("a\x00b")
    with pytest.raises(InvalidField):
        models.display_name("   ")
    assert models.caseload_cap("1") == 1
    for bad in ["0", "11", "two"]:
        with pytest.raises(InvalidField):
            models.caseload_cap(bad)
    assert models.role("Lead") is Role.LEAD
    with pytest.raises(InvalidField):
        models.role("admin")


def test_a_password_verifies_and_a_wrong_one_does_not() -> None:
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "correct horse battery") == (True, None)
    assert passwords.verify(stored, "wrong horse battery") == (False, None)
    assert passwords.verify(None, "anything at all") == (False, None)
    assert passwords.verify("not a hash", "anything at all") == (False, None)


def test_a_hash_with_old_parameters_is_replaced_at_login() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    old = weak.hash("correct horse battery")
    ok, new = passwords.verify(old, "correct horse battery")
    assert ok and new is not None and new != old
    assert passwords.verify(new, "correct horse battery") == (True, None)


def test_one_time_passwords_are_long_random_and_readable() -> None:
    made = {passwords.one_time_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert len(password) == 19 and not set(password) & set("01ilo")


@pytest.mark.parametrize(
    ("new", "confirm", "problem"),
    [
        ("long enough pass", "long enough pass", None),
        ("short", "short", "password_short"),
        ("long enough pass", "other", "password_mismatch"),
        ("my name is annie!", "my name is annie!", "password_has_name"),
    ],
)
def test_what_a_new_password_must_be(new: str, confirm: str, problem: str | None) -> None:
    assert passwords.new_password_problem(new, confirm, "annie") == problem


def test_sessions_expire_when_idle_and_at_the_absolute_limit() -> None:
    token, session = sessions.new_session("s-1", T0)
    assert session.token_hash == sessions.token_hash(token) != token
    assert sessions.is_live(session, T0 + timedelta(minutes=29))
    assert not sessions.is_live(session, T0 + timedelta(minutes=30))
    # Kept busy, it still ends after 12 hours.
    busy = session
    at = T0
    while at < T0 + timedelta(hours=11, minutes=30):
        at += timedelta(minutes=20)
        assert sessions.is_live(busy, at)
        busy = sessions.Session(**{**_fields(busy), "last_seen_at": at})
    assert not sessions.is_live(busy, T0 + timedelta(hours=12))
    assert not sessions.needs_touch(session, T0 + timedelta(seconds=59))
    assert sessions.needs_touch(session, T0 + timedelta(minutes=1))


def _fields(session: sessions.Session) -> dict[str, object]:
    return {name: getattr(session, name) for name in sessions.Session.__slots__}


def test_every_session_gets_its_own_token_and_csrf_token() -> None:
    made = [sessions.new_session("s-1", T0) for _ in range(20)]
    assert len({token for token, _ in made}) == 20
    assert len({session.csrf_token for _, session in made}) == 20


@pytest.mark.parametrize(
    ("given", "ok"),
    [
        ("abc123", True),
        ("abc124", False),
        ("", False),
        (None, False),
        ("abc1234", False),
        ("ábc123", False),
    ],
)
def test_csrf_check(given: str | None, ok: bool) -> None:
    assert sessions.csrf_ok("abc123", given) is ok
    assert not sessions.csrf_ok("", given)


def test_five_failures_lock_for_fifteen_minutes() -> None:
    failures = lockout.Failures()
    for n in range(1, lockout.MAX_FAILURES):
        failures = lockout.after_failure(failures, T0)
        assert failures.count == n and not lockout.is_locked(failures, T0)
    failures = lockout.after_failure(failures, T0)
    assert lockout.is_locked(failures, T0 + timedelta(minutes=14, seconds=59))
    assert not lockout.is_locked(failures, T0 + timedelta(minutes=15))
    # After a lock, counting starts again.
    again = lockout.after_failure(failures, T0 + timedelta(minutes=16))
    assert again.count == 1 and not lockout.is_locked(again, T0 + timedelta(minutes=16))


def test_link_codes_are_random_and_hashed_forgivingly() -> None:
    codes = {link_codes.new_code() for _ in range(50)}
    assert len(codes) == 50
    code = codes.pop()
    assert len(code) == link_codes.LENGTH and code.isalnum() and code == code.upper()
    assert link_codes.code_hash(code) == link_codes.code_hash(f" {code.lower()[:4]} {code[4:]} ")
    assert link_codes.code_hash(code) != code


def test_availability_needs_shift_no_break_and_an_active_account() -> None:
    base = models.Supporter(
        id="s-1",
        name="ann",
        display_name="Ann",
        role=Role.SUPPORTER,
        caseload_cap=2,
        tags=(),
        on_shift=True,
        break_until=None,
        telegram_chat_id=None,
        disabled_at=None,
        created_at=T0,
        password_changed_at=T0,
        must_change_password=False,
    )
    assert base.available(T0)
    on_break = models.Supporter(**{**_all(base), "break_until": T0 + timedelta(minutes=15)})
    assert not on_break.available(T0) and on_break.available(T0 + timedelta(minutes=15))
    assert not models.Supporter(**{**_all(base), "on_shift": False}).available(T0)
    assert not models.Supporter(**{**_all(base), "disabled_at": T0}).available(T0)


def _all(supporter: models.Supporter) -> dict[str, object]:
    return {name: getattr(supporter, name) for name in models.Supporter.__slots__}


def test_a_try_is_counted_before_it_is_checked_and_refused_once_locked() -> None:
    failures = lockout.Failures()
    for n in range(1, lockout.MAX_FAILURES + 1):
        counted = lockout.start_try(failures, T0)
        assert counted is not None and counted.count == n  # this try is still checked
        failures = counted
    assert lockout.is_locked(failures, T0)
    assert lockout.start_try(failures, T0 + timedelta(minutes=14)) is None
    again = lockout.start_try(failures, T0 + timedelta(minutes=15))
    assert again is not None and again.count == 1


def test_a_reset_gives_a_one_time_password_and_its_hash() -> None:
    password, hashed = passwords.reset()
    assert len(password) == 19 and passwords.verify(hashed, password)[0]


def test_an_issued_link_code_is_kept_only_as_a_hash_for_ten_minutes() -> None:
    code, kept = link_codes.issue("s-1", T0)
    assert kept.supporter_id == "s-1" and kept.expires_at == T0 + link_codes.VALID_FOR
    assert kept.code_hash == link_codes.code_hash(code) and code not in kept.code_hash
