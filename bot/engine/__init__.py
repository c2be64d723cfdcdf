"""The dialogue engine: pure functions from a conversation and a message to replies."""

from .dialogue import Context, Outcome, handle
from .inbound import Inbound, Kind
from .replies import (
    MENU_OPTIONS,
    CheckinAsked,
    CheckinsStopped,
    Counted,
    Effect,
    FeedbackGiven,
    FeedbackNoted,
    Option,
    PlanChanged,
    Reply,
    RiskAssessed,
)
from .state import State

__all__ = [
    "MENU_OPTIONS",
    "CheckinAsked",
    "CheckinsStopped",
    "Context",
    "Counted",
    "Effect",
    "FeedbackGiven",
    "FeedbackNoted",
    "Inbound",
    "Kind",
    "Option",
    "Outcome",
    "PlanChanged",
    "Reply",
    "RiskAssessed",
    "State",
    "handle",
]
