"""The content model: frozen dataclasses for FAQ entries, safety texts and answers.

Nothing here imports Telegram; the bot and the command line both render these objects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Source:
    """Where the FAQ's facts come from."""

    title: str
    author: str
    date: str
    url: str = ""

    def notice_values(self, botname: str) -> dict[str, str]:
        """The values of the placeholders of notices (``NOTICE_PLACEHOLDERS``)."""
        return {"botname": botname, "title": self.title, "author": self.author, "date": self.date}


@dataclass(frozen=True, slots=True)
class Entry:
    """One FAQ topic: a canonical question, other phrasings and the answer."""

    id: str
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sign_questions: bool = False  # answers general questions about warning signs

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question followed by every alternative phrasing."""
        return (self.question, *self.alternatives)


class Level(enum.IntEnum):
    """How urgent a message is; higher is more urgent."""

    NONE = 0
    URGENT = 1  # call your provider today
    EMERGENCY = 2  # go to hospital / call the emergency number now
    CRISIS = 3  # thoughts of harming oneself or the baby: a helpline, never an FAQ answer


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A warning sign: phrases that, reported by the user, make a message urgent.

    A phrase ``"a + b"`` is reported when both parts are, in one sentence ("headache +
    blurry"). ``exceptions`` are phrases where the same words mean something else ("blood
    pressure", "faint line"): a phrase found inside one of them does not count.
    """

    id: str
    level: Level
    phrases: tuple[str, ...]
    sign: str = ""  # the warning sign in words, as listed in the README
    source: str = ""  # where the sign and its level come from
    exceptions: tuple[str, ...] = ()
    note: str = ""  # the name of a text added to the reply when this flag is reported


@dataclass(frozen=True, slots=True)
class Subject:
    """A question next to the FAQ that it does not answer ("when is the stitch removed?").

    Scored like an entry: when one is closer to a message than every entry, the bot says it
    has no answer instead of answering the nearest entry.
    """

    id: str
    question: str
    alternatives: tuple[str, ...] = ()

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternatives)


@dataclass(frozen=True, slots=True)
class Sense:
    """A word whose meaning depends on the message: it becomes ``means`` only when one of
    ``when`` is in the message (if given) and none of ``unless`` is."""

    means: str
    when: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()

    def applies(self, context: frozenset[str]) -> bool:
        return (not self.when or bool(self.when & context)) and not self.unless & context


@dataclass(frozen=True, slots=True)
class Texts:
    """Every fixed text the bot sends, kept in YAML (``texts.yaml``) so moderators can edit
    them. Each one is explained in that file."""

    # Safety texts: attached to replies by the engine.
    disclaimer: str
    provider_prompt: str
    urgent_prompt: str
    emergency_prompt: str
    crisis_prompt: str
    crisis_helpline: str
    abuse_note: str
    abuse_helpline: str
    emergency_note: str
    # Replies of the engine.
    not_english: str
    partly_english: str
    history_note: str
    mood_note: str
    sign_note: str
    no_match: str
    sign_no_match: str
    no_topic: str
    suggestions_intro: str
    empty_input: str
    error: str
    not_text: str
    too_long: str
    # `faqbot chat`.
    chat_welcome: str
    chat_topics_intro: str
    chat_no_topic: str
    chat_help: str
    # Telegram.
    welcome: str
    help: str
    about: str
    topics_intro: str
    topics_button: str
    topics_previous: str
    topics_next: str
    flood: str
    stale_button: str
    button_alert: str
    group_ask_hint: str
    group_welcome: str
    unknown_command: str
    read_more_button: str
    inline_no_match_title: str
    inline_no_match_description: str
    inline_no_match: str
    inline_urgent_title: str
    inline_continue: str
    inline_open_private: str
    feedback_helpful: str
    feedback_not_helpful: str
    feedback_thanks: str


#: Every text's name, in the order of :class:`Texts`.
TEXT_NAMES: tuple[str, ...] = tuple(Texts.__dataclass_fields__)
#: The placeholders filled in every notice (welcome, help, about...): the bot's @name and the
#: source of the FAQ.
NOTICE_PLACEHOLDERS = frozenset({"botname", "title", "author", "date"})
#: Texts sent as notices, where :data:`NOTICE_PLACEHOLDERS` are filled in.
NOTICE_TEXTS = frozenset(
    {
        "welcome", "help", "about", "topics_intro", "flood", "stale_button", "group_ask_hint",
        "group_welcome",
        "unknown_command", "error", "not_text", "inline_no_match", "chat_welcome",
        "chat_topics_intro", "chat_help", "chat_no_topic",
    }
)
#: Placeholders a text must use: without them the text would lose what matters in it.
REQUIRED_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "crisis_prompt": frozenset({"helpline"}),
    "mood_note": frozenset({"helpline"}),
    "abuse_note": frozenset({"abuse_helpline"}),
    "chat_no_topic": frozenset({"number"}),
}


def allowed_placeholders(name: str) -> frozenset[str]:
    """The placeholders the text ``name`` may use (none for most texts)."""
    notice = NOTICE_PLACEHOLDERS if name in NOTICE_TEXTS else frozenset()
    return notice | REQUIRED_PLACEHOLDERS.get(name, frozenset())


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Language data for matching: abbreviations, synonyms and stopwords."""

    abbreviations: dict[str, str] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    negations: frozenset[str] = frozenset()
    negations_after: frozenset[str] = frozenset()  # "nahi": denies the sign just before it
    # "na": a negation only when twice in a clause ("na spotting na cramps": neither... nor);
    # once, it is something else (Hindi "isn't it?", Tagalog "already" or a linker)
    paired_negations: frozenset[str] = frozenset()
    # Tagalog "ang", "ng", "po": in a clause with one, "na" is a linker even when twice
    # ("gusto kong suntukin ... para matapos na")
    unpaired_markers: frozenset[str] = frozenset()
    general_question_words: frozenset[str] = frozenset()
    first_person: frozenset[str] = frozenset()
    other_topics: frozenset[str] = frozenset()  # subjects the FAQ does not answer
    emoji: dict[str, str] = field(default_factory=dict)  # "🩸" -> "blood"
    senses: dict[str, Sense] = field(default_factory=dict)  # context-dependent synonyms
    fillers: frozenset[str] = frozenset()  # "um", "so": skipped at the start of a sentence
    asides: frozenset[str] = frozenset()  # "i mean", "i wonder": the writer, reporting nothing
    report_words: frozenset[str] = frozenset()  # "is it normal", "normal?": asking about oneself
    general_markers: frozenset[str] = frozenset()  # "every woman", "just wondering"
    # "can a weak cervix cause fainting?": a question about what a condition causes
    cause_questions: frozenset[str] = frozenset()
    history_words: frozenset[str] = frozenset()  # "last pregnancy": a past event
    present_words: frozenset[str] = frozenset()  # "now", "today": happening now
    recent_words: frozenset[str] = frozenset()  # "yesterday", "still": a sign of these days
    settled_words: frozenset[str] = frozenset()  # "ago", "fine": "fine now" is not "now"
    not_the_writer: frozenset[str] = frozenset()  # "coworker", "dog": someone else's sign
    not_a_report: frozenset[str] = frozenset()  # "not pregnant", "not literally"
    hypothetical_markers: frozenset[str] = frozenset()  # "what if", "what to do if"
    told_after_if: frozenset[str] = frozenset()  # "i am": "is it bad if I'm bleeding"
    recovered_words: frozenset[str] = frozenset()  # "got help", "better now": a crisis is over
    relapse_words: frozenset[str] = frozenset()  # "coming back", "lately": ... unless it is back
    resolved_words: frozenset[str] = frozenset()  # "nothing since": the signs before are over
    # "at 9 weeks ... got checked ... all fine ... 16 weeks now": a sign placed weeks back,
    # seen to and over (see faq/safety.py, UrgencyDetector._after_resolution)
    earlier_words: frozenset[str] = frozenset()  # "last week", "in the first trimester"
    checked_words: frozenset[str] = frozenset()  # "got checked", "scanned", "went to triage"
    over_words: frozenset[str] = frozenset()  # "all fine", "went away", "ever since"
    continuing_words: frozenset[str] = frozenset()  # "still", "on and off": not over
    # "Bleeding: none", "cramps - no", "spotting ✗": a value after a sign that denies it
    checklist_denials: frozenset[str] = frozenset()
    # "Discharge: normal", "movements - fine": an item said to be as usual is no sign at all
    checklist_normal: frozenset[str] = frozenset()
    distress_emoji: frozenset[str] = frozenset()  # "😭": emoji alone get the mood note
    sounds_like: frozenset[str] = frozenset()  # words found by their sound ("sir clash")
    # Common words of other languages people mix in ("hai", "kya"): a message with several
    # gets a note that the bot reads English best.
    foreign_markers: frozenset[str] = frozenset()
    # A sentence with two or more of these reads as Hindi/Urdu: there "me" is "in", "peed"
    # pain and "sir" the head (hindi_abbreviations), not the writer, a wee and a title.
    hindi_words: frozenset[str] = frozenset()
    hindi_abbreviations: dict[str, str] = field(default_factory=dict)
    # Words of other scripts and the Latin words they are ("نزيف" -> "bleeding"): read before
    # the warning-sign check (faq.scripts).
    script_words: dict[str, str] = field(default_factory=dict)
    foreign_words: dict[str, str] = field(default_factory=dict)  # "sangramento" -> "bleeding"
    # Named groups of words that red-flag phrases use as "{name}" ("{fluid} + {down_there}").
    word_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)


class Severity(enum.Enum):
    """How bad a problem in the FAQ content is."""

    ERROR = "error"  # the bot would misbehave: the content is refused
    WARNING = "warning"  # style or a likely mistake: the bot still works


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in the FAQ content, where it is (line 0: the file or folder as a whole)."""

    file: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        label = "" if self.error else "warning: "
        return f"{self.where}: {label}{self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line or None,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ContentTest:
    """A message written in the content that must (or must not) land on an entry or raise a
    red flag; ``faqbot check`` and every reload run them all."""

    kind: str  # "entry" or "red flag"
    target: str  # the entry or red flag id
    text: str
    expected: bool  # True: must_match; False: must_not_match
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Content:
    """Everything loaded from the FAQ YAML folder."""

    source: Source
    entries: tuple[Entry, ...]
    texts: Texts
    red_flags: tuple[RedFlag, ...]
    lexicon: Lexicon
    not_answered: tuple[Subject, ...] = ()
    files: tuple[str, ...] = ()
    locations: dict[str, str] = field(default_factory=dict)  # entry id -> "file:line"
    # (entry id, alternative) -> (file, line), for the alternatives written in entries
    phrasing_lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    tests: tuple[ContentTest, ...] = ()
    warnings: tuple[Problem, ...] = ()  # problems that do not stop the content from loading
    _by_id: dict[str, Entry] = field(default_factory=dict, init=False, compare=False, repr=False)

    def entry(self, entry_id: str) -> Entry | None:
        """Return the entry with this id, or None."""
        if not self._by_id and self.entries:
            self._by_id.update((item.id, item) for item in self.entries)
        return self._by_id.get(entry_id)


@dataclass(frozen=True, slots=True)
class Match:
    """A scored FAQ entry for a question; ``score`` is 0–100."""

    id: str
    question: str
    score: float


class SectionKind(enum.Enum):
    """The parts a reply is built from, in the order they are shown."""

    CRISIS = "crisis"  # the crisis prompt with a helpline (thoughts of self-harm)
    EMERGENCY = "emergency"  # the emergency prompt (urgent care now)
    URGENT = "urgent"  # the prompt to contact a provider about a reported symptom
    ANSWER = "answer"  # the FAQ answer text
    NO_MATCH = "no_match"  # no confident answer
    NOTICE = "notice"  # empty input, error and other short notices
    SUGGESTIONS = "suggestions"  # "did you mean" list of close topics
    PROVIDER = "provider"  # the standing prompt to contact a healthcare provider
    DISCLAIMER = "disclaimer"  # not medical advice


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a reply."""

    kind: SectionKind
    text: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine says about one message.

    ``sections`` is the reply in display order (urgent prompts first, disclaimer last);
    ``reply`` joins them as plain text. The bot renders the sections itself (HTML, buttons).
    """

    question: str
    match: Match | None
    suggestions: tuple[Match, ...]
    level: Level
    flags: tuple[str, ...]
    sections: tuple[Section, ...]
    entry: Entry | None = None

    @property
    def urgent(self) -> bool:
        """True when the message reports a symptom or red flag."""
        return self.level >= Level.URGENT

    @property
    def reply(self) -> str:
        """The full plain-text reply, disclaimer included."""
        return "\n\n".join(section.text for section in self.sections)

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of ``faqbot ask --json``."""
        return {
            "question": self.question,
            "match": _match_json(self.match) if self.match else None,
            "suggestions": [_match_json(item) for item in self.suggestions],
            "urgent": self.urgent,
            "level": self.level.name.lower(),
            "reply": self.reply,
        }


def _match_json(match: Match) -> dict[str, object]:
    return {"id": match.id, "question": match.question, "score": round(match.score, 1)}
