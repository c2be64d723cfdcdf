"""UK postcode areas and outward codes: plain text rules, no places.

Apart from ``postcodes`` (which reads places in what a person types) so that the
gazetteer (``places``) can check its codes without an import cycle."""

from __future__ import annotations

import re

# Every UK postcode area (including the Crown Dependencies), so that "XX1" is not mistaken
# for a place.
# fmt: off
POSTCODE_AREAS = frozenset({
    "AB", "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF", "CH",
    "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "E",
    "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS",
    "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW", "KY", "L", "LA", "LD", "LE", "LL",
    "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX",
    "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM",
    "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW",
    "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE",
})
# fmt: on

_OUTWARD = r"([A-Z]{1,2})([0-9][0-9A-Z]?)"
# The inward code never uses C, I, K, M, O or V in its last two letters.
_INWARD = r"([0-9][ABD-HJLNP-UW-Z]{2})"
_OUTWARD_ONLY = re.compile(rf"{_OUTWARD}")


def split_outward(text: str) -> tuple[str, str | None] | None:
    """``"bd18"`` -> ``("BD", "BD18")``; ``"BD"`` -> ``("BD", None)``; else None."""
    code = re.sub(r"\s+", "", text).upper()
    if code in POSTCODE_AREAS:
        return code, None
    match = _OUTWARD_ONLY.fullmatch(code)
    if match and match.group(1) in POSTCODE_AREAS:
        return match.group(1), code
    return None


def normalise_postcode(text: str) -> str | None:
    """A full postcode in canonical form (``"bd183aa"`` -> ``"BD18 3AA"``), or None."""
    match = re.fullmatch(rf"{_OUTWARD}\s*{_INWARD}", text.strip().upper())
    if match is None or match.group(1) not in POSTCODE_AREAS:
        return None
    return f"{match.group(1)}{match.group(2)} {match.group(3)}"


def postcode_area(code: str) -> str:
    """The letters at the start: ``"LS29"`` -> ``"LS"``."""
    match = re.match(r"[A-Z]+", code.upper())
    return match.group(0) if match else ""
