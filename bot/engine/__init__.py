"""The dialogue engine: pure functions from a conversation and a message to replies."""

from .dialogue import Context, Outcome, handle
from .inbound import Inbound, Kind
from .replies import (
    MENU_OPTIONS,
    Counted,
    Effect,
    EndChat,
    Forget,
    JoinQueue,
    LeaveQueue,
    Option,
    Reply,
    RiskAssessed,
    SetTopic,
)
from .state import State

__all__ = [
    "MENU_OPTIONS",
    "Context",
    "Counted",
    "Effect",
    "EndChat",
    "Forget",
    "Inbound",
    "JoinQueue",
    "Kind",
    "LeaveQueue",
    "Option",
    "Outcome",
    "Reply",
    "RiskAssessed",
    "SetTopic",
    "State",
    "handle",
]
