"""The sender through which a channel that pushes replies (Telegram, SMS) delivers them,
and how it says a delivery failed. (The Channel itself: bot/channels/registry.py.)"""

from __future__ import annotations

from typing import Any, Protocol


class DeliveryError(Exception):
    """A reply could not be delivered.

    ``permanent`` means retrying cannot help (the person blocked the bot, opted out);
    ``retry_after`` is the channel's own request to wait, in seconds; ``chat_only`` says
    the wait is for this address alone (a flood limit on one chat), so the outbox holds
    back only its replies and goes on with everyone else's.
    """

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        chat_only: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.chat_only = chat_only


class Sender(Protocol):
    channel: str

    async def send(self, address: str, body: dict[str, Any]) -> str | None:
        """Deliver one stored reply, or raise DeliveryError.

        Returns the provider's id for the message when its delivery reports will name
        it (Twilio's message SID), else None.

        A sender that paces each chat may also have ``ready_in(address) -> float``: the
        seconds before that chat may take a message. The outbox asks it first and holds
        that chat's replies back rather than waiting (``send`` itself would wait), so one
        chat's pace never holds up another's."""
