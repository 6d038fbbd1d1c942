"""The FAQ matcher: normalization, typo correction, candidate retrieval and fuzzy scoring.

How a message is scored against an entry:

1. The message is folded to lowercase words, texting shorthand is expanded, each unknown word
   is corrected to the closest word of the FAQ's own vocabulary (Levenshtein distance with a
   length-dependent limit), lay phrases are replaced by the FAQ's words (synonyms), stopwords
   are dropped and the remaining content words are stemmed.
2. Candidate entries are those sharing a content word with the message (an inverted index),
   ranked by IDF-weighted word overlap: what share of the message's information the entry
   covers. Words the FAQ has never seen count against the message ("sushi").
3. The best candidates are scored with rapidfuzz's ``token_set_ratio`` and ``token_sort_ratio``
   against every phrasing of the entry, pre-processed once at load time (``processor=None``).
4. The final score blends overlap and fuzzy similarity. A match needs the score above the
   threshold and a margin over the best other entry; otherwise the closest entries become
   suggestions.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from faq.model import Content, Entry, Match
from faq.text import PhraseMap, expand_abbreviations, stem, words

DEFAULT_THRESHOLD = 55.0
DEFAULT_MARGIN = 4.0
MAX_QUERY_CHARS = 1000  # long rambling messages: the beginning carries the question
CANDIDATES = 25  # entries fuzzy-scored per message, by overlap rank
OVERLAP_WEIGHT = 0.6


@dataclass(frozen=True, slots=True)
class Analysis:
    """A message after normalization."""

    tokens: tuple[str, ...]  # canonical words (abbreviations, typos, synonyms applied)
    content: tuple[str, ...]  # stemmed content words (no stopwords)

    @property
    def text(self) -> str:
        return " ".join(self.content)


@dataclass(frozen=True, slots=True)
class Scored:
    """One entry's score for a message, with the parts it was made from."""

    index: int
    score: float
    overlap: float
    fuzzy: float


def _typo_limit(word: str) -> int:
    """How many edits a word of this length may be off and still be corrected."""
    if len(word) <= 3:
        return 0
    if len(word) <= 5:
        return 1
    if len(word) <= 9:
        return 2
    return 3


class Normalizer:
    """Turns text into canonical words: shorthand, typos, synonyms, stopwords, stems."""

    def __init__(self, content: Content, extra_vocabulary: Sequence[str] = ()) -> None:
        lexicon = content.lexicon
        self.abbreviations = lexicon.abbreviations
        self.synonyms = PhraseMap(lexicon.synonyms)
        self.stopwords = lexicon.stopwords
        counts: Counter[str] = Counter()
        for entry in content.entries:
            for text in (*entry.phrasings, *entry.keywords):
                counts.update(expand_abbreviations(words(text), self.abbreviations))
        counts.update(extra_vocabulary)
        known = set(counts) | self.synonyms.words() | set(self.abbreviations) | self.stopwords
        # Most frequent first: rapidfuzz breaks ties by index, so common words win ties.
        self.vocabulary: tuple[str, ...] = tuple(
            sorted(known, key=lambda word: (-counts[word], word))
        )
        self._known = frozenset(known)
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _correct(self, word: str) -> str:
        if word in self._known or word.isdigit():
            return word
        limit = _typo_limit(word)
        if limit == 0:
            return word
        found = process.extractOne(
            word,
            self.vocabulary,
            scorer=Levenshtein.distance,
            processor=None,
            score_cutoff=limit,
        )
        if found is None:
            return word
        candidate = found[0]
        # A correction must keep the first letter and not be a much shorter word.
        if candidate[0] != word[0] or len(candidate) < 4:
            return word
        return candidate

    def tokens(self, text: str) -> list[str]:
        """Canonical words of ``text`` (stopwords kept), before stemming."""
        raw = expand_abbreviations(words(text), self.abbreviations)
        corrected = [self.correct(word) for word in raw]
        return self.synonyms.apply(corrected)

    def analyse(self, text: str) -> Analysis:
        tokens = self.tokens(text)
        content = tuple(stem(word) for word in tokens if word not in self.stopwords)
        return Analysis(tuple(tokens), content)


class Matcher:
    """Scores messages against FAQ entries. Built once per content; immutable afterwards."""

    def __init__(
        self,
        content: Content,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        margin: float = DEFAULT_MARGIN,
    ) -> None:
        self.entries: tuple[Entry, ...] = content.entries
        self.threshold = threshold
        self.margin = margin
        self.normalizer = Normalizer(content)
        # Pre-processed phrasings: one content string per phrasing, per entry.
        self.phrasings: list[list[str]] = []
        self.vocab: list[Counter[str]] = []
        postings: dict[str, set[int]] = {}
        for index, entry in enumerate(self.entries):
            texts = [*entry.phrasings, *entry.keywords]
            analysed = [self.normalizer.analyse(text) for text in texts]
            phrasings = [a.text for a in analysed[: len(entry.phrasings)] if a.content]
            self.phrasings.append(sorted(set(phrasings), key=phrasings.index))
            vocab: Counter[str] = Counter()
            for a in analysed:
                vocab.update(set(a.content))
            self.vocab.append(vocab)
            for word in vocab:
                postings.setdefault(word, set()).add(index)
        self.postings = {word: tuple(sorted(ids)) for word, ids in postings.items()}
        total = max(len(self.entries), 1)
        self.idf = {
            word: math.log(1 + total / len(ids)) for word, ids in self.postings.items()
        }
        # A word the FAQ has never seen is at least as informative as its rarest word.
        self.unknown_idf = math.log(1 + total) if self.entries else 1.0

    def analyse(self, text: str) -> Analysis:
        return self.normalizer.analyse(text[:MAX_QUERY_CHARS])

    def _weight(self, word: str) -> float:
        return self.idf.get(word, self.unknown_idf)

    def score(self, text: str) -> tuple[Analysis, list[Scored]]:
        """Score ``text`` against every candidate entry, best first."""
        analysis = self.analyse(text)
        query = list(dict.fromkeys(analysis.content))
        if not query:
            return analysis, []
        total_weight = sum(self._weight(word) for word in query)
        overlap: dict[int, float] = {}
        for word in query:
            weight = self._weight(word)
            for index in self.postings.get(word, ()):
                overlap[index] = overlap.get(index, 0.0) + weight
        if not overlap:
            return analysis, []
        ranked = sorted(overlap, key=lambda i: (-overlap[i], i))[:CANDIDATES]
        query_text = analysis.text
        scored: list[Scored] = []
        for index in ranked:
            coverage = overlap[index] / total_weight
            fuzzy = 0.0
            best = process.extractOne(
                query_text,
                self.phrasings[index],
                scorer=fuzz.token_set_ratio,
                processor=None,
            )
            sort = process.extractOne(
                query_text,
                self.phrasings[index],
                scorer=fuzz.token_sort_ratio,
                processor=None,
            )
            if best is not None and sort is not None:
                fuzzy = (best[1] + sort[1]) / 2
            value = OVERLAP_WEIGHT * 100 * coverage + (1 - OVERLAP_WEIGHT) * fuzzy
            scored.append(Scored(index, value, coverage, fuzzy))
        scored.sort(key=lambda s: (-s.score, s.index))
        return analysis, scored

    def match(self, text: str, *, suggestions: int = 3) -> tuple[Match | None, tuple[Match, ...]]:
        """Return the confident match (or None) and up to ``suggestions`` other close entries."""
        _, scored = self.score(text)
        matches = [self._as_match(item) for item in scored]
        best: Match | None = None
        if matches:
            runner_up = matches[1].score if len(matches) > 1 else 0.0
            top = matches[0]
            if top.score >= self.threshold and top.score - runner_up >= self.margin:
                best = top
        rest = matches[1:] if best else matches
        return best, tuple(rest[:suggestions])

    def _as_match(self, item: Scored) -> Match:
        entry = self.entries[item.index]
        return Match(entry.id, entry.question, round(item.score, 1))
