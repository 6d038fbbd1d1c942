"""The FAQ matcher: normalization, typo correction, candidate retrieval and fuzzy scoring.

How a message is scored against an entry:

1. The message is folded to lowercase words, texting shorthand is expanded, each unknown word
   is corrected to the closest word of the FAQ's own vocabulary (Levenshtein distance with a
   length-dependent limit), lay phrases are replaced by the FAQ's words (synonyms), stopwords
   are dropped and the remaining content words are stemmed. A clause that only denies
   symptoms ("no bleeding, but ...") is left out.
2. Candidate entries are those sharing a content word with the message (an inverted index),
   ranked by IDF-weighted overlap.
3. Each candidate gets three scores: ``coverage``, the IDF-weighted share of the message's
   words found in the entry (words the FAQ has never seen count against it: "sushi"; even
   the commonest FAQ word, "cervix", weighs something, since it shows the message is on
   topic); ``dice``, a weighted two-way overlap with the entry's closest phrasing; and
   ``fuzzy``, rapidfuzz's ``token_sort_ratio`` with its phrasings, pre-processed once at load
   time (``processor=None``).
4. The blend of the three must reach the threshold (and the margin over the second entry,
   0 by default), and the message must not name a subject of ``other_topics``; otherwise the
   closest entries become suggestions.

The weights and the threshold were tuned on ``tests/data/dev_set.yaml``; the held-out sets
beside it say how well that generalizes.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from faq.model import Content, Entry, Match
from faq.text import (
    PhraseMap,
    SoundsLike,
    TypoCorrector,
    clauses,
    emoji_table,
    expand_abbreviations,
    sentences,
    stem,
    words,
)

DEFAULT_THRESHOLD = 51.0
DEFAULT_MARGIN = 0.0
CANDIDATES = 25  # entries fully scored per message, by overlap rank
FUZZY_PHRASINGS = 6  # an entry's phrasings closest by dice that also get a fuzzy score
COVERAGE_WEIGHT = 0.3
DICE_WEIGHT = 0.4
FUZZY_WEIGHT = 0.3
ANSWER_WORD_WEIGHT = 0.5  # a message word found only in an answer counts half
UNKNOWN_WORD_WEIGHT = 1.0
IDF_FLOOR = 0.5  # share of the highest IDF that even the commonest FAQ word weighs
UNKNOWN_SHORT_MESSAGE = 2.0  # content words up to which unknown words weigh in full
SOUNDS_LIKE_MIN_CHARS = 5  # shorter words are not looked up by their sound
TOPIC_MIN_PHRASINGS = 8  # phrasings of an entry that make a word one of its topic words
TOPIC_MAX_ENTRIES = 1  # ... when it is that frequent in this many entries at most
VOCAB_MIN_PHRASINGS = 2  # phrasings that must use a word for it to be one of the entry's
SIGNS_GAP = 10.0  # how far below the best a sign_questions entry may score for a sign question
SIGNS_SLACK = 6.0  # how far under the threshold a sign_questions entry answers a sign question
LONG_CHARS = 250  # a message this long is a story or an e-mail: its words dilute the scores
LONG_SLACK = 9.0  # ... so its best entry answers from this far under the threshold
LONG_LEAD = 10.0  # ... when this far ahead of the next entry and of every not-answered question
FOCUS_MIN_CHARS = 120  # a message this long may be a story around its question
FOCUS_SURE_CHARS = 160  # ... but under this length only when the whole message is not answered
FOCUS_MARGIN = 20.0  # how much better a single sentence must score than the whole story
SHORT_PART_WORDS = 3  # words a part of a short message needs to answer on its own
COMMON_PHRASINGS = 200  # phrasings a word may be in and still be looked up through its postings
COMMON_POSTINGS = 100  # entries a word may be in and still be used to find candidates


_QUESTION_STARTS = frozenset(
    "what whats which when how why who where is are can could does do did should would will"
    " wondering hows whos wheres whys wat wats".split()
)


#: Words that may come before the question word of a clause ("so how common is it").
_LEAD_INS = frozenset("but so and or anyway ok okay well then also just".split())


def _without_lead_ins(text: str) -> list[str]:
    """The words of ``text`` from its first word that is not a lead-in ("so", "but", "ok")."""
    found = words(text)
    while found and found[0] in _LEAD_INS:
        found = found[1:]
    return found


def _asks(sentence: str) -> bool:
    """Whether a sentence asks something: it ends with "?" or starts like a question."""
    found = _without_lead_ins(sentence)
    return sentence.rstrip().endswith("?") or bool(found and found[0] in _QUESTION_STARTS)


#: Words and word pairs that ask, wherever they stand ("pelvic pressure 23w is that a weak
#: cervix symptom", "cervix khulne lage to discharge badal jata hai kya").
_ASKING_WORDS = frozenset(
    "what whats wat wats how hows why which wondering wonder explain tell know kya kia kaise"
    " kyun kyu kaunsa kaun".split()
)
_ASKING_PAIRS = frozenset(
    tuple(pair.split())
    for pair in (
        "is that", "is it", "does it", "do they", "do you", "do u", "are they", "can i",
        "should i", "will i", "or not",
    )
)


def asks_something(text: str) -> bool:
    """Whether a message asks anything at all: a "?", a word or pair that asks anywhere
    ("what", "is that", "kya"), or a sentence or clause that starts like a question. A
    report that asks nothing ("bleeding since this morning, 16 weeks") does not."""
    if "?" in text:
        return True
    found = words(text)
    if _ASKING_WORDS.intersection(found) or any(
        pair in _ASKING_PAIRS for pair in pairwise(found)
    ):
        return True
    return any(
        _asks(sentence) or any(_asks(part) for part in _CLAUSE.split(sentence))
        for sentence in sentences(text)
    )


#: Clause boundaries inside a sentence, for run-on stories with no full stops.
_CLAUSE = re.compile(r"[,;:]+|\s[-–—]+\s")
FOCUS_CLAUSES = 2  # an asking clause of a run-on sentence is read with the clause after it


#: A question word inside a sentence, where a question may start after words of chatter with
#: no full stop before it ("sitting in the drive-thru ☕ what happens to the cervix in labour?").
_WH_WORD = re.compile(r"\b(?:what|whats|how|hows|who|whos|why|which|where|when)\b")


def _asking_parts(text: str) -> list[str]:
    """The parts of a long message that ask something: its asking sentences, in an asking
    sentence the part from its first question word on, and in a sentence of several clauses
    each asking clause with the one after it."""
    parts: list[str] = []
    for sentence in sentences(text):
        if _asks(sentence):
            parts.append(sentence)
            inside = next(
                (
                    m
                    for m in _WH_WORD.finditer(sentence)
                    if not _LEAD_INS.issuperset(words(sentence[: m.start()]))
                ),
                None,
            )
            if inside is not None and sentence.rstrip().endswith("?"):
                parts.append(sentence[inside.start() :])
        pieces = [piece.strip() for piece in _CLAUSE.split(sentence) if piece.strip()]
        if len(pieces) > 1:
            parts.extend(
                ", ".join(pieces[i : i + FOCUS_CLAUSES])
                for i, piece in enumerate(pieces)
                if _asks(piece)
            )
    return parts


# Links, web addresses and markup carry no question ("[link](http://x.com)", "<b>").
_NOISE = re.compile(
    r"<(script|style)\b[^<>]{0,200}>[^<]{0,1000}</\1\s*>"  # a script's text is no question
    r"|\[[^\]]*\]\([^)]*\)|https?://\S+|www\.\S+|<[^<>]{0,200}>",
    re.IGNORECASE,
)


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
    coverage: float  # share of the message's information found in the entry's words
    dice: float  # weighted overlap with the entry's closest phrasing, both ways
    fuzzy: float  # rapidfuzz token_sort_ratio with the closest phrasing, 0-1


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of matching one message."""

    analysis: Analysis
    match: Match | None
    suggestions: tuple[Match, ...]


class Normalizer:
    """Turns text into canonical words: shorthand, typos, synonyms, stopwords, stems."""

    def __init__(self, content: Content, extra_vocabulary: Iterable[str] = ()) -> None:
        lexicon = content.lexicon
        self.abbreviations = lexicon.abbreviations
        self.emoji = emoji_table(lexicon.emoji)
        self.senses = lexicon.senses
        self.synonyms = PhraseMap(lexicon.synonyms)
        # Small words of other languages ("kya", "hai") carry no topic either.
        self.stopwords = lexicon.stopwords | lexicon.foreign_markers
        self.negations = lexicon.negations
        self.first_person = lexicon.first_person
        # Words that name a warning sign on their own ("spotting", "cramps").
        self.sign_words = frozenset(
            stem(phrase_words[0])
            for flag in content.red_flags
            for phrase in flag.phrases
            if "+" not in phrase and len(phrase_words := words(phrase)) == 1
        )
        # Symptom words, for clauses that deny one ("no bleeding at all"): the words that name
        # a sign on their own. Not every word of every red-flag phrase: phrases hold common
        # words too ("lost my first"), and a clause such as "first pregnancy and no health
        # issues" denies nothing.
        self.symptom_words = self.sign_words
        # Trusted words: the FAQ's canonical questions, keywords and answers (alternatives are
        # left out on purpose: they are written with typos, which are corrected like messages).
        counts: Counter[str] = Counter()
        for entry in content.entries:
            for text in (entry.question, *entry.keywords, entry.answer):
                counts.update(expand_abbreviations(words(text), self.abbreviations))
        for text in extra_vocabulary:
            counts.update(words(text))
        for flag in content.red_flags:  # symptom words are real words, not typos
            for phrase in flag.phrases:
                counts.update(words(phrase))
        known = (
            set(counts)
            | self.synonyms.words()
            | set(self.abbreviations)
            | set(self.senses)
            | self.stopwords
            | lexicon.negations
            | lexicon.first_person
            | lexicon.general_question_words
        )
        self.typos = TypoCorrector({word: counts[word] for word in known})
        # Topic words that speech-to-text may have spelled by their sound ("sir clash").
        self.sounds = SoundsLike(lexicon.sounds_like)

    def _denies_symptoms(self, tokens: list[str]) -> bool:
        """A clause that denies something: it opens with a negation ("no symptoms at all",
        "never had any bleeding") or negates a symptom ("I haven't had cramps")."""
        opening = [word for word in tokens if word not in self.first_person][:1]
        if self.negations.intersection(opening):
            return True
        return bool(self.negations.intersection(tokens)) and any(
            stem(word) in self.symptom_words for word in tokens
        )

    def _only_reports(self, tokens: list[str]) -> bool:
        """A clause whose every content word names a warning sign ("I'm spotting")."""
        content = {stem(word) for word in tokens if word not in self.stopwords}
        return bool(content) and content <= self.sign_words

    def _raw(self, text: str) -> list[str]:
        raw = expand_abbreviations(words(text.translate(self.emoji)), self.abbreviations)
        return self._rejoin([self.typos.correct(word) for word in raw])

    def _unknown(self, word: str) -> bool:
        return word not in self.typos.known and not word.isdigit()

    def _rejoin(self, tokens: list[str]) -> list[str]:
        """Words split or spelled by their sound, as speech-to-text writes them: "in
        competence" -> "incompetence", "D E S" -> "des", "serve ix" -> "cervix" (by sound, only
        words of ``sounds_like``)."""
        unknown = [self._unknown(word) for word in tokens]
        letter = [len(word) == 1 for word in tokens]
        if not any(unknown) and sum(letter) < 2:
            return tokens  # nothing to join: the common case
        out: list[str] = []
        i = 0
        while i < len(tokens):
            # Spelled-out letters join as far as they go ("d e s"); words two at a time first.
            for size in (3, 2) if letter[i] else (2, 3):
                if i + size > len(tokens):
                    continue
                run = slice(i, i + size)
                letters = all(letter[run])
                if not (letters or any(unknown[run])):
                    continue
                joined = "".join(tokens[run])
                if joined in self.typos.known:
                    found: str | None = joined
                else:  # by sound only when no word of the run is a word we know
                    found = self.sounds.find(joined) if all(unknown[run]) else None
                if found:
                    out.append(found)
                    i += size
                    break
            else:
                word = tokens[i]
                if unknown[i] and len(word) >= SOUNDS_LIKE_MIN_CHARS:
                    word = self.sounds.find(word) or word
                out.append(word)
                i += 1
        return out

    def tokens(self, text: str, context: frozenset[str] | None = None) -> list[str]:
        """Canonical words of ``text`` (stopwords kept), before stemming.

        A word of ``senses`` takes its meaning from ``context``, the words of the whole message
        (default: of ``text``).
        """
        corrected = self._raw(text)
        if context is None:
            context = frozenset(corrected)
        senses = self.senses
        resolved: list[str] = []
        for word in corrected:
            sense = senses.get(word)
            if sense is not None and sense.applies(context):
                resolved.extend(sense.means.split())
            else:
                resolved.append(word)
        return self.synonyms.apply(resolved)

    def analyse(self, text: str) -> Analysis:
        """Canonical and content words of ``text``.

        In a message of several clauses, a clause that denies symptoms ("no bleeding,",
        "I haven't had cramps but") or only reports one ("I'm spotting, what is a
        cerclage?") is context, not the question: its words are left out. The urgency
        prompt answers a report.
        """
        text = _NOISE.sub(" ", text)
        context = frozenset(self._raw(text)) if self.senses else frozenset()
        parts = [self.tokens(part, context) for part in clauses(text)]
        if len(parts) > 1:
            kept = [
                part
                for part in parts
                if not self._denies_symptoms(part) and not self._only_reports(part)
            ]
            if any(word not in self.stopwords for part in kept for word in part):
                parts = kept
        tokens = [word for part in parts for word in part]
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
        self.normalizer = Normalizer(content, content.lexicon.other_topics)
        # Subjects the FAQ does not answer, as canonical word sequences (typos fixed like
        # in messages, so "preclampsia" is caught too).
        self.other_topics: dict[str, list[tuple[str, ...]]] = {}
        for topic in sorted(content.lexicon.other_topics):
            tokens = tuple(self.normalizer.tokens(topic))
            if tokens:
                self.other_topics.setdefault(tokens[0], []).append(tokens)
        # Pre-processed once, for every entry and then every question the FAQ does not answer
        # (``not_answered``): each phrasing's content words (as a set and as a string), each
        # document's words from phrasings and keywords, and the words of an entry's answer.
        self.subjects = content.not_answered
        self.phrasings: list[list[tuple[frozenset[str], str]]] = []
        self.vocab: list[frozenset[str]] = []
        self.answer_vocab: list[frozenset[str]] = []
        postings: dict[str, set[int]] = {}
        documents = [
            *((e.phrasings, e.keywords, e.answer) for e in self.entries),
            *((s.phrasings, (), "") for s in self.subjects),
        ]
        frequent: Counter[str] = Counter()  # in how many entries a word is frequent
        for index, (texts, keywords, answer) in enumerate(documents):
            phrasings: dict[str, frozenset[str]] = {}
            seen: Counter[str] = Counter()
            for text in texts:
                analysis = self.normalizer.analyse(text)
                if analysis.content:
                    phrasings.setdefault(analysis.text, frozenset(analysis.content))
                    seen.update(set(analysis.content))
            # An entry's words: those of its question and keywords, and those that several of
            # its phrasings use (a word one writer happened to use once is chatter, not topic).
            vocab = set(self.normalizer.analyse(texts[0]).content)
            vocab.update(word for word, count in seen.items() if count >= VOCAB_MIN_PHRASINGS)
            if index < len(self.entries):
                # Words many phrasings of this entry use ("trust" for about-source).
                frequent.update(w for w, count in seen.items() if count >= TOPIC_MIN_PHRASINGS)
            if len(texts) < VOCAB_MIN_PHRASINGS * 4:
                vocab.update(seen)
            for keyword in keywords:
                vocab.update(self.normalizer.analyse(keyword).content)
            answer_words = frozenset(self.normalizer.analyse(answer).content) - vocab
            self.phrasings.append([(words_, text) for text, words_ in phrasings.items()])
            self.vocab.append(frozenset(vocab))
            self.answer_vocab.append(answer_words)
            for word in vocab | answer_words:
                postings.setdefault(word, set()).add(index)
        self.postings = {word: tuple(sorted(ids)) for word, ids in postings.items()}
        # The entries alone (not the not-answered questions) that use each word: a common word
        # still finds them (see score).
        self.entry_postings = {
            word: tuple(i for i in ids if i < len(self.entries))
            for word, ids in self.postings.items()
        }
        # Topic words: those of the entries' questions and keywords, the words synonyms lead
        # to, and words that many phrasings of one entry (and no other) use. A message with
        # none of them ("good bot", "sleep position") is not about the FAQ, whatever words
        # it shares with how people happened to ask.
        lexicon = content.lexicon
        targets = [*lexicon.synonyms.values(), *(sense.means for sense in lexicon.senses.values())]
        self.topic_words = frozenset(
            word
            for text in (*(t for e in self.entries for t in (e.question, *e.keywords)), *targets)
            for word in self.normalizer.analyse(text).content
        ) | {word for word, entries in frequent.items() if entries <= TOPIC_MAX_ENTRIES}
        # Each entry's own words: those of its question and keywords.
        self.core_words = [
            frozenset(
                word
                for text in (entry.question, *entry.keywords)
                for word in self.normalizer.analyse(text).content
            )
            for entry in self.entries
        ]
        # Weights come from the entries: questions the FAQ does not answer are many and would
        # make the FAQ's own words look common.
        total = max(len(self.entries), 1)
        # A word in every entry ("cervix") tells entries apart poorly but still shows the
        # message is on topic: its weight has a floor.
        floor = IDF_FLOOR * math.log(1 + total)
        in_entries = {
            word: sum(1 for i in ids if i < len(self.entries))
            for word, ids in self.postings.items()
        }
        self.idf = {
            word: max(math.log(1 + total / max(count, 1)), floor)
            for word, count in in_entries.items()
        }
        # A word the FAQ has never seen counts against a match ("sushi"), a little less than
        # the FAQ's rarest words (it may be a word of the story around the question).
        self.unknown_idf = UNKNOWN_WORD_WEIGHT * math.log(1 + total)
        # Every phrasing of every document in flat lists, with an inverted index of its words
        # and its total weight (for the dice score).
        self.phrasing_start: list[int] = []
        self.phrasing_document: list[int] = []
        self.phrasing_text: list[str] = []
        self.phrasing_words: list[frozenset[str]] = []
        self.phrasing_weight: list[float] = []
        self.phrasing_postings: dict[str, list[int]] = {}
        for index, items in enumerate(self.phrasings):
            self.phrasing_start.append(len(self.phrasing_text))
            for phrasing, text in items:
                pid = len(self.phrasing_text)
                self.phrasing_document.append(index)
                self.phrasing_text.append(text)
                self.phrasing_words.append(phrasing)
                # summed in sorted order: a set's order, and so the last bits of a float sum,
                # change with Python's string hashing from process to process
                self.phrasing_weight.append(sum(map(self._weight, sorted(phrasing))))
                for word in phrasing:
                    self.phrasing_postings.setdefault(word, []).append(pid)
        # For words in very many phrasings: each document's lightest phrasings with the word
        # (a message made only of such words scores highest against those).
        self.phrasing_heads: dict[str, dict[int, list[int]]] = {}
        for word, pids in self.phrasing_postings.items():
            if len(pids) > COMMON_PHRASINGS:
                heads: dict[int, list[int]] = {}
                for pid in sorted(pids, key=self.phrasing_weight.__getitem__):
                    bucket = heads.setdefault(self.phrasing_document[pid], [])
                    if len(bucket) < FUZZY_PHRASINGS:
                        bucket.append(pid)
                self.phrasing_heads[word] = heads

    def ambiguities(self) -> list[tuple[str, str, str, str]]:
        """Phrasings of different entries that look the same after normalization.

        Returns ``(entry_id, phrasing, other_entry_id, other_phrasing)`` tuples: such a pair
        makes both entries tie, so neither is ever answered with confidence.
        """
        first: dict[frozenset[str], tuple[int, str]] = {}
        found: list[tuple[str, str, str, str]] = []
        for index, entry in enumerate(self.entries):
            for text in entry.phrasings:
                key = frozenset(self.normalizer.analyse(text).content)
                if not key:
                    continue
                other = first.setdefault(key, (index, text))
                if other[0] != index:
                    found.append((entry.id, text, self.entries[other[0]].id, other[1]))
        return found

    def analyse(self, text: str) -> Analysis:
        """Normalize a message."""
        return self.normalizer.analyse(text)

    def _weight(self, word: str) -> float:
        return self.idf.get(word, self.unknown_idf)

    def _pid_of(self, index: int, text: str) -> int | None:
        """The phrasing id of ``text`` among the phrasings of document ``index``."""
        wanted = self.analyse(text).text
        start = self.phrasing_start[index]
        end = (
            self.phrasing_start[index + 1]
            if index + 1 < len(self.phrasing_start)
            else len(self.phrasing_text)
        )
        return next((pid for pid in range(start, end) if self.phrasing_text[pid] == wanted), None)

    def score(
        self, text: str, *, leave_out: tuple[int, str] | None = None
    ) -> tuple[Analysis, list[Scored]]:
        """Score ``text`` against the candidate entries, best first. ``leave_out`` (a document
        index and one of its phrasings) scores as if that phrasing were not there: how an
        alternative would fare as a user's message (``faqbot check``)."""
        skip = self._pid_of(*leave_out) if leave_out else None
        analysis = self.analyse(text)
        query = frozenset(analysis.content)
        if not query:
            return analysis, []
        # Unknown words weigh more in a short message (every word there is on topic) than in
        # a long one (words of the story around the question).
        unknown = self.unknown_idf * min(1.0, UNKNOWN_SHORT_MESSAGE / len(query))
        # In sorted order, not the set's: the sums and the order common words are added in
        # must not depend on Python's string hashing, which changes from process to process.
        weights = {word: self.idf.get(word, unknown) for word in sorted(query)}
        query_weight = sum(weights.values())
        # Candidates come from the message's rarer words; a word found in very many entries
        # ("why" in a large FAQ) is left out of retrieval (not of scoring) when rarer ones exist.
        common = max(COMMON_POSTINGS, len(self.phrasings) // 10)
        known = [word for word in weights if word in self.postings]
        rare = [word for word in known if len(self.postings[word]) <= common] or known
        candidates: dict[int, float] = {}
        for word in rare:
            for index in self.postings[word]:
                candidates[index] = candidates.get(index, 0.0) + weights[word]
        # A common word still finds the entries that use it, when they are few: "cerclage" is
        # in hundreds of not-answered questions, but "what is a cerclage" must reach the
        # cerclage entry.
        for word in known:
            found = self.entry_postings[word]
            if word not in rare and len(found) <= COMMON_POSTINGS:
                for index in found:
                    candidates[index] = candidates.get(index, 0.0) + weights[word]
        ranked = heapq.nsmallest(CANDIDATES, candidates, key=lambda i: (-candidates[i], i))
        # Dice with every phrasing that shares a word with the message, through the
        # phrasings' own inverted index; the best few of each entry also get a fuzzy score.
        # A word in very many phrasings ("cervix") is added to the phrasings that already
        # share a rarer word, and to the lightest phrasings of each candidate that have it.
        by_phrasing: dict[int, float] = {}
        postings = sorted(
            ((word, self.phrasing_postings.get(word, ())) for word in weights),
            key=lambda item: (len(item[1]), item[0]),
        )
        for word, pids in postings:
            weight = weights[word]
            if len(pids) > COMMON_PHRASINGS:
                for pid in by_phrasing:
                    if word in self.phrasing_words[pid]:
                        by_phrasing[pid] += weight
                # Of the phrasings that share only this word, the lightest of each candidate
                # score highest.
                heads = self.phrasing_heads[word]
                for index in ranked:
                    for pid in heads.get(index, ()):
                        by_phrasing.setdefault(pid, weight)
                continue
            for pid in pids:
                by_phrasing[pid] = by_phrasing.get(pid, 0.0) + weight
        if skip is not None:
            by_phrasing.pop(skip, None)
        by_document: dict[int, list[tuple[float, int]]] = {}
        for pid, shared in by_phrasing.items():
            dice = 2 * shared / (query_weight + self.phrasing_weight[pid])
            by_document.setdefault(self.phrasing_document[pid], []).append((dice, pid))
        query_text = analysis.text
        partial: list[tuple[int, float, float, list[tuple[float, int]]]] = []
        for index in ranked:
            vocab, answer_vocab = self.vocab[index], self.answer_vocab[index]
            covered = sum(w for word, w in weights.items() if word in vocab)
            covered += ANSWER_WORD_WEIGHT * sum(
                w for word, w in weights.items() if word in answer_vocab
            )
            closest = heapq.nlargest(FUZZY_PHRASINGS, by_document.get(index, ()))
            dice = closest[0][0] if closest else 0.0
            partial.append((index, covered / query_weight, dice, closest))
        # The fuzzy score adds at most FUZZY_WEIGHT: an entry that could not reach the best
        # one even with a perfect fuzzy score is not fuzzy-scored at all.
        reach = max((COVERAGE_WEIGHT * c + DICE_WEIGHT * d for _, c, d, _ in partial), default=0)
        scored: list[Scored] = []
        for index, coverage, dice, closest in partial:
            value = COVERAGE_WEIGHT * coverage + DICE_WEIGHT * dice
            fuzzy = 0.0
            if value + FUZZY_WEIGHT >= reach:
                nearest = {pid for _, pid in closest}
                if self.phrasings[index]:
                    nearest.add(self.phrasing_start[index])  # the question itself, always
                if skip is not None:
                    nearest.discard(skip)
                texts = (self.phrasing_text[pid] for pid in nearest)
                fuzzy = max((fuzz.token_sort_ratio(query_text, t) for t in texts), default=0) / 100
            score = 100 * (value + FUZZY_WEIGHT * fuzzy)
            scored.append(Scored(index, score, coverage, dice, fuzzy))
        scored.sort(key=lambda s: (-s.score, s.index))
        return analysis, scored

    def other_topic(self, analysis: Analysis) -> str | None:
        """The subject the FAQ does not answer that the message names, if any."""
        tokens = analysis.tokens
        for start, word in enumerate(tokens):
            for topic in self.other_topics.get(word, ()):
                if tokens[start : start + len(topic)] == topic:
                    return " ".join(topic)
        return None

    def match(self, text: str, *, suggestions: int = 3, signs: bool = False) -> MatchResult:
        """The confident match (or None) and up to ``suggestions`` other close entries.

        A message gets no confident match when it names a subject of ``other_topics``, or when
        a question the FAQ does not answer (``not_answered``) is closer than every entry.
        ``signs``: the message asks about warning signs in general ("does a weak cervix cause
        bleeding?"), so an entry marked ``sign_questions`` goes first when it scores within
        ``SIGNS_GAP`` of the best, and answers from ``SIGNS_SLACK`` under the threshold.

        In a message of ``LONG_CHARS`` or more (an e-mail, a story) the words around the
        question dilute every score: the best entry answers from ``LONG_SLACK`` under the
        threshold when it is ``LONG_LEAD`` ahead of everything else and the message uses a word
        of its question or keywords. Both follow a deployment's threshold.
        """
        analysis, scored, whole = self._focus(text)
        entries = [item for item in scored if item.index < len(self.entries)]
        clear = self._clear(entries)
        floor = self.threshold
        if signs and entries:
            near = entries[0].score - SIGNS_GAP
            preferred = next(
                (e for e in entries if self.entries[e.index].sign_questions and e.score >= near),
                None,
            )
            if preferred is not None:  # first, and clear of the others by definition
                entries = [preferred, *(item for item in entries if item is not preferred)]
                clear = True
                floor = min(floor, self.threshold - SIGNS_SLACK)
        if (
            len(text) >= LONG_CHARS
            and entries
            and scored[0] is entries[0]
            and (len(scored) < 2 or scored[0].score - scored[1].score >= LONG_LEAD)
            and self.core_words[entries[0].index].intersection((*analysis.content, *whole.content))
        ):
            floor = min(floor, self.threshold - LONG_SLACK)
        best: Match | None = None
        if (
            entries
            and clear
            and entries[0].score >= floor
            # The story around a question may name the topic: "...she said cervical
            # insufficiency. What is this condition, please?"
            and self.topic_words.intersection((*analysis.content, *whole.content))
            and self._not_answered(scored) is None
            and self.other_topic(analysis) is None
        ):
            best = self._as_match(entries[0])
        rest = entries[1:] if best else entries
        others = tuple(self._as_match(item) for item in rest[:suggestions])
        return MatchResult(analysis, best, others)

    def _focus(self, text: str) -> tuple[Analysis, list[Scored], Analysis]:
        """Score the whole message, and in a story each part that asks something; keep the
        reading whose best candidate scores highest, when it beats the whole message by
        ``FOCUS_MARGIN``. "Sorry, long story: two losses, my OB says... Anyway, how common
        is this?" is about its last sentence, and "...she said it was fine, so who is right,
        is a short cervix the same as a weak one" about its last clauses. The third value is
        the whole message's analysis. A part must name a topic word itself: "How do I stop this
        worry?" after a story is about the story, whatever its words happen to score."""
        analysis, scored = self.score(text)
        whole = analysis
        if len(text) < FOCUS_SURE_CHARS and self._confident(scored):
            return analysis, scored, whole
        # A short message is read in parts only when a part answers on its own: "long day
        # today. what is a cerclage?"
        short = len(text) < FOCUS_MIN_CHARS
        floor = (scored[0].score if scored else 0.0) + FOCUS_MARGIN
        for part in _asking_parts(text):
            if short and part.strip() == text.strip():
                continue
            part_analysis, part_scored = self.score(part)
            # A part must name a topic itself: "Is that normal?" after a story is about the
            # story, not about what the cervix normally does.
            named = self.topic_words.intersection(part_analysis.content)
            if (
                part_scored
                and part_scored[0].score > floor
                and named
                and (not short or self._answers_alone(part, part_analysis, part_scored))
            ):
                analysis, scored = part_analysis, part_scored
                floor = part_scored[0].score
        return analysis, scored, whole

    def _answers_alone(self, part: str, analysis: Analysis, scored: list[Scored]) -> bool:
        """Whether a part of a short message answers on its own: a question of a few words
        that starts like one ("what is a cerclage?", not "Doctor need?" or "Just cramp?"),
        confident, and using a word of its entry's question or keywords (not "is this
        normal?")."""
        found = _without_lead_ins(part)
        return (
            len(found) >= SHORT_PART_WORDS
            and found[0] in _QUESTION_STARTS
            and self._confident(scored)
            and bool(self.core_words[scored[0].index].intersection(analysis.content))
        )

    def _confident(self, scored: list[Scored]) -> bool:
        """Whether the best entry would answer on its score alone: at least the threshold,
        clear of the next by the margin, and no not-answered question above it."""
        entries = [item for item in scored if item.index < len(self.entries)]
        return bool(
            entries
            and entries[0].score >= self.threshold
            and self._clear(entries)
            and self._not_answered(scored) is None
        )

    def _clear(self, entries: list[Scored]) -> bool:
        """Whether the best entry is ahead of the next by at least the margin."""
        return len(entries) < 2 or entries[0].score - entries[1].score >= self.margin

    def not_answered(self, text: str) -> str | None:
        """The id of the question the FAQ does not answer that ``text`` asks, if any."""
        _, scored = self.score(text)
        found = self._not_answered(scored)
        return self.subjects[found.index - len(self.entries)].id if found else None

    def _not_answered(self, scored: list[Scored]) -> Scored | None:
        """The not-answered question that scores at least as high as every entry, if any."""
        if scored and scored[0].index >= len(self.entries):
            return scored[0]
        return None

    def _as_match(self, item: Scored) -> Match:
        entry = self.entries[item.index]
        return Match(entry.id, entry.question, round(item.score, 1))
