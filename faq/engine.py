"""The one entry point the command line and the bot call: ``Engine.answer(text) -> Answer``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from faq.loader import load_content
from faq.matcher import DEFAULT_MARGIN, DEFAULT_THRESHOLD, Matcher, asks_something
from faq.model import TEXT_NAMES, Answer, Content, Entry, Level, Match, Section, SectionKind
from faq.reply import compose
from faq.safety import MAX_MESSAGE_CHARS, UrgencyDetector
from faq.scorer import PACKAGED_SCORERS, Scorer, load_scorers
from faq.scripts import mostly_other_script
from faq.text import has_words, words

FOREIGN_MARKERS = 3  # different words of other languages that make a message "partly English"
_CONTROL = {codepoint: " " for codepoint in (*range(0x00, 0x20), 0x7F)}


def clean(text: str) -> str:
    """Make any input safe to process: control characters and null bytes become spaces."""
    text = text.translate(_CONTROL)
    # Lone surrogates (from broken input) cannot be encoded; drop them.
    return text.encode("utf-8", "ignore").decode("utf-8").strip()


@lru_cache(maxsize=1)
def packaged_scorers() -> tuple[Scorer, ...]:
    """The scorers shipped with the bot (``faq/data/scorers.json``), read once."""
    return load_scorers(PACKAGED_SCORERS)


class Engine:
    """Answers messages from one loaded FAQ. Immutable: reloading builds a new engine."""

    def __init__(
        self,
        content: Content,
        *,
        threshold: float | None = None,
        margin: float | None = None,
        helpline: str | None = None,
        abuse_helpline: str | None = None,
        scorers: Sequence[Scorer] | Literal["packaged"] = "packaged",
    ) -> None:
        """``scorers`` read the warning signs that no red-flag phrase names (the packaged
        scorers by default; ``()``: the phrases alone)."""
        self.content = content
        texts = content.texts
        # The texts put their own full stop after a helpline: "…116 123." would end in "..".
        self.helpline = (helpline or texts.crisis_helpline).rstrip(" .")
        self.abuse_helpline = (abuse_helpline or texts.abuse_helpline).rstrip(" .")
        # The notes of the red flags that have one (`note: abuse_note`), placeholders filled.
        self._flag_notes = {
            flag.id: getattr(texts, flag.note)
            .replace("{helpline}", self.helpline)
            .replace("{abuse_helpline}", self.abuse_helpline)
            for flag in content.red_flags
            if flag.note
        }
        self.matcher = Matcher(
            content,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            margin=DEFAULT_MARGIN if margin is None else margin,
        )
        # Emergency signs keep their prompt beside thoughts of harm (see answer()).
        self._emergency_flags = frozenset(
            flag.id for flag in content.red_flags if flag.level is Level.EMERGENCY
        )
        self.urgency = UrgencyDetector(
            content, packaged_scorers() if isinstance(scorers, str) else scorers
        )

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        threshold: float | None = None,
        margin: float | None = None,
        helpline: str | None = None,
        abuse_helpline: str | None = None,
        scorers: Sequence[Scorer] | Literal["packaged"] = "packaged",
    ) -> Engine:
        """Load the FAQ at ``path`` (None: the packaged FAQ).

        ``helpline`` is the deployment's crisis helpline (None: the FAQ's ``crisis_helpline``),
        ``abuse_helpline`` its domestic abuse helpline (None: the FAQ's ``abuse_helpline``).

        Raises:
            ContentError: the FAQ is invalid; every problem is listed as ``file:line: ...``.
        """
        content = load_content(path)
        return cls(
            content,
            threshold=threshold,
            margin=margin,
            helpline=helpline,
            abuse_helpline=abuse_helpline,
            scorers=scorers,
        )

    @property
    def topics(self) -> tuple[Entry, ...]:
        """Every FAQ entry, in YAML order."""
        return self.content.entries

    def answer(self, text: str, *, suggestions: int = 3) -> Answer:
        """Answer one message. Never raises for any text.

        Only the first ``MAX_MESSAGE_CHARS`` characters are matched (a longer message gets a
        notice saying so); warning signs are looked for in the whole message (up to
        ``MAX_SCAN_CHARS``), so a sign at the end of a long story is never missed.
        """
        cleaned = clean(text)
        question = cleaned[:MAX_MESSAGE_CHARS]
        texts = self.content.texts
        urgency = self.urgency.detect(cleaned)
        level = urgency.level
        mixed = level is Level.NONE and self._foreign_words(cleaned) >= FOREIGN_MARKERS
        # Under an emergency or a crisis there is no FAQ answer: no word on what was matched.
        answering = level < Level.EMERGENCY
        # The notes of the reported red flags (a domestic abuse helpline): kept under a crisis.
        flag_notes = dict.fromkeys(
            self._flag_notes[flag] for flag in urgency.flags if flag in self._flag_notes
        )
        notices = [
            *flag_notes,
            texts.too_long if len(cleaned) > MAX_MESSAGE_CHARS and answering else "",
            texts.history_note if urgency.history else "",
            texts.sign_note if urgency.calmed else "",
            texts.mood_note.replace("{helpline}", self.helpline)
            if (urgency.near_crisis or self._distress_only(cleaned)) and level < Level.EMERGENCY
            else "",
            texts.partly_english if mixed else "",
        ]

        # Under a crisis, an emergency sign reported with it keeps its prompt ("bleeding a
        # lot"); an urgent one does not: the crisis words themselves often name one ("hurting
        # myself" is a pain), and the provider prompt closes every reply.
        emergency = self._emergency_flags.intersection(urgency.flags)
        signs = Level.EMERGENCY if emergency else Level.NONE

        def reply(body: Section, others: tuple[Match, ...] = ()) -> tuple[Section, ...]:
            return compose(
                texts,
                level=level,
                body=body,
                suggestions=others,
                notices=list(flag_notes) if level is Level.CRISIS else notices,
                helpline=self.helpline,
                signs=signs,
            )

        if level is Level.CRISIS:  # no FAQ answer under a crisis
            sections = reply(Section(SectionKind.NOTICE, ""))
            return Answer(text, None, (), level, urgency.flags, sections)
        if level is Level.EMERGENCY:  # getting care comes first: no FAQ text under the prompt
            sections = reply(Section(SectionKind.NOTICE, texts.emergency_note))
            return Answer(text, None, (), level, urgency.flags, sections)
        if not any(char.isalpha() for char in question) or mostly_other_script(question):
            # No letters ("😭", "15", "1") asks nothing we can read; letters of another script
            # ("У меня кровотечение") are words we cannot read; a message mostly in Arabic or
            # an Indic script ("मुझे 20 weeks में...") is not matched on its few English words
            # either.
            foreign = any(char.isalpha() for char in question) and texts.not_english
            sections = reply(Section(SectionKind.NOTICE, foreign or texts.empty_input))
            return Answer(text, None, (), level, urgency.flags, sections)
        # A general question about a sign goes to the entry about signs when it is nearly as
        # close: "can a weak cervix cause bleeding?" ("cause" alone says risk factors).
        # A checklist's items are read as what they say ("Bleeding: none" is a denial,
        # "Discharge: normal" nothing), so that a log asks no question of the FAQ.
        result = self.matcher.match(
            self.urgency.checklists_read(question),
            suggestions=suggestions,
            signs=bool(urgency.asked),
        )
        match, others = result.match, result.suggestions
        told = level is Level.URGENT or urgency.history
        asked_nothing = told and not asks_something(question)
        if match is not None and asked_nothing:
            # A report that asks nothing ("my cervix is 1cm dilated at 20 weeks") gets the
            # prompt and the closest topics as buttons, not the answer to a question it did
            # not ask ("Sadly, many women don't receive a diagnosis until..."); so does a
            # sign told of as over ("bled a bit last week, seen by doc, all ok now"), under
            # the note to tell the provider.
            others = (match, *others)[:suggestions]
            match = None
        entry = self.content.entry(match.id) if match else None
        if entry is not None:
            sections = reply(Section(SectionKind.ANSWER, entry.answer))
            return Answer(text, match, others, level, urgency.flags, sections, entry)
        if not others:
            others = tuple(self._default_suggestions(suggestions))
        # Words but no topic at all ("hi", "thanks!"), or a past sign told with no question:
        # a friendly pointer, not an apology.
        no_topic = (not result.analysis.content or asked_nothing) and texts.no_topic
        # Under the urgent prompt ("call your provider today"), no apology either: the
        # questions go to the provider the prompt sends them to.
        no_match = texts.sign_no_match if level is Level.URGENT else no_topic or texts.no_match
        sections = reply(Section(SectionKind.NO_MATCH, no_match), others)
        return Answer(text, None, others, level, urgency.flags, sections)

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
        text = getattr(texts, key, "") if key in TEXT_NAMES else ""
        text = text or texts.error
        body = Section(SectionKind.NOTICE, text)
        sections = compose(texts, level=Level.NONE, body=body)
        return Answer("", None, (), Level.NONE, (), sections)

    def _distress_only(self, text: str) -> bool:
        """Whether a message of no words has an emoji of distress ("😭😭😭")."""
        distress = self.content.lexicon.distress_emoji
        return not has_words(text) and any(emoji in text for emoji in distress)

    def _foreign_words(self, text: str) -> int:
        """How many different words of other languages (``foreign_markers``) ``text`` has."""
        markers = self.content.lexicon.foreign_markers
        return len(markers.intersection(words(text[:MAX_MESSAGE_CHARS]))) if markers else 0

    def _default_suggestions(self, count: int) -> list[Match]:
        """The first topics, offered when nothing in the message is close to any topic."""
        return [Match(e.id, e.question, 0.0) for e in self.content.entries[:count]]
