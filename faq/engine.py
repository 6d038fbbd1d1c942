"""The one entry point the command line and the bot call: ``Engine.answer(text) -> Answer``."""

from __future__ import annotations

from pathlib import Path

from faq.loader import load_content
from faq.matcher import DEFAULT_MARGIN, DEFAULT_THRESHOLD, Matcher
from faq.model import Answer, Content, Entry, Level, Match, Section, SectionKind
from faq.reply import compose
from faq.safety import MAX_SCAN_CHARS, UrgencyDetector
from faq.text import has_words

_CONTROL = {codepoint: " " for codepoint in (*range(0x00, 0x20), 0x7F)}


def clean(text: str) -> str:
    """Make any input safe to process: control characters and null bytes become spaces."""
    text = text.translate(_CONTROL)
    # Lone surrogates (from broken input) cannot be encoded; drop them.
    return text.encode("utf-8", "ignore").decode("utf-8").strip()


class Engine:
    """Answers messages from one loaded FAQ. Immutable: reloading builds a new engine."""

    def __init__(
        self,
        content: Content,
        *,
        threshold: float | None = None,
        margin: float | None = None,
    ) -> None:
        self.content = content
        self.matcher = Matcher(
            content,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            margin=DEFAULT_MARGIN if margin is None else margin,
        )
        self.urgency = UrgencyDetector(content)

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        threshold: float | None = None,
        margin: float | None = None,
    ) -> Engine:
        """Load the FAQ at ``path`` (None: the packaged FAQ).

        Raises:
            ContentError: the FAQ is invalid; every problem is listed as ``file:line: ...``.
        """
        return cls(load_content(path), threshold=threshold, margin=margin)

    @property
    def topics(self) -> tuple[Entry, ...]:
        """Every FAQ entry, in YAML order."""
        return self.content.entries

    def answer(self, text: str, *, suggestions: int = 3) -> Answer:
        """Answer one message. Never raises for any text."""
        question = clean(text)
        texts = self.content.texts
        urgency = self.urgency.detect(question)
        if not has_words(question):
            body = Section(SectionKind.NOTICE, texts.empty_input)
            sections = compose(texts, level=urgency.level, body=body)
            return Answer(text, None, (), urgency.level, urgency.flags, sections)
        result = self.matcher.match(question, suggestions=suggestions)
        match, others = result.match, result.suggestions
        entry = self.content.entry(match.id) if match else None
        notice = texts.get("too_long") if len(question) > MAX_SCAN_CHARS else ""
        if entry is not None:
            body = Section(SectionKind.ANSWER, entry.answer)
            sections = compose(texts, level=urgency.level, body=body, notice=notice)
        else:
            if not others:
                others = tuple(self._default_suggestions(suggestions))
            # Words but no topic at all ("hi", "thanks!"): a friendly pointer, not an apology.
            no_topic = not result.analysis.content and texts.get("no_topic")
            body = Section(SectionKind.NO_MATCH, no_topic or texts.no_match)
            sections = compose(
                texts, level=urgency.level, body=body, suggestions=others, notice=notice
            )
        return Answer(text, match, others, urgency.level, urgency.flags, sections, entry)

    def entry_answer(self, entry_id: str) -> Answer | None:
        """A topic's answer as if it had been matched (for buttons); None for an unknown id."""
        entry = self.content.entry(entry_id)
        if entry is None:
            return None
        body = Section(SectionKind.ANSWER, entry.answer)
        sections = compose(self.content.texts, level=Level.NONE, body=body)
        match = Match(entry.id, entry.question, 100.0)
        return Answer(entry.question, match, (), Level.NONE, (), sections, entry)

    def notice(self, key: str) -> Answer:
        """A short notice (``texts[key]``) with the provider prompt and the disclaimer."""
        texts = self.content.texts
        text = texts.get(key) or getattr(texts, key, "") or texts.error
        body = Section(SectionKind.NOTICE, text)
        sections = compose(texts, level=Level.NONE, body=body)
        return Answer("", None, (), Level.NONE, (), sections)

    def _default_suggestions(self, count: int) -> list[Match]:
        """The first topics, offered when nothing in the message is close to any topic."""
        return [Match(e.id, e.question, 0.0) for e in self.content.entries[:count]]
