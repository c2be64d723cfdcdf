"""What a channel provides: a channel that lives beside the service, and the sender
through which one that pushes replies (Telegram, SMS) delivers them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the service imports this module
    from bot.service import Service


class DeliveryError(Exception):
    """A reply could not be delivered.

    ``permanent`` means retrying cannot help (the person blocked the bot, opted out);
    ``retry_after`` is the channel's own request to wait, in seconds.
    """

    def __init__(
        self, reason: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Sender(Protocol):
    channel: str

    async def send(self, address: str, body: dict[str, Any]) -> str | None:
        """Deliver one stored reply, or raise DeliveryError.

        Returns the provider's id for the message when its delivery reports will name
        it (Twilio's message SID), else None."""


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
