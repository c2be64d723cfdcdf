"""Settings: environment variables from the design brief plus an optional TOML file.

Everything is validated at start-up; a bad value raises ``ConfigError`` naming the key,
and the CLI turns that into exit status 2.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from opening_hours import OpeningHours
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

DEFAULT_DB = Path("data/waitingroom.sqlite3")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Short codes people dial in the UK: not valid E.164 numbers, but real.
_SHORT_CODES = re.compile(r"\d{3}|\d{3} \d{3}|\d{5}")


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the key."""


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {value!r}") from error
    return value


def _opening_hours(value: str) -> str:
    try:
        OpeningHours(value)
    except Exception as error:  # the parser raises its own syntax error type
        raise ValueError(f"not OpenStreetMap opening_hours syntax: {value!r}") from error
    return value


def _phone(value: str) -> str:
    if _SHORT_CODES.fullmatch(value):
        return value
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number: {value!r}") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid UK phone number: {value!r}")
    return value


TimeZone = Annotated[str, AfterValidator(_time_zone)]
Hours = Annotated[str, AfterValidator(_opening_hours)]
Phone = Annotated[str, AfterValidator(_phone)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceSection(_Section):
    name: str = Field("Waiting Room", min_length=1, max_length=60)
    run_by: str = Field("a local peer-support service", min_length=1, max_length=120)
    time_zone: TimeZone = "Europe/London"
    locale: str = Field("en-GB", pattern=r"^[a-z]{2}-[A-Z]{2}$")


class EmergencyContact(_Section):
    name: str = Field(min_length=1, max_length=60)
    phone: Phone
    hours: str = Field("24/7", max_length=60)
    note: str = Field("", max_length=120)


class PeerSupportSection(_Section):
    hours: Hours = "Mo-Su 18:00-23:00"
    # The escalation ladder shown to supporters, first rung first.
    escalation: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        default_factory=lambda: [
            "First Response crisis line: 0800 952 1181",
            "Crisis team duty manager",
            "Service manager on call",
            "999: emergency services",
        ],
        min_length=1,
        max_length=10,
    )
    # How long a supporter can still open a conversation after it ends, to finish its
    # outcome and handover note; then it is closed to them.
    wrap_up_minutes: int = Field(15, ge=0, le=120)


class RetentionSection(_Section):
    days: int = Field(90, ge=1, le=3650)


class WebSection(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    quick_exit_url: str = Field("https://www.bbc.co.uk/weather", pattern=r"^https://")


class FileConfig(_Section):
    service: ServiceSection = ServiceSection()
    emergency_contacts: tuple[EmergencyContact, ...] = (
        EmergencyContact(
            name="First Response (Bradford, Airedale, Wharfedale and Craven)",
            phone="0800 952 1181",
            note="24/7 mental health crisis line, all ages",
        ),
    )
    peer_support: PeerSupportSection = PeerSupportSection()
    retention: RetentionSection = RetentionSection()
    web: WebSection = WebSection()


class Settings(BaseModel):
    """Everything the service needs to start, from the environment and the TOML file."""

    model_config = ConfigDict(frozen=True)

    db_path: Path = DEFAULT_DB
    # WAITINGROOM_DB as a postgresql:// URL (then db_path is unused); None for a path.
    db_url: str | None = None
    config_path: Path | None = None
    public_url: str | None = None
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_url: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from_number: str | None = None
    twilio_api_url: str | None = None
    metrics_token: str | None = None
    # The longest wait between two tries of a reply when a channel is down; small in
    # tests, so "down for minutes" takes seconds.
    max_backoff: float = Field(300.0, gt=0, le=3600)
    # With instances sharing a PostgreSQL database, how long a claimed batch is one
    # instance's before another may take it up (a killed instance's work waits this
    # long). Replies: longer than one send may take (Telegram's read timeout is 30 s).
    # Inbound messages: a turn takes milliseconds. Short in tests, so a kill test does
    # not wait out the real leases.
    outbox_lease: float = Field(45.0, gt=0, le=3600)
    inbox_lease: float = Field(30.0, gt=0, le=3600)
    file: FileConfig = FileConfig()

    @property
    def database(self) -> Path | str:
        """Where the store lives, as ``Store()`` takes it: a SQLite path or a URL."""
        return self.db_url or self.db_path

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.file.service.time_zone)


_ENV = {
    "WAITINGROOM_DB": "db_path",
    "WAITINGROOM_CONFIG": "config_path",
    "WAITINGROOM_PUBLIC_URL": "public_url",
    "TELEGRAM_BOT_TOKEN": "telegram_bot_token",
    "TELEGRAM_WEBHOOK_SECRET": "telegram_webhook_secret",
    "TELEGRAM_API_URL": "telegram_api_url",
    "TWILIO_ACCOUNT_SID": "twilio_account_sid",
    "TWILIO_AUTH_TOKEN": "twilio_auth_token",
    "TWILIO_FROM_NUMBER": "twilio_from_number",
    "TWILIO_API_URL": "twilio_api_url",
    "WAITINGROOM_METRICS_TOKEN": "metrics_token",
    "WAITINGROOM_MAX_BACKOFF": "max_backoff",
    "WAITINGROOM_OUTBOX_LEASE": "outbox_lease",
    "WAITINGROOM_INBOX_LEASE": "inbox_lease",
}
_URL_KEYS = ("WAITINGROOM_PUBLIC_URL", "TELEGRAM_API_URL", "TWILIO_API_URL")
_TWILIO_KEYS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# URL schemes WAITINGROOM_DB may use instead of a SQLite path.
DATABASE_SCHEMES = ("postgresql", "postgres")
_ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")


def _check_database(value: str) -> None:
    """A path, or a URL with a scheme we recognise; any other URL is refused rather than
    becoming a SQLite file under a folder called "postgresql:" (or worse, "s3:")."""
    found = _URL.match(value)
    if found and found.group(1).lower() not in DATABASE_SCHEMES:
        raise ConfigError(
            f"WAITINGROOM_DB: unsupported URL scheme {found.group(1)!r}: give a SQLite file"
            " path, or a postgresql:// URL"
        )


def _check_environment(values: Mapping[str, str]) -> None:
    if "WAITINGROOM_DB" in values:
        _check_database(values["WAITINGROOM_DB"])
    for key in _URL_KEYS:
        if key in values:
            parts = urlsplit(values[key])
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(f"{key}: not an http(s) URL: {values[key]!r}")
    public = values.get("WAITINGROOM_PUBLIC_URL")
    if public and urlsplit(public).scheme != "https":
        host = urlsplit(public).hostname or ""
        if host not in ("localhost", "127.0.0.1", "::1"):
            raise ConfigError(
                "WAITINGROOM_PUBLIC_URL: must be https:// (webhooks carry private messages)"
            )
    secret = values.get("TELEGRAM_WEBHOOK_SECRET")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET: use 1-256 of A-Z a-z 0-9 _ -")
    _check_twilio(values)


def _check_twilio(values: Mapping[str, str]) -> None:
    given = [key for key in _TWILIO_KEYS if key in values]
    if not given:
        return
    missing = [key for key in _TWILIO_KEYS if key not in values]
    if missing:
        raise ConfigError(f"{', '.join(missing)}: needed for SMS along with {given[0]}")
    if not values.get("WAITINGROOM_PUBLIC_URL"):
        raise ConfigError(
            "WAITINGROOM_PUBLIC_URL: needed for SMS (Twilio posts messages and delivery"
            " reports to it)"
        )
    if not _ACCOUNT_SID.fullmatch(values["TWILIO_ACCOUNT_SID"]):
        raise ConfigError("TWILIO_ACCOUNT_SID: not a Twilio account SID (AC and 32 hex digits)")
    number = values["TWILIO_FROM_NUMBER"]
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(number, "GB"))
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        raise ConfigError(f"TWILIO_FROM_NUMBER: not a valid phone number: {number!r}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise ConfigError(f"WAITINGROOM_CONFIG: no such file: {path}") from error
    except IsADirectoryError as error:
        raise ConfigError(f"WAITINGROOM_CONFIG: {path} is a folder, not a TOML file") from error
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(f"WAITINGROOM_CONFIG: {path} cannot be read ({reason})") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"WAITINGROOM_CONFIG: {path} is not UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"WAITINGROOM_CONFIG: {path} is not valid TOML: {error}") from error


def _describe(error: ValidationError, source: str) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{source}: {key}: {message}")
    return "\n".join(lines)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the environment and the optional TOML file."""
    environ = os.environ if environ is None else environ
    values = {key: value for key, value in environ.items() if key in _ENV and value != ""}
    _check_environment(values)
    fields: dict[str, Any] = {_ENV[key]: value for key, value in values.items()}
    if _URL.match(values.get("WAITINGROOM_DB", "")):
        fields["db_url"] = fields.pop("db_path")
    if "config_path" in fields:
        path = Path(fields["config_path"])
        try:
            fields["file"] = FileConfig.model_validate(_read_toml(path))
        except ValidationError as error:
            raise ConfigError(_describe(error, str(path))) from error
    try:
        return Settings.model_validate(fields)
    except ValidationError as error:
        raise ConfigError(_describe(error, "environment")) from error
