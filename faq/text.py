"""Text normalization shared by the matcher and the urgency detector.

Everything here is deterministic and language-data driven: the word lists come from YAML
(``synonyms.yaml``) through :class:`faq.model.Lexicon`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, Levenshtein

_DROP_APOSTROPHES = str.maketrans("", "", "'’‘`´ʼ")
_WORD = re.compile(r"[a-z0-9]+")
# Sentence and clause boundaries for negation and question-frame checks.
_CLAUSE_SPLIT = re.compile(r"[.!?;,:\n()\[\]…]+|\s[-–—]+\s|\bbut\b")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\n…])\s*")


# Latin letters that Unicode does not decompose into a letter and an accent: Turkish dotless
# "ı", Polish "ł", German "ß", Nordic "ø" and "æ", French "œ", Croatian "đ".
_PLAIN_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
     "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "ħ": "h"}
)


def fold(text: str) -> str:
    """Lowercase, strip accents and join contractions ("Don’t" -> "dont", "Müller" -> "muller",
    "kıpırdamıyor" -> "kipirdamiyor", "zemdlałam" -> "zemdlalam")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold().translate(_DROP_APOSTROPHES)


def words(text: str) -> list[str]:
    """The lowercase ASCII words and numbers of ``text``; everything else is a separator."""
    return _WORD.findall(fold(text))


def replace_words(text: str, table: Mapping[str, str]) -> str:
    """``text`` folded, with each word that is in ``table`` replaced; punctuation is kept."""
    return _WORD.sub(lambda word: table.get(word[0], word[0]), fold(text))


def has_words(text: str) -> bool:
    """True when ``text`` contains at least one letter or digit (not only emoji or symbols)."""
    return bool(_WORD.search(fold(text)))


def clauses(text: str) -> list[str]:
    """Split folded text into clauses (punctuation and "but" end a clause)."""
    return [part for part, _ in clauses_after(text)]


def clauses_after(text: str) -> list[tuple[str, bool]]:
    """:func:`clauses`, each with whether "but" opened it ("no bleeding but water is coming
    out": the second clause turns away from the first, it does not continue its list)."""
    folded = fold(text)
    out: list[tuple[str, bool]] = []
    start, opened = 0, False
    for found in _CLAUSE_SPLIT.finditer(folded):
        part = folded[start : found.start()]
        if part.strip():
            out.append((part, opened))
        opened = found[0] == "but"
        start = found.end()
    if folded[start:].strip():
        out.append((folded[start:], opened))
    return out


def sentences(text: str) -> list[str]:
    """Split text into sentences, keeping the final punctuation (for question detection)."""
    return [part for part in _SENTENCE_SPLIT.split(fold(text)) if part.strip()]


def stem(word: str) -> str:
    """A light suffix stemmer: "cramps", "cramping", "crampy" -> "cramp"; "risks" -> "risk".

    It only has to map variants of one word together consistently; it is applied to the FAQ and
    to messages alike.
    """
    if word.isdigit():
        return word
    if len(word) <= 4:
        # Plurals of short words ("pads" -> "pad"), but not "this", "less" or "does".
        if len(word) == 4 and word[-1] == "s" and word[-2] not in "aeiosu":
            return word[:-1]
        return word
    for suffix, replacement in (
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("ly", ""),
        ("y", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "stopped" -> "stopp" -> "stop"
    return word


MAX_TYPO_EDITS = 3
TYPO_CANDIDATES = 8  # closest vocabulary words checked for a typo correction
ELLIPSIS = "…"
DROPPED_G = "in"  # "goin", "thinkin": the "-ing" said without its "g"


def typo_limit(word: str, candidate: str) -> int:
    """How many edits ``word`` may be from ``candidate`` and still count as a typo of it.

    Short words are left alone (too many real words are one edit apart: "back", "black"); a
    five- or six-letter word may only have dropped a letter ("stich"; "bleding" is longer) or
    swapped two neighbours ("lenght", with a distance that counts a swap as one edit);
    and typos rarely touch a word's first letters, so more edits are allowed when the first
    three letters agree ("cervics" -> "cervix", but not "closed" -> "caused").
    """
    if len(word) <= 4 or candidate[0] != word[0] or abs(len(candidate) - len(word)) > 1:
        return 0
    if len(word) <= 6:
        # a dropped letter, or two neighbours swapped ("lenght", "cevrix": one edit by OSA)
        dropped = len(candidate) == len(word) + 1
        return 1 if dropped or sorted(candidate) == sorted(word) else 0
    same_start = candidate[:3] == word[:3]
    if len(word) <= 9:
        return 2 if same_start else 1
    return 3 if same_start else 2


def unknown_word_limit(word: str, candidate: str) -> int:
    """How many edits a word that is no English word (not in :func:`english_words`) may be
    from ``candidate``, an English word, counting a swap of two neighbouring letters as one
    edit: "bleading", "bleeidng" -> "bleeding", "cramsp" -> "cramps".

    Wider than :func:`typo_limit` without substitutions, because a real word a letter away
    from a symptom word ("dropping", "dripping") is on the English list and never reaches it.
    A five- or six-letter word may have dropped, doubled or swapped one letter, not changed
    one; a longer word may have one wrong letter, and a word of ten letters or more two when
    its first three letters agree. Words of other languages are not English words either:
    their candidates are English words only, so that "namamana" (Tagalog) never becomes
    "namamaga", and two edits are rare enough that "childer" does not become "chilled".
    """
    if len(word) <= 4 or candidate[0] != word[0] or abs(len(candidate) - len(word)) > 1:
        return 0
    if len(word) <= 6:
        return 1 if len(candidate) != len(word) or sorted(candidate) == sorted(word) else 0
    return 2 if len(word) >= 10 and candidate[:3] == word[:3] else 1


def first_typo_match(
    word: str,
    found: Iterable[tuple[str, float, int]],
    limit: Callable[[str, str], int] = typo_limit,
) -> str:
    """The first of rapidfuzz's ``(candidate, distance, index)`` results that is a typo of
    ``word`` by ``limit`` (:func:`typo_limit`), or ``word`` itself."""
    for candidate, distance, _ in found:
        if distance <= limit(word, candidate):
            return candidate
    return word


ENGLISH_WORDS = Path(__file__).parent / "data" / "english_words.txt"


class EnglishWords:
    """Real English words of five letters or more (``faq/data/english_words.txt``, built from
    word frequencies by ``scripts/build_word_list.py``): a word ``in`` them is never a typo of
    anything; :meth:`is_common`, the more frequent part of them, are what a typo may be read
    as. Held as one string per first letter and length (about 1 MB, where a set of the 75 000
    words takes several): a lookup searches one short string."""

    def __init__(
        self, common: dict[tuple[str, int], str], rarer: dict[tuple[str, int], str]
    ) -> None:
        self._common = common  # (first letter, length) -> "\nword\nword\n"
        self._rarer = rarer

    @classmethod
    def from_words(cls, common: Iterable[str], rarer: Iterable[str]) -> EnglishWords:
        return cls(_word_buckets(common), _word_buckets(rarer))

    @staticmethod
    def _holds(buckets: dict[tuple[str, int], str], word: str) -> bool:
        bucket = buckets.get((word[:1], len(word)))
        return bucket is not None and f"\n{word}\n" in bucket

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (
            self._holds(self._common, word) or self._holds(self._rarer, word)
        )

    def is_common(self, word: str) -> bool:
        return self._holds(self._common, word)


class _WordBuckets:
    """Words gathered into one string per (first letter, length). Words that come grouped so
    (as the packaged file is written) are joined a group at a time: the 75 000 words never
    exist as separate strings all at once."""

    def __init__(self) -> None:
        self.joined: dict[tuple[str, int], str] = {}
        self._key: tuple[str, int] | None = None
        self._group: list[str] = []

    def add(self, word: str) -> None:
        key = (word[0], len(word))
        if key != self._key:
            self._flush()
            self._key = key
        self._group.append(word)

    def _flush(self) -> None:
        if self._key is not None and self._group:
            before = self.joined.get(self._key, "\n")
            self.joined[self._key] = before + "\n".join(self._group) + "\n"
        self._group = []

    def done(self) -> dict[tuple[str, int], str]:
        self._flush()
        return self.joined


def _word_buckets(found: Iterable[str]) -> dict[tuple[str, int], str]:
    buckets = _WordBuckets()
    for word in found:
        buckets.add(word)
    return buckets.done()


@cache
def english_words() -> EnglishWords:
    """The packaged English word list, read once, a line at a time."""
    common, rarer = _WordBuckets(), _WordBuckets()
    part = common
    with ENGLISH_WORDS.open(encoding="utf-8") as file:
        for line in file:
            if line.startswith("# Rarer"):
                part = rarer
            elif not line.startswith("#") and (word := line.strip()):
                part.add(word)
    return EnglishWords(common.done(), rarer.done())


class TypoCorrector:
    """Maps a misspelled word to the word of a known vocabulary it is a typo of.

    One corrector serves the matcher (the FAQ's vocabulary) and the urgency detector (the
    red-flag vocabulary). Candidates share the first letter and have about the same length,
    so the vocabulary is bucketed by (first letter, length), most frequent word first:
    rapidfuzz breaks ties by index, so common words win ties. Results are cached.

    Given ``english`` (:func:`english_words`), a word that the narrow rule leaves alone and
    that is no real word gets a second, wider look (:func:`unknown_word_limit`) among the
    vocabulary's common English words, less ``not_targets`` (words of other languages that
    happen to be English words too: "parte", "mucho"). With ``keep_english`` a real word is
    never corrected at all ("discharged" stays itself, not "discharge"). Words of ``also_known``
    are never corrected, and nothing is corrected to them (words of other languages).
    """

    def __init__(
        self,
        vocabulary: Mapping[str, int] | Iterable[str],
        *,
        max_edits: int = MAX_TYPO_EDITS,
        substitutions: bool = True,
        english: EnglishWords | None = None,
        not_targets: Iterable[str] = (),
        keep_english: bool = False,
        also_known: Iterable[str] = (),
    ) -> None:
        counts = vocabulary if isinstance(vocabulary, Mapping) else dict.fromkeys(vocabulary, 1)
        self.known = frozenset(counts) | frozenset(also_known)
        self.max_edits = max_edits
        # Without substitutions only letters dropped or added count (Indel distance); with
        # them, a swap of two neighbouring letters counts as one edit too (OSA distance).
        self.scorer = OSA.distance if substitutions else Indel.distance
        self.english = english
        self.keep_english = keep_english and english is not None
        excluded = frozenset(not_targets)
        self._buckets: dict[tuple[str, int], list[str]] = {}
        self._english: dict[tuple[str, int], list[str]] = {}  # for the wider look
        for word in sorted(counts, key=lambda word: (-counts[word], word)):
            self._buckets.setdefault((word[0], len(word)), []).append(word)
            if english is not None and word not in excluded and english.is_common(word):
                self._english.setdefault((word[0], len(word)), []).append(word)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def _correct(self, word: str) -> str:
        if word in self.known or word.isdigit():
            return word
        # A dropped "g" ("goin", "bleedin", "somethin") is how a voice spells, not a typo:
        # short words too, when the word with its "g" is known and the word itself is not.
        if len(word) >= 4 and word.endswith(DROPPED_G) and word + "g" in self.known:
            return word + "g"
        if len(word) <= 4 or (self.keep_english and word in (self.english or ())):
            return word
        found = self._nearest(word, self._buckets, self.scorer, self.max_edits)
        corrected = first_typo_match(word, found)
        if corrected != word or self.english is None or word in self.english:
            return corrected
        found = self._nearest(word, self._english, OSA.distance, 2)
        return first_typo_match(word, found, unknown_word_limit)

    @staticmethod
    def _nearest(
        word: str,
        buckets: Mapping[tuple[str, int], list[str]],
        scorer: Callable[..., float],
        cutoff: int,
    ) -> list[tuple[str, float, int]]:
        """The closest words of ``buckets`` with the first letter of ``word`` and about its
        length, by rapidfuzz's ``(candidate, distance, index)``."""
        choices = [
            known
            for size in (len(word), len(word) + 1, len(word) - 1)
            for known in buckets.get((word[0], size), ())
        ]
        return process.extract(
            word, choices, scorer=scorer, processor=None, score_cutoff=cutoff,
            limit=TYPO_CANDIDATES,
        )


_PHONETIC_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^a-z]", ""),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"sch", "sk"),
        (r"t?ch|sh", "X"),  # upper case: not the x that becomes "ks"
        (r"dge?", "j"),
        (r"gh", ""),
        (r"kn", "n"),
        (r"wh", "w"),
        (r"th", "0"),
        (r"c(?=[eiy])", "s"),
        (r"[cq]", "k"),
        (r"x", "ks"),
        (r"z", "s"),
        (r"v", "f"),
        (r"g(?=[eiy])", "j"),
        (r"(?<=.)[aeiouhwy]", ""),
        (r"(.)\1+", r"\1"),
    )
]


def phonetic_key(word: str) -> str:
    """A rough sound key, so that speech-to-text spellings find the word that was said:
    "serve ix" and "cervix" both give "SRFKS", "sir clodge" and "cerclage" "SRKLJ"."""
    key = word.lower()
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    if key[:1] in "aeiou":
        key = "a" + key[1:]
    return key.upper()


class SoundsLike:
    """Finds the word of a small vocabulary (the FAQ's topic words) that an unknown word, or a
    run of up to three words, sounds like: speech-to-text writes "sir clash" for "cerclage"."""

    MIN_KEY = 4  # shorter keys match too many words

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._by_key: dict[str, str] = {}
        for word in sorted(vocabulary, key=lambda w: (len(w), w)):
            key = phonetic_key(word)
            if len(key) >= self.MIN_KEY:
                self._by_key.setdefault(key, word)
        self._keys = list(self._by_key)
        self.find = lru_cache(maxsize=4096)(self._find)

    def _find(self, text: str) -> str | None:
        key = phonetic_key(text)
        if len(key) < self.MIN_KEY:
            return None
        if key in self._by_key:
            return self._by_key[key]
        if len(key) < self.MIN_KEY + 1:
            return None
        found = process.extractOne(
            key, self._keys, scorer=Levenshtein.distance, processor=None, score_cutoff=1
        )
        return self._by_key[found[0]] if found else None


def emoji_table(emoji: Mapping[str, str]) -> dict[int, str]:
    """A ``str.translate`` table that spells out emoji ("🩸" -> " blood ")."""
    return {ord(symbol): f" {meaning} " for symbol, meaning in emoji.items() if len(symbol) == 1}


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders with plain ``str.replace`` (no ``str.format``).

    A brace in a value or in the text can never raise or pull in attributes, and a
    placeholder with no value is left as written.
    """
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def shorten(text: str, room: int, *, length: Callable[[str], int] = len) -> str:
    """Cut ``text`` to at most ``room`` units of ``length`` at a good boundary, marking the cut.

    The cut ends at a line break, else after a sentence, else between words, whichever keeps
    at least half of what fits; ``length`` lets Telegram count UTF-16 units.
    """
    if length(text) <= room:
        return text
    if room <= len(ELLIPSIS):
        return ""
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits together with the ellipsis
        middle = (low + high + 1) // 2
        if length(text[:middle]) + len(ELLIPSIS) <= room:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    for boundary in (cut.rfind("\n"), cut.rfind(". ") + 1, max(cut.rfind(" "), 0)):
        if boundary > low // 2:
            cut = cut[:boundary]
            break
    return cut.rstrip() + ELLIPSIS


def expand_abbreviations(tokens: Iterable[str], abbreviations: Mapping[str, str]) -> list[str]:
    """Replace texting shorthand token by token ("u" -> "you", "b4" -> "before")."""
    out: list[str] = []
    for token in tokens:
        replacement = abbreviations.get(token)
        if replacement is None:
            out.append(token)
        else:
            out.extend(replacement.split())
    return out


class PhraseMap:
    """Replaces multi-word phrases in a token list, longest phrase first.

    Built once from ``{phrase: replacement}``; both sides are already normalized token strings.
    """

    def __init__(self, phrases: Mapping[str, str]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for phrase, replacement in phrases.items():
            key = tuple(phrase.split())
            if not key:
                continue
            self._by_first.setdefault(key[0], []).append((key, tuple(replacement.split())))
        for options in self._by_first.values():
            options.sort(key=lambda item: -len(item[0]))

    def apply(self, tokens: Sequence[str]) -> list[str]:
        """Return ``tokens`` with every known phrase replaced."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for phrase, replacement in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    out.extend(replacement)
                    i += len(phrase)
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def words(self) -> set[str]:
        """Every word that occurs in a phrase (for the typo-correction vocabulary)."""
        found: set[str] = set()
        for options in self._by_first.values():
            for phrase, replacement in options:
                found.update(phrase)
                found.update(replacement)
        return found
