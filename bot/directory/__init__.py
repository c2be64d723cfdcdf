"""The service directory: load the YAML once, then search it with pure functions.

Typical use: ``directory = load_directory()`` at start-up; then, per question,
``search(directory, parse_where(text, directory.places), Audience.CARER, now)``.
"""

from .hours import LONDON, bank_holidays, is_bank_holiday, is_open
from .loading import Directory, DirectoryError, default_directory_path, load_directory
from .models import Access, Area, Contact, Entry, Group, Kind, Place, Status, Who
from .places import Gazetteer, Locality, distance_km
from .postcodes import Where, normalise_postcode, parse_where
from .search import Audience, Result, search, stale_entries

__all__ = [
    "LONDON",
    "Access",
    "Area",
    "Audience",
    "Contact",
    "Directory",
    "DirectoryError",
    "Entry",
    "Gazetteer",
    "Group",
    "Kind",
    "Locality",
    "Place",
    "Result",
    "Status",
    "Where",
    "Who",
    "bank_holidays",
    "default_directory_path",
    "distance_km",
    "is_bank_holiday",
    "is_open",
    "load_directory",
    "normalise_postcode",
    "parse_where",
    "search",
    "stale_entries",
]
