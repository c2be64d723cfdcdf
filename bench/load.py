"""Load harness for the whole service. Not a test: it prints figures.

    .venv/bin/python bench/load.py                    # 200 messages/s for 10 s, 10,000 stored
    .venv/bin/python bench/load.py --rate 50 --seconds 5 --stored 1000 --capacity 100

It starts the fake Bot API and fake Twilio (``tests/fake_*.py``) on loopback and the real
service (``waitingroom serve``, Telegram in webhook mode and SMS), then:

1. stores ``--stored`` conversations first (web chat ones, so nothing is pushed), so
   memory is measured with a realistic store behind it;
2. capacity: ``--capacity`` Telegram updates, one per person, posted as fast as
   ``--concurrency`` senders can, to the service and then to a bare python-telegram-bot
   echo bot (``bench/echo_bot.py``) on the same fake, both running at once and taking
   turns for ``--rounds`` rounds (so each pair sees the same machine): webhooks
   acknowledged per second and replies sent per second, side by side with the ratio
   (medians over the rounds). Both keep Telegram's own limit of 30 messages a second
   (PTB's AIORateLimiter), so replies cap there;
3. steady: new people and carers on Telegram, SMS and the web chat (a third each) at
   ``--rate`` messages a second for ``--seconds``, open loop (latency from each
   message's scheduled time, so a stall is not hidden): webhook to stored (the HTTP 200
   or 202) and to the first reply (seen by the fake; for the web chat, returned by the
   person's long poll), p50/p90/p99 for each channel;
4. supporters: ``--people`` people on Telegram ask to talk and join the queue while
   ``--supporters`` supporters logged in to the dashboard take them one after another,
   say hello and end (``bench/desk.py``): how long the queue takes to empty, and how long
   a supporter's words take from the dashboard to the person's chat;
5. the service's peak resident memory (VmHWM from /proc).

``--seeded FILE`` keeps the stored conversations in FILE (made there the first time,
copied from it after), so runs to compare start from the same store and skip the
seeding. ``--profile PREFIX`` samples the service with py-spy (if installed) during the
capacity rounds and the steady phase, writes PREFIX-capacity.txt and PREFIX-steady.txt
(collapsed stacks, for flame graph tools) and prints the functions most often on CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import math
import multiprocessing
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# After the path is set: the fakes are the tests' own.
from bench import desk  # noqa: E402
from bot.channels.webchat import CHANNEL as WEB  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.engine import Kind  # noqa: E402
from bot.service import ChannelMessage, Service  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.fake_telegram import FakeBotAPI, message_update  # noqa: E402
from tests.fake_twilio import (  # noqa: E402
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    FakeTwilio,
    inbound,
    signature,
)

TOKEN = "123456:TEST-token"
SECRET = "bench_secret"
PERSON_SAYS = ("hi", "is anywhere open tonight", "I can't sleep and I'm scared")
CARER_SAYS = ("I'm worried about my son", "my mum is in crisis, what do I do")


@dataclass(frozen=True, slots=True)
class Job:
    """One inbound message: where its reply will go (``key``) and how to post it."""

    key: str
    path: str
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    headers: dict[str, str] | None = None
    poll: bool = False  # the web chat: the reply is pulled with a long poll


@dataclass(frozen=True, slots=True)
class WebPerson:
    """A web chat visitor whose token the store issued before the run (new chats from
    one address are limited, and the bench is one address)."""

    token: str

    @property
    def token_hash(self) -> str:
        return hashlib.sha256(self.token.encode()).hexdigest()


@dataclass
class Outcome:
    started: float
    acked: float
    ok: bool
    replied: float | None = None  # web chat: when the long poll brought the first reply


def telegram_job(chat_id: int, text: str) -> Job:
    return Job(
        key=str(chat_id),
        path="/telegram/webhook",
        json=message_update(chat_id, chat_id, text),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )


def sms_job(public: str, n: int, text: str) -> Job:
    number = f"+4479{n:08d}"
    form = inbound(f"SM{n:032d}", number, text)
    signed = signature(public + "/sms/inbound", form)
    return Job(key=number, path="/sms/inbound", form=form, headers={"X-Twilio-Signature": signed})


def web_job(person: WebPerson, n: int, text: str) -> Job:
    return Job(
        key=f"web-{n}",
        path="/api/chat/messages",
        json={"client_id": f"bench{n:08d}", "text": text},
        headers={"Authorization": f"Bearer {person.token}"},
        poll=True,
    )


def said(n: int) -> str:
    """Every fourth sender is a carer."""
    return CARER_SAYS[n % 2] if n % 4 == 3 else PERSON_SAYS[n % 3]


async def fire(
    url: str, jobs: Sequence[Job], rate: float | None, concurrency: int
) -> dict[str, Outcome]:
    """Post every job; at ``rate`` a second (open loop), or as fast as ``concurrency``
    senders can (closed loop). Open-loop latency counts from the scheduled moment."""
    outcomes: dict[str, Outcome] = {}
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    # Long polls wait on a client of their own, so they never hold a sender's place.
    polls = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with (
        httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client,
        httpx.AsyncClient(base_url=url, limits=polls, timeout=60) as poller,
    ):

        async def one(job: Job, scheduled: float | None) -> None:
            async with gate:
                started = scheduled if scheduled is not None else time.monotonic()
                try:
                    response = await client.post(
                        job.path, json=job.json, data=job.form, headers=job.headers
                    )
                    ok = response.status_code in (200, 202)
                except httpx.HTTPError:
                    ok = False
                outcome = outcomes[job.key] = Outcome(started, time.monotonic(), ok)
            if job.poll and ok:
                outcome.replied = await first_pulled(poller, job)

        async def first_pulled(poller: httpx.AsyncClient, job: Job) -> float | None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    response = await poller.get(
                        job.path, params={"after": 0, "wait": 20}, headers=job.headers
                    )
                except httpx.HTTPError:
                    return None
                if response.status_code != 200:
                    return None
                if response.json()["messages"]:
                    return time.monotonic()
            return None

        begin = time.monotonic()
        tasks = []
        for i, job in enumerate(jobs):
            scheduled = None
            if rate:
                scheduled = begin + i / rate
                delay = scheduled - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(job, scheduled)))
        await asyncio.gather(*tasks)
    return outcomes


def _fire_here(
    url: str, jobs: Sequence[Job], rate: float | None, concurrency: int
) -> dict[str, Outcome]:
    return asyncio.run(fire(url, jobs, rate, concurrency))


def fire_apart(
    url: str, jobs: Sequence[Job], rate: float | None, concurrency: int
) -> dict[str, Outcome]:
    """``fire`` in a process of its own, so the senders never wait on the fakes' threads
    for the interpreter lock (CLOCK_MONOTONIC is system-wide: the times still compare)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_fire_here, url, jobs, rate, concurrency).result()


def first_replies(telegram: FakeBotAPI, twilio: FakeTwilio) -> dict[str, float]:
    """When each chat or number got its first reply, as the fakes saw it."""
    seen: dict[str, float] = {}
    for call in list(telegram.calls):
        if call.method == "sendMessage" and call.status == 200:
            seen.setdefault(str(call.params["chat_id"]), call.at)
    for message in twilio.sent():
        seen.setdefault(message.params["To"], message.at)
    return seen


def wait_replies(
    keys: Sequence[str], telegram: FakeBotAPI, twilio: FakeTwilio, timeout: float
) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    while True:
        seen = first_replies(telegram, twilio)
        if all(key in seen for key in keys) or time.monotonic() > deadline:
            return {key: seen[key] for key in keys if key in seen}
        time.sleep(0.1)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile; NaN when there is nothing to rank."""
    if not values:
        return math.nan
    ranked = sorted(values)
    return ranked[max(0, math.ceil(q / 100 * len(ranked)) - 1)]


def spread(values: Sequence[float]) -> str:
    ms = [v * 1000 for v in values]
    return " ".join(f"{percentile(ms, q):8.1f}" for q in (50, 90, 99))


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited early:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} never became healthy:\n{log.read_text(errors='replace')}")


@contextmanager
def running(
    command: list[str], env: dict[str, str], url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def seed(db: Path, conversations: int) -> None:
    """Conversations as the web chat leaves them: a person, their state, a turn each."""
    settings = load_settings({"WAITINGROOM_DB": str(db)})
    async with Store(db) as store:
        service = Service(settings, store)
        for n in range(conversations):
            await service.receive(ChannelMessage(WEB, f"seed-{n}", f"seed-{n}", Kind.TEXT, said(n)))
            if n % 500 == 499:
                await service.process_pending()
        await service.process_pending()


def seeded(db: Path, conversations: int, keep: Path | None) -> str:
    """The stored conversations, seeded here or copied from ``keep`` (seeded there the
    first time); says which."""
    if keep is not None and keep.exists():
        shutil.copyfile(keep, db)
        return f"copied {keep}"
    began = time.monotonic()
    asyncio.run(seed(db, conversations))
    if keep is not None:
        shutil.copyfile(db, keep)
    return f"seeded in {time.monotonic() - began:.1f} s"


async def issue_tokens(db: Path, count: int) -> list[WebPerson]:
    people = [WebPerson(secrets.token_urlsafe(32)) for _ in range(count)]
    async with Store(db) as store:
        for person in people:
            await store.issue_web_token(person.token_hash)
    return people


class Profiler:
    """py-spy sampling the service for one phase (nothing, if py-spy is not installed)."""

    def __init__(self, prefix: str | None) -> None:
        self.prefix = prefix
        found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        self.binary = found if prefix and Path(found).exists() else None
        if prefix and self.binary is None:
            print("--profile: py-spy is not installed here (pip install py-spy in the venv)")

    @contextmanager
    def phase(self, name: str, pid: int) -> Iterator[None]:
        if self.binary is None or self.prefix is None:
            yield
            return
        out = Path(f"{self.prefix}-{name}.txt")
        command = [self.binary, "record", "--pid", str(pid), "--rate", "200"]
        command += ["--format", "raw", "--nonblocking", "--output", str(out)]
        spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)  # attached before the phase starts
        try:
            yield
        finally:
            spy.send_signal(signal.SIGINT)
            try:
                spy.wait(timeout=30)
            except subprocess.TimeoutExpired:
                spy.kill()
            print(f"\nprofile of the {name} phase: {out}")
            print(top_functions(out))


def top_functions(collapsed: Path, count: int = 15) -> str:
    """The functions most often on CPU (own samples, and with what they call)."""
    own: Counter[str] = Counter()
    within: Counter[str] = Counter()
    total = 0
    if not collapsed.exists():
        return "  (no samples written)"
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        n = int(samples)
        total += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames):
            within[frame] += n
    if not total:
        return "  (no samples)"
    lines = [f"  {total} samples; own %, with callees %, function"]
    for frame, n in own.most_common(count):
        lines.append(f"  {100 * n / total:5.1f} {100 * within[frame] / total:5.1f}  {frame[:110]}")
    return "\n".join(lines)


def service_env(db: Path, port: int, telegram: FakeBotAPI, twilio: FakeTwilio) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TWILIO_"))}
    return keep | {
        "WAITINGROOM_DB": str(db),
        "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_URL": twilio.url,
    }


@dataclass
class Capacity:
    acked_per_s: float
    replies_per_s: float
    failed: int
    unanswered: int
    # The bot's own CPU per update, from the first webhook to the last reply (storing,
    # the turn and the reply; for the bare bot parsing and the echo): what the update
    # cost, whatever else the machine was doing.
    cpu_ms: float = math.nan


def capacity(
    url: str,
    first_chat: int,
    count: int,
    concurrency: int,
    fakes: tuple[FakeBotAPI, FakeTwilio],
    pid: int | None = None,
) -> Capacity:
    jobs = [telegram_job(first_chat + n, said(n)) for n in range(count)]
    cpu_before = cpu_seconds(pid) if pid else math.nan
    outcomes = fire_apart(url, jobs, None, concurrency)
    begin = min(o.started for o in outcomes.values())
    acked = max(o.acked for o in outcomes.values())
    replies = wait_replies([j.key for j in jobs], *fakes, timeout=60 + count / 10)
    last = max(replies.values(), default=begin)
    cpu = cpu_seconds(pid) - cpu_before if pid else math.nan
    return Capacity(
        acked_per_s=count / (acked - begin),
        replies_per_s=len(replies) / (last - begin) if replies else 0.0,
        failed=sum(not o.ok for o in outcomes.values()),
        unanswered=count - len(replies),
        cpu_ms=cpu * 1000 / count,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200, help="messages a second (steady)")
    parser.add_argument("--seconds", type=float, default=10, help="how long (steady)")
    parser.add_argument("--stored", type=int, default=10_000, help="conversations stored first")
    parser.add_argument("--capacity", type=int, default=300, help="updates in the capacity run")
    parser.add_argument("--rounds", type=int, default=3, help="capacity rounds, bots in turn")
    parser.add_argument("--concurrency", type=int, default=32, help="senders at once")
    parser.add_argument("--supporters", type=int, default=4, help="supporters taking people")
    parser.add_argument("--people", type=int, default=40, help="people joining the queue")
    parser.add_argument(
        "--seeded", type=Path, help="keep the stored conversations in this file, to reuse"
    )
    parser.add_argument(
        "--profile", metavar="PREFIX", help="py-spy the service; write PREFIX-<phase>.txt"
    )
    args = parser.parse_args(argv)
    profiler = Profiler(args.profile)

    load_before = os.getloadavg()[0]
    fakes = FakeBotAPI().start(), FakeTwilio().start()
    telegram, twilio = fakes
    work = Path(tempfile.mkdtemp(prefix="wr-bench-"))
    db = work / "waitingroom.sqlite3"
    try:
        how = seeded(db, args.stored, args.seeded)
        print(f"stored {args.stored:,} conversations first ({how})")
        supporters = asyncio.run(desk.add_supporters(db, args.supporters))
        count = max(3, int(args.rate * args.seconds))
        web_people = asyncio.run(issue_tokens(db, count // 3 + 1))

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        serve = [sys.executable, "-m", "bot", "serve", "--port", str(port)]
        env = service_env(db, port, telegram, twilio)
        echo_port = free_port()
        echo_url = f"http://127.0.0.1:{echo_port}"
        echo = [sys.executable, str(ROOT / "bench" / "echo_bot.py"), str(echo_port), telegram.url]
        # Both bots run at once and take turns, so each round of the two sees the same
        # machine (on a shared machine the load moves from one minute to the next).
        with (
            running(serve, env, url, work / "serve.log") as service,
            running(echo, dict(os.environ), echo_url, work / "echo.log") as bare_bot,
        ):
            telegram.wait_for("setWebhook", timeout=30)
            rounds: list[tuple[Capacity, Capacity]] = []
            with profiler.phase("capacity", service.pid):
                for r in range(args.rounds):
                    first_chat = 1_000_000 + r * 10_000
                    ours = capacity(
                        url, first_chat, args.capacity, args.concurrency, fakes, service.pid
                    )
                    bare = capacity(
                        echo_url,
                        first_chat + 5_000_000,
                        args.capacity,
                        args.concurrency,
                        fakes,
                        bare_bot.pid,
                    )
                    rounds.append((ours, bare))

            def steady_job(n: int) -> Job:
                if n % 3 == 0:
                    return telegram_job(2_000_000 + n, said(n))
                if n % 3 == 1:
                    return sms_job(url, n, said(n))
                return web_job(web_people[n // 3], n, said(n))

            jobs = [steady_job(n) for n in range(count)]
            with profiler.phase("steady", service.pid):
                outcomes = fire_apart(url, jobs, args.rate, args.concurrency * 4)
                sending = max(o.acked for o in outcomes.values()) - min(
                    o.started for o in outcomes.values()
                )
                pushed = [j.key for j in jobs if not j.poll]
                replies = wait_replies(pushed, *fakes, timeout=60 + count / 10)
            replies |= {
                j.key: replied for j in jobs if j.poll and (replied := outcomes[j.key].replied)
            }
            desk_figures = asyncio.run(desk.run(url, SECRET, telegram, supporters, args.people))
            peak = peak_rss_mb(service.pid)
    finally:
        telegram.stop()
        twilio.stop()

    print(
        f"\ncapacity: {args.capacity} Telegram updates, {args.concurrency} senders at once,"
        f" {args.rounds} round(s), each bot in turn (medians; the ratio is the median of the"
        " rounds' ratios)"
    )
    print(f"{'':34}{'service':>10}{'bare PTB':>10}{'ratio':>8}")
    for name, field in (
        ("webhooks acknowledged /s", "acked_per_s"),
        ("replies sent /s (Telegram cap 30)", "replies_per_s"),
        ("CPU ms per update (own process)", "cpu_ms"),
    ):
        a = statistics.median(getattr(o, field) for o, _ in rounds)
        b = statistics.median(getattr(e, field) for _, e in rounds)
        ratio = statistics.median(
            getattr(o, field) / getattr(e, field) if getattr(e, field) else math.nan
            for o, e in rounds
        )
        print(f"  {name:32}{a:10.1f}{b:10.1f}{ratio:8.2f}")
    if len(rounds) > 1:
        each = " ".join(f"{o.acked_per_s:.0f}/{e.acked_per_s:.0f}" for o, e in rounds)
        print(f"  {'acknowledged /s, each round':32}  {each}")
    failed = sum(o.failed for o, _ in rounds), sum(e.failed for _, e in rounds)
    unanswered = sum(o.unanswered for o, _ in rounds), sum(e.unanswered for _, e in rounds)
    print(
        f"  {'not acknowledged / unanswered':32}{failed[0]:>5}/{unanswered[0]:<4}"
        f"{failed[1]:>5}/{unanswered[1]:<4}"
    )
    acked_ratio = statistics.median(
        o.acked_per_s / e.acked_per_s if e.acked_per_s else math.nan for o, e in rounds
    )

    by_channel = {
        "telegram": [j for j in jobs if j.path == "/telegram/webhook"],
        "sms": [j for j in jobs if j.form],
        "web": [j for j in jobs if j.poll],
    }
    not_acked = sum(not o.ok for o in outcomes.values())
    print(
        f"\nsteady: {count} new people at {args.rate:g}/s over {args.seconds:g} s"
        f" (sent in {sending:.1f} s: {count / sending:.0f}/s), a third each on Telegram,"
        f" SMS and the web chat, a quarter carers; {not_acked} not acknowledged,"
        f" {count - len(replies)} unanswered"
    )
    print(f"{'milliseconds':34}{'p50':>8} {'p90':>8} {'p99':>8}")
    for channel, chosen in (*by_channel.items(), ("all", jobs)):
        stored = [outcomes[j.key].acked - outcomes[j.key].started for j in chosen]
        answered = [replies[j.key] - outcomes[j.key].started for j in chosen if j.key in replies]
        print(f"  {channel + ' webhook to stored':32}{spread(stored)}")
        print(f"  {channel + ' webhook to reply sent':32}{spread(answered)}")

    print(
        f"\nsupporters: {len(supporters)} on the dashboard took {desk_figures.taken} of"
        f" {desk_figures.people} people who joined the queue, in {desk_figures.seconds:.1f} s"
        f" ({desk_figures.taken / desk_figures.seconds:.1f} a second, each said hello and ended)"
    )
    print(f"  {'supporter hello to the person':32}{spread(desk_figures.hello_to_sent)}")

    all_stored = [o.acked - o.started for o in outcomes.values()]
    p99 = percentile(all_stored, 99) * 1000
    print(
        f"\nmachine: {os.cpu_count()} cores, load average {load_before:.1f} before and"
        f" {os.getloadavg()[0]:.1f} after (the harness, fakes and service share them)"
    )
    print(f"memory: service peak RSS {peak:.0f} MB with {args.stored:,}+ conversations stored")
    print("\naims")
    print(f"  acknowledgements >= 0.9x the bare bot's: {acked_ratio:.2f}x")
    print(f"  p99 webhook to stored at {args.rate:g}/s: {p99:.1f} ms")
    first = [replies[j.key] - outcomes[j.key].started for j in jobs if j.key in replies]
    first_p99 = percentile(first, 99) * 1000
    print(f"  p99 first reply < 50 ms at {args.rate:g} new people/s: {first_p99:.1f} ms")
    for channel, chosen in by_channel.items():
        mine = [replies[j.key] - outcomes[j.key].started for j in chosen if j.key in replies]
        print(f"    {channel:10} p99 first reply {percentile(mine, 99) * 1000:8.1f} ms")
    print(f"  peak RSS < 300 MB: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
