"""Words of other scripts read as Latin words, for the warning-sign check.

Everything else in the engine reads lowercase ASCII words, so a message typed in the Arabic
alphabet or in Devanagari used to be read as no words at all: "خون آ رہا ہے" (blood is coming)
raised no alarm. :class:`ScriptReader` rewrites such words, before anything else looks at the
message:

1. **The moderators' table** (``script_words`` in the YAML), word for word: Arabic, Persian and
   Urdu words, and English loanwords written in an Indic script ("ब्लीडिंग" -> "bleeding"). Arabic
   script writes "and", "the", "in", "my" and "her" as part of the word ("والنزيف", "بطني"), so a
   word not in the table is looked up again without them.
2. **Indic scripts** (Devanagari, Bengali, Gurmukhi, Gujarati and the others of the Brahmic
   family): a word not in the table is spelled in Latin letters from its letters' Unicode names,
   the way people type Hindi in Latin letters ("खून" -> "khun", "दर्द" -> "dard", "नहीं" ->
   "nahi"), so that the Hindi and Urdu phrases of the warning signs read it.
3. **Arabic-script and Cyrillic words not in the table** are left out: an abjad without its
   short vowels cannot be spelled out reliably, and Russian or Ukrainian spelled in Latin
   letters would read as no English either. Cyrillic words are looked up in lower case.
4. **Chinese and Japanese** have no spaces between words: a run of their characters is read as
   the table's keys found in it, the longest first from left to right ("没有出血" -> "no
   bleeding"); characters of no key are left out.

Digits of every script become ASCII digits ("٢٠" -> "20") and the scripts' own punctuation (the
Arabic question mark and comma, the danda) becomes ASCII punctuation, so that sentences and
clauses are split as in English. Text with no letters of these scripts (English, accents and
emoji included) is returned unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from faq.text import fold

# Letters and marks of the Arabic-script blocks and of the Brahmic (Indic) blocks, and the
# zero-width joiners Persian types inside words ("می‌خواهم").
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_INDIC = "\u0900-\u0dff"
_CYRILLIC = "\u0400-\u052f"
# Chinese characters and Japanese kana: written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTERS = f"{_ARABIC}{_INDIC}{_CYRILLIC}{_CJK}"
_NATIVE_WORD = re.compile(rf"[{_LETTERS}\u200c\u200d]+")
_IS_ARABIC = re.compile(rf"[{_ARABIC}]")
# Words of these scripts are read from the table only: not spelled out when not in it.
_TABLE_ONLY = re.compile(rf"[{_ARABIC}{_CYRILLIC}]")
_IS_CJK = re.compile(rf"[{_CJK}]")
_COUNTED_WORD = re.compile(rf"[{_ARABIC}{_INDIC}\u200c\u200d]+")
_LATIN_WORD = re.compile(r"[^\W\d_]*[A-Za-z][^\W\d_]*")
# A key of the moderators' table: words of these scripts, spaces between them.
NATIVE_WORDS = re.compile(rf"[{_LETTERS}\u200c\u200d]+(?: [{_LETTERS}\u200c\u200d]+)*")

_PUNCTUATION = str.maketrans(
    {
        "؟": "?",  # Arabic question mark
        "،": ",",  # Arabic comma
        "؛": ";",  # Arabic semicolon
        "۔": ".",  # Urdu full stop
        "।": ".",  # danda
        "॥": ".",  # double danda
        "٪": "%",
        "\u200c": "",  # zero-width non-joiner: Persian "می‌خواهم" is one word
        "\u200d": "",
        "\u0640": "",  # tatweel, a stretching stroke
        "。": ".",  # Chinese and Japanese full stop, comma, enumeration comma
        "，": ",",
        "、": ",",
        "？": "?",  # full-width question mark, exclamation mark, colon, semicolon
        "！": "!",
        "：": ":",
        "；": ";",
    }
)

# Arabic-script spelling variants read as one: alef with hamza or madda, alef maqsura, taa
# marbuta, Arabic and Persian kaf and yeh, Urdu heh; short vowel marks are dropped.
_ARABIC_VARIANTS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ی",
        "ي": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۃ": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ؤ": "و",
        **{chr(mark): None for mark in range(0x064B, 0x0660)},
        "\u0670": None,
    }
)
# Attached words of Arabic script, longest first: "and", "so", "with/in", "for", "the".
_PREFIXES = ("وبال", "وال", "فال", "بال", "لل", "ال", "و", "ف", "ب", "ل")
_ARTICLE = frozenset(("وبال", "وال", "فال", "بال", "لل", "ال"))  # the ones with "the"
# Attached pronouns and endings: "my", "your", "his/her", "our", "their", Persian "-am", ...
_SUFFIXES = ("هایم", "های", "ها", "هم", "کم", "نا", "ني", "نی", "تی", "ه", "ی", "ک", "م")

# Letters left after taking attached words off (but the article), at least: "بام" (a roof)
# is not "ب" + "ام" (with a mother), nor "راني" (I am) "ران" (a thigh) + "ي".
MIN_STEM = 3

# Independent vowels and vowel signs, by the last word of their Unicode name.
_VOWELS = {
    "A": "a",
    "AA": "a",
    "I": "i",
    "II": "i",
    "U": "u",
    "UU": "u",
    "E": "e",
    "EE": "e",
    "AI": "ai",
    "O": "o",
    "OO": "o",
    "AU": "au",
    "R": "ri",  # VOCALIC R
    "L": "li",  # VOCALIC L
    "RR": "ri",
    "LL": "li",
}
# Consonants whose Unicode name is not their common Latin spelling.
_CONSONANTS = {
    "CA": "ch",
    "CHA": "chh",
    "NGA": "n",
    "NYA": "n",
    "NNA": "n",
    "TTA": "t",
    "TTHA": "th",
    "DDA": "d",
    "DDHA": "dh",
    "SSA": "sh",
    "RRA": "r",
    "RHA": "rh",
    "LLA": "l",
    "LLLA": "l",
    "YYA": "y",
    "QA": "q",
    "KHHA": "kh",
    "GHHA": "gh",
    "DDDHA": "r",
    "VA": "v",
}
# A consonant with a dot below (nukta) is another sound.
_NUKTA = {"d": "r", "dh": "rh", "j": "z", "ph": "f", "k": "q", "g": "gh"}
_NASALS = {"ANUSVARA", "CANDRABINDU", "TIPPI", "BINDI"}
# Bengali and Assamese say the inherent vowel "o" ("রক্ত" is typed "rokto").
_INHERENT = {"BENGALI": "o"}


def in_other_script(text: str) -> bool:
    """Whether ``text`` has words of the Arabic, an Indic, the Cyrillic or the Chinese and
    Japanese scripts."""
    return not text.isascii() and _NATIVE_WORD.search(text) is not None


def mostly_other_script(text: str) -> bool:
    """Whether most words of ``text`` are in the Arabic or an Indic script: "मुझे 20 weeks में
    ब्लीडिंग हो रही है" is, "is spotting normal? عندي سؤال" is not. Cyrillic and Chinese words
    are not counted: a message mixing them with an English question ("how common is слабая
    шейка матки?", "环扎手术要打麻药吗? anesthesia?") is matched on its English words (one with
    no English at all has no words to match)."""
    if not in_other_script(text):
        return False
    native = len(_COUNTED_WORD.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    return native >= latin


@lru_cache(maxsize=4096)
def romanize(word: str) -> str:
    """An Indic-script word in Latin letters, as it is commonly typed ("दर्द" -> "dard").

    Consonants carry the script's inherent vowel unless a vowel sign or a virama follows; the
    inherent vowel is not said at the end of a word, nor between a vowel and a consonant that
    has its own vowel ("करता" -> "karta"). Letters of other scripts are left out.
    """
    units: list[tuple[str, str]] = []  # (kind, latin): kind "C" consonant, "V" vowel, "" other
    inherent = "a"
    for char in word:
        name = unicodedata.name(char, "")
        parts = name.split()
        if len(parts) < 2:  # not a letter of a script ("GURMUKHI TIPPI" has two words)
            continue
        script, value = parts[0], parts[-1]
        inherent = _INHERENT.get(script, "a")
        if "DIGIT" in parts:
            units.append(("", str(unicodedata.digit(char, 0))))
        elif "VIRAMA" in parts or "HALANT" in parts:
            if units and units[-1][0] == "C+":
                units[-1] = ("C", units[-1][1])
        elif "VOWEL" in parts and "SIGN" in parts:
            latin = _VOWELS.get(value, "")
            if units and units[-1][0] == "C+":
                units[-1] = ("C", units[-1][1])
            units.append(("V", latin))
        elif value == "NUKTA":
            # ड़ "padh" -> "parh", ज़ "tej" -> "tez", फ़ "ph" -> "f"
            if units and units[-1][1] in _NUKTA:
                units[-1] = (units[-1][0], _NUKTA[units[-1][1]])
        elif value in _NASALS or "ANUSVARA" in parts or "CANDRABINDU" in parts:
            units.append(("", "n"))
        elif value == "VISARGA":
            units.append(("", "h"))
        elif "LETTER" in parts:
            if len(parts) >= 4 and parts[-2] == "VOCALIC":
                units.append(("V", _VOWELS.get(value, "ri")))
            elif value in _VOWELS:  # "DEVANAGARI LETTER AA"; consonants end in a vowel
                units.append(("V", _VOWELS[value]))  # after their own letters ("KA", "NA")
            else:
                latin = _CONSONANTS.get(value) or value.lower().removesuffix("a")
                units.append(("C+", latin))  # a consonant with its inherent vowel, for now
    out: list[str] = []
    voiced = False  # whether the unit before has a vowel (or a nasal after one)
    for i, (kind, latin) in enumerate(units):
        out.append(latin)
        if kind != "C+":
            voiced = kind == "V" or (kind == "" and latin == "n")
            continue
        after = units[i + 1] if i + 1 < len(units) else None
        if after is None:
            # Said at the end only after a cluster, in Bengali ("rokto").
            if inherent != "a" and i >= 1 and units[i - 1][0] == "C":
                out.append(inherent)
            continue
        # "karata" is said "karta": no inherent vowel between a vowel and a consonant that
        # has a vowel of its own.
        after_voiced = after[0] == "C+" and i + 2 < len(units)
        after_voiced = after_voiced or (
            after[0] == "C" and i + 2 < len(units) and units[i + 2][0] == "V"
        )
        if voiced and after_voiced:
            voiced = False
            continue
        out.append(inherent)
        voiced = True
    if units and units[-1] == ("", "n") and len(units) > 1 and units[-2][0] == "V":
        out.pop()  # a nasal vowel at the end: "नहीं" is typed "nahi", "में" "me"
    return "".join(out)


class ScriptReader:
    """Rewrites the words of other scripts in a text as Latin words (see the module notes)."""

    def __init__(self, table: Mapping[str, str]) -> None:
        # Keys are compared in one Unicode form, with their Arabic spelling variants made one
        # (and Cyrillic in lower case).
        self._table = {_normal(key).lower(): value for key, value in table.items()}
        # Chinese and Japanese keys, looked up inside runs of characters (see _segments).
        self._cjk_longest = max(
            (len(key) for key in self._table if _IS_CJK.search(key)), default=0
        )
        # Several words in one key ("دم نازل", "মাথা ঘুরছে"): read before the single words,
        # the longest first, and only as whole words.
        phrases = sorted((key for key in self._table if " " in key), key=len, reverse=True)
        self._phrases = (
            re.compile(
                rf"(?<![{_LETTERS}])(?:{'|'.join(map(re.escape, phrases))})(?![{_LETTERS}])"
            )
            if phrases
            else None
        )

    def __call__(self, text: str) -> str:
        if not in_other_script(text):  # English, accents and emoji included: nothing to do
            return text
        text = "".join(_ascii_digit(char) for char in _normal(text).lower())
        if self._phrases is not None:
            text = self._phrases.sub(lambda found: f" {self._table[found[0]]} ", text)
        return _NATIVE_WORD.sub(self._word, text)

    def _word(self, found: re.Match[str]) -> str:
        word = found[0].lower()
        latin = self._lookup(word)
        if latin is None and _IS_CJK.search(word):
            latin = self._segments(word)
        if latin is None:
            latin = "" if _TABLE_ONLY.search(word) else romanize(word)
        return f" {latin} "

    def _segments(self, run: str) -> str:
        """A run of Chinese or Japanese characters as the table's keys found in it, the
        longest first from left to right; characters of no key are left out."""
        out: list[str] = []
        index = 0
        while index < len(run):
            for size in range(min(self._cjk_longest, len(run) - index), 0, -1):
                latin = self._table.get(run[index : index + size])
                if latin is not None:
                    out.append(latin)
                    index += size
                    break
            else:
                index += 1
        return " ".join(out)

    def _lookup(self, word: str) -> str | None:
        table = self._table
        if word in table:
            return table[word]
        if not _IS_ARABIC.search(word):
            return None
        # Attached words: "والنزيف" is "and the bleeding", "بطني" "my belly".
        for prefix in ("", *_PREFIXES):
            if not word.startswith(prefix):
                continue
            stem = word[len(prefix) :]
            # After the article a short word is still a word: "الدم" is "the blood".
            if len(stem) < (2 if prefix in _ARTICLE else MIN_STEM):
                continue
            if prefix and stem in table:
                return table[stem]
            # A word with the article has no pronoun ending: "المهم" (the main thing) is not
            # "الم" (pain) + "هم" (their).
            if prefix in _ARTICLE or stem.startswith("ال"):
                continue
            for suffix in _SUFFIXES:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
                    found = table.get(stem[: -len(suffix)])
                    if found is not None:
                        return found
        return None


def _normal(text: str) -> str:
    """``text`` in one Unicode form (a dotted letter typed as one character or as two), its own
    punctuation made ASCII, and Arabic-script spelling variants made one."""
    text = unicodedata.normalize("NFC", text).translate(_PUNCTUATION)
    return text.translate(_ARABIC_VARIANTS) if _IS_ARABIC.search(text) else text


def _ascii_digit(char: str) -> str:
    """``char``, or its ASCII digit when it is a digit of another script ("٢" -> "2")."""
    if char.isascii() or not char.isdigit():
        return char
    return str(unicodedata.digit(char, 0))


# A word of a Latin-script language, and what may join two words of one key: spaces, an
# apostrophe or a hyphen ("j'ai mal", "c'est", "peut-être").
_GLOSSARY_WORD = re.compile(r"[^\W_]+")
_GLOSSARY_JOIN = re.compile(r"[\s'’\-]+")
# Diminutive endings of Portuguese and Spanish, and what the plain word ends with instead.
_DIMINUTIVES = (
    ("zinho", ""), ("zinha", ""), ("inho", "o"), ("inha", "a"),
    ("cito", ""), ("cita", ""), ("ito", "o"), ("ita", "a"),
)


class WordGlossary:
    """Rewrites words of other languages written in Latin letters (Portuguese, French,
    Spanish...) as English words, for the warning-sign check: "a bolsa estourou, to com
    sangramento" is read as "a water broke, i am with bleeding".

    Keys are lower case without accents, one word or several (read first, the longest first,
    as whole words, joined in the message by spaces, apostrophes or hyphens). Words that are
    not keys are left as they are, so English text is unchanged.
    """

    def __init__(self, table: Mapping[str, str]) -> None:
        self._words: dict[str, str] = {}
        # first word -> (the other words, meaning), the longest first
        self._runs: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key, value in table.items():
            parts = key.split()
            if len(parts) == 1:
                self._words[parts[0]] = value
            elif parts:
                self._runs.setdefault(parts[0], []).append((tuple(parts[1:]), value))
        for runs in self._runs.values():
            runs.sort(key=lambda run: len(run[0]), reverse=True)

    def __call__(self, text: str) -> str:
        if not self._words and not self._runs:
            return text
        found = list(_GLOSSARY_WORD.finditer(text))
        if not found:
            return text
        folded = [fold(match[0]) for match in found]
        out: list[str] = []
        last = 0  # where the text not yet copied starts
        index = 0
        while index < len(found):
            word = folded[index]
            size, meaning = self._run_at(found, folded, index, text)
            if not size and (single := self._word(word)) is not None:
                size, meaning = 1, single
            if size:
                out.append(text[last : found[index].start()])
                out.append(f" {meaning} ")
                last = found[index + size - 1].end()
                index += size
            else:
                index += 1
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)

    def _word(self, word: str) -> str | None:
        """The meaning of one word, also said with a diminutive ending ("sangramentozinho",
        "rosinha", "poquito" are "sangramento", "rosa", "poco")."""
        found = self._words.get(word)
        if found is not None:
            return found
        for ending, base in _DIMINUTIVES:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                found = self._words.get(word[: -len(ending)] + base)
                if found is not None:
                    return found
        return None

    def _run_at(
        self, found: list[re.Match[str]], folded: list[str], index: int, text: str
    ) -> tuple[int, str]:
        """The number of words and the meaning of the longest key starting at ``index``."""
        for rest, meaning in self._runs.get(folded[index], ()):
            end = index + len(rest)
            if end >= len(found) or tuple(folded[index + 1 : end + 1]) != rest:
                continue
            # Only spaces, apostrophes and hyphens between the words of one key.
            if all(
                _GLOSSARY_JOIN.fullmatch(text[found[i].end() : found[i + 1].start()])
                for i in range(index, end)
            ):
                return len(rest) + 1, meaning
        return 0, ""
