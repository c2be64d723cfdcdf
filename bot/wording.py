"""The reviewed wording in ``messages/``: Jinja2 templates per locale, strict undefined.

Replies render to plain text here; each channel then escapes or reshapes that text
for its own medium (Telegram HTML, SMS GSM-7, JSON for the web chat).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from bot.engine import Reply

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "messages"
DEFAULT_LOCALE = "en-GB"
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A reply in words: its text, its options as (id, label), and whether it is urgent."""

    key: str
    text: str
    options: tuple[tuple[str, str], ...]
    urgent: bool


class Wording:
    """Renders message keys and option labels from ``messages/<locale>/``."""

    def __init__(self, globals_: Mapping[str, Any], root: Path = DEFAULT_ROOT) -> None:
        self.root = root
        self._globals = dict(globals_)
        self._texts: dict[str, jinja2.Environment] = {}
        self._pages: dict[str, jinja2.Environment] = {}
        self._locales: dict[str, str] = {}
        self._risk_names: dict[Path, dict[str, Any]] = {}

    def locales(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())

    def _locale(self, locale: str) -> str:
        # Looked up once per locale, not once per reply (a file system call each time).
        if locale not in self._locales:
            self._locales[locale] = locale if (self.root / locale).is_dir() else DEFAULT_LOCALE
        return self._locales[locale]

    def warm(self, locale: str = DEFAULT_LOCALE) -> None:
        """Compile every reply, option and notice template now, at start-up, rather than
        on the first person each one reaches (a few milliseconds each, on the event loop
        while others wait)."""
        env = self._text_env(self._locale(locale))
        for folder in ("replies", "options", "ui"):
            for path in sorted((self.root / self._locale(locale) / folder).glob("*.j2")):
                env.get_template(f"{folder}/{path.name}")

    def _text_env(self, locale: str) -> jinja2.Environment:
        if locale not in self._texts:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(self.root / locale),
                undefined=jinja2.StrictUndefined,
                autoescape=False,  # plain text; channels escape for their own markup
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=False,
                # The words are read at start-up (a restart picks up changes): no check
                # of each file's time on every reply.
                auto_reload=False,
            )
            env.globals.update(self._globals)
            self._texts[locale] = env
        return self._texts[locale]

    def _page_env(self, locale: str) -> jinja2.Environment:
        if locale not in self._pages:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(self.root / locale),
                undefined=jinja2.StrictUndefined,
                autoescape=True,
                auto_reload=False,
            )
            env.globals.update(self._globals)
            self._pages[locale] = env
        return self._pages[locale]

    def text(self, key: str, locale: str = DEFAULT_LOCALE, **values: Any) -> str:
        template = self._text_env(self._locale(locale)).get_template(f"replies/{key}.j2")
        return _tidy(template.render(**values))

    def label(self, option: str, locale: str = DEFAULT_LOCALE) -> str:
        template = self._text_env(self._locale(locale)).get_template(f"options/{option}.j2")
        return _tidy(template.render())

    def ui(self, name: str, locale: str = DEFAULT_LOCALE, **values: Any) -> str:
        """Words around the conversation (the terminal chat, start-up lines)."""
        template = self._text_env(self._locale(locale)).get_template(f"ui/{name}.j2")
        return _tidy(template.render(**values))

    def render(
        self, reply: Reply, locale: str = DEFAULT_LOCALE, channel: str | None = None
    ) -> Rendered:
        """``channel`` lets a template say what only one medium can do (share a location
        on Telegram); None where the reply is not for one channel (a desk preview)."""
        values = {"channel": channel, **reply.values}
        return Rendered(
            key=reply.key,
            text=self.text(reply.key, locale, **values),
            options=tuple((str(o), self.label(o, locale)) for o in reply.options),
            urgent=reply.urgent,
        )

    def page(self, name: str, locale: str = DEFAULT_LOCALE, **context: Any) -> str:
        """An HTML page for people (the web chat), autoescaped."""
        return self._page_env(self._locale(locale)).get_template(f"web/{name}").render(**context)

    def dashboard(self, name: str, locale: str = DEFAULT_LOCALE, **context: Any) -> str:
        """A page for leads and supporters (the dashboard), autoescaped."""
        env = self._page_env(self._locale(locale))
        return env.get_template(f"dashboard/{name}").render(**context)

    def risk_names(self, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
        """The reviewed names of what the risk check raises (``bot.peer.risk_names``)."""
        path = self.root / self._locale(locale) / "dashboard" / "risk_names.yaml"
        cached = self._risk_names.get(path)
        if cached is None:
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            cached = loaded if isinstance(loaded, dict) else {}
            self._risk_names[path] = cached
        return cached

    def dashboard_words(self, name: str, locale: str = DEFAULT_LOCALE) -> Any:
        """What a dashboard template sets with ``{% set %}``: words for text outside HTML,
        such as a CSV export."""
        return self._page_env(self._locale(locale)).get_template(f"dashboard/{name}").module


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines))
