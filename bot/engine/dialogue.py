"""The dialogue engine: (state, inbound, context) -> (new state, replies, effects).

Pure: no I/O, no clock but the one passed in. Every message is read for risk first,
in every state, before anything else happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.directory import Directory, parse_where
from bot.peer.queue import Shift
from bot.risk import Assessment, Level, assess

from . import (
    carer,
    feedback,
    forget,
    holdback,
    journeys,
    meaning,
    safety,
    somewhere,
    talk,
    words,
)
from .inbound import Inbound, Kind
from .replies import (
    MENU_OPTIONS,
    OPTION_IDS,
    CheckinsStopped,
    Counted,
    Effect,
    Option,
    Reply,
    RiskAssessed,
)
from .state import State
from .talk import PeerView

MAX_TEXT = 10_000


@dataclass(frozen=True, slots=True)
class Context:
    now: datetime
    directory: Directory | None = None  # None: the directory failed to load
    # The peer queue: who is on shift (None: the queue is unavailable) and the person's
    # own open request to talk, if any.
    shift: Shift | None = None
    peer: PeerView | None = None
    block_id: int | None = None  # a lead's block in force: ordinary replies held back
    # The service's time zone, for check-ins at local times.
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    # False when the person's channel cannot be sent replies (they texted STOP).
    reachable: bool = True
    # True when the channel showed the greeting before the first message (the web chat
    # page does): it is not said again.
    greeted: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    state: State
    replies: tuple[Reply, ...]
    effects: tuple[Effect, ...] = ()


def _menu(key: str = "menu", **values: object) -> Reply:
    return Reply(key, dict(values), MENU_OPTIONS)


URGENT_OPTIONS = (Option.TALK, Option.MENU)


def _read_risk(state: State, text: str, at: datetime) -> tuple[State, Assessment, bool]:
    """Assess the newest message alone and with the recent window (split SMS).

    Returns the new state, the assessment and whether it is news that needs an answer:
    a repeat of an already-answered urgent message inside the window (a "lol jk" after
    it, say) keeps the flag but does not send the urgent reply a second time.
    """
    alone = assess([text])
    # The same words again inside the window (a resent SMS, a paste) are not news unless
    # the level rose: one disclosure, one alert. A split disclosure ("got them all here",
    # then "taking the lot tonight") is news when the window together reads higher.
    repeat = " ".join(text.lower().split()) in {" ".join(t.lower().split()) for t in state.window()}
    state = state.with_recent(text, at)
    together = assess(state.window()) if len(state.recent) > 1 else alone
    combined = together if together.level > alone.level else alone
    news = (alone.level > Level.NONE and not repeat) or together.level > state.last_level
    flag = max(state.flag, combined.level)
    categories = tuple(sorted(set(state.categories) | set(combined.categories)))
    state = replace(state, flag=Level(flag), categories=categories, last_level=combined.level)
    return state, combined, news and combined.level > Level.NONE


def _choice(state: State, inbound: Inbound) -> str | None:
    """What the person chose: an option, a command, a numbered reply or words that mean one
    at the question being answered (``bot.engine.meaning``)."""
    if inbound.kind is Kind.OPTION:
        return inbound.option if inbound.option in OPTION_IDS else "stale"
    if inbound.kind is Kind.COMMAND:
        return {
            "start": "start",
            "menu": Option.MENU,
            "help": words.HELP,
            "urgent": Option.URGENT,
            "stop": words.STOP,
            "forget": words.FORGET,
            "talk": Option.TALK,
            "end": Option.END_CHAT,
            "plan": Option.PLAN,
        }.get(inbound.command or "", "unknown_command")
    question = meaning.question_at(state.step, state.offered)
    reading = meaning.read(question, inbound.text, state.offered)
    if reading.how == "out_of_range":
        return "stale"
    return reading.meaning


def _resumed(state: State, *said: Reply) -> tuple[State, tuple[Reply, ...]]:
    """The safety answer, then the question the direct question interrupted (delete
    everything?) asked again, as the last thing asked so a "yes" answers it."""
    state, asked = forget.ask(replace(state, resume=""))
    return state, (*(replace(r, options=()) for r in said), *asked)


def _request(inbound: Inbound) -> str | None:
    """What a message asks for regardless of any question: the message that raised a
    question is not also its answer ("there's no point" is not a "no")."""
    if inbound.kind is not Kind.TEXT:
        return _choice(State(), inbound)
    return meaning.read("", inbound.text).meaning


_NOT_SAFE = frozenset({Option.SAFE_NO, Option.THEY_NOT_SAFE, Option.URGENT})


def _answers_safety(state: State, inbound: Inbound) -> bool:
    """A worrying "not safe" to "is the person safe?" or "are you safe?" is answered as
    such (the urgent numbers), rather than with a question about thoughts of suicide: the
    question being answered comes first. Risk is still read and flagged; any other reading
    of a worrying message ("yes but...") still gets the direct question.

    At the direct question itself, any answer it understood is its answer ("no, just
    knackered", "no I'm not, I promise, just tired and tearful"): asking it again would
    ignore what they said. Urgent words still get the urgent reply first."""
    choice = _choice(state, inbound)
    if state.step == "concern":
        return choice not in (None, meaning.AGAIN, meaning.HELLO, "stale", "unknown_command")
    if choice == Option.URGENT and inbound.kind is Kind.TEXT:
        # Danger in their own words at any question ("i cant hold on till 6"): the urgent
        # reply first, not a question about their thoughts before it.
        return True
    if choice == Option.THEY_NOT_SAFE and state.carer:
        # At any carer question, harm done or the means in hand ("hes grabbed a knife"):
        # what to do now for that person, not a question about their thoughts.
        return True
    return state.step in ("carer_safe", "urgent") and choice in _NOT_SAFE


# A plain answer is at most this many words: longer, and it may say more than the answer.
PLAIN_ANSWER_WORDS = 8
# Answers that say things are bad: the direct question is still asked.
_WORRIED_ANSWERS = frozenset({"checkin_not_ok"})


def _only_learned(assessment: Assessment | None) -> bool:
    """Only the learned risk layer worried: no rule, concept or category was read."""
    return assessment is not None and assessment.rules == ("learned",) and not assessment.categories


def _plain_answer(state: State, inbound: Inbound, assessment: Assessment | None) -> bool:
    """A short, clear answer to the question asked, which only the learned risk layer
    read as a worry ("he's fine right now", "done all of them"): the answer is taken,
    not met with "are you having thoughts of ending your life?". The flag and the risk
    record still stand, so supporters see it. Rules, concepts, categories and urgent
    readings are never overridden, nor a menu request, nor an answer that says things
    are bad."""
    if not _only_learned(assessment):
        return False
    if inbound.kind is not Kind.TEXT or state.step in ("new", "menu", "safe_no"):
        return False
    if len(meaning.words(inbound.text)) > PLAIN_ANSWER_WORDS:
        return False
    question = meaning.question_at(state.step, state.offered)
    if not question or journeys.typed_answer(state, inbound.text):
        return False
    reading = meaning.read(question, inbound.text, state.offered)
    if reading.how not in ("whole", "phrase", "yes_no", "number", "unsure"):
        return False
    return reading.meaning not in (*_WORRIED_ANSWERS, meaning.AGAIN, meaning.HELLO)


def _carer_opening(state: State, inbound: Inbound, assessment: Assessment | None) -> bool:
    """A carer's first words about someone else that only the learned risk layer read as a
    worry, naming no thoughts, harm or means ("im worried about my mate, shes not been
    herself"): the carer journey, whose first question is "is the person safe right
    now?", not the direct question about their thoughts. The flag and the risk record
    still stand, so supporters see it; rules, concepts and categories ("shes talking
    about ending it", "my daughter is self harming") keep the direct question, and urgent
    readings the urgent reply."""
    if not _only_learned(assessment):
        return False
    if state.carer or inbound.kind is not Kind.TEXT:
        return False
    return meaning.about_someone_else(inbound.text) and _request(inbound) == Option.CARER


def _about_them(state: State, inbound: Inbound, categories: tuple[str, ...]) -> bool:
    """Worrying words from a carer, or from someone whose message is a carer's ("im
    worried about my son, he says he wants to die"), about someone else and not
    themself, which the risk layers did not already say."""
    if inbound.kind is not Kind.TEXT or not meaning.about_someone_else(inbound.text):
        return False
    if state.carer:
        return safety.THIRD_PARTY not in categories  # else the risk layers said so already
    return _request(inbound) == Option.CARER


def _keep_topic(state: State, text: str, choice: str | None) -> State:
    """"I'd like to talk to someone about my mum": the words go with them as a topic."""
    if choice != Option.TALK or meaning.only_asks(text, Option.TALK):
        return state
    if meaning.read(meaning.question_at(state.step, state.offered), text, state.offered).long:
        return replace(state, topic=text.strip()[: talk.TOPIC_MAX])
    return state


def _reask(state: State, text: str) -> tuple[State, tuple[Reply, ...]]:
    """Not understood: the same question again, shorter, with its options; the second
    time a supporter (with their words kept as the topic) or the menu too."""
    question = meaning.question_at(state.step, state.offered)
    second = state.reasks >= 1
    options = tuple(state.offered) or MENU_OPTIONS
    if second:
        options = (*options, *(o for o in (Option.TALK, Option.MENU) if o not in options))
        state = replace(state, topic=text.strip()[: talk.TOPIC_MAX] or state.topic)
    safety = question in meaning.SAFETY_QUESTIONS
    values = {"question": question, "second": second}
    state = replace(state, reasks=state.reasks + 1)
    return state, (Reply("reask", values, options, urgent=safety),)


def _answer(
    state: State, choice: str | None, context: Context, effects: list[Effect]
) -> tuple[State, tuple[Reply, ...]]:
    directory = context.directory
    journey = journeys.answer(state, choice, context.now, context.zone, directory)
    if journey is not None:
        state, replies, more = journey
        effects.extend(more)
        return state, replies
    if choice == Option.SOMEWHERE:
        if directory is None:
            return replace(state, step="menu"), (_menu("not_ready", feature="somewhere"),)
        return somewhere.ask(state)
    if choice == Option.MORE and state.step == "places" and directory is not None:
        return somewhere.more(state, directory, context.now)
    local = somewhere.local_crisis_lines(state, directory, context.now)
    if choice == Option.URGENT:
        # A carer pressing "Urgent help" is asked about the person they care for.
        return safety.urgent(state, state.categories, them=state.carer, local=local)
    if choice in (Option.THOUGHTS_YES, Option.SAFE_NO):
        # A safety answer that says not safe raises the conversation, as words do.
        state, raised = safety.raised(state, Option(choice))
        effects.append(raised)
        if choice == Option.THOUGHTS_YES:
            them = safety.about_them(state, state.categories)
            return safety.urgent(state, state.categories, them=them, local=local)
        return replace(state, step="safe_no"), (Reply("safe_no", {}, URGENT_OPTIONS, urgent=True),)
    if choice == Option.THOUGHTS_NO:
        if state.resume == "forget":
            return _resumed(state, _menu("thoughts_no"))
        return replace(state, step="menu"), (_menu("thoughts_no"),)
    if choice == Option.SAFE_YES:
        if state.resume == "forget":
            said = safety.safe_yes(state)[1]
            return _resumed(state, *(replace(r, options=()) for r in said))
        return safety.safe_yes(state)
    if choice in (Option.MENU, "start"):
        return replace(state, step="menu"), (_menu(),)
    if choice == words.HELP:
        question = meaning.question_at(state.step, state.offered)
        if question and state.step != "menu" and state.offered:
            # "What is this?", "are they trained?" at a question: what the service is, with
            # that question's buttons, so their place is kept.
            return state, (Reply("help", {"question": question}, tuple(state.offered)),)
        return replace(state, step="menu"), (_menu("help"),)
    if choice in (words.STOP, Option.STOP_CHECKINS):
        effects.append(CheckinsStopped())
        return replace(state, step="menu"), (_menu("stopped"),)
    if choice in (words.FORGET, Option.FORGET_YES):
        # A "yes" button from an old question asks again rather than deleting.
        return forget.ask(state)
    if choice == Option.FORGET_NO:
        return forget.kept(state)
    if choice == "stale":
        return state, (_menu("stale_choice"),)
    if meaning.question_at(state.step, state.offered):
        # Words we read but that mean nothing here ("more" with nothing to show): the
        # question stands, asked again, rather than the generic fallback.
        return _reask(state, "")
    return state, (_menu("fallback"),)


def _answer_all(
    state: State, choice: str | None, context: Context
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]]:
    """``_answer``, plus the peer-queue choices, which also ask the shell for changes."""
    peer = context.peer
    waiting = peer is not None and peer.status == "waiting"
    if choice == Option.TALK:
        return talk.intro(state, context.shift, peer)
    if choice in (Option.JOIN, Option.LEAVE_MESSAGE):
        return talk.join(state, context.shift, peer, off_shift=choice == Option.LEAVE_MESSAGE)
    if waiting and peer is not None:
        if choice == Option.LEAVE_QUEUE:
            return talk.leave(state)
        if choice == words.STOP:
            # "Stop" means no more messages: out of the queue, and no check-ins either.
            state, replies, done = talk.leave(state)
            return state, replies, (*done, CheckinsStopped())
        if choice == Option.SKIP and state.step == "topic":
            return talk.skip_topic(state)
        if choice is None:
            return talk.waiting(state, peer)
    if choice == Option.FEEDBACK_PEER:
        state, replies = feedback.start(state, "peer")
        return state, replies, ()
    if choice in (Option.LEAVE_QUEUE, Option.END_CHAT):
        choice = Option.MENU
    effects: list[Effect] = []
    state, replies = _answer(state, choice, context, effects)
    return state, replies, tuple(effects)


def _live(
    state: State, inbound: Inbound, peer: PeerView
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]]:
    """A message during a live conversation with a supporter: relayed, not answered,
    unless it ends the conversation or asks for urgent help."""
    # What they wrote while waiting is with the supporter now; a later queue starts anew.
    state = replace(state, topic="")
    choice = _choice(state, inbound) if inbound.kind is not Kind.TEXT else None
    if inbound.kind is Kind.TEXT and (
        whole := meaning.whole_intent(inbound.text)
    ) in (Option.END_CHAT, words.FORGET):
        choice = whole
    if choice == words.FORGET:
        # Asked here, not relayed; a yes is answered by forget.answer, in every state.
        state, replies = forget.ask(state)
        return state, replies, ()
    if choice in (Option.END_CHAT, words.STOP):
        return talk.end(state, peer)
    if choice == Option.URGENT:
        return state, safety.urgent(state, state.categories)[1], ()
    if inbound.kind is Kind.UNSUPPORTED:
        return state, (Reply("only_text", {}),), ()
    if inbound.kind in (Kind.OPTION, Kind.COMMAND):
        return talk.live_note(state, peer)
    return state, (), ()


def _place_over_request(state: State, text: str, directory: Directory) -> bool:
    """At "where are you?", a place named beside words that ask for something elsewhere
    ("im at my mums in thornton", "actually no im at my sisters in baildon"): the place
    is the answer. The question's own answers (the menu, urgent help) and a whole message
    that is one request still count as such."""
    question = meaning.question_at(state.step, state.offered)
    reading = meaning.read(question, text, state.offered)
    if reading.how not in ("anywhere", "phrase") or reading.meaning in state.offered:
        return False
    return parse_where(somewhere.meant(text, directory), directory.places) is not None


def _place(
    state: State, inbound: Inbound, text: str, context: Context
) -> tuple[State, tuple[Reply, ...]] | None:
    """A place typed or shared while the directory journey is under way, if it is one."""
    directory = context.directory
    if directory is None:
        return None
    if (
        inbound.kind is Kind.LOCATION
        and inbound.latitude is not None
        and inbound.longitude is not None
    ):
        return somewhere.place_shared(
            state, inbound.latitude, inbound.longitude, directory, context.now
        )
    if inbound.kind is not Kind.TEXT or not text.strip():
        return None
    if state.step == "where" and (
        _choice(state, inbound) is None or _place_over_request(state, text, directory)
    ):
        return somewhere.place_named(state, text, directory, context.now)
    if (
        state.step == "places"
        and _choice(state, inbound) is None
        and parse_where(text, directory.places) is not None
    ):
        return somewhere.place_named(state, text, directory, context.now)
    if somewhere.asks_for(text) and _choice(state, inbound) in (None, Option.SOMEWHERE):
        # "somewhere that speaks urdu", "for young black men": searched for them.
        return somewhere.ask_for(state, text, directory, context.now)
    return None


def _respond(
    state: State, inbound: Inbound, text: str, context: Context
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]]:
    peer = context.peer
    if peer is not None and peer.status == "active":
        return _live(state, inbound, peer)
    if (
        peer is not None
        and state.step in ("topic", "message")
        and inbound.kind is Kind.TEXT
        and text.strip()
        and _choice(state, inbound) is None
    ):
        return talk.topic(state, text)
    if (
        peer is not None
        and state.step == "queue"
        and inbound.kind is Kind.TEXT
        and text.strip()
        and _choice(state, inbound) is None
    ):
        return talk.note(state, text, peer)
    if inbound.kind is Kind.TEXT and journeys.typed_answer(state, text):
        state, replies, more = journeys.typed(state, text, context.now, context.zone)
        return state, replies, tuple(more)
    place = _place(state, inbound, text, context)
    if place is not None:
        return (*place, ())
    if inbound.kind is Kind.UNSUPPORTED:
        return state, (_menu("only_text"),), ()
    if inbound.kind is Kind.LOCATION:
        return _answer_all(state, Option.SOMEWHERE, context)
    if inbound.kind is Kind.TEXT and not text.strip():
        return state, (_menu("empty"),), ()
    choice = _choice(state, inbound)
    if inbound.kind is Kind.TEXT:
        waiting = context.peer is not None and context.peer.status == "waiting"
        question = meaning.question_at(state.step, state.offered)
        if choice == meaning.HELLO and state.step == "menu" and not waiting:
            # "hi" again at the menu: the menu's own question, shortly, not what we are.
            return state, (_menu(),), ()
        unknown = choice in (None, meaning.AGAIN, meaning.HELLO) or (
            choice == "unknown_command" and question in meaning.SAFETY_QUESTIONS
        )
        if unknown and question and not waiting:
            # "What do you mean?" or "hi" is no topic to keep for a supporter.
            spoken = choice in (meaning.AGAIN, meaning.HELLO)
            return (*_reask(state, "" if spoken else text), ())
        state = _keep_topic(state, text, choice)
    return _answer_all(state, choice, context)


def _risk_first(
    state: State, inbound: Inbound, text: str, context: Context, first: tuple[Reply, ...]
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]] | None:
    """Risk words inside an answer the journey asked for (bot/engine/safety.py): the
    ``first`` replies (urgent or concern) go first, then the answer is kept and the
    journey carries on. None when the message was not such an answer."""
    if context.peer is not None and context.peer.status == "active":
        return None  # in a live chat the words go to the supporter, with the urgent reply
    waiting = context.peer is not None and context.peer.status == "waiting"
    typed = inbound.kind is Kind.TEXT and journeys.typed_answer(state, text)
    urgent = bool(first) and first[0].key == "urgent"
    if not safety.carries_on(state.step, _choice(state, inbound), waiting, typed, urgent):
        return None
    state, more, done = _respond(state, inbound, text, context)
    return state, (*first, *more), done


def handle(state: State, inbound: Inbound, context: Context) -> Outcome:
    """Answer one inbound message."""
    before = state
    replies: list[Reply] = []
    effects: list[Effect] = []
    text = inbound.text[:MAX_TEXT] if inbound.kind is Kind.TEXT else ""
    greeted_now = state.step == "new" and context.greeted
    if greeted_now:
        # The page already greeted them, with the menu: the first message answers it.
        state = replace(state, step="menu", offered=MENU_OPTIONS)
    asked_before = meaning.question_at(state.step, state.offered)

    urgent_now = concern_now = opening = False
    assessment: Assessment | None = None
    categories: tuple[str, ...] = ()
    language = ""
    if text.strip():
        state, assessment, news = _read_risk(state, text, inbound.at)
        opening = _carer_opening(state, inbound, assessment)
        # A short answer the risk layer cannot place ("tak", "nie wiem"): by its answer words.
        language = assessment.language or meaning.language_of(text)
        if assessment.level > Level.NONE:
            effects.append(
                RiskAssessed(
                    level=assessment.level.label,
                    categories=assessment.categories,
                    rules=assessment.rules,
                    ruleset_version=assessment.ruleset_version,
                    alerted=news,
                )
            )
        urgent_now = news and assessment.level is Level.URGENT
        concern_now = news and assessment.level is Level.CONCERN
        categories = assessment.categories
        if news and _about_them(state, inbound, categories):
            # A carer's worry about the person they care for: the direct question, the
            # urgent help and "is the person safe?" are about that person, so a "yes" or
            # a "not sure" is never taken as the carer's own ("I'm glad").
            categories = tuple(sorted({*categories, safety.THIRD_PARTY}))
            state = replace(
                carer.as_carer(state),
                categories=tuple(sorted({*state.categories, safety.THIRD_PARTY})),
            )

    live = context.peer is not None and context.peer.status == "active"
    if state.step == "checkin_sent":
        # Whatever they send after a check-in answers it, urgent words included.
        effects.append(Counted("checkin_answered"))
        state = replace(state, step="checkin_answer")

    # The direct question, unless the words are a plain answer only the learned layer
    # worried about (the flag and the record above still stand).
    ask_concern = concern_now and not opening and not _plain_answer(state, inbound, assessment)
    first: tuple[Reply, ...] = ()
    if urgent_now:
        local = somewhere.local_crisis_lines(state, context.directory, context.now)
        first = safety.urgent(state, state.categories, ask=False, local=local)[1]
    elif ask_concern and not live:
        first = (safety.concern(state, categories),)
    if first and (carried := _risk_first(state, inbound, text, context, first)) is not None:
        # Inside an answer: the urgent (or concern) reply first, and the journey goes on.
        state, more, done = carried
        replies.extend(more)
        effects.extend(done)
    elif urgent_now:
        # The urgent reply and "are you safe?" are the whole answer, in every state.
        them = safety.about_them(state, categories)
        local = somewhere.local_crisis_lines(state, context.directory, context.now)
        first_message = state.step == "new"
        state, more = safety.urgent(state, state.categories, them=them, local=local)
        if first_message:
            # To a first message, who is answering, once, before "are you safe?": Telegram
            # and SMS have no page header to say it is automated.
            more = (*more[:-1], Reply("not_a_person", {}, urgent=True), more[-1])
        replies.extend(more)
    elif state.step == "new":
        replies.append(Reply("greeting", {}, MENU_OPTIONS))
        state = replace(state, step="menu")
        # What the first message asks for, read at the menu it was answered with.
        choice = _choice(state, inbound)
        if ask_concern:
            # The direct question is the last thing asked, so a plain "yes" answers it.
            replies.append(safety.concern(state, categories))
            state = replace(state, step="concern")
            choice = _request(inbound)
        ignored = (
            *("start", words.HELP, "stale", "unknown_command", Option.MENU),
            *(meaning.AGAIN, meaning.HELLO),
        )
        if choice is not None and choice not in ignored:
            state = _keep_topic(state, text, choice)
            state, more, done = _answer_all(state, choice, context)
            replies.extend(more)
            effects.extend(done)
    elif ask_concern and not live and not _answers_safety(state, inbound):
        # In a live conversation the supporter is told instead of the bot asking.
        replies.append(safety.concern(state, categories))
        # "Delete everything?" answered with worrying words ("my husband checks my phone"):
        # the direct question first, then the deleting question again.
        resume = "forget" if state.step == "forget" else state.resume
        state = replace(state, step="concern", resume=resume)
        choice = _request(inbound)
        # A carer already in the carer journey is not sent back to its first question:
        # the direct question must stay the last thing asked, so a "yes" answers it.
        if choice == Option.CARER and state.carer:
            choice = None
        if choice not in (None, "stale", meaning.AGAIN, meaning.HELLO):
            state, more, done = _answer_all(state, choice, context)
            replies.extend(more)
            effects.extend(done)
    elif greeted_now and _choice(state, inbound) in (words.HELP, "start", meaning.HELLO):
        # "hi" under the greeting the page shows: the menu, not the greeting again.
        replies.append(_menu())
    elif (forgetting := forget.answer(state, _choice(state, inbound))) is not None:
        state, more, done = forgetting
        replies.extend(more)
        effects.extend(done)
    else:
        state, more, done = _respond(state, inbound, text, context)
        replies.extend(more)
        effects.extend(done)

    if language not in ("", "en") and (urgent_now or language not in state.languages_told):
        # Another language: interpreters through 999 and NHS 111, after the urgent reply;
        # once per language, so a conversation is not the same line on every message.
        at = 1 if replies and replies[0].key == "urgent" else 0
        replies.insert(at, Reply("other_languages", {}, urgent=urgent_now))
        if language not in state.languages_told:
            state = replace(state, languages_told=(*state.languages_told, language))
    state, replies, held = holdback.apply(
        state,
        replies,
        inbound.at,
        context.block_id,
        risky=urgent_now or concern_now,
        pressed=inbound.kind is Kind.OPTION,
    )
    effects.extend(held)
    if state.flag is Level.URGENT and replies and replies[-1].options:
        # Keep urgent help one step away for as long as the flag stays on.
        last = replies[-1]
        if Option.URGENT not in last.options:
            replies[-1] = replace(last, options=(*last.options, Option.URGENT))
    offered = next((r.options for r in reversed(replies) if r.options), state.offered)
    asked_now = meaning.question_at(state.step, offered)
    if asked_now != asked_before or not any(r.key == "reask" for r in replies):
        state = replace(state, reasks=0)  # a new question, or an answer: count afresh
    effects.extend(somewhere.signposts(replies))
    effects.extend(safety.unreachable(context.reachable, replies))
    effects = safety.stamped(
        [*carer.audience_for(state, effects), *carer.became(before, state)], inbound.id
    )
    return Outcome(replace(state, offered=offered), tuple(replies), tuple(effects))
