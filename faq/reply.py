"""Reply composition: the sections of every reply, in the order safety requires.

Order: emergency or urgent prompt first (when the message reports a red flag), then notices,
the answer, the no-match text or a notice, then suggestions, the standing provider prompt and
the disclaimer last. A crisis (thoughts of self-harm) gets the crisis prompt with its helpline
in place of everything but the provider prompt and the disclaimer (and the prompt of a warning
sign reported with it): never an FAQ answer. Every
reply has the provider prompt and the disclaimer, and fits in one Telegram message: only the
answer text is ever shortened.
"""

from __future__ import annotations

from collections.abc import Sequence

from faq.model import Level, Match, Section, SectionKind, Texts
from faq.text import ELLIPSIS, shorten

__all__ = ["ELLIPSIS", "MAX_REPLY_CHARS", "SEPARATOR", "compose"]

MAX_REPLY_CHARS = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
SEPARATOR = "\n\n"


def compose(
    texts: Texts,
    *,
    level: Level,
    body: Section,
    suggestions: Sequence[Match] = (),
    notices: Sequence[str] = (),
    helpline: str = "",
    signs: Level = Level.NONE,
    limit: int = MAX_REPLY_CHARS,
) -> tuple[Section, ...]:
    """Build the reply's sections around ``body`` (an answer, no-match or notice section).

    ``notices`` (for example "your message was very long") come after the urgent prompts and
    before the body; under a crisis, after its prompts (there is no body). ``helpline``
    fills the crisis prompt's ``{helpline}``. ``signs`` is the level of a warning sign
    reported with a crisis ("I'm bleeding a lot and I want to die"): its prompt follows the
    crisis prompt.
    """
    tail = [
        Section(SectionKind.PROVIDER, texts.provider_prompt),
        Section(SectionKind.DISCLAIMER, texts.disclaimer),
    ]
    if level is Level.CRISIS:
        crisis = texts.crisis_prompt.replace("{helpline}", helpline or texts.crisis_helpline)
        notes = (Section(SectionKind.NOTICE, notice) for notice in notices if notice)
        return (Section(SectionKind.CRISIS, crisis), *_prompt(texts, signs), *notes, *tail)
    head = _prompt(texts, level)
    head.extend(Section(SectionKind.NOTICE, notice) for notice in notices if notice)
    if suggestions:
        lines = [texts.suggestions_intro, *(f"• {match.question}" for match in suggestions)]
        tail.insert(0, Section(SectionKind.SUGGESTIONS, "\n".join(lines)))
    fixed = sum(len(section.text) for section in (*head, *tail))
    room = limit - fixed - len(SEPARATOR) * (len(head) + len(tail))
    return (*head, Section(body.kind, shorten(body.text, room)), *tail)


def _prompt(texts: Texts, level: Level) -> list[Section]:
    """The prompt of a warning sign's level (none for a message that reports none)."""
    if level is Level.EMERGENCY:
        return [Section(SectionKind.EMERGENCY, texts.emergency_prompt)]
    if level is Level.URGENT:
        return [Section(SectionKind.URGENT, texts.urgent_prompt)]
    return []
