"""``waitingroom directory check`` and ``search``: exit codes and what a lead reads."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.directory import cli

MakeEntry = Callable[..., dict[str, Any]]
MakeFolder = Callable[..., Path]


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="waitingroom directory")
    cli.configure(parser)
    return cli.run(parser.parse_args(argv))


def test_check_the_shipped_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--today", "2026-11-28") == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ")
    assert "Stale (not verified in the 180 days before 2026-11-28): 0" in out
    assert "haven-cellar-trust (bradford.yaml): Haven (The Cellar Trust)" in out
    assert "lslcs-connect (leeds-west-yorkshire.yaml)" in out


def test_check_lists_stale_entries(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--today", "2027-06-01") == 0
    out = capsys.readouterr().out
    assert "first-response-bradford (bradford.yaml): First Response" in out
    assert "verified 2026-11-01" in out


def test_check_a_broken_folder(
    make_folder: MakeFolder, make_entry: MakeEntry, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_folder(
        {
            "bad.yaml": [make_entry("bad-phone", contact={"phone": "0800 123"})],
            "worse.yaml": "entries: [unclosed\n",
        }
    )
    assert run("check", str(folder)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "The directory has 2 problem(s):" in captured.err
    assert "bad.yaml: entry 'bad-phone': field 'contact.phone':" in captured.err
    assert "worse.yaml: cannot read:" in captured.err


def test_check_a_valid_folder(
    make_folder: MakeFolder, make_entry: MakeEntry, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_folder({"one.yaml": [make_entry("one", status="unverified")]})
    assert run("check", str(folder), "--today", "2026-11-28") == 0
    out = capsys.readouterr().out
    assert f"OK: 2 entries in {folder} (1 active, 1 unverified, 0 closed)" in out
    assert "one (one.yaml): One" in out


def test_search(capsys: pytest.CaptureFixture[str]) -> None:
    code = run("search", "--where", "BD18", "--for", "carer", "--at", "2026-11-28T21:00")
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "9 result(s) near BD18, for carer, at Sat 28 Nov 2026 21:00 GMT"
    assert lines[1].startswith(" 1. First Response (Bradford District Care")
    assert "[crisis_line] (local)" in lines[1]
    assert lines[2] == "    OPEN (always); hours 24/7"
    assert lines[3] == "    phone 0800 952 1181"
    assert lines[4] == "    access: self_referral; cost: free; verified 2026-11-01"
    text = "\n".join(lines)
    assert "OPEN, closes Sat 28 Nov 22:00" in text  # SANEline
    assert "closed, opens Mon 30 Nov 09:00" in text  # Mind Infoline
    assert "text SHOUT to 85258" in text


def test_search_open_now_with_an_offset_and_a_place(capsys: pytest.CaptureFixture[str]) -> None:
    # 19:00 in UTC+1 is 18:00 in London on a winter Tuesday: Aldershot has just opened.
    assert (
        run("search", "--where", "Aldershot", "--open-now", "--at", "2026-12-01T19:00+01:00") == 0
    )
    out = capsys.readouterr().out
    assert "open now only" in out.splitlines()[0]
    assert "closed" not in out
    assert " 1. Aldershot Safe Haven [safe_haven] (local, about 0 km)" in out
    assert "OPEN, closes Tue 01 Dec 23:00" in out


def test_search_without_a_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("search", "--for", "young_person", "--age", "15", "--at", "2026-11-28T21:00") == 0
    out = capsys.readouterr().out
    assert "anywhere (national only), for young_person, age 15" in out
    assert "Childline" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("search", "--where", "hello"), "--where: no postcode or known place in 'hello'"),
        (("search", "--at", "tomorrow"), "--at: not a date and time"),
    ],
)
def test_search_usage_errors(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*argv) == 2
    assert message in capsys.readouterr().err


def test_search_a_broken_folder(
    make_folder: MakeFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_folder({"bad.yaml": "nonsense: true\n"})
    assert run("search", "--path", str(folder), "--at", "2026-11-28T21:00") == 1
    assert "bad.yaml: expected a mapping" in capsys.readouterr().err


def test_an_action_is_required() -> None:
    parser = argparse.ArgumentParser(prog="waitingroom directory")
    cli.configure(parser)
    with pytest.raises(SystemExit):
        parser.parse_args([])


def test_wired_into_waitingroom(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["directory", "check", "--today", "2026-11-28"]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
