"""The gazetteer: known places and postcode areas with approximate centres.

It is small on purpose (the towns this service covers and its examples elsewhere);
the data lives in ``directory/places.yaml`` so a service lead can extend it.
"""

from __future__ import annotations

import math
import re
import unicodedata

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .codes import POSTCODE_AREAS, split_outward

EARTH_RADIUS_KM = 6371.0088
NEAR_SPELLING = 85.0  # rapidfuzz ratio: "shiply" is Shipley, "otley" is not "other"
_NOT_NAME = re.compile(r"[\W_]+")  # not a letter or digit, in any script
_NOT_READ = frozenset({"Mn", "Mc", "Cf"})  # accents, vowel signs, joiners: dropped both sides


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance; good enough for "which is nearer"."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def fold_words(text: str) -> str:
    """Lower case, letters and digits only, single spaces: how names are compared. Letters
    of any script count, so a town typed in Arabic or Bengali script matches its alias
    ("أنا في برادفورد"); Latin accents are dropped ("café" is "cafe")."""
    plain = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    plain = "".join(c for c in plain if unicodedata.category(c) not in _NOT_READ)
    return " ".join(_NOT_NAME.sub(" ", plain).split())


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Locality(_Frozen):
    """A town: its main postcode district and an approximate centre."""

    name: str = Field(min_length=1)
    district: str
    lat: float = Field(ge=49.0, le=61.0)
    lon: float = Field(ge=-9.0, le=2.0)
    aliases: tuple[str, ...] = ()

    @field_validator("district")
    @classmethod
    def _district(cls, value: str) -> str:
        parts = split_outward(value)
        if parts is None or parts[1] is None:
            raise ValueError(f"not a postcode district such as BD18: {value!r}")
        return parts[1]

    def names(self) -> tuple[str, ...]:
        return tuple(fold_words(name) for name in (self.name, *self.aliases))


class AreaCentre(_Frozen):
    """A postcode area (BD, LS, ...) with a rough centre."""

    name: str = Field(min_length=1)
    lat: float = Field(ge=49.0, le=61.0)
    lon: float = Field(ge=-9.0, le=2.0)


class Gazetteer(_Frozen):
    """Places and postcode areas the bot can put on a map."""

    places: tuple[Locality, ...] = ()
    areas: dict[str, AreaCentre] = Field(default_factory=dict)

    @field_validator("areas")
    @classmethod
    def _areas(cls, value: dict[str, AreaCentre]) -> dict[str, AreaCentre]:
        unknown = sorted(code for code in value if code not in POSTCODE_AREAS)
        if unknown:
            raise ValueError(f"not UK postcode areas: {', '.join(unknown)}")
        return value

    def place(self, name: str) -> Locality | None:
        """The place called ``name`` (or one of its aliases), any case."""
        wanted = fold_words(name)
        return next((p for p in self.places if wanted in p.names()), None)

    def find_place(self, text: str) -> Locality | None:
        """The place named anywhere in free text. A name inside a longer one gives way
        ("West Bradford" is not Bradford); of the rest the first said wins, because a
        second name is usually where the first is ("thornton near bradford")."""
        folded = f" {fold_words(text)} "
        found: list[tuple[int, int, Locality]] = []  # start, end, place
        for place in self.places:
            for name in place.names():
                start = folded.find(f" {name} ") if name else -1
                if start >= 0:
                    found.append((start, start + len(name) + 2, place))
        kept = [
            f
            for f in found
            if not any(o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)
        ]
        if kept:
            return min(kept, key=lambda f: (f[0], -(f[1] - f[0])))[2]
        return self._near_spelling(folded.split())

    def _near_spelling(self, words: list[str]) -> Locality | None:
        """A place name typed a letter or two out ("shiply", "huddersfeild"): rapidfuzz
        on names of five letters or more with the same first letter, best score wins."""
        from rapidfuzz import fuzz

        best: tuple[float, Locality] | None = None
        for place in self.places:
            for name in place.names():
                size = len(name.split())
                for start in range(len(words) - size + 1):
                    said = " ".join(words[start : start + size])
                    if (
                        len(name) < 5
                        or said[:1] != name[:1]
                        or abs(len(said) - len(name)) > 2
                        or not said.replace(" ", "").isalpha()  # "sh1pley" is not a name
                    ):
                        continue
                    score = fuzz.ratio(said, name)
                    if score >= NEAR_SPELLING and (best is None or score > best[0]):
                        best = (score, place)
        return best[1] if best else None

    def centre(self, area: str, district: str | None = None) -> tuple[float, float] | None:
        """Approximate centre of a district (via its town) or else of its area."""
        if district is not None:
            for place in self.places:
                if place.district == district:
                    return (place.lat, place.lon)
        known = self.areas.get(area)
        return (known.lat, known.lon) if known else None

    def nearest(self, lat: float, lon: float) -> tuple[Locality, float] | None:
        """The nearest known place and how far it is, in km."""
        scored = [(distance_km(lat, lon, p.lat, p.lon), p) for p in self.places]
        if not scored:
            return None
        km, place = min(scored, key=lambda pair: pair[0])
        return place, km
