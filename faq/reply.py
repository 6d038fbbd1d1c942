"""Reply composition: the sections of every reply, in the order safety requires.

Order: emergency or urgent prompt first (when the message reports a red flag), then the answer,
the no-match text or a notice, then suggestions, the standing provider prompt and the
disclaimer last. Every reply has the provider prompt and the disclaimer, and fits in one
Telegram message: only the answer text is ever shortened.
"""

from __future__ import annotations

from collections.abc import Sequence

from faq.model import Level, Match, Section, SectionKind, Texts

MAX_REPLY_CHARS = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
SEPARATOR = "\n\n"
ELLIPSIS = "…"


def compose(
    texts: Texts,
    *,
    level: Level,
    body: Section,
    suggestions: Sequence[Match] = (),
    notice: str = "",
    limit: int = MAX_REPLY_CHARS,
) -> tuple[Section, ...]:
    """Build the reply's sections around ``body`` (an answer, no-match or notice section).

    ``notice`` (for example "your message was very long") comes after the urgent prompts and
    before the body.
    """
    head: list[Section] = []
    if level >= Level.EMERGENCY:
        head.append(Section(SectionKind.EMERGENCY, texts.emergency_prompt))
    elif level >= Level.URGENT:
        head.append(Section(SectionKind.URGENT, texts.urgent_prompt))
    if notice:
        head.append(Section(SectionKind.NOTICE, notice))
    tail: list[Section] = []
    if suggestions:
        lines = [texts.suggestions_intro, *(f"• {match.question}" for match in suggestions)]
        tail.append(Section(SectionKind.SUGGESTIONS, "\n".join(lines)))
    tail.append(Section(SectionKind.PROVIDER, texts.provider_prompt))
    tail.append(Section(SectionKind.DISCLAIMER, texts.disclaimer))
    fixed = sum(len(section.text) for section in (*head, *tail))
    room = limit - fixed - len(SEPARATOR) * (len(head) + len(tail))
    return (*head, Section(body.kind, shorten(body.text, room)), *tail)


def shorten(text: str, room: int) -> str:
    """Cut ``text`` to at most ``room`` characters at a word boundary, marking the cut."""
    if len(text) <= room:
        return text
    if room <= len(ELLIPSIS):
        return ELLIPSIS[: max(room, 0)]
    cut = text[: room - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS
