"""Where channels register: the one place the app learns what channels there are.

Each channel module ends with ``register(__name__, Registration(...))``: its name (the attribute
of ``app.state`` its routes look it up by), its routes, when it is configured and how to
build it. The app mounts every registered channel's routes, builds the configured ones
and starts and stops them around the service (bot/web/app.py). A new channel is one
module that registers itself, named in ``MODULES``, plus its tests.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from starlette.routing import BaseRoute

from bot.config import Settings
from bot.wording import Wording

from .base import Sender

if TYPE_CHECKING:  # channels sit above the service: they hand it messages
    from bot.service import Service

# The channel modules, in the order their routes are mounted.
MODULES = ("bot.channels.webchat", "bot.channels.telegram", "bot.channels.sms")


class Channel(Protocol):
    """A channel that lives beside the service (Telegram, SMS): built from the settings
    by its registration (bot/channels/registry.py), started with the service and
    stopped after it, so that everything acknowledged is answered first. Replies it
    pushes leave through its ``sender``, from the outbox."""

    @property
    def sender(self) -> Sender: ...

    async def start(self, service: Service) -> None:
        """Ready to take webhooks and send; ``service`` is the one it hands messages to."""

    async def stop(self) -> None:
        """Close what it opened; called after the service has stopped."""


@dataclass(frozen=True, slots=True)
class Registration:
    name: str
    routes: Sequence[BaseRoute]
    # None for a channel with nothing to run (the web chat: routes only, replies pulled).
    build: Callable[[Settings, Wording], Channel] | None = None
    configured: Callable[[Settings], bool] = lambda settings: True
    # Started before the service's tasks, so its sender is ready for the first reply
    # they send (SMS); the rest start after them (Telegram's set-up runs supervised).
    start_early: bool = False


_registered: dict[str, Registration] = {}


def register(module: str, registration: Registration) -> Registration:
    """Called once by each channel module as it is imported, with its ``__name__``."""
    _registered[module] = registration
    return registration


def registered() -> list[Registration]:
    """Every channel, in ``MODULES`` order (importing each registers it)."""
    for module in MODULES:
        importlib.import_module(module)
    ordered = [_registered[module] for module in MODULES if module in _registered]
    return ordered + [r for m, r in _registered.items() if m not in MODULES]
