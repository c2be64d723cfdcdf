"""``waitingroom directory``: tools for leads to check and search the directory.

Its output is for leads, not for people in crisis, so its words live here.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from .hours import LONDON
from .loading import Directory, DirectoryError, default_directory_path, load_directory
from .models import Entry, Status
from .postcodes import Where, parse_where
from .search import Audience, Result, search, stale_entries

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
STALE_DAYS = 180


def configure(parser: argparse.ArgumentParser) -> None:
    """Add ``check`` and ``search`` to the ``directory`` command."""
    actions = parser.add_subparsers(dest="directory_action", required=True, metavar="ACTION")

    check = actions.add_parser(
        "check",
        help="validate the directory; list stale and unverified entries",
        description="Validate every entry. Exit 1 when any is invalid.",
    )
    check.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="a folder of YAML files to check (default: the live directory in WAITINGROOM_DB)",
    )
    check.add_argument(
        "--today", type=date.fromisoformat, help="date to measure staleness from (YYYY-MM-DD)"
    )
    check.add_argument(
        "--max-age-days",
        type=int,
        default=STALE_DAYS,
        help=f"entries not verified for longer are stale (default {STALE_DAYS})",
    )

    find = actions.add_parser(
        "search",
        help="show what the bot would offer someone",
        description="Rank services as the bot does, for a place and a person.",
    )
    find.add_argument("--where", help="postcode, district, area or town, e.g. BD18 or Shipley")
    find.add_argument(
        "--for",
        dest="audience",
        choices=[audience.value for audience in Audience],
        default=Audience.ME.value,
        help="who is asking (default: me)",
    )
    find.add_argument("--age", type=int, help="age of the person asking")
    find.add_argument("--open-now", action="store_true", help="only services open at that time")
    find.add_argument(
        "--at", help='time, e.g. "2026-11-28T21:00" (UK time unless an offset is given)'
    )
    find.add_argument(
        "--path", type=Path, help="a folder of YAML files (default: the live directory)"
    )

    out = actions.add_parser(
        "export",
        help="write the live directory as Open Referral UK (HSDS) JSON or a CSV package",
        description="Write every entry of the live directory as HSDS: JSON with a "
        "'services' list (to PATH, or standard output), or with --format hsds-csv a folder "
        "of services.csv, organizations.csv, locations.csv, phones.csv, schedules.csv...",
    )
    out.add_argument("--format", choices=["hsds", "hsds-csv"], default="hsds")
    out.add_argument("path", nargs="?", type=Path, help="file (or folder for CSV) to write")

    into = actions.add_parser(
        "import",
        help="read an Open Referral UK (HSDS) file into the live directory",
        description="Read HSDS JSON (a 'services' list) or a CSV package (a folder or "
        ".zip of services.csv, phones.csv, schedules.csv...). Entries added or changed "
        "arrive unverified, with the file as their source. Nothing changes if any "
        "part of the file cannot be read.",
    )
    into.add_argument("path", type=Path, help="a .json file, a folder or a .zip")
    into.add_argument(
        "--dry-run", action="store_true", help="print what would be added, changed and closed"
    )


def run(args: argparse.Namespace, live: Directory | None = None) -> int:
    """``live``: the working copy from the store, used when no folder is named."""
    if args.directory_action == "check":
        return _check(args, live)
    if args.directory_action == "search":
        return _search(args, live)
    print(f"unknown directory action: {args.directory_action}", file=sys.stderr)
    return EXIT_USAGE


def _load(path: Path | None) -> Directory | None:
    try:
        return load_directory(path)
    except DirectoryError as error:
        print(f"The directory has {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def _line(directory: Directory, entry: Entry) -> str:
    return f"  {entry.id} ({directory.files.get(entry.id, '?')}): {entry.name}"


def _check(args: argparse.Namespace, live: Directory | None = None) -> int:
    directory = live if live is not None and args.path is None else _load(args.path)
    if directory is None:
        return EXIT_INVALID
    today = args.today or datetime.now(LONDON).date()
    counts = {status: 0 for status in Status}
    for entry in directory.entries:
        counts[entry.status] += 1
    folder = args.path or ("the live directory" if live is not None else default_directory_path())
    print(
        f"OK: {len(directory.entries)} entries in {folder} ("
        + ", ".join(f"{counts[s]} {s.value}" for s in Status)
        + ")"
    )
    stale = stale_entries(directory, today, args.max_age_days)
    print(f"Stale (not verified in the {args.max_age_days} days before {today}): {len(stale)}")
    for entry in stale:
        print(f"{_line(directory, entry)} - verified {entry.verified_on}")
    unverified = [e for e in directory.entries if e.status == Status.UNVERIFIED]
    print(f"Unverified (never shown to anyone until a lead confirms them): {len(unverified)}")
    for entry in unverified:
        print(_line(directory, entry))
    return EXIT_OK


def _when(text: str | None) -> datetime | None:
    if text is None:
        return datetime.now(LONDON)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=LONDON)


def _status(result: Result) -> str:
    state = "OPEN" if result.open_now else "closed"
    if result.next_change is None:
        return f"{state} (always)" if result.open_now else f"{state} (hours unknown)"
    verb = "closes" if result.open_now else "opens"
    return f"{state}, {verb} {result.next_change:%a %d %b %H:%M}"


def _describe(number: int, result: Result) -> list[str]:
    entry = result.entry
    where = "national" if not result.local else "local"
    if result.distance_km is not None:
        where += f", about {result.distance_km:.0f} km"
    contact = entry.contact
    ways = [
        f"phone {contact.phone}" if contact.phone else "",
        f"text {contact.text_keyword + ' to ' if contact.text_keyword else ''}{contact.text}"
        if contact.text
        else "",
        f"email {contact.email}" if contact.email else "",
        contact.web or "",
        entry.place.address if entry.place and entry.place.address else "",
    ]
    access = entry.access.value + (f" via {entry.referral_via}" if entry.referral_via else "")
    return [
        f"{number:2}. {entry.name} [{entry.kind.value}] ({where})",
        f"    {_status(result)}; hours {entry.hours}",
        f"    {'; '.join(way for way in ways if way) or 'no contact details'}",
        f"    access: {access}; cost: {entry.cost}; verified {entry.verified_on}",
    ]


def _near(where: Where | None) -> str:
    if where is None:
        return "anywhere (national only)"
    code = where.district or where.area
    if not code:
        return f"near {where.lat}, {where.lon} (outside the gazetteer: national only)"
    return f"near {where.label}" + (f" ({code})" if code != where.label else "")


def _search(args: argparse.Namespace, live: Directory | None = None) -> int:
    now = _when(args.at)
    if now is None:
        print(f"--at: not a date and time such as 2026-11-28T21:00: {args.at!r}", file=sys.stderr)
        return EXIT_USAGE
    directory = live if live is not None and args.path is None else _load(args.path)
    if directory is None:
        return EXIT_INVALID
    where: Where | None = None
    if args.where is not None:
        where = parse_where(args.where, directory.places)
        if where is None:
            print(f"--where: no postcode or known place in {args.where!r}", file=sys.stderr)
            return EXIT_USAGE
    audience = Audience(args.audience)
    results = search(directory, where, audience, now, open_now_only=args.open_now, age=args.age)
    print(
        f"{len(results)} result(s) {_near(where)}, "
        f"for {audience.value}"
        + (f", age {args.age}" if args.age is not None else "")
        + f", at {now.astimezone(LONDON):%a %d %b %Y %H:%M %Z}"
        + (", open now only" if args.open_now else "")
    )
    for number, result in enumerate(results, start=1):
        print("\n".join(_describe(number, result)))
    return EXIT_OK
