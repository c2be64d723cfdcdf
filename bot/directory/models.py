"""The directory's schema: one entry per service, as a service lead writes it in YAML."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any

import phonenumbers
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .hours import ALWAYS, check_hours
from .postcodes import normalise_postcode, split_outward


class Kind(StrEnum):
    EMERGENCY = "emergency"
    CRISIS_LINE = "crisis_line"
    TEXT_LINE = "text_line"
    SAFE_HAVEN = "safe_haven"
    CRISIS_CAFE = "crisis_cafe"
    CRISIS_HOUSE = "crisis_house"
    CARER_SUPPORT = "carer_support"
    PEER_GROUP = "peer_group"
    COMMUNITY_GROUP = "community_group"
    INFORMATION_LINE = "information_line"
    SIGNPOSTING = "signposting"


class Group(StrEnum):
    """Who a service is meant for (``for.audiences``)."""

    EVERYONE = "everyone"
    CARERS = "carers"
    YOUNG_PEOPLE = "young_people"
    MEN = "men"
    LGBTQ = "lgbtq"
    BAME = "bame"  # Black, Asian and minority ethnic communities


class Access(StrEnum):
    WALK_IN = "walk_in"
    SELF_REFERRAL = "self_referral"
    REFERRAL = "referral"


class Status(StrEnum):
    ACTIVE = "active"  # the only status search ever returns
    UNVERIFIED = "unverified"
    CLOSED = "closed"


_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_WEB = re.compile(r"https?://[^\s/$.?#][^\s]*\.[^\s]+")


class _Strict(BaseModel):
    # A lead's typo should fail loudly: unknown fields are errors, and yes/no and
    # numbers are not guessed from text (StrictBool, StrictInt).
    model_config = ConfigDict(extra="forbid", frozen=True)


class Who(_Strict):
    """``for``: who the service is meant for."""

    ages: tuple[StrictInt | None, StrictInt | None] | None = None
    audiences: tuple[Group, ...] = Field(min_length=1)
    languages: tuple[str, ...] = ()  # languages spoken there, as a lead writes them
    communities: tuple[str, ...] = ()  # communities served: "young Black men", "Muslim"
    note: str | None = None

    @field_validator("languages", "communities")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(" ".join(item.split()) for item in value)
        if any(not item or len(item) > 80 for item in cleaned):
            raise ValueError("each one a name of 1 to 80 characters")
        return cleaned

    @field_validator("ages")
    @classmethod
    def _ages(cls, value: tuple[int | None, int | None] | None) -> Any:
        if value is None:
            return None
        low, high = value
        if low is None and high is None:
            raise ValueError("give at least one of [min, max], or leave ages out")
        if any(age is not None and not 0 <= age <= 120 for age in value):
            raise ValueError("ages must be between 0 and 120")
        if low is not None and high is not None and low > high:
            raise ValueError(f"min {low} is above max {high}")
        return value

    def fits(self, age: int) -> bool:
        if self.ages is None:
            return True
        low, high = self.ages
        return (low is None or age >= low) and (high is None or age <= high)


class Area(_Strict):
    """Where a service is for: the whole country, or postcode areas and districts."""

    national: StrictBool = False
    postcodes: tuple[str, ...] = ()

    @field_validator("postcodes", mode="before")
    @classmethod
    def _postcodes(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return value
        codes = []
        for item in value:
            parts = split_outward(item) if isinstance(item, str) else None
            if parts is None:
                raise ValueError(f"not a UK postcode area or district (BD, BD18): {item!r}")
            codes.append(parts[1] or parts[0])
        return tuple(codes)

    @model_validator(mode="after")
    def _one_of(self) -> Area:
        if self.national == bool(self.postcodes):
            raise ValueError("give either 'national: true' or a list of 'postcodes', not both")
        return self


class Place(_Strict):
    """Where the service is, for people who go there."""

    address: str | None = None
    postcode: str | None = None
    town: str | None = None  # a place in places.yaml: gives an approximate location
    lat: float | None = Field(default=None, ge=49.0, le=61.0)
    lon: float | None = Field(default=None, ge=-9.0, le=2.0)

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str | None) -> str | None:
        if value is None:
            return None
        normal = normalise_postcode(value)
        if normal is None:
            raise ValueError(f"not a full UK postcode: {value!r}")
        return normal

    @field_validator("town")
    @classmethod
    def _town(cls, value: str | None, info: ValidationInfo) -> str | None:
        gazetteer = (info.context or {}).get("gazetteer")
        if value is not None and gazetteer is not None and gazetteer.place(value) is None:
            raise ValueError(f"{value!r} is not in places.yaml")
        return value

    @model_validator(mode="after")
    def _both_coordinates(self) -> Place:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


def check_phone(value: str) -> str:
    """A GB phone number or a GB short code (999, 111, 116 123, 85258)."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not (
        phonenumbers.is_valid_number_for_region(number, "GB")
        or phonenumbers.is_valid_short_number_for_region(number, "GB")
    ):
        raise ValueError(f"not a valid UK phone number or short code: {value!r}")
    return value.strip()


class Contact(_Strict):
    phone: str | None = None
    text: str | None = None  # a number to text
    text_keyword: str | None = None  # what to text to it, e.g. SHOUT
    email: str | None = None
    web: str | None = None

    @field_validator("phone", "text", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # Unquoted YAML turns 999 into an int; a number is what the lead meant.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("phone", "text")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.fullmatch(value):
            raise ValueError(f"not an email address: {value!r}")
        return value

    @field_validator("web")
    @classmethod
    def _web(cls, value: str | None) -> str | None:
        if value is not None and not _WEB.fullmatch(value):
            raise ValueError(f"not a web address starting http:// or https://: {value!r}")
        return value

    @field_validator("text_keyword")
    @classmethod
    def _keyword(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("text") is None:
            raise ValueError("a text keyword needs a 'text' number")
        return value


class Entry(_Strict):
    """One service in the directory (``who`` is written ``for`` in YAML)."""

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    kind: Kind
    status: Status
    who: Who = Field(alias="for")
    area: Area
    place: Place | None = None
    contact: Contact = Field(default_factory=Contact)
    # None means not known: allowed only for entries that are not active.
    hours: str | None = Field(default=None, validate_default=True)
    access: Access
    referral_via: str | None = Field(default=None, validate_default=True)
    cost: str = "free"
    source: str = Field(min_length=1)
    verified_on: date
    notes: str | None = None

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            if info.data.get("status") == Status.ACTIVE:
                raise ValueError(f"an active entry needs hours ('{ALWAYS}' if always open)")
            return None
        return check_hours(value)

    @field_validator("referral_via")
    @classmethod
    def _referral(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("access") == Access.REFERRAL and not value:
            raise ValueError("say who refers people here (access is 'referral')")
        return value

    @property
    def location(self) -> tuple[float, float] | None:
        """Exact coordinates when the entry gives them (see Directory.location_of)."""
        if self.place is not None and self.place.lat is not None and self.place.lon is not None:
            return (self.place.lat, self.place.lon)
        return None
