"""Loading and validating the FAQ YAML.

A folder (or a single file) of YAML is read with a ``yaml.SafeLoader`` subclass that only adds
line numbers. Every problem found is collected, each as ``file:line: message``, and reported
together in a :class:`ContentError`. Parts a folder does not define (texts, red flags,
synonyms) come from the packaged FAQ, so a moderator may ship only entries. A file that is
too large, too deeply nested or an alias bomb is refused before it is built
(:mod:`faq.yamlguard`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process

from faq import yamlguard
from faq.model import (
    REQUIRED_PLACEHOLDERS,
    TEXT_NAMES,
    Content,
    ContentTest,
    Entry,
    Level,
    Lexicon,
    Problem,
    RedFlag,
    Sense,
    Severity,
    Source,
    Subject,
    Texts,
    allowed_placeholders,
)
from faq.scripts import NATIVE_WORDS
from faq.text import fold, has_words, words

PACKAGED_DATA = Path(__file__).parent / "data"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ANSWER_CHARS = 3000  # leaves room for the safety texts within Telegram's 4096
REQUIRED_TEXTS = TEXT_NAMES  # every text; a moderator's folder takes missing ones from ours
_PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")
GROUP_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_EXPANSIONS = 5000  # phrases one red-flag phrase may stand for once its {groups} are filled
TEST_KEYS = ("must_match", "must_not_match")
ENTRY_KEYS = {
    "id", "question", "alternatives", "keywords", "answer", "related", "sign_questions",
    *TEST_KEYS,
}
TOP_LEVEL_KEYS = {
    "source": "where the facts come from (title, author, date)",
    "entries": "the FAQ topics",
    "texts": "the fixed texts the bot sends",
    "red_flags": "warning signs that make a message urgent",
    "abbreviations": "texting shorthand",
    "synonyms": "lay words and the FAQ's words",
    "stopwords": "words with no topic of their own",
    "negations": "words that deny a symptom",
    "negations_after": "words that deny the symptom just before them (Hindi/Urdu nahi)",
    "paired_negations": "words that deny what follows when twice in a clause (na X na Y)",
    "unpaired_markers": "words of a language where a paired negation is a linker (Tagalog ang)",
    "general_question_words": "words of general questions about symptoms",
    "first_person": "words of the writer talking about themselves",
    "other_topics": "subjects this FAQ does not answer",
    "not_answered": "questions next to the FAQ that it does not answer",
    "phrasings": "more phrasings of entries, by entry id",
    "emoji": "emoji and the words they stand for",
    "script_words": "words of other scripts (Arabic, Devanagari...) and the Latin words they are",
    "foreign_words": "words of other languages in Latin letters and the English words they are",
    "senses": "words whose meaning depends on the rest of the message",
    "fillers": "words skipped at the start of a sentence",
    "asides": "phrases of the writer that report nothing (i mean, i wonder)",
    "report_words": "words of a question about one's own symptom",
    "general_markers": "words of a statement or question about people in general",
    "cause_questions": "words of a question about what a condition causes (can it cause)",
    "history_words": "words of a past event",
    "present_words": "words of something happening now",
    "recent_words": "words that place a sign in these days (yesterday, still, since)",
    "settled_words": "words that make a following 'now' a past event (years ago now)",
    "not_the_writer": "words of someone or something else having the sign",
    "not_a_report": "words that make a whole sentence not a report of a sign",
    "hypothetical_markers": "words after which a sign is what may happen, not what happens",
    "told_after_if": "words that, after a hypothetical marker, tell of what happens (if I'm)",
    "recovered_words": "words that say a past crisis is over (got help, better now)",
    "relapse_words": "words that say a past crisis is back (coming back, lately)",
    "resolved_words": "words that say the signs told before them are over (nothing since)",
    "earlier_words": "words that place a sign weeks back (last week, first trimester)",
    "checked_words": "words that say a sign was seen to (got checked, scanned, triage)",
    "over_words": "words that say a sign seen to weeks back is over (all fine, went away)",
    "continuing_words": "words that say a sign goes on (still, on and off)",
    "checklist_denials": "values that deny the sign before them (Bleeding: none; cramps ✗)",
    "checklist_normal": "values that say the item before them is as usual (Discharge: normal)",
    "distress_emoji": "emoji of distress: a message of emoji alone with one gets the mood note",
    "sounds_like": "topic words found by their sound (speech-to-text)",
    "foreign_markers": "common words of other languages: several in a message add a note",
    "hindi_words": "common Hindi/Urdu words: two in a sentence make it read as Hindi",
    "hindi_abbreviations": "words that mean something else in a Hindi sentence (me: in)",
    "word_groups": "named groups of words that red-flag phrases use as {name}",
}
LEXICON_LISTS = (
    "stopwords",
    "negations",
    "negations_after",
    "paired_negations",
    "unpaired_markers",
    "general_question_words",
    "first_person",
    "other_topics",
    "fillers",
    "asides",
    "report_words",
    "general_markers",
    "cause_questions",
    "history_words",
    "present_words",
    "recent_words",
    "settled_words",
    "not_the_writer",
    "not_a_report",
    "hypothetical_markers",
    "told_after_if",
    "recovered_words",
    "relapse_words",
    "resolved_words",
    "earlier_words",
    "checked_words",
    "over_words",
    "continuing_words",
    "sounds_like",
    "foreign_markers",
    "hindi_words",
)
LEVELS = {"urgent": Level.URGENT, "emergency": Level.EMERGENCY, "crisis": Level.CRISIS}
RED_FLAG_KEYS = ("id", "level", "sign", "source", "phrases", "except", "note", *TEST_KEYS)
#: The texts a red flag may add to its replies (``note:``): the engine's notes.
FLAG_NOTES = tuple(name for name in TEXT_NAMES if name.endswith("_note"))
SENSE_KEYS = ("means", "when", "unless")
SUBJECT_KEYS = ("id", "question", "alternatives")


class ContentError(Exception):
    """The FAQ content is invalid. ``details`` holds every problem (errors and warnings found
    on the way); ``problems`` the same as ``file:line: message`` lines."""

    def __init__(self, problems: list[Problem]) -> None:
        self.details = problems
        self.problems = [str(problem) for problem in problems]
        super().__init__("\n".join(self.problems))


class _Map(dict[Any, Any]):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class _Seq(list[Any]):
    """A list that remembers the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser when PyYAML was built with it (much faster on large FAQs); same safety.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that records line numbers and duplicate keys; it constructs nothing
    unsafe (only the standard YAML tags of ``yaml.safe_load``)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            loader.duplicates.append((line, "a key must be plain text, not a list or mapping"))
            continue
        if key in result:
            loader.duplicates.append((line, f"duplicate key '{key}' (the later one would win)"))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


@dataclass
class _Collector:
    """Collects problems and the parts of the content, across files."""

    problems: list[Problem] = field(default_factory=list)
    source: Source | None = None
    entries: list[tuple[Entry, str, int]] = field(default_factory=list)
    ids: list[tuple[str, str, int]] = field(default_factory=list)  # every id seen, even invalid
    texts: dict[str, str] | None = None
    texts_at: tuple[str, int] = ("", 1)  # where 'texts:' was defined
    red_flags: list[RedFlag] | None = None
    not_answered: list[Subject] | None = None
    phrasings: list[tuple[str, tuple[str, ...], str, int]] = field(default_factory=list)
    lexicon: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    tests: list[ContentTest] = field(default_factory=list)
    flag_phrases: list[tuple[str, str, str, int]] = field(default_factory=list)
    related_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # files that are not valid YAML
    phrasing_lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def add(self, where: str, line: int, message: str, *, warning: bool = False) -> None:
        severity = Severity.WARNING if warning else Severity.ERROR
        self.problems.append(Problem(where, line, message, severity))

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.error]


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def _line(container: Any, key: Any, default: int) -> int:
    if isinstance(container, _Map):
        return container.key_lines.get(key, container.line)
    return default


def _text(value: Any) -> str | None:
    """A scalar as text (dates and numbers too), or None when it is not a scalar."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float | dt.date):
        return str(value)
    return None


def _text_items(
    c: _Collector, where: str, container: _Map, key: str, label: str
) -> list[tuple[str, int]]:
    """The texts of ``container[key]`` (a list, or one text) with their lines; an item that
    is not text is reported."""
    value = container.get(key)
    line = _line(container, key, container.line)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        c.add(where, line, f"{label}: '{key}' must be a list of texts")
        return []
    out: list[tuple[str, int]] = []
    for index, item in enumerate(value):
        item_line = value.item_lines[index] if isinstance(value, _Seq) else line
        text = _text(item)
        if isinstance(item, bool):
            c.add(
                where,
                item_line,
                f"{label}: an item of '{key}' was read as {str(item).lower()}; put words such "
                "as yes, no, on and off in quotes",
            )
            continue
        if isinstance(item, dict):
            c.add(
                where,
                item_line,
                f"{label}: an item of '{key}' was read as a key and a value (a colon and a "
                "space make one); put the whole text in quotes",
            )
            continue
        if text is None or not text.strip():
            c.add(where, item_line, f"{label}: every item of '{key}' must be non-empty text")
            continue
        out.append((text.strip(), item_line))
    return out


def _text_list(
    c: _Collector, where: str, container: _Map, key: str, label: str
) -> tuple[str, ...]:
    return tuple(text for text, _ in _text_items(c, where, container, key, label))


def _content_tests(
    c: _Collector, where: str, item: _Map, label: str, kind: str, target: str
) -> None:
    """Read ``must_match`` and ``must_not_match`` of an entry or a red flag."""
    for key in TEST_KEYS:
        for text, line in _text_items(c, where, item, key, label):
            c.tests.append(ContentTest(kind, target, text, key == "must_match", where, line))


def _refused(c: _Collector, where: str, refused: yamlguard.Refused) -> None:
    """A file refused by a limit of :mod:`faq.yamlguard` (billion laughs, thousands of levels,
    megabytes): nothing a moderator writes by hand."""
    c.add(where, refused.line or 1, f"refused: {refused.reason}; is this really an FAQ file?")
    c.unreadable.append(where)


def _parse_file(c: _Collector, path: Path) -> None:
    where = str(path)
    try:
        raw = yamlguard.read_text(path, yamlguard.FAQ_LIMITS)
    except yamlguard.Refused as exc:
        _refused(c, where, exc)
        return
    except (OSError, UnicodeDecodeError) as exc:
        c.add(where, 1, f"cannot read this file ({exc})")
        return
    loader = _LineLoader(raw)
    try:
        data = yamlguard.load(loader, yamlguard.FAQ_LIMITS)
    except yamlguard.Refused as exc:
        _refused(c, where, exc)
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        context = getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        started = str(getattr(exc, "context", "") or "")
        if context is not None and context.line + 1 < line and "quoted" in started:
            # An unclosed quote or bracket: point at where it started.
            problem = f"{problem} (in what starts here and runs on to line {line})"
            line = context.line + 1
        hint = ""
        if "indent" in str(problem) or "mapping values" in str(problem) or "expected" in str(
            problem
        ):
            hint = " (check the indentation and that texts with ':' are quoted)"
        text_line = raw.splitlines()[line - 1].strip() if 0 < line <= len(raw.splitlines()) else ""
        if text_line.lstrip("- ").startswith("{"):
            hint += " (a text that starts with '{' must be in double quotes: - \"{fluid} + ...\")"
        c.add(where, line, f"not valid YAML: {problem}{hint}")
        c.unreadable.append(where)
        return
    finally:
        loader.dispose()
    c.files.append(where)
    for line, message in loader.duplicates:
        c.add(where, line, message)
    if data is None:
        c.add(where, 1, "the file is empty")
        return
    if not isinstance(data, _Map):
        c.add(where, 1, "the file must be a mapping with keys such as 'source:' and 'entries:'")
        return
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            known = ", ".join(TOP_LEVEL_KEYS)
            c.add(where, _line(data, key, 1), f"unknown top-level key '{key}' (known: {known})")
    if "source" in data:
        _parse_source(c, where, data)
    if "entries" in data:
        _parse_entries(c, where, data)
    if "texts" in data:
        _parse_texts(c, where, data)
    if "red_flags" in data:
        _parse_red_flags(c, where, data)
    if "not_answered" in data:
        _parse_not_answered(c, where, data)
    if "phrasings" in data:
        _parse_phrasings(c, where, data)
    _parse_lexicon(c, where, data)


def _parse_source(c: _Collector, where: str, data: _Map) -> None:
    value = data["source"]
    line = _line(data, "source", 1)
    if c.source is not None:
        c.add(where, line, "'source' is defined in more than one file")
        return
    if not isinstance(value, _Map):
        c.add(where, line, "'source' must be a mapping with title, author and date")
        return
    fields: dict[str, str] = {}
    for key in ("title", "author", "date"):
        text = _text(value.get(key))
        if not text or not text.strip():
            c.add(where, _line(value, key, line), f"source: '{key}' is required (non-empty text)")
        fields[key] = (text or "").strip()
    url = _text(value.get("url")) or ""
    for key in value:
        if key not in ("title", "author", "date", "url"):
            c.add(where, _line(value, key, line), f"source: unknown key '{key}'")
    c.source = Source(fields["title"], fields["author"], fields["date"], url.strip())


def _parse_entries(c: _Collector, where: str, data: _Map) -> None:
    value = data["entries"]
    line = _line(data, "entries", 1)
    if not isinstance(value, _Seq):
        c.add(where, line, "'entries' must be a list of entries (each starting with '- id:')")
        return
    for index, item in enumerate(value):
        item_line = value.item_lines[index]
        if not isinstance(item, _Map):
            c.add(where, item_line, f"entry #{index + 1} must be a mapping with id, question, ...")
            continue
        _parse_entry(c, where, item, index)


def _parse_entry(c: _Collector, where: str, item: _Map, index: int) -> None:
    entry_id = _text(item.get("id"))
    label = f"entry '{entry_id}'" if entry_id else f"entry #{index + 1}"
    ok = True
    if not entry_id:
        c.add(where, item.line, f"{label}: 'id' is required")
        ok = False
    elif not ID_PATTERN.match(entry_id):
        c.add(
            where,
            _line(item, "id", item.line),
            f"{label}: id must be lowercase letters, digits and dashes (like 'cerclage-risks')",
        )
        ok = False
    if ok and entry_id:
        c.ids.append((entry_id, where, item.line))
    for key in item:
        if key not in ENTRY_KEYS:
            known = ", ".join(sorted(ENTRY_KEYS))
            c.add(where, _line(item, key, item.line), f"{label}: unknown key '{key}' ({known})")
    texts: dict[str, str] = {}
    for key in ("question", "answer"):
        text = _text(item.get(key))
        if key not in item:
            c.add(where, item.line, f"{label}: '{key}' is required")
            ok = False
        elif text is None or not text.strip():
            c.add(where, _line(item, key, item.line), f"{label}: '{key}' must be non-empty text")
            ok = False
        texts[key] = (text or "").strip()
    if len(texts["answer"]) > MAX_ANSWER_CHARS:
        c.add(
            where,
            _line(item, "answer", item.line),
            f"{label}: the answer is {len(texts['answer'])} characters; keep it under "
            f"{MAX_ANSWER_CHARS} so the reply fits in one Telegram message",
        )
        ok = False
    if texts["question"] and not words(texts["question"]):
        c.add(where, _line(item, "question", item.line), f"{label}: the question has no words")
        ok = False
    alternative_items = _text_items(c, where, item, "alternatives", label)
    alternatives = tuple(text for text, _ in alternative_items)
    for text, at in alternative_items:
        if " - " in text:
            c.add(
                where,
                at,
                f"{label}: the alternative '{text}' looks like two items joined into one (an "
                "item indented too far under the one before it?)",
                warning=True,
            )
    keywords = _text_list(c, where, item, "keywords", label)
    related_items = _text_items(c, where, item, "related", label)
    related = tuple(text for text, _ in related_items)
    for text, line in related_items:
        c.related_lines.setdefault((entry_id or "", text), line)
    sign_questions = item.get("sign_questions", False)
    if not isinstance(sign_questions, bool):
        at = _line(item, "sign_questions", item.line)
        c.add(where, at, f"{label}: 'sign_questions' must be true or false")
        sign_questions = False
    if ok and entry_id:
        entry = Entry(
            id=entry_id,
            question=texts["question"],
            answer=texts["answer"],
            alternatives=alternatives,
            keywords=keywords,
            related=related,
            sign_questions=sign_questions,
        )
        c.entries.append((entry, where, item.line))
        c.phrasing_lines[(entry_id, entry.question)] = (where, _line(item, "question", item.line))
        for text, line in alternative_items:
            c.phrasing_lines.setdefault((entry_id, text), (where, line))
        _content_tests(c, where, item, label, "entry", entry_id)


def _parse_texts(c: _Collector, where: str, data: _Map) -> None:
    value = data["texts"]
    line = _line(data, "texts", 1)
    if c.texts is not None:
        c.add(where, line, "'texts' is defined in more than one file")
        return
    if not isinstance(value, _Map):
        c.add(where, line, "'texts' must be a mapping of name: text")
        return
    texts: dict[str, str] = {}
    for key, text in value.items():
        at = _line(value, key, line)
        plain = _text(text)
        name = str(key)
        if name not in TEXT_NAMES:
            guess = process.extractOne(name, TEXT_NAMES, score_cutoff=75)
            hint = f"; did you mean '{guess[0]}'?" if guess else " (the bot never sends it)"
            c.add(where, at, f"texts: unknown text '{name}'{hint}", warning=True)
            continue
        if plain is None or not plain.strip():
            c.add(where, at, f"texts: '{name}' must be non-empty text")
            continue
        _check_placeholders(c, where, at, name, plain)
        texts[name] = plain.strip()
    c.texts = texts
    c.texts_at = (where, line)


def _check_placeholders(c: _Collector, where: str, line: int, name: str, text: str) -> None:
    """Each ``{placeholder}`` must be one the bot fills in this text; required ones must be
    there ("{helpline}" in the crisis prompt)."""
    allowed = allowed_placeholders(name)
    used = _PLACEHOLDER.findall(text)
    guessed: set[str] = set()
    for placeholder in dict.fromkeys(used):
        if placeholder in allowed:
            continue
        at = _line_of(where, line, "{" + placeholder + "}")
        choices = sorted(allowed)
        guess = process.extractOne(placeholder, choices, score_cutoff=60) if choices else None
        if guess:
            hint = f"; did you mean {{{guess[0]}}}?"
            guessed.add(guess[0])
        elif allowed:
            hint = f" (it may use {', '.join('{' + p + '}' for p in sorted(allowed))})"
        else:
            hint = " (this text has no placeholders; write the words themselves)"
        message = f"texts: '{name}' uses {{{placeholder}}}, which is never filled in{hint}"
        c.add(where, at, message)
    missing = REQUIRED_PLACEHOLDERS.get(name, frozenset()) - set(used) - guessed
    for placeholder in sorted(missing):
        c.add(where, line, f"texts: '{name}' must contain {{{placeholder}}}")


def _line_of(where: str, line: int, needle: str) -> int:
    """The line, from ``line`` on, where ``needle`` is written in the file (a text may run
    over several lines); ``line`` when it cannot be told."""
    try:
        lines = Path(where).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return line
    for number in range(line, min(len(lines), line + 60) + 1):
        if needle in lines[number - 1]:
            return number
    return line


def _listed_items(
    c: _Collector, where: str, data: _Map, key: str, what: str, keys: tuple[str, ...]
) -> Iterator[tuple[_Map, str, str]]:
    """The mappings of the list ``data[key]`` with their id and label ("red flag 'bleeding'");
    a missing or malformed id and unknown keys are reported, with their lines."""
    value = data[key]
    if not isinstance(value, _Seq):
        c.add(where, _line(data, key, 1), f"'{key}' must be a list of {{{', '.join(keys)}}}")
        return
    for index, item in enumerate(value):
        if not isinstance(item, _Map):
            c.add(where, value.item_lines[index], f"{what} #{index + 1} must be a mapping")
            continue
        item_id = _text(item.get("id")) or ""
        label = f"{what} '{item_id}'" if item_id else f"{what} #{index + 1}"
        if not ID_PATTERN.match(item_id):
            c.add(where, item.line, f"{label}: 'id' is required (lowercase-with-dashes)")
        for name in item:
            if name not in keys:
                at = _line(item, name, item.line)
                c.add(where, at, f"{label}: unknown key '{name}' ({', '.join(keys)})")
        yield item, item_id, label


def _parse_red_flags(c: _Collector, where: str, data: _Map) -> None:
    flags = c.red_flags if c.red_flags is not None else []
    for item, flag_id, label in _listed_items(
        c, where, data, "red_flags", "red flag", RED_FLAG_KEYS
    ):
        level_text = (_text(item.get("level")) or "").strip().lower()
        if level_text not in LEVELS:
            c.add(
                where,
                _line(item, "level", item.line),
                f"{label}: 'level' must be one of {', '.join(LEVELS)}",
            )
        phrase_items = _text_items(c, where, item, "phrases", label)
        phrases = tuple(text for text, _ in phrase_items)
        c.flag_phrases.extend((label, text, where, line) for text, line in phrase_items)
        if not phrases:
            c.add(where, item.line, f"{label}: 'phrases' needs at least one phrase")
        for phrase in phrases:
            if any(not words(part) for part in phrase.split("+")):
                c.add(where, item.line, f"{label}: the phrase '{phrase}' has an empty part")
        exceptions = _text_list(c, where, item, "except", label)
        sign = (_text(item.get("sign")) or "").strip()
        source = (_text(item.get("source")) or "").strip()
        note = _flag_note(c, where, item, label)
        if ID_PATTERN.match(flag_id) and level_text in LEVELS and phrases:
            flags.append(
                RedFlag(flag_id, LEVELS[level_text], phrases, sign, source, exceptions, note)
            )
            _content_tests(c, where, item, label, "red flag", flag_id)
    c.red_flags = flags


def _flag_note(c: _Collector, where: str, item: _Map, label: str) -> str:
    """The text a red flag adds to its replies (``note: abuse_note``), "" for none."""
    if "note" not in item:
        return ""
    name = (_text(item.get("note")) or "").strip()
    if name in FLAG_NOTES:
        return name
    guess = process.extractOne(name, FLAG_NOTES, score_cutoff=60) if name else None
    hint = f"; did you mean '{guess[0]}'?" if guess else f" (one of: {', '.join(FLAG_NOTES)})"
    message = f"{label}: 'note' must name a note of texts.yaml{hint}"
    c.add(where, _line(item, "note", item.line), message)
    return ""


def _parse_not_answered(c: _Collector, where: str, data: _Map) -> None:
    subjects = c.not_answered if c.not_answered is not None else []
    for item, subject_id, label in _listed_items(
        c, where, data, "not_answered", "not_answered", SUBJECT_KEYS
    ):
        question = (_text(item.get("question")) or "").strip()
        if not words(question):
            c.add(where, _line(item, "question", item.line), f"{label}: 'question' is required")
        alternatives = _text_list(c, where, item, "alternatives", label)
        if ID_PATTERN.match(subject_id) and words(question):
            subjects.append(Subject(subject_id, question, alternatives))
    c.not_answered = subjects


def _mapping(
    c: _Collector, where: str, data: _Map, key: str, shape: str
) -> tuple[_Map, int] | None:
    """``data[key]`` and its line when it is a mapping; otherwise the problem is reported."""
    value, line = data[key], _line(data, key, 1)
    if not isinstance(value, _Map):
        c.add(where, line, f"'{key}' must be a mapping of {shape}")
        return None
    return value, line


def _parse_phrasings(c: _Collector, where: str, data: _Map) -> None:
    found = _mapping(c, where, data, "phrasings", "entry id: [phrasings]")
    if found is None:
        return
    value, line = found
    for entry_id in value:
        label = f"phrasings of '{entry_id}'"
        texts = _text_list(c, where, value, entry_id, label)
        c.phrasings.append((str(entry_id), texts, where, _line(value, entry_id, line)))


def _parse_emoji(c: _Collector, where: str, data: _Map) -> None:
    found = _mapping(c, where, data, "emoji", "emoji: words")
    if found is None:
        return
    value, line = found
    table = c.lexicon.setdefault("emoji", {})
    for symbol, meaning in value.items():
        text = _text(meaning)
        if not isinstance(symbol, str) or len(symbol) != 1 or not text or not words(text):
            c.add(
                where,
                _line(value, symbol, line),
                f"emoji: '{symbol}' must be one character with words after it",
            )
            continue
        table[symbol] = " ".join(words(text))


def _parse_word_table(
    c: _Collector,
    where: str,
    data: _Map,
    name: str,
    valid: Callable[[str], bool],
    rule: str,
    meaning: str,
) -> None:
    """A table of words (or a few words) and the words they are read as: ``script_words``
    and ``foreign_words``. ``valid`` tests a key, ``rule`` says what a key must be, and
    ``meaning`` what must follow it."""
    found = _mapping(c, where, data, name, f"word: {meaning}")
    if found is None:
        return
    value, line = found
    table = c.lexicon.setdefault(name, {})
    for word, text in value.items():
        key, read_as = (_text(word) or "").strip(), _text(text)
        at = _line(value, word, line)
        if not key or not valid(key):
            c.add(where, at, f"{name}: '{word}' {rule}")
            continue
        if not read_as or not words(read_as):
            c.add(where, at, f"{name}: '{word}' needs {meaning} after it")
            continue
        table[key] = " ".join(words(read_as))


def _parse_script_words(c: _Collector, where: str, data: _Map) -> None:
    _parse_word_table(
        c, where, data, "script_words", lambda key: bool(NATIVE_WORDS.fullmatch(key)),
        "must be written in the Arabic or an Indic script (Latin words go under abbreviations:)",
        "Latin words",
    )


def _parse_foreign_words(c: _Collector, where: str, data: _Map) -> None:
    _parse_word_table(
        c, where, data, "foreign_words",
        lambda key: key == " ".join(words(key)) and key == fold(key),
        "must be lower-case words without accents or punctuation, one space between them "
        "('bolsa estourou', 'j ai mal')",
        "English words",
    )


def _parse_senses(c: _Collector, where: str, data: _Map) -> None:
    found = _mapping(c, where, data, "senses", "word: {means, when, unless}")
    if found is None:
        return
    value, line = found
    table = c.lexicon.setdefault("senses", {})
    for word, spec in value.items():
        label = f"senses: '{word}'"
        key_words = words(str(word))
        if not isinstance(spec, _Map) or len(key_words) != 1:
            c.add(where, _line(value, word, line), f"{label} must be one word with {{means, ...}}")
            continue
        means = " ".join(words(_text(spec.get("means")) or ""))
        if not means:
            c.add(where, _line(value, word, line), f"{label}: 'means' is required")
        for key in spec:
            if key not in SENSE_KEYS:
                c.add(where, _line(spec, key, spec.line), f"{label}: unknown key '{key}'")
        when, unless = (
            frozenset(w for item in _text_list(c, where, spec, key, label) for w in words(item))
            for key in ("when", "unless")
        )
        if means:
            table[key_words[0]] = Sense(means, when, unless)


def _parse_word_groups(c: _Collector, where: str, data: _Map) -> None:
    found = _mapping(c, where, data, "word_groups", "name: [words]")
    if found is None:
        return
    value, line = found
    groups = c.lexicon.setdefault("word_groups", {})
    for name in value:
        at = _line(value, name, line)
        if not isinstance(name, str) or not GROUP_NAME.match(name):
            c.add(where, at, f"word_groups: '{name}' must be a lowercase name (like fluid_words)")
            continue
        if name in groups:
            c.add(where, at, f"word_groups: '{name}' is defined twice")
        items = _text_list(c, where, value, name, f"word_groups: '{name}'")
        if not items:
            c.add(where, at, f"word_groups: '{name}' needs at least one word")
        groups[name] = items


def _expansions(phrase: str, groups: dict[str, tuple[str, ...]]) -> int:
    """How many phrases ``phrase`` stands for once its {groups} are filled in."""
    count = 1
    for name in _PLACEHOLDER.findall(phrase):
        count *= len(groups.get(name, ())) or 1
    return count


def _check_flag_phrases(c: _Collector) -> None:
    """Every {group} a red-flag phrase uses must exist, and not expand beyond reason."""
    groups: dict[str, tuple[str, ...]] = c.lexicon.get("word_groups", {})
    for label, phrase, where, line in c.flag_phrases:
        for name in dict.fromkeys(_PLACEHOLDER.findall(phrase)):
            if name not in groups:
                guess = process.extractOne(name, list(groups), score_cutoff=75) if groups else None
                known = ", ".join("{" + group + "}" for group in sorted(groups)) or "none yet"
                hint = (
                    f"; did you mean {{{guess[0]}}}?"
                    if guess
                    else f" (add it under word_groups:; the groups are {known})"
                )
                c.add(where, line, f"{label}: the phrase '{phrase}' uses an unknown group "
                      f"{{{name}}}{hint}")
        if _expansions(phrase, groups) > MAX_EXPANSIONS:
            c.add(where, line, f"{label}: the phrase '{phrase}' stands for more than "
                  f"{MAX_EXPANSIONS} phrases; split it or use smaller groups")


def _parse_lexicon(c: _Collector, where: str, data: _Map) -> None:
    if "word_groups" in data:
        _parse_word_groups(c, where, data)
    if "emoji" in data:
        _parse_emoji(c, where, data)
    if "senses" in data:
        _parse_senses(c, where, data)
    if "script_words" in data:
        _parse_script_words(c, where, data)
    if "foreign_words" in data:
        _parse_foreign_words(c, where, data)
    for key in ("abbreviations", "hindi_abbreviations", "synonyms"):
        found = _mapping(c, where, data, key, "word: replacement") if key in data else None
        if found is None:
            continue
        value, line = found
        table = c.lexicon.setdefault(key, {})
        for word, replacement in value.items():
            left, right = _text(word), _text(replacement)
            if not left or not right or not words(left) or not words(right):
                c.add(where, _line(value, word, line), f"{key}: '{word}' needs a replacement")
                continue
            table[fold(left).strip()] = " ".join(words(right))
    for key in LEXICON_LISTS:
        if key not in data:
            continue
        items = _text_list(c, where, data, key, key)
        # A trailing "?" is kept: "normal?" means "normal" at the end of a question.
        c.lexicon.setdefault(key, set()).update(
            " ".join(words(item)) + ("?" if item.endswith("?") else "") for item in items
        )
    # Checklist values are kept as written ("0/10", "✗"), in lowercase.
    for key in ("checklist_denials", "checklist_normal"):
        for text, _ in _text_items(c, where, data, key, key):
            c.lexicon.setdefault(key, set()).add(text.strip().lower())
    # Emoji are kept as they are written: they have no words.
    for text, line in _text_items(c, where, data, "distress_emoji", "distress_emoji"):
        if not text.strip() or has_words(text):
            c.add(where, line, f"distress_emoji: '{text}' must be emoji, without letters")
        else:
            c.lexicon.setdefault("distress_emoji", set()).add(text.strip())


def _check_entries(c: _Collector) -> list[Entry]:
    first: dict[str, str] = {}
    for entry_id, where, line in c.ids:
        if entry_id in first:
            c.add(where, line, f"duplicate id '{entry_id}' (first defined at {first[entry_id]})")
        else:
            first[entry_id] = f"{where}:{line}"
    extra: dict[str, list[str]] = {}
    for entry_id, texts, where, line in c.phrasings:
        # When a file could not be read, its entries are missing: not the phrasings' fault.
        if entry_id not in first and not c.unreadable and first:  # no entries: said below
            c.add(where, line, f"phrasings: there is no entry '{entry_id}'")
        extra.setdefault(entry_id, []).extend(texts)
    if extra:
        c.entries = [
            (replace(entry, alternatives=(*entry.alternatives, *extra.get(entry.id, ()))), w, n)
            for entry, w, n in c.entries
        ]
    phrasings: dict[str, str] = {}
    entries: list[Entry] = []
    seen: set[str] = set()
    for entry, where, line in c.entries:
        if entry.id in seen:
            continue
        seen.add(entry.id)
        entries.append(entry)
        for phrasing in entry.phrasings:
            key = " ".join(words(phrasing))
            other = phrasings.setdefault(key, entry.id)
            if other != entry.id:
                c.add(
                    where,
                    line,
                    f"entry '{entry.id}': the phrasing '{phrasing}' is also used by '{other}'",
                )
    for entry, where, line in c.entries:
        for related in entry.related:
            at = c.related_lines.get((entry.id, related), line)
            if related == entry.id:
                c.add(where, at, f"entry '{entry.id}': an entry cannot be related to itself")
            elif related not in first:
                guess = process.extractOne(related, list(first), score_cutoff=60)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                message = f"entry '{entry.id}': related id '{related}' does not exist{hint}"
                c.add(where, at, message)
    return entries


def _collect(path: Path, c: _Collector) -> None:
    if not path.exists():
        c.add(str(path), 0, "no such file or folder")
        return
    files = _files(path)
    if not files:
        c.add(str(path), 0, "the folder has no .yaml files")
    for file in files:
        _parse_file(c, file)


def read_content(path: str | Path | None = None) -> tuple[Content | None, list[Problem]]:
    """Read the FAQ at ``path`` (a folder or one file; None: the packaged FAQ) and every
    problem found in it, errors and warnings, each with its file and line.

    The content is built from whatever parsed, even when there are errors, so that the checks
    that need a matcher (``faq.checks``) can run on it too; it is None when too little parsed
    (no entry, no source or no texts). :func:`load_content` is the strict version.
    """
    target = Path(path) if path is not None else PACKAGED_DATA
    c = _Collector()
    _collect(target, c)
    if target.resolve() != PACKAGED_DATA.resolve():
        _fill_from_packaged(c)
    entries = _check_entries(c)
    _check_flag_phrases(c)
    count = _phrasing_count(c, entries)
    if count > MAX_PHRASINGS:
        c.add(
            str(target),
            0,
            f"refused: {count:,} phrasings and not-answered questions in all (the limit is "
            f"{MAX_PHRASINGS:,}; the packaged FAQ has about 9 500): building the matcher and "
            "checking them would take minutes",
        )
        return None, c.problems
    quiet = not c.errors  # a missing part is worth saying only when nothing else is wrong
    if not entries and quiet:
        c.add(str(target), 0, "no FAQ entries found (add an 'entries:' list)")
    if c.source is None and quiet:
        c.add(str(target), 0, "no 'source:' found (title, author and date of the article)")
    if c.texts is None:
        if quiet:
            c.add(str(target), 0, "no 'texts:' found (disclaimer, provider_prompt, ...)")
    else:
        for key in REQUIRED_TEXTS:
            if key not in c.texts:
                c.add(*c.texts_at, f"texts: '{key}' is required")
    complete = c.texts is not None and all(key in c.texts for key in REQUIRED_TEXTS)
    if not entries or c.source is None or not complete:
        return None, c.problems
    return _build(c, entries), c.problems


#: Phrasings (questions and alternatives of the entries, the phrasing bank's, not-answered
#: questions and theirs) an FAQ may have in all: within the file size limit a file can hold
#: half a million of them, and the matcher and its checks grow faster than their number. The
#: synthetic 10 000-entry FAQ of the benchmark (DESIGN.md's largest) has 70 000; `faqbot check`
#: takes about 40 s on it.
MAX_PHRASINGS = 100_000


def _phrasing_count(c: _Collector, entries: list[Entry]) -> int:
    count = sum(len(entry.phrasings) for entry in entries)
    count += sum(len(alternatives) for _, alternatives, _, _ in c.phrasings)
    count += sum(1 + len(subject.alternatives) for subject in c.not_answered or ())
    return count


def load_content(path: str | Path | None = None) -> Content:
    """Load and validate the FAQ at ``path`` (a folder or one file; None: the packaged FAQ).
    Warnings (style, likely mistakes) do not stop it: they are in ``Content.warnings``.

    Raises:
        ContentError: with every error found, each as ``file:line: message``.
    """
    content, problems = read_content(path)
    errors = [problem for problem in problems if problem.error]
    if errors or content is None:
        raise ContentError(errors)
    return content


def _build(c: _Collector, entries: list[Entry]) -> Content:
    assert c.source is not None and c.texts is not None
    lexicon = Lexicon(
        abbreviations=c.lexicon.get("abbreviations", {}),
        synonyms=c.lexicon.get("synonyms", {}),
        stopwords=frozenset(c.lexicon.get("stopwords", ())),
        negations=frozenset(c.lexicon.get("negations", ())),
        negations_after=frozenset(c.lexicon.get("negations_after", ())),
        paired_negations=frozenset(c.lexicon.get("paired_negations", ())),
        unpaired_markers=frozenset(c.lexicon.get("unpaired_markers", ())),
        general_question_words=frozenset(c.lexicon.get("general_question_words", ())),
        first_person=frozenset(c.lexicon.get("first_person", ())),
        other_topics=frozenset(c.lexicon.get("other_topics", ())),
        emoji=c.lexicon.get("emoji", {}),
        senses=c.lexicon.get("senses", {}),
        fillers=frozenset(c.lexicon.get("fillers", ())),
        asides=frozenset(c.lexicon.get("asides", ())),
        report_words=frozenset(c.lexicon.get("report_words", ())),
        general_markers=frozenset(c.lexicon.get("general_markers", ())),
        cause_questions=frozenset(c.lexicon.get("cause_questions", ())),
        history_words=frozenset(c.lexicon.get("history_words", ())),
        present_words=frozenset(c.lexicon.get("present_words", ())),
        recent_words=frozenset(c.lexicon.get("recent_words", ())),
        settled_words=frozenset(c.lexicon.get("settled_words", ())),
        not_the_writer=frozenset(c.lexicon.get("not_the_writer", ())),
        not_a_report=frozenset(c.lexicon.get("not_a_report", ())),
        hypothetical_markers=frozenset(c.lexicon.get("hypothetical_markers", ())),
        told_after_if=frozenset(c.lexicon.get("told_after_if", ())),
        recovered_words=frozenset(c.lexicon.get("recovered_words", ())),
        relapse_words=frozenset(c.lexicon.get("relapse_words", ())),
        resolved_words=frozenset(c.lexicon.get("resolved_words", ())),
        earlier_words=frozenset(c.lexicon.get("earlier_words", ())),
        checked_words=frozenset(c.lexicon.get("checked_words", ())),
        over_words=frozenset(c.lexicon.get("over_words", ())),
        continuing_words=frozenset(c.lexicon.get("continuing_words", ())),
        checklist_denials=frozenset(c.lexicon.get("checklist_denials", ())),
        checklist_normal=frozenset(c.lexicon.get("checklist_normal", ())),
        distress_emoji=frozenset(c.lexicon.get("distress_emoji", ())),
        sounds_like=frozenset(c.lexicon.get("sounds_like", ())),
        foreign_markers=frozenset(c.lexicon.get("foreign_markers", ())),
        hindi_words=frozenset(c.lexicon.get("hindi_words", ())),
        hindi_abbreviations=c.lexicon.get("hindi_abbreviations", {}),
        script_words=c.lexicon.get("script_words", {}),
        foreign_words=c.lexicon.get("foreign_words", {}),
        word_groups=dict(c.lexicon.get("word_groups", {})),
    )
    ids = {entry.id for entry in entries}
    return Content(
        source=c.source,
        entries=tuple(entries),
        texts=Texts(**{key: c.texts[key] for key in REQUIRED_TEXTS}),
        red_flags=tuple(c.red_flags or ()),
        lexicon=lexicon,
        not_answered=tuple(c.not_answered or ()),
        files=tuple(c.files),
        locations={entry.id: f"{where}:{line}" for entry, where, line in c.entries},
        phrasing_lines=dict(c.phrasing_lines),
        tests=tuple(t for t in c.tests if t.kind != "entry" or t.target in ids),
        warnings=tuple(problem for problem in c.problems if not problem.error),
    )


def _fill_from_packaged(c: _Collector) -> None:
    """Take texts, red flags and language data the moderator's folder does not define.

    Texts are taken one by one: a moderator's ``texts:`` may reword only some of them.
    """
    packaged = _Collector()
    for file in _files(PACKAGED_DATA):
        _parse_file(packaged, file)
    if packaged.texts is not None:
        c.texts = {**packaged.texts, **(c.texts or {})}
    if c.red_flags is None:
        c.red_flags = packaged.red_flags
        c.tests.extend(t for t in packaged.tests if t.kind == "red flag")
    if c.not_answered is None:
        c.not_answered = packaged.not_answered
    for key, value in packaged.lexicon.items():
        c.lexicon.setdefault(key, value)
    if c.source is None and not c.entries:
        c.source = packaged.source
