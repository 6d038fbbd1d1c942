"""Urgency detection: does a message report a symptom or warning sign?

Decided on the message alone, independently of FAQ matching, so a failed match never hides it.
A red-flag phrase (``red_flags.yaml``) found in a clause counts unless

* a negation word stands shortly before it in the same clause ("no bleeding, just curious",
  "I haven't had any cramps"), or
* its sentence is a general question about symptoms with no first-person words
  ("what are the signs, like spotting?").

Phrases match word by word after folding, shorthand expansion and light stemming; longer words
tolerate a small typo ("bleding"), and up to two extra words may stand between a phrase's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from faq.model import Content, Level
from faq.text import (
    MAX_TYPO_EDITS,
    clauses,
    expand_abbreviations,
    first_typo_match,
    sentences,
    stem,
    words,
)

NEGATION_WINDOW = 4  # words before a phrase in which a negation cancels it
MAX_GAP = 2  # extra words allowed between a phrase's words
# Articles and the like: optional in a phrase, so "soaking a pad" also finds "soaking pads".
OPTIONAL_WORDS = frozenset(("a", "an", "the", "my", "some", "of"))
LIST_GAP = 2  # words between listed symptoms that a negation carries over ("or", "and any")
MAX_SCAN_CHARS = 4096
# A sentence that starts like a question and has no first-person word asks in general
# ("does a cerclage hurt?", "what are the signs, like spotting?"); one that only ends with a
# question mark needs a general word as well ("spotting at 15 weeks, is that bad?" is a report).
WH_STARTS = frozenset(("what", "which", "when", "how", "why", "who", "where", "whats", "hows"))
YES_NO_STARTS = frozenset(
    ("does", "do", "is", "are", "can", "could", "should", "would", "will", "did")
)


@dataclass(frozen=True, slots=True)
class Urgency:
    """The result: the highest level found and the ids of the red flags reported."""

    level: Level
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Phrase:
    flag: str
    level: Level
    stems: tuple[str, ...]


class UrgencyDetector:
    """Finds reported red flags in messages. Built once per content."""

    def __init__(self, content: Content) -> None:
        lexicon = content.lexicon
        self.abbreviations = lexicon.abbreviations
        self.negations = frozenset(stem(w) for w in lexicon.negations)
        self.general = frozenset(stem(w) for w in lexicon.general_question_words)
        self.first_person = frozenset(lexicon.first_person)
        self.phrases: list[_Phrase] = []
        vocabulary: set[str] = set()
        for flag in content.red_flags:
            for text in flag.phrases:
                # Small words of a phrase are optional ("soaking a pad" = "soaking pads"),
                # but negations stay ("not moving as much").
                raw = [w for w in words(text) if w not in OPTIONAL_WORDS] or words(text)
                if raw:
                    self.phrases.append(_Phrase(flag.id, flag.level, tuple(map(stem, raw))))
                    vocabulary.update(raw)
        # Longer phrases first, so "heavy bleeding" is found before "bleeding".
        self.phrases.sort(key=lambda p: (-len(p.stems), -p.level))
        self._by_first: dict[str, list[_Phrase]] = {}
        for item in self.phrases:
            self._by_first.setdefault(item.stems[0], []).append(item)
        self.vocabulary = frozenset(vocabulary)
        self._vocabulary_list = sorted(vocabulary)
        self._canonical = lru_cache(maxsize=4096)(self._canonical_word)

    def _canonical_word(self, word: str) -> str:
        """Map a word to a red-flag word it is a small typo of ("bleding" -> "bleeding")."""
        if word in self.vocabulary or len(word) <= 4:
            return word
        found = process.extract(
            word,
            self._vocabulary_list,
            scorer=Levenshtein.distance,
            processor=None,
            score_cutoff=MAX_TYPO_EDITS,
            limit=8,
        )
        return first_typo_match(word, found)

    def _words(self, text: str) -> list[str]:
        raw = expand_abbreviations(words(text), self.abbreviations)
        return [stem(self._canonical(word)) for word in raw]

    def detect(self, text: str) -> Urgency:
        """Return the urgency of ``text`` (Level.NONE when nothing is reported)."""
        text = text[:MAX_SCAN_CHARS]
        level = Level.NONE
        flags: list[str] = []
        for sentence in sentences(text):
            general = self._is_general_question(sentence)
            carried = False  # a denial running on across a comma: "no bleeding, cramps or..."
            for clause in clauses(sentence):
                found, carried = self._find(self._words(clause), negated=carried)
                for phrase in found:
                    if general:
                        continue
                    if phrase.flag not in flags:
                        flags.append(phrase.flag)
                    level = max(level, phrase.level)
        return Urgency(level, tuple(flags))

    def _is_general_question(self, sentence: str) -> bool:
        raw = expand_abbreviations(words(sentence), self.abbreviations)
        if not raw or any(word in self.first_person for word in raw):
            return False
        if raw[0] in WH_STARTS or raw[0] in YES_NO_STARTS:
            return True
        return sentence.rstrip().endswith("?") and any(stem(w) in self.general for w in raw)

    def _find(self, tokens: list[str], *, negated: bool = False) -> tuple[list[_Phrase], bool]:
        """Red-flag phrases reported in one clause (negated ones left out).

        A negation shortly before a phrase cancels it, and also the phrases listed right after
        it ("no bleeding, cramps or pain": none of the three is reported). ``negated`` carries
        such a list over from the previous clause; the second value says whether this clause
        ends inside one.
        """
        found: list[_Phrase] = []
        used: set[int] = set()
        negated_until = LIST_GAP - 1 if negated else -1
        for start, word in enumerate(tokens):
            if start in used:
                continue
            for phrase in self._by_first.get(word, ()):
                positions = self._match_at(tokens, start, phrase.stems)
                if positions is None:
                    continue
                used.update(positions)
                window = tokens[max(0, start - NEGATION_WINDOW) : start]
                if start <= negated_until or any(w in self.negations for w in window):
                    negated_until = positions[-1] + LIST_GAP
                else:
                    found.append(phrase)
                break
        return found, negated_until >= len(tokens) - 1 and negated_until >= 0

    @staticmethod
    def _match_at(tokens: list[str], start: int, stems: tuple[str, ...]) -> list[int] | None:
        positions = [start]
        cursor = start
        for want in stems[1:]:
            for step in range(1, MAX_GAP + 2):
                if cursor + step < len(tokens) and tokens[cursor + step] == want:
                    cursor += step
                    positions.append(cursor)
                    break
            else:
                return None
        return positions
