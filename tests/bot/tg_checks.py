"""Checks shared by the bot tests: what every reply must contain, and valid Telegram HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from faq import Engine

ALLOWED_TAGS = {"b", "i"}


def visible(markup: str) -> str:
    """The text a user sees once Telegram parses the HTML."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"unexpected tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")


def assert_valid_html(markup: str) -> None:
    """Only our own <b>/<i> tags, balanced; no bare '<' or '&' from content."""
    checker = _TagChecker()
    checker.feed(markup)
    checker.close()
    assert checker.problems == []
    assert checker.stack == []
    bare = re.sub(r"</?[bi]>", "", markup)
    assert "<" not in bare and ">" not in bare
    assert re.search(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", bare) is None


def assert_safe_reply(markup: str, engine: Engine) -> None:
    """A chat reply: valid HTML, provider prompt and disclaimer, disclaimer last."""
    assert_valid_html(markup)
    text = visible(markup)
    texts = engine.content.texts
    assert texts.provider_prompt in text
    assert text.endswith(texts.disclaimer)


def first_paragraph(markup: str) -> str:
    """The first paragraph of a reply, as seen."""
    return visible(markup).split("\n\n", 1)[0]


def button_rows(params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The inline keyboard of a recorded sendMessage (empty when there is none)."""
    markup = params.get("reply_markup") or {}
    return list(markup.get("inline_keyboard", []))


def callback_data(params: dict[str, Any]) -> list[str]:
    """Every callback_data of a recorded sendMessage's keyboard."""
    return [b["callback_data"] for row in button_rows(params) for b in row if "callback_data" in b]
