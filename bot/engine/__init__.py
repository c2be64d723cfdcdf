"""The dialogue engine: pure functions from a conversation and a message to replies."""

from .dialogue import Context, Outcome, handle
from .inbound import Inbound, Kind
from .replies import MENU_OPTIONS, Counted, Effect, Forget, Option, Reply, RiskAssessed
from .state import State

__all__ = [
    "MENU_OPTIONS",
    "Context",
    "Counted",
    "Effect",
    "Forget",
    "Inbound",
    "Kind",
    "Option",
    "Outcome",
    "Reply",
    "RiskAssessed",
    "State",
    "handle",
]
