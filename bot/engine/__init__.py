"""The dialogue engine: pure functions from a conversation and a message to replies."""

from .dialogue import Context, Outcome, handle
from .inbound import Inbound, Kind
from .replies import (
    MENU_OPTIONS,
    CheckinAsked,
    CheckinsStopped,
    Counted,
    Effect,
    EndChat,
    FeedbackGiven,
    FeedbackNoted,
    Forget,
    JoinQueue,
    LeaveQueue,
    Option,
    PlanChanged,
    Reply,
    RiskAssessed,
    SetTopic,
    UrgentUnreachable,
)
from .state import State

__all__ = [
    "MENU_OPTIONS",
    "CheckinAsked",
    "CheckinsStopped",
    "Context",
    "Counted",
    "Effect",
    "EndChat",
    "FeedbackGiven",
    "FeedbackNoted",
    "Forget",
    "Inbound",
    "JoinQueue",
    "Kind",
    "LeaveQueue",
    "Option",
    "Outcome",
    "PlanChanged",
    "Reply",
    "RiskAssessed",
    "SetTopic",
    "State",
    "UrgentUnreachable",
    "handle",
]
