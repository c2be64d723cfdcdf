"""The ``waitingroom`` command (also ``python -m bot``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from bot import logs
from bot import outbox as outbox_cli
from bot.config import ConfigError, Settings, load_settings
from bot.directory import cli as directory_cli
from bot.risk import RuleError, default_detector
from bot.risk import cli as risk_cli
from bot.staff import cli as supporters_cli
from bot.store import cli as store_cli
from bot.store import directory_cli as directory_store_cli
from bot.store.preflight import ServiceLock, StoreUnusable, check_sqlite

EXIT_CONFIG = 2


def _settings() -> Settings:
    """Settings for a command that talks to people: also proves every risk layer loads,
    so a broken rule file stops the service now rather than misleading a person later."""
    try:
        settings = load_settings()
        default_detector()
    except (ConfigError, RuleError) as error:
        print(f"waitingroom: configuration error\n{error}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from error
    return settings


def _refuse(line: str) -> NoReturn:
    print(f"waitingroom: {line}", file=sys.stderr)
    raise SystemExit(EXIT_CONFIG)


def _logging(verbose: bool) -> None:
    # Log lines carry ids and rule names, never message text or addresses; libraries'
    # lines are redacted at the handler (bot/logs.py, installed by serve).
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if not verbose:
        # A line per request is noise unless asked for (and redacted when it is).
        logging.getLogger("httpx").setLevel(logging.WARNING)


def _redact(settings: Settings) -> None:
    """Redact every handler there is, uvicorn's included (so after its Config)."""
    logs.install(
        logs.Redactor(
            [
                settings.telegram_bot_token,
                settings.telegram_webhook_secret,
                settings.twilio_auth_token,
                settings.twilio_account_sid,
                settings.metrics_token,
            ]
        )
    )


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.service import wording_for
    from bot.web.app import create_app

    settings = _settings()
    # The file is usable and ours alone for as long as this process runs, or exit 2 now
    # with one line (not a traceback or a hang from inside uvicorn's lifespan).
    # On PostgreSQL more than one instance may share the database (advisory locks).
    lock: ServiceLock | None = None
    if settings.db_url is None:
        try:
            check_sqlite(settings.db_path)
            lock = ServiceLock(settings.db_path).acquire()
        except StoreUnusable as error:
            _refuse(str(error))
    _logging(args.verbose)
    host = args.host or settings.file.web.host
    port = args.port if args.port is not None else settings.file.web.port
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        access_log=False,  # addresses and paths of people in crisis are nobody's business
        log_level="info",
        lifespan="on",
        # On SIGTERM uvicorn stops listening and lets requests in flight finish (each
        # webhook stores before it answers); this bounds a stuck one (a web chat
        # long-poll waits up to 25 s) before the service drains and closes the store.
        timeout_graceful_shutdown=30,
    )
    from bot.events import stop_streams

    class Server(uvicorn.Server):
        # The dashboards' event streams never end by themselves: told to stop, they end,
        # or they would hold the graceful shutdown for its whole timeout.
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            stop_streams()
            super().handle_exit(sig, frame)

    _redact(settings)
    server = Server(config)
    shown = f"[{host}]" if ":" in host else host
    print(wording_for(settings).ui("serve_started", url=f"http://{shown}:{port}/"), flush=True)
    # uvicorn handles SIGTERM gracefully (stop listening, finish requests, lifespan
    # shutdown), then raises it again; by then the stop was clean, so exit 0.
    signal.signal(signal.SIGTERM, _stopped)
    try:
        server.run()
    finally:
        if lock is not None:
            lock.release()
    return 0 if server.started else 1


def _stopped(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


async def _chat(settings: Settings, address: str) -> None:
    from bot.engine import Kind
    from bot.service import ChannelMessage, Service
    from bot.store import Store

    async with Store(settings.database) as store:
        service = Service(settings, store)
        await service.seed_directory()
        print(service.wording.ui("terminal_intro", settings.file.service.locale))
        person_id = await store.person_for("terminal", address)
        after = 0
        if person_id:
            seen = await store.replies_after(person_id, 0, limit=100_000)
            after = seen[-1].id if seen else 0
        loop = asyncio.get_running_loop()
        while True:
            try:
                line = await loop.run_in_executor(None, input, "> ")
            except EOFError:
                print()
                return
            message = ChannelMessage(
                "terminal", address, secrets.token_hex(8), Kind.TEXT, text=line
            )
            person_id, _ = await service.receive(message)
            await service.process_pending()
            for reply in await service.replies_for(person_id, after):
                after = reply["id"]
                print(f"\n{reply['text']}")
                for number, (_, label) in enumerate(reply["options"], start=1):
                    print(f"  {number}. {label}")
            print()


def chat(args: argparse.Namespace) -> int:
    settings = _settings()
    address = args.name if args.name else secrets.token_hex(8)
    asyncio.run(_chat(settings, address))
    return 0


def outbox(args: argparse.Namespace) -> int:
    return outbox_cli.run(args, _settings())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="waitingroom",
        description="Waiting Room: signposting and peer support for people waiting in crisis.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "serve",
        help="run the service (web chat and configured channels)",
        description="Run the whole service on uvicorn.",
    )
    p.add_argument("--host", help="address to listen on (default from config: 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default from config: 8080)")
    p.add_argument("--verbose", action="store_true", help="debug logging")
    p.set_defaults(run=serve)

    p = commands.add_parser(
        "chat",
        help="talk to the bot in this terminal, as a person would",
        description="A terminal conversation through the same engine and store as every channel.",
    )
    p.add_argument("--name", help="reuse a conversation by this name (default: a new one)")
    p.set_defaults(run=chat)

    p = commands.add_parser(
        "risk",
        help="check messages for risk language (one per line)",
        description="Read one message per line on standard input and "
        "write one JSON assessment per line.",
    )
    risk_cli.configure(p)
    p.set_defaults(run=risk_cli.run)

    p = commands.add_parser(
        "directory",
        help="check, search, export and import the service directory",
        description="Tools for leads: the live directory (WAITINGROOM_DB), or YAML folders.",
    )
    directory_cli.configure(p)
    p.set_defaults(run=directory_store_cli.run)

    store_cli.configure(commands)
    p = commands.add_parser(
        "supporters",
        help="add, list and reset peer supporters' accounts",
        description="Accounts for the supporters' dashboard (WAITINGROOM_DB).",
    )
    supporters_cli.configure(p)
    p.set_defaults(run=lambda args: supporters_cli.run(args, _settings().database))
    p = commands.add_parser(
        "outbox",
        help="replies that could not be delivered (for leads)",
        description="Tools for leads: what the service could not deliver, and why.",
    )
    outbox_cli.configure(p)
    p.set_defaults(run=outbox)
    return parser


# Commands that work on an existing database; run from the wrong folder (with the default
# relative WAITINGROOM_DB), they would otherwise make an empty one there and report on it.
# serve makes it by design; restore writes one.
NEEDS_DATABASE = ("supporters", "outbox", "purge", "backup")


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _add_create(parser: argparse.ArgumentParser) -> None:
    """``--create`` on a command and on each of its own subcommands (wherever it is typed)."""
    children = _subcommands(parser)
    if not children:
        parser.add_argument(
            "--create", action="store_true", help="make the database if there is none yet"
        )
    for child in children.values():
        _add_create(child)


def _database_missing(args: argparse.Namespace) -> bool:
    """Refuse, with a message saying where it looked, to make a database by accident."""
    if args.command not in NEEDS_DATABASE or getattr(args, "create", False):
        return False
    try:
        path = load_settings().db_path
    except ConfigError:
        return False  # the command's own settings check says what is wrong
    if "://" in str(path) or path.exists():
        return False
    print(
        f"waitingroom: no database at {path.resolve()}\n"
        "Run this where the service runs (or set WAITINGROOM_DB to its file), or add"
        " --create to start a new, empty one here.",
        file=sys.stderr,
    )
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    for name, command in _subcommands(parser).items():
        if name in NEEDS_DATABASE:
            _add_create(command)
    args = parser.parse_args(argv)
    if _database_missing(args):
        return EXIT_CONFIG
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
