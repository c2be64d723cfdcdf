"""UK postcodes and place names in what a person types, and shared locations.

Only the outward code (``BD18``) is kept: the search needs no more, and a full
postcode can point at someone's home.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The codes themselves moved to .codes (issue 18), so .places can check them without
# importing this module (which imports .places); importing them from here still works.
from .codes import _INWARD, _OUTWARD
from .codes import POSTCODE_AREAS as POSTCODE_AREAS
from .codes import normalise_postcode as normalise_postcode
from .codes import postcode_area as postcode_area
from .codes import split_outward as split_outward
from .places import Gazetteer, fold_words

_FULL_IN_TEXT = re.compile(rf"(?<![0-9A-Z]){_OUTWARD}\s*{_INWARD}(?![0-9A-Z])")
_OUTWARD_IN_TEXT = re.compile(rf"(?<![0-9A-Z]){_OUTWARD}(?![0-9A-Z])")
_SPACED_OUTWARD = re.compile(r"([A-Z]{1,2}) ?([0-9][0-9A-Z]?)")
# A full postcode with a space in its outward code, as phones space it: "BD 3 9AQ".
_SPACED_FULL = re.compile(rf"(?<![0-9A-Z])([A-Z]{{1,2}}) ([0-9][0-9A-Z]?)\s*{_INWARD}(?![0-9A-Z])")
_AREA_ONLY = re.compile(r"(?:(?:IN|NEAR|AROUND) )?(?:THE )?([A-Z]{1,2})(?: AREA)?")


@dataclass(frozen=True)
class Where:
    """Where a person is, as far as the search needs: a postcode area, maybe a district.

    ``area`` is ``""`` for a shared location far from every place the gazetteer knows:
    then only national services match, nearest first where coordinates allow.
    """

    area: str
    district: str | None
    label: str
    lat: float | None = None
    lon: float | None = None

    @classmethod
    def from_postcode(cls, area: str, district: str | None, gazetteer: Gazetteer) -> Where:
        centre = gazetteer.centre(area, district)
        lat, lon = centre if centre else (None, None)
        return cls(area=area, district=district, label=district or area, lat=lat, lon=lon)

    @classmethod
    def from_coordinates(
        cls, lat: float, lon: float, gazetteer: Gazetteer, *, max_km: float = 30.0
    ) -> Where:
        """A shared location; the nearest known place (within ``max_km``) names its area."""
        found = gazetteer.nearest(lat, lon)
        if found is None or found[1] > max_km:
            return cls(area="", district=None, label="", lat=lat, lon=lon)
        place = found[0]
        return cls(
            area=postcode_area(place.district),
            district=place.district,
            label=place.name,
            lat=lat,
            lon=lon,
        )


def parse_where(text: str, gazetteer: Gazetteer) -> Where | None:
    """Find a postcode, a postcode district, a known place or a postcode area in ``text``.

    Tried in that order, so "Shipley BD18 3AA" gives BD18. A broken inward code
    ("BD18 ZZZ") is ignored: the district alone is enough to search. Short codes
    that are also words ("me", "so", "l8") count only where they cannot be a word:
    a district inside a sentence only in the gazetteer's areas, a bare area only as
    the whole message and only in the gazetteer's areas.
    """
    upper = text.upper()
    whole = fold_words(text).upper()
    for match in _FULL_IN_TEXT.finditer(upper):
        if match.group(1) in POSTCODE_AREAS:
            return Where.from_postcode(match.group(1), match.group(1) + match.group(2), gazetteer)
    for match in _SPACED_FULL.finditer(upper):
        # "ME 3 9AM" inside a sentence could be words: there, only the gazetteer's areas.
        alone = match.group(0) == upper.strip()
        if match.group(1) in gazetteer.areas or (alone and match.group(1) in POSTCODE_AREAS):
            area, district = match.group(1), match.group(1) + match.group(2)
            return Where.from_postcode(area, district, gazetteer)
    spaced = _SPACED_OUTWARD.fullmatch(whole)  # "BD 18" as the whole message
    if spaced and spaced.group(1) in POSTCODE_AREAS:
        return Where.from_postcode(spaced.group(1), spaced.group(1) + spaced.group(2), gazetteer)
    for match in _OUTWARD_IN_TEXT.finditer(upper):
        area, district = match.group(1), match.group(1) + match.group(2)
        if area in gazetteer.areas or (area in POSTCODE_AREAS and whole == district):
            return Where.from_postcode(area, district, gazetteer)
    place = gazetteer.find_place(text)
    if place is not None:
        return Where(
            area=postcode_area(place.district),
            district=place.district,
            label=place.name,
            lat=place.lat,
            lon=place.lon,
        )
    bare = _AREA_ONLY.fullmatch(whole)
    if bare and bare.group(1) in gazetteer.areas:
        return Where.from_postcode(bare.group(1), None, gazetteer)
    return None
