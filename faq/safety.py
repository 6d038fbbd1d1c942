"""Urgency detection: does a message report a symptom, a warning sign or a crisis?

Decided on the message alone, independently of FAQ matching, so a failed match never hides it.

* Each sentence is a **report** (the default: the writer, or the pregnant person they write
  for, has it now, even asked as a question: "is it normal to be spotting at 16 weeks?") or a
  **general question** about signs, with no first-person word and no word of a report ("does
  a weak cervix cause bleeding?"). A week of pregnancy or "is this normal?" anywhere in the
  message makes its general questions reports too.
* A clause tells of a **past pregnancy** from a history marker ("in my last pregnancy",
  "2019") in it or in an earlier clause of its sentence, until a clause says "now"; a sign
  there is history (no alarm; the reply suggests telling the provider about it).
* A sign named after someone or something else ("my coworker has back pain", "the dog is
  bleeding"), with no word of the writer in between, is not the writer's; a sentence with
  "not pregnant" or "not literally" reports nothing.
* A **crisis** phrase (thoughts of harming oneself or the baby) counts in every case but a
  denial.

Red-flag phrases (``red_flags.yaml``) match word by word after folding, emoji, shorthand
expansion, light stemming and one canonical "not" for every negation; longer words tolerate a
dropped or doubled letter ("bleding"), up to two extra words may stand between a phrase's
words, and a phrase ``"a + b"`` needs both parts in one sentence ("headache + blurry"). A
phrase does not count when a negation stands shortly before it ("no bleeding, just curious";
a denial runs on across a list: "no bleeding, cramps or pain"), or when it is part of one of
its flag's exceptions (the same words with another meaning: "blood pressure", "faint line").
"""

from __future__ import annotations

import bisect
import enum
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from faq.model import Content, Level
from faq.scorer import Scorer, bag, negated
from faq.scripts import ScriptReader, WordGlossary
from faq.text import (
    TypoCorrector,
    clauses,
    clauses_after,
    emoji_table,
    english_words,
    expand_abbreviations,
    fold,
    replace_words,
    sentences,
    stem,
    words,
)

NEGATION_WINDOW = 4  # words before a phrase in which a negation cancels it
AFTER_WINDOW = 2  # words after a phrase in which a following negation ("nahi") cancels it
NOTHING_WINDOW = 5  # words after a phrase in which "kuch nahi" (nothing) cancels it
MAX_GAP = 2  # extra words allowed between a phrase's words
# Articles and the like: optional in a phrase, so "soaking a pad" also finds "soaking pads"
# and "want to die" also finds "wanna die".
OPTIONAL_WORDS = frozenset(("a", "an", "the", "my", "some", "of", "to"))
DATING_WORDS = 8  # a sentence this short that names a past time dates the sentence before it
LIST_GAP = 2  # words between listed symptoms that a negation carries over ("or", "and any")
NOT = "not"  # every negation word, in phrases and messages alike
NONSTOP = "nonstop"  # "won't stop", "can't stop"
UNSURE = "unsure"  # "not sure", "don't know": doubt, not a denial
LIST_WORDS = frozenset(("or", "and", "nor", "any", "either"))
LIST_ITEM_WORDS = 3  # a clause this short after a denied list is one more item of it
# Words of the writer (or the pregnant person they write for), and weeks of pregnancy ("24w"):
# between someone else and a sign, they make the sign the writer's again ("I was chasing my son
# and my water broke", "pt 24w reports bleeding").
WRITER_WORDS = frozenset(
    "i im ive id me my we us our myself wife gf she her shes girlfriend fiancee pregnant"
    " expecting".split()
)
# Third-person words for the pregnant woman the writer asks for, unless a woman who is not
# the writer was named last ("my mother says she was knocked out").
SHE = frozenset(("she", "shes", "her", "hers", "herself"))
PREGNANT = frozenset(("pregnant", "expecting"))
PARTNERS = frozenset(
    ("wife", "wifes", "girlfriend", "gf", "partner", "fiance", "fiancee", "missus")
)
SELF = frozenset(("i", "im", "ive", "id", "ill", "me", "my", "mine", "myself"))
WOMEN = frozenset(
    "mom mum mother grandma grandmother nan aunt aunty ammi nani dadi coworker colleague boss"
    " companera character heroine dog cat puppy kitten billi kutta goat cow mare sheep rabbit"
    " hamster maman chienne chatte".split()
)
# Hindi verbs of what happens in general ("hota hai": happens, "aata hai": comes, "sakta hai":
# can), and words of the writer speaking ("mujhe", "karu").
HINDI_HABITUAL = frozenset(
    "hota hoti hote aata aati aate sakta sakti sakte padta padti nikalta nikalti dikhta"
    " dikhti".split()
)
# ...and of what is going on or has just happened: "ho raha hai", "sooji hui hai", "ab", "aaj"
HINDI_NOW = frozenset(
    "raha rahi rahe rha rhi rhe hui hua gaya gayi chuka chuki ab abhi aaj achanak shuru"
    " rehta rehti".split()
)
HINDI_SPEAKER = frozenset(
    "mujhe mujhko main mai meri mera mere hum humein hu hoon hun karu karoon karun".split()
)
# The writer speaking of themselves: a general marker ("in general") does not make such a
# sentence general ("I have mild cramping right now, what are the signs in general?").
SPEAKER = frozenset(("i", "im", "ive", "id", "me", "my"))
# "can a weak cervix cause this bleeding?": the sign at hand, not signs in general
THIS = frozenset(("this", "these"))
QUESTION_VERBS = frozenset(("do", "does", "should", "can", "could", "would", "will", "shall"))
# "the pool pump is leaking fluid", "the dough was bulging": the words opened by one of
# SUBJECT_OPENERS right before one of these verbs, with a sign right after the verb (or after
# words of SUBJECT_GAP), have the sign. They are someone or something else unless one of them
# is the writer's ("my glaze"), a word of the warning signs themselves ("the stitch area is
# burning", "baby has gone quiet"), a small word ("it is leaking", "there was blood") or a
# woman who may be the pregnant one (see _subjects).
SUBJECT_VERBS = frozenset("is was keeps kept has had started starts are were".split())
# The sign must be told as what the word does ("is leaking", "keeps bleeding", "was swollen"):
# "the toilet is full of blood", "the towel is soaked" tell where the writer's sign shows.
SUBJECT_ACTS = frozenset("swollen swelled bled fainted collapsed bulged leaked burst".split())
SUBJECT_SHOWS = frozenset(("soaking",))
SUBJECT_OPENERS = frozenset("the a an this that his their these those".split())
SUBJECT_WORDS = 3  # "the old cherry tree is bleeding sap"
SUBJECT_GAP = frozenset(  # words that may stand between: "is still leaking", "keeps on bleeding"
    "still on been being just really constantly always also again all so badly".split()
)
NOT_SUBJECTS = frozenset(
    "it its this that there here what which who whom everything something nothing anything"
    " all one he she they them we you u i im also just still now then so and or but"
    " sister sis daughter friend cousin niece bestie lady woman girl women granddaughter law"
    .split()
)
MAX_MESSAGE_CHARS = 4096  # what is matched of a message (Telegram's longest message)
#: A phrase found this many times in one clause is not looked for again there: one place is
#: enough to report it, and "pain pain pain..." must not cost time in the square of its length.
MAX_REPEATS = 4
MAX_SCAN_CHARS = 20_000  # what is searched for warning signs: a sign at the end still counts
# Sentence openings of a question.
WH_STARTS = frozenset(("what", "which", "when", "how", "why", "who", "where", "whats", "hows"))
YES_NO_STARTS = frozenset(
    ("does", "do", "is", "are", "can", "could", "should", "would", "will", "did")
)
# Words right after "can"/"do" that show a statement with its "I" left out ("can feel it").
DROPPED_SUBJECT = frozenset(("feel", "see", "barely", "hardly", "not", "really", "still", "also"))
# "will I bleed after the stitch?": a question about what may happen, not a report.
FUTURE_STARTS = frozenset(("will", "would"))


# The any-sign scorer calms an alarm of the phrases only where the crisis scorer gives less
# than this: measured, a crisis asked as a question ("is wanting to be hit by a car every time
# I cross the road normal in pregnancy?") reads as no sign at all, and as 0.23 a crisis.
CALM_UNDER_CRISIS = 0.05


# Words before "if" that make it reported speech: "he asked me if I'm bleeding" reports nothing.
REPORTED_SPEECH = frozenset(
    ("ask", "asks", "asked", "asking", "me", "wonder", "wondered", "wondering", "know", "sure")
)


class Frame(enum.Enum):
    """How a sentence speaks of a sign."""

    REPORT = "report"
    GENERAL = "general"


@dataclass(frozen=True, slots=True)
class Urgency:
    """The result: the highest level found, the ids of the red flags reported, whether the
    message tells of a warning sign in a past pregnancy, and the flags it asks about in
    general."""

    level: Level
    flags: tuple[str, ...]
    history: bool = False
    asked: tuple[str, ...] = ()  # flags named in a general question ("does it cause bleeding?")
    scored: bool = False  # the level came from a learnt scorer (faq/scorer.py), not a phrase
    over: bool = False  # thoughts of harm told of in the past and said to be over
    near_crisis: bool = False  # the crisis scorer's gentle band: not a crisis, not far from one
    calmed: tuple[str, ...] = ()  # red flags found, calmed by the any-sign scorer (sign_note)


@dataclass(frozen=True, slots=True)
class _Phrase:
    flag: str
    level: Level
    stems: tuple[str, ...]
    part: int = -1  # the index of this part of an "a + b" phrase; -1: a whole phrase


@dataclass(frozen=True, slots=True)
class _Combo:
    flag: str
    level: Level
    parts: frozenset[int]  # indexes into the detector's part phrases


@dataclass(frozen=True, slots=True)
class _Reading:
    frame: Frame
    personal: bool  # the sentence gives the writer's week of pregnancy or asks "is this normal?"
    found: list[tuple[_Phrase, bool]]  # phrases named, with whether they tell of the past
    past_after: bool = False  # the last clause tells of the past (carried to the next piece)
    carried_after: bool = False  # a denial runs on past the last clause
    # a question about what a condition causes, with no word of the writer: general even
    # when the message gives her week ("I'm 16 weeks. Can a weak cervix cause fainting?")
    about_causes: bool = False


class _PhraseIndex:
    """Phrases by their first stem, longest first, so "heavy bleeding" wins over "bleeding"."""

    def __init__(self, phrases: Iterable[_Phrase]) -> None:
        self.by_first: dict[str, list[_Phrase]] = {}
        for item in sorted(phrases, key=lambda p: (-len(p.stems), -p.level)):
            self.by_first.setdefault(item.stems[0], []).append(item)


_WEEK_WORDS = frozenset(("week", "weeks", "wks", "wk", "w"))
_NUMBER_WORDS = frozenset(
    "four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty thirty forty".split()
)


#: A sentence longer than this many words (a run-on story strung together with commas) is
#: read in pieces of at least ``PIECE_WORDS`` words, each with its own frame: "what I wanted
#: to ask is what a cerclage is" at its end does not make "there was pink when I wiped" in its
#: middle a general question, and "a + b" phrases are looked for within a piece.
LONG_SENTENCE = 35
PIECE_WORDS = 10
_PIECE_SPLIT = re.compile(r"(?<=[,;:])\s+")


def _pieces(sentence: str) -> list[str]:
    """A long sentence in pieces at its commas (short ones whole); a final "?" stays on the
    last piece only."""
    if len(words(sentence)) <= LONG_SENTENCE:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for part in _PIECE_SPLIT.split(sentence):
        current = f"{current} {part}" if current else part
        if len(words(current)) >= PIECE_WORDS:
            pieces.append(current)
            current = ""
    if current:
        if pieces and len(words(current)) < PIECE_WORDS:
            pieces[-1] = f"{pieces[-1]} {current}"
        else:
            pieces.append(current)
    return pieces


_DECADE = re.compile(r"(?:19|20)?[0-9]0s")
_DECADE_WORDS = frozenset(("fifties", "sixties", "seventies", "eighties", "nineties"))


def _dated(raw: Sequence[str]) -> bool:
    """Whether the words name a year ("back in 2019"), a decade ("in the eighties", "the
    70s", "1990s") or the writer's age at the time ("when I was 7", "when i was 19"): a past
    event."""
    if any(
        (len(w) == 4 and w.isdigit() and w[:2] in ("19", "20"))
        or w in _DECADE_WORDS
        or _DECADE.fullmatch(w)
        for w in raw
    ):
        return True
    return any(
        list(raw[i : i + 3]) == ["when", "i", "was"]
        and (raw[i + 3].isdigit() or raw[i + 3] in _NUMBER_WORDS)
        for i in range(len(raw) - 3)
    )


_AGE_BEFORE = frozenset(("is", "am", "im", "be", "aged", "age", "shes", "hes", "she", "he"))
#: Words of a measurement: a number next to them is not an age.
MEASURES = frozenset(
    "temp temperature fever degrees degree f c bp pressure pulse rate bpm heartbeat kg kgs kilo"
    " kilos lbs lb pounds weight weigh weighs sugar glucose over percent cm mm ml".split()
)
YOUNG_AGE = 12  # an age up to which the person named is a child
OLD_AGE = 56  # an age from which the person named is not the pregnant one (IVF reaches the 50s)


def _too_old(plain: list[str]) -> bool:
    """Whether a sentence gives someone's age of OLD_AGE or more ("she is 70", "72yo", "she
    be 70 years"), or a child's ("3yo", "4 year old"), with no pregnancy, week or word of the
    writer after it: "my neighbour, who is 70, had a fainting fit" is not a report, "my mum
    (70) came and I fainted" is."""
    for index, word in enumerate(plain):
        number = word[:-2] if word.endswith("yo") else word  # "72yo"
        if not (number.isdigit() and len(number) <= 3):
            continue
        before = plain[index - 1] if index else ""
        after = plain[index + 1 : index + 3]
        # "my temp is 101", "I am 60 kg", "bp 150 over 90": a measurement, not an age
        near = (*plain[max(0, index - 2) : index], *after[:1])
        if number == word and MEASURES.intersection(near):
            continue
        if OLD_AGE <= int(number) <= 110:
            said = before in _AGE_BEFORE or after[:1] in (["yo"], ["years"], ["year"], ["yrs"])
            if not said and number == word:
                continue
        elif int(number) <= YOUNG_AGE:
            # a child: "my sister's 3yo has a temp", "her 4 year old"
            if number == word and after not in (["year", "old"], ["years", "old"], ["yr", "old"]):
                continue
        else:
            continue
        pregnant = PREGNANT.intersection(plain) or _gestational_age(plain)
        if not (pregnant or SELF.intersection(plain[index + 1 :])):
            return True
    return False


def _week_at(raw: list[str], index: int) -> bool:
    """Whether a week of pregnancy is given at ``index``: "16w", or "15 weeks" from the number."""
    word = raw[index]
    if word[:-1].isdigit() and word[-1] == "w":
        return True
    number = word.isdigit() or word in _NUMBER_WORDS
    return number and index + 1 < len(raw) and raw[index + 1] in _WEEK_WORDS


# Between "I'm" and the sign: "I'm really bleeding", "im still spotting".
_SELF_NOW_ADVERBS = frozenset(
    ("so", "really", "still", "just", "kinda", "kind", "of", "now", "currently", "actually")
)
# "my 4 year old has a fever and so do I", "the kids are vomiting and me too": the writer
# has the sign named before as well, whoever else has it (the words as the detector reads
# them): the sign is hers, and no scorer calms it.
_TOO_RUNS = tuple(
    tuple(run.split())
    for run in (
        "so do i", "so am i", "so have i", "me too", "i do too", "i have it too", "same here"
    )
)


def _too_after(plain: list[str], start: int) -> bool:
    """Whether "so do I", "me too"... comes after the word at ``start`` (a sign)."""
    return any(
        tuple(plain[index : index + len(run)]) == run
        for index in range(start + 1, len(plain))
        for run in _TOO_RUNS
    )


def _weeks_named(raw: list[str]) -> list[int]:
    """The weeks of pregnancy written in figures ("16 weeks", "16w", "16 wks")."""
    weeks: list[int] = []
    for index, word in enumerate(raw):
        number = word[:-1] if word.endswith("w") else word
        if number.isdigit() and _week_at(raw, index):
            weeks.append(int(number))
    return weeks


# A week of pregnancy as clinicians write it: "18/40" (18 weeks of 40), "36+1" (36 weeks and a
# day), "16+3/40".
_WEEK_NOTATION = re.compile(r"\b(\d{1,2})\s*(?:\+\s*[0-6]\s*/\s*40|/\s*40|\+\s*[0-6])\b")
FIRST_WEEK, LAST_WEEK = 4, 42


# "b l e e d i n g", "b-l-e-e-d-i-n-g": four or more single letters or digits, one space,
# hyphen or dot (the same each time) between them, are one word spelt out.
_SPELT_OUT = re.compile(r"(?<![^\W_])[^\W_]([ .\-])(?:[^\W_]\1){2,}[^\W_](?![^\W_])")


def _spelt_out_joined(text: str) -> str:
    """A word spelt out letter by letter, joined again: "b l e e d i n g" is "bleeding"."""
    return _SPELT_OUT.sub(lambda found: re.sub(r"[ .\-]", "", found.group()), text)


# Word values that can only deny what they follow, even with nothing but a space between
# ("vb nil", "pain 0/10"); the others need a colon, dash, "=" or "?" ("cramps - no"; "O
# negative" is a blood group). Values of no letters or digits ("✗", "❌") deny what they
# follow with or without either.
_SPACED_DENIALS = frozenset(("none", "nil", "0/10"))


def _checklist_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    """The pattern of a checklist's item (one to three words opening a clause or a line) and
    the value that denies it (``checklist_denials``) or says it is as usual
    (``checklist_normal``): a word value ends its clause, a symbol needs not; None for no
    values."""
    values = sorted((v for v in values if v), key=len, reverse=True)
    if not values:
        return None
    marks = [v for v in values if not any(char.isalnum() for char in v)]
    said = [v for v in values if v not in marks]
    spaced = [v for v in said if v in _SPACED_DENIALS]

    def one_of(items: list[str]) -> str:
        return "|".join(re.escape(item) for item in items) or "(?!)"

    item = r"(?P<item>[^\W\d_][^\W_]*(?:[ '’][^\W\d_][^\W_]*){0,2})"
    end = r"(?![^\W_])(?=\s*(?:$|[.,;!\n|)]|\s(?:and|&)\s))"
    # A value written after a colon may also go on with when: "kicks: 0 today", "fluid: none
    # since the scan" (but "baby move none since yesterday" is no checklist).
    timed = (
        r"(?![^\W_])(?=\s*(?:$|[.,;!\n|)]|\s(?:and|&)\s"
        r"|\s(?:today|tonight|yet|so far|since|this|all day|all night)(?![^\W_])))"
    )
    value = (
        rf"(?:\s*[:=?–—-]\s*(?:{one_of(said)}){timed}"
        rf"|\s+(?:{one_of(spaced)}){end}"
        rf"|\s*[:=–—-]?\s*(?:{one_of(marks)}))"
    )
    # The item opens its clause or the line: "my blood group: negative" is not "my blood".
    lead = r"(?:^|(?<=[^\w \t'’]))(?P<lead>[ \t]*)"
    return re.compile(rf"{lead}{item}{value}", re.IGNORECASE)


# "Bleeding: heavy", "Cramps: yes": a one-word item, a colon and a one-word value ending its
# clause.
_CHECKLIST_VALUE = re.compile(
    r"(?<![^\W_])(?P<item>[^\W\d_]+)[ \t]*:[ \t]*(?P<value>[^\W\d_]+)(?![^\W_])"
    r"(?=[ \t]*(?:$|[.,;!\n|)]))"
)


def _checklist_denied(
    text: str, pattern: re.Pattern[str] | None, normal: re.Pattern[str] | None
) -> str:
    """``text`` with each checklist item a value denies said as a denial of its own sentence:
    "Bleeding: none, cramps ✗" is "no Bleeding., no cramps.", so that the denial never runs
    on to the next item ("cramps: none, bleeding: heavy"), each item said to be as usual
    (``normal``: "Discharge: normal", "movements - fine") left out, and each other item read
    with its one-word value ("bleeding heavy")."""
    if normal is not None:
        text = normal.sub(lambda found: found["lead"], text)
    if pattern is not None:
        text = pattern.sub(lambda found: f"{found['lead']}no {found['item']}.", text)
    # Any other one-word value is read with its item: "bleeding: heavy" is "bleeding heavy".
    return _CHECKLIST_VALUE.sub(r"\g<item> \g<value>", text)


# A temperature reading: "Temp 36.5", "temperature: 38.4C", "temp of 101 F", "temp 37.9°".
_TEMPERATURE = re.compile(
    r"(?<![^\W_])(?:temperature|temp)\s*(?:[:=-]|of|is|was|at)?\s*"
    r"(?P<value>\d{2,3}(?:[.,]\d{1,2})?)(?![\d.,]?\d)(?!\s*(?:weeks?|wks?|w)(?![^\W_]))"
    r"(?:\s*(?:°|º|degrees?|deg))?"
    r"(?:\s*(?P<unit>[cf])(?![^\W_]))?",
    re.IGNORECASE,
)
FEVER_C, FEVER_F = 38.0, 100.4  # warning-signs.md: 38 °C / 100.4 °F or higher


def _temperatures_read(text: str) -> str:
    """``text`` without its temperature readings under 38 °C (100.4 °F): "Temp 36.5, BP
    118/76" reports no fever. A reading at or over it is left as written (the fever flag
    reads "temp" and "temperature"), and so is a number that is no body temperature."""

    def said(found: re.Match[str]) -> str:
        value = float(found["value"].replace(",", "."))
        unit = (found["unit"] or "").lower()
        if unit != "f" and 34 <= value <= 43:
            return "" if value < FEVER_C else found[0]
        if unit != "c" and 93 <= value <= 110:
            return "" if value < FEVER_F else found[0]
        return found[0]

    return _TEMPERATURE.sub(said, text)


def _weeks_written(text: str) -> str:
    """``text`` with a week of pregnancy written as clinicians do ("18/40", "36+1") said in
    words ("18 weeks"), so that the week counts as the writer's."""

    def said(found: re.Match[str]) -> str:
        week = int(found[1])
        return f"{week} weeks" if FIRST_WEEK <= week <= LAST_WEEK else found[0]

    return _WEEK_NOTATION.sub(said, text) if "/" in text or "+" in text else text


def _gestational_age(raw: list[str]) -> bool:
    """Whether the words give a week of pregnancy ("16w", "15 weeks"): the writer's own."""
    return any(_week_at(raw, index) for index in range(len(raw)))


# Words before a week that make it a time in general ("around 15 weeks", "14 to 16 weeks",
# "between 14 and 16 weeks"), not the writer's own week.
GENERIC_TIME = frozenset(
    ("around", "between", "by", "before", "after", "until", "till", "to", "and")
)


def _weeks_in_general(raw: list[str]) -> bool:
    """Whether every week of pregnancy in the words is a time in general: a range ("14-16w",
    "14 to 16 weeks") or "around", "before", "after"... a week."""
    weeks = [index for index in range(len(raw)) if _week_at(raw, index)]
    return bool(weeks) and all(
        index and (raw[index - 1] in GENERIC_TIME or raw[index - 1].isdigit()) for index in weeks
    )


def _idioms(tokens: list[str]) -> list[str]:
    """Negations that say more, not less: "won't stop" is "nonstop nonstop" and "not sure"
    is "unsure sure", not a denial (as many words are kept, so positions stay the same)."""
    out: list[str] = []
    for token in tokens:
        if token == "stop" and out and out[-1] == NOT:
            out[-1] = NONSTOP
            out.append(NONSTOP)
        elif token in ("sure", "know", "tell") and out and out[-1] == NOT:
            out[-1] = UNSURE  # "not sure if it's heavy bleeding" still reports it
            out.append(token)
        else:
            out.append(token)
    return out


@lru_cache(maxsize=256)
def _compact(plain: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The positions and words of ``plain`` without the optional small words."""
    kept = tuple(i for i, token in enumerate(plain) if token not in OPTIONAL_WORDS)
    return kept, tuple(plain[i] for i in kept)


_GROUP = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def expand_groups(text: str, groups: Mapping[str, Sequence[str]]) -> list[str]:
    """``text`` with each ``{group}`` replaced by each of its words, every combination
    ("{fluid} down my leg" -> "water down my leg", "fluid down my leg", ...). An unknown
    group is kept as written (the loader reports it)."""
    found = _GROUP.search(text)
    if found is None or found.group(1) not in groups:
        return [text]
    head, tail = text[: found.start()], text[found.end() :]
    return [
        expanded
        for item in groups[found.group(1)]
        for expanded in expand_groups(head + item + tail, groups)
    ]


class _WordRuns:
    """Word sequences ("last pregnancy", "is it bad") looked up by their first word; as
    written, or made canonical (stems: "dad's" finds "dad") to look for among such words."""

    def __init__(
        self, phrases: Iterable[str], canonical: Callable[[str], str] | None = None
    ) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            run = tuple(map(canonical, words(phrase)) if canonical else words(phrase))
            if run:
                self._by_first.setdefault(run[0], []).append(run)

    def found_in(self, raw: Sequence[str]) -> bool:
        """Whether one of the sequences stands, word after word, in ``raw``."""
        return bool(self.ends_in(raw, first=True))

    def without(self, raw: Sequence[str]) -> list[str]:
        """``raw`` with every sequence found in it left out."""
        out: list[str] = []
        index = 0
        while index < len(raw):
            runs = self._by_first.get(raw[index], ())
            found = [len(r) for r in runs if tuple(raw[index : index + len(r)]) == r]
            size = max(found, default=0)
            if size:
                index += size
            else:
                out.append(raw[index])
                index += 1
        return out

    def ends_in(self, raw: Sequence[str], *, first: bool = False) -> list[int]:
        """The positions just after each sequence found in ``raw`` (the first only, if
        ``first``)."""
        ends: list[int] = []
        for index, word in enumerate(raw):
            for run in self._by_first.get(word, ()):
                if tuple(raw[index : index + len(run)]) == run:
                    ends.append(index + len(run))
                    if first:
                        return ends
        return ends


def _match_at(tokens: Sequence[str], start: int, stems: tuple[str, ...]) -> list[int] | None:
    """The positions of ``stems`` in ``tokens`` from ``start``, allowing small gaps."""
    if tokens[start] != stems[0]:
        return None
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


PAST_TENSE = frozenset(("was", "were", "lasted", "ended", "stopped", "went", "happened"))
NOW_WORDS = frozenset(("now", "today", "tonight", "currently"))
NO_ANSWERS = frozenset(("no", "nope", "nah", "none", "nada", "negative", "nothing", "never"))
NO_ANSWER_WORDS = NO_ANSWERS | frozenset(
    ("not", "at", "all", "thankfully", "luckily", "so", "far")
)
BARE_QUESTION_WORDS = 3  # "Cramping?", "Pink discharge?", "Back pain too?"


def _answers_no(sentence: str) -> bool:
    """Whether a sentence only answers no ("Nope.", "No, not at all."): after a question
    that names a sign ("Fever?") it denies it."""
    raw = words(sentence)
    return bool(raw) and raw[0] in NO_ANSWERS and all(word in NO_ANSWER_WORDS for word in raw)


def _bare_question(sentence: str) -> bool:
    """Whether a sentence is a sign asked in a word or three ("Cramping?", "Discharge?")."""
    return sentence.rstrip().endswith("?") and 0 < len(words(sentence)) <= BARE_QUESTION_WORDS


class UrgencyDetector:
    """Finds reported red flags in messages. Built once per content."""

    def __init__(self, content: Content, scorers: Sequence[Scorer] = ()) -> None:
        """``scorers`` read the signs that no phrase names (none: the phrases alone)."""
        lexicon = content.lexicon
        # A crisis the scorer finds is the first crisis red flag's; an FAQ without one (a
        # moderator's own red flags) has no crisis level to raise a message to.
        crisis = [flag.id for flag in content.red_flags if flag.level is Level.CRISIS]
        self.crisis_flag = crisis[0] if crisis else ""
        self.scorers = tuple(
            sorted(
                (
                    s
                    for s in scorers
                    if s.level is not Level.NONE and (s.level is not Level.CRISIS or crisis)
                ),
                key=lambda scorer: -scorer.level,
            )
        )
        # The false-alarm scorer (level none): it calms alarms the phrases raise in error.
        self.false_alarms = next((s for s in scorers if s.level is Level.NONE), None)
        self.abbreviations = lexicon.abbreviations
        self.hindi_words = lexicon.hindi_words
        self.hindi_abbreviations = lexicon.hindi_abbreviations
        self.emoji = emoji_table(lexicon.emoji)
        self.scripts = ScriptReader(lexicon.script_words)
        # A word the lists below already read as written stays as it is: "novela" is
        # someone else's story (not_the_writer), whatever the glossary calls it.
        listed = {
            word
            for items in (
                lexicon.not_the_writer, lexicon.history_words, lexicon.general_markers,
                lexicon.hypothetical_markers, lexicon.not_a_report, lexicon.recovered_words,
                lexicon.relapse_words, lexicon.resolved_words, lexicon.negations,
                lexicon.first_person,
            )
            for item in items
            for word in words(item)
        }
        self.glossary = WordGlossary(
            {key: value for key, value in lexicon.foreign_words.items() if key not in listed}
        )
        self.negation_words = frozenset(lexicon.negations)
        self.negations_after = frozenset(stem(word) for word in lexicon.negations_after)
        self.paired_negations = lexicon.paired_negations
        self.unpaired_markers = lexicon.unpaired_markers
        paired = "|".join(re.escape(word) for word in sorted(self.paired_negations))
        # a paired negation opening a clause: "..., na spotting, na cramps"
        self._clause_negation = (
            re.compile(rf"(^|[,;:]\s*)({paired})\b") if paired else None
        )
        self.general = frozenset(stem(w) for w in lexicon.general_question_words)
        # "is it normal", "should I worry"; "normal?" at the end of a question.
        self.report = _WordRuns(p for p in lexicon.report_words if not p.endswith("?"))
        self.report_enders = frozenset(
            words(p)[-1] for p in lexicon.report_words if p.endswith("?") and words(p)
        )
        self.general_markers = _WordRuns(lexicon.general_markers)
        self.cause = _WordRuns(lexicon.cause_questions)
        self.first_person = frozenset(lexicon.first_person)
        self.writer_words = WRITER_WORDS | self.first_person
        self.fillers = frozenset(lexicon.fillers)
        self.asides = _WordRuns(lexicon.asides)
        self.history = _WordRuns(lexicon.history_words)
        self.present = _WordRuns(p for p in lexicon.present_words if words(p) != ["now"])
        self.recent = _WordRuns(lexicon.recent_words)
        # The any-sign scorer: it calms the phrases' alarm when very sure (``calm``), and the
        # false-alarm scorer asks it too.
        self.calmer = next((s for s in self.scorers if s.level is Level.URGENT), None)
        self.settled = frozenset(lexicon.settled_words)
        # As written, plus a possessive or plural "s" ("dad's", "taps"): not stems, so that
        # "watching" (a film) is not "watch" (on my wrist).
        self.elsewhere = _WordRuns(
            (*lexicon.not_the_writer, *(w + "s" for w in lexicon.not_the_writer if " " not in w))
        )
        self.not_a_report = _WordRuns(lexicon.not_a_report, self._canonical)
        self.hypothetical = _WordRuns(lexicon.hypothetical_markers)
        self.told_after_if = [words(text) for text in lexicon.told_after_if]
        self.recovered = _WordRuns(lexicon.recovered_words)
        self.relapse = _WordRuns(lexicon.relapse_words)
        self.resolved = _WordRuns(lexicon.resolved_words)
        self.earlier = _WordRuns(lexicon.earlier_words)
        self.checked = _WordRuns(lexicon.checked_words)
        self.over = _WordRuns(lexicon.over_words)
        self.continuing = _WordRuns(lexicon.continuing_words)
        self._checklist = _checklist_pattern(lexicon.checklist_denials)
        self._checklist_normal = _checklist_pattern(lexicon.checklist_normal)
        # What places a sign in these hours ("this morning", "last night", "yesterday"): a sign
        # of today is not over for "nothing since" ("few drops this morning, nothing since";
        # "baby barely moving today, nothing since breakfast").
        self.today = _WordRuns(
            (*(w for w in lexicon.present_words if w != "now"), "yesterday", "yday")
        )
        whole: list[_Phrase] = []
        parts: list[_Phrase] = []
        self.combos: list[_Combo] = []
        self._combo_of_part: list[int] = []  # part index -> the "a + b" phrase it belongs to
        self._parts = 0  # part indexes handed out
        groups = lexicon.word_groups
        self.exceptions: dict[str, list[tuple[str, ...]]] = {}
        vocabulary: set[str] = set()
        sign_words: set[str] = set()  # the words of the phrases alone
        for flag in content.red_flags:
            self.exceptions[flag.id] = [
                words_ for text in flag.exceptions if (words_ := self._phrase(text, stemmed=False))
            ]
            # Words of exceptions are known words: "finger" is not a typo of "fingers".
            vocabulary.update(word for text in flag.exceptions for word in words(text))
            for text in flag.phrases:
                # A part may stand for several phrases ("{fluid} + {down_there}"): any of them
                # fulfils that part.
                expanded = [expand_groups(part, groups) for part in text.split("+")]
                sign_words.update(w for part in expanded for item in part for w in words(item))
                pieces = [
                    [stems for item in part if (stems := self._phrase(item))] for part in expanded
                ]
                pieces = [piece for piece in pieces if piece]
                if len(pieces) == 1:
                    whole.extend(_Phrase(flag.id, flag.level, stems) for stems in pieces[0])
                elif pieces:
                    first = self._parts
                    for i, piece in enumerate(pieces):
                        parts.extend(_Phrase(flag.id, flag.level, st, first + i) for st in piece)
                        self._combo_of_part.append(len(self.combos))
                    self._parts += len(pieces)
                    self.combos.append(
                        _Combo(flag.id, flag.level, frozenset(range(first, self._parts)))
                    )
        # The exceptions as the scorers' stems, by first stem (see _unexcepted).
        self._except_stems: dict[str, list[tuple[str, ...]]] = {}
        for flag in content.red_flags:
            for text in flag.exceptions:
                stems = tuple(
                    self._canonical(word)
                    for word in expand_abbreviations(words(text), self.abbreviations)
                    if word not in OPTIONAL_WORDS
                )
                # One word ("blood" under fainting) is an exception of its flag only.
                if len(stems) > 1 and stems not in self._except_stems.get(stems[0], ()):
                    self._except_stems.setdefault(stems[0], []).append(stems)
        self._whole_index = _PhraseIndex(whole)
        self._part_index = _PhraseIndex(parts)
        # Words of the warning signs: never someone else having one ("my belly is tight").
        vocabulary |= sign_words
        self._sign_stems = frozenset(self._canonical(word) for word in sign_words)
        self._stopwords = lexicon.stopwords
        # One dropped or doubled letter ("bleding", "spottting"); more only for a word that is
        # no English word ("bleading", "bleeidng"): a real word a letter away from a symptom
        # word ("dropping", "dripping") must not raise an alarm.
        foreign = {
            word
            for table in (lexicon.foreign_words, lexicon.abbreviations)
            for key in table
            for word in words(key)
        }
        self.typos = TypoCorrector(
            vocabulary,
            max_edits=1,
            substitutions=False,
            english=english_words(),
            not_targets=foreign | lexicon.foreign_markers,
            keep_english=True,
            # A word of another language that the glossary translates on its own is no typo
            # of an English one: Tagalog "laking" (big) is not "leaking".
            also_known=(key for key in lexicon.foreign_words if " " not in key),
        )

    def _phrase(self, text: str, *, stemmed: bool = True) -> tuple[str, ...]:
        """A phrase's words as canonical stems (or words); small words are optional ("soaking
        a pad" = "soaking pads"), negations stay ("not moving as much"). Abbreviations are
        expanded as in messages ("khoon" is "blood" on both sides)."""
        expanded = expand_abbreviations(words(self.scripts(text)), self.abbreviations)
        raw = [w for w in expanded if w not in OPTIONAL_WORDS] or expanded
        return tuple(_idioms([self._canonical(word, stemmed=stemmed) for word in raw]))

    def _words(self, text: str) -> tuple[list[str], list[str]]:
        """A clause's canonical words and their stems, position for position. "not me
        spotting at school" opens with texting's "not me", which says it is happening."""
        raw = self._pair_negations(expand_abbreviations(words(text), self.abbreviations))
        if raw[:2] == ["not", "me"]:
            raw = ["", *raw[1:]]
        plain = _idioms([self._canonical(self.typos.correct(w), stemmed=False) for w in raw])
        return plain, [word if word == NONSTOP else stem(word) for word in plain]

    def _pair_negations(self, raw: list[str]) -> list[str]:
        """"na spotting na cramps": a paired negation word that comes twice or more in the
        clause denies, each time; once, or in a clause of a language where it is a linker
        (Tagalog "may times na gusto kong..."), it stays as it is."""
        counts = Counter(word for word in raw if word in self.paired_negations)
        if not counts or self.unpaired_markers.intersection(raw):
            return raw
        return [NOT if counts[word] >= 2 else word for word in raw]

    def _canonical(self, word: str, *, stemmed: bool = True) -> str:
        """A word's stem (or the word); every negation ("dont", "hasnt", "cannot") is "not"."""
        if word in self.negation_words:
            return NOT
        return stem(word) if stemmed else word

    def detect(self, text: str) -> Urgency:
        """Return the urgency of ``text`` (Level.NONE when nothing is reported).

        A message with words of another language in Latin letters (``foreign_words``) is read
        twice, as written and with those words in English: the red flags' own phrases in those
        languages ("mejor sin mi") read the words as written, the rest of the warning signs
        read them in English ("a bolsa estourou": water broke). The higher level counts,
        unless the English reading is calmer for a reason it names (a past pregnancy, a
        denial, someone else, a general question). The learnt scorers (``faq.scorer``) then
        read the message as a whole and may raise it to a level above the phrases' (a crisis,
        an emergency, a sign reported); the any-sign scorer may calm an urgent or emergency
        alarm of the phrases when it is very sure that no sign is told of, and surer still
        when something places one now (``calmed``: the reply answers and adds ``sign_note``).
        So may the false-alarm scorer, learnt on the phrases' own alarms, when it is sure the
        alarm is one of its stories ("a patient fainted on my shift") and the any-sign scorer
        reads no sign either (under its ``sign_under``).
        """
        scanned = self._scanned(text)
        in_english = self.glossary(scanned)
        urgency = self._by_phrases(scanned, in_english)
        features: frozenset[str] | None = None
        read: dict[Level, float] = {}  # each scorer's probability, once asked
        for scorer in self.scorers:  # the highest level first
            if scorer.level <= urgency.level:
                break
            # Thoughts of harm that the phrases found and judged to be over ("five years ago…
            # got help, I'm well now") stay so: a bag of words cannot tell the tense. Signs
            # of the past are still read: measured, the phrases take real reports for
            # history ("the same as last time, when I lost my baby… now I'm 19 weeks") more
            # often than the scorers raise true history.
            if scorer.level is Level.CRISIS and urgency.over:
                continue
            features = features if features is not None else self._bag(in_english)
            probability = read[scorer.level] = scorer.probability(features)
            if scorer.note is not None and scorer.note <= probability < scorer.threshold:
                urgency = replace(urgency, near_crisis=True)
            if probability >= scorer.threshold:
                # Signs in words no phrase lists. The signs found stay: under a crisis, their
                # prompts follow the helpline's.
                extra = (self.crisis_flag,) if scorer.level is Level.CRISIS else ()
                flags = (*urgency.flags, *extra)
                return replace(urgency, level=scorer.level, flags=flags, scored=True)
        calmer = self.calmer
        if calmer is None or not Level.NONE < urgency.level < Level.CRISIS:
            return urgency
        # "my buddy passed out at his bachelor party", "I nearly fainted at the price": the
        # any-sign scorer, very sure, reads no sign told of, and the crisis scorer is sure
        # there are no thoughts of harm ("is wanting to be hit by a car normal in
        # pregnancy?" is not calmed). A crisis is never calmed.
        features = features if features is not None else self._bag(in_english)
        crisis = self.scorers[0] if self.scorers[0].level is Level.CRISIS else None
        if crisis is not None and (
            read[crisis.level] if crisis.level in read else crisis.probability(features)
        ) >= CALM_UNDER_CRISIS:
            return urgency
        if self._self_now(in_english):
            return urgency
        probability = calmer.probability(features)
        calm = calmer.calm is not None and probability < calmer.calm and (
            # A message that places a sign now ("since Sunday", "today") must clear a lower
            # bar: "the truck's been leaking fluid since Sunday" still may.
            not self._now_in(scanned, in_english)
            or (calmer.calm_now is not None and probability < calmer.calm_now)
        )
        # "we had a woman whose waters went in the back of the ambulance", "my old Corsa is
        # leaking oil": the false-alarm scorer, learnt on the phrases' own alarms, knows
        # these stories, and the any-sign scorer does not read a sign in them either.
        judge = self.false_alarms
        calm = calm or (
            judge is not None
            and judge.sign_under is not None
            and probability < judge.sign_under
            and judge.fires(features)
        )
        if calm:
            return replace(urgency, level=Level.NONE, flags=(), calmed=urgency.flags)
        return urgency

    def never_calmed(self, text: str) -> bool:
        """Whether the writer says she has a sign now ("what does cerclage mean? i'm bleeding
        heavily"), which no scorer calms (see ``_self_now``)."""
        return self._self_now(self.glossary(self._scanned(text)))

    def told_as_now(self, text: str) -> bool:
        """Whether a clause of ``text`` places a sign in these days: a week of pregnancy
        ("23w", "at 18 wks"), "now", "today" (``present_words``) or "yesterday", "still",
        "since" (``recent_words``), as written or in English. Such a message is calmed by the
        scorer only under its lower ``calm_now``."""
        scanned = self._scanned(text)
        return self._now_in(scanned, self.glossary(scanned))

    def _scanned(self, text: str) -> str:
        """What is searched of a message: its first MAX_SCAN_CHARS, other scripts' words in
        Latin letters, clinicians' weeks in words ("18/40": "18 weeks"), words spelt out
        letter by letter joined ("b l e e d i n g"), temperature readings under 38 °C left
        out ("Temp 36.8") and a checklist's items said as what they say ("Bleeding: none":
        "no Bleeding", "Discharge: normal" left out)."""
        text = _weeks_written(_spelt_out_joined(self.scripts(text[:MAX_SCAN_CHARS])))
        return self.checklists_read(_temperatures_read(text))

    def checklists_read(self, text: str) -> str:
        """``text`` with its checklist items said as what they say: "Bleeding: none" as "no
        Bleeding.", "Discharge: normal" left out, "bleeding: heavy" as "bleeding heavy"."""
        return _checklist_denied(text, self._checklist, self._checklist_normal)

    def _now_in(self, *texts: str) -> bool:
        for text in texts:
            for clause in clauses(text):
                raw = expand_abbreviations(words(clause), self.abbreviations)
                if _gestational_age(raw) or self._says_now(raw) or self.recent.found_in(raw):
                    return True
        return False

    def features(self, text: str) -> frozenset[str]:
        """What the scorers read of ``text``: its words and word pairs, as stems, with the
        words a negation denies marked, the red flags' exceptions left out and other
        languages' words in English (``faq.scorer.bag``)."""
        return self._bag(self.glossary(self._scanned(text)))

    def _bag(self, in_english: str) -> frozenset[str]:
        tokens: list[str] = []
        for clause in clauses(in_english.translate(self.emoji)):
            raw = expand_abbreviations(words(clause), self.abbreviations)
            stems = self._unexcepted([self._canonical(word) for word in raw])
            tokens.extend(negated(stems, NOT, after=self.negations_after))
        return bag(tokens)

    def _unexcepted(self, stems: list[str]) -> list[str]:
        """A clause's stems without the words of the red flags' exceptions: "drowning myself
        in work" or "a faint line" is not read by the scorers either."""
        if not self._except_stems:
            return stems
        # The small words are their own stems: skipped as exceptions skip them.
        kept, compact = _compact(tuple(stems))
        dropped: set[int] = set()
        for start, word in enumerate(compact):
            for exception in self._except_stems.get(word, ()):
                if compact[start : start + len(exception)] == exception:
                    dropped.update(kept[start : start + len(exception)])
        return [word for i, word in enumerate(stems) if i not in dropped] if dropped else stems

    def _by_phrases(self, scanned: str, in_english: str) -> Urgency:
        """The level the red flags' phrases find, reading other languages both ways."""
        as_written = self._detect(scanned)
        if in_english == scanned:
            return as_written
        translated = self._detect(in_english)
        if translated.level is not Level.NONE or as_written.level is Level.CRISIS:
            return max(translated, as_written, key=lambda urgency: urgency.level)
        # The English reading raises no alarm: trust it when it has a reason not to (a past
        # pregnancy, a denial, someone else, a general question: "Lors de ma dernière
        # grossesse j'ai eu des contractions"), not when the glossary only broke a phrase
        # of the red flags written in that language ("je sens plus bébé bouger").
        return translated if self._calm_reason(in_english, translated) else as_written

    def _calm_reason(self, text: str, urgency: Urgency) -> bool:
        """Whether a reading names a reason not to raise an alarm on its signs."""
        if urgency.history or urgency.asked:
            return True
        raw = expand_abbreviations(words(text), self.abbreviations)
        return bool(
            self.negation_words.intersection(raw)
            or self.history.found_in(raw)
            or self.elsewhere.found_in(raw)
            or self.general_markers.found_in(raw)
            or self.hypothetical.found_in(raw)
            or self.not_a_report.found_in([self._canonical(word) for word in raw])
        )

    def _detect(self, text: str) -> Urgency:
        """The phrases' reading of a text. Warning signs told before a clause that says they
        are over ("had spotting monday, scan was fine, nothing since") are history: only
        what the text tells after that clause is read as happening, unless it says a sign is
        back ("...but it came back today"). Thoughts of harm are never over this way."""
        urgency = self._detect_all(text)
        if not Level.NONE < urgency.level < Level.CRISIS:
            return urgency
        after = self._after_resolution(text)
        if after is None:
            return urgency
        later = self._detect_all(after) if after.strip() else Urgency(Level.NONE, ())
        return replace(later, history=True)

    def _after_resolution(self, text: str) -> str | None:
        """What a text says after its last clause of ``resolved_words``, or None when it has
        none, places a sign in these hours (``present_words`` but "now", "yesterday") or says
        after it that a sign is back (``relapse_words``)."""
        folded = fold(text)
        found: tuple[int, int] | None = None  # where the last such clause starts and ends
        position = 0
        latest: int | None = None  # the latest week named, once read (-1: a sign goes on)
        for clause in clauses(folded):
            start = folded.find(clause, position)
            position = start + len(clause)
            raw = expand_abbreviations(words(clause), self.abbreviations)
            if self.resolved.found_in(raw):
                found = (start, position)
            elif self.over.found_in(raw):
                latest = self._latest_week_unless_going_on(folded) if latest is None else latest
                if self._seen_to_weeks_back(folded[:position], latest):
                    found = (start, position)
        if found is None:
            return None
        told = expand_abbreviations(words(folded[: found[1]]), self.abbreviations)
        if self.today.found_in(told):
            return None
        # "nothing since, until it came back tonight": the clause itself may say so too (its
        # own words left out: "hasn't come back" is no "come back").
        back = expand_abbreviations(words(folded[found[0] :]), self.abbreviations)
        return None if self.relapse.found_in(self.resolved.without(back)) else folded[found[1] :]

    def _latest_week_unless_going_on(self, text: str) -> int:
        """The latest week of pregnancy ``text`` names (0 for none), or -1 when it says a
        sign goes on ("still", "on and off", "since 12 weeks") or is back
        (``relapse_words``): then no sign in it is over for the weak words of
        ``over_words``."""
        every = expand_abbreviations(words(text), self.abbreviations)
        if (
            self.continuing.found_in(every)
            or self.relapse.found_in(every)
            or any(w == "since" and _week_at(every, i + 1) for i, w in enumerate(every[:-1]))
        ):
            return -1
        return max(_weeks_named(every), default=0)

    def _seen_to_weeks_back(self, told: str, latest: int) -> bool:
        """Whether ``told`` (the start of a message whose latest week is ``latest``, -1 if a
        sign goes on) places its signs weeks back in this pregnancy ("last week", "at 9
        weeks" when the message names 16) and says they were seen to ("got checked",
        "scanned"): then words as weak as "all fine" or "went away" say they are over."""
        raw = expand_abbreviations(words(told), self.abbreviations)
        if latest < 0 or not self.checked.found_in(raw):
            return False
        return self.earlier.found_in(raw) or any(
            week + 2 <= latest for week in _weeks_named(raw)
        )

    def _detect_all(self, text: str) -> Urgency:
        text = text.translate(self.emoji)
        readings: list[_Reading] = []
        before: list[_Reading] = []  # the readings of the sentence before
        asked_before = False  # the sentence before was a question
        dated_before = False  # the sentence before named a past year ("in 2012")
        for sentence in sentences(text):
            past = carried = False
            sentence = self._as_hindi(sentence)
            sentence = self._listed_negations(sentence)
            this: list[_Reading] = []
            # "Had a miscarriage in 2012. Spotting and cramps for a day, then it was over.":
            # a sentence told in the past tense goes on with the past of the one before.
            past = dated_before and before[-1].past_after and self._goes_on_in_past(sentence)
            for piece in _pieces(sentence):
                reading = self._read(piece, past=past, carried=carried)
                past, carried = reading.past_after, reading.carried_after
                this.append(reading)
            # Only worth reading when the sentence before named a sign.
            found_before = any(reading.found for reading in before)
            if found_before and self._dates_before(sentence, this):
                for reading in before:  # "I fainted twice. It was 4 years ago."
                    reading.found[:] = [(phrase, True) for phrase, _ in reading.found]
            if found_before and self._unreports_before(sentence, this):
                for reading in before:  # "...had actual chest pains. Figuratively."
                    reading.found[:] = [f for f in reading.found if f[0].level is Level.CRISIS]
            if found_before and asked_before and _answers_no(sentence):
                for reading in before:  # "Fever? Nope. Spotting? Nope."
                    reading.found.clear()
            # "What are the symptoms? Cramping? Discharge?": a sign asked on its own after a
            # question about signs in general is asked in general too.
            if (
                before
                and all(reading.frame is Frame.GENERAL for reading in before)
                and _bare_question(sentence)
            ):
                this = [replace(reading, frame=Frame.GENERAL) for reading in this]
            readings.extend(this)
            if this:
                before = this
            asked_before = sentence.rstrip().endswith("?")
            dated_before = bool(this) and _dated(words(sentence))
        # A general question next to a sentence that gives a week of pregnancy or asks "is this
        # normal?" is about the writer too ("are braxton hicks like clockwork? my daughter is
        # 33 weeks and they come every 10 min").
        personal = any(reading.personal for reading in readings)
        level = Level.NONE
        flags: list[str] = []
        asked: list[str] = []
        history = over = False
        for reading in readings:
            general = reading.frame is Frame.GENERAL and (not personal or reading.about_causes)
            for phrase, past in reading.found:
                if phrase.level is Level.CRISIS and past and self._over(text):
                    history = over = True
                    continue
                if phrase.level is not Level.CRISIS and (general or past):
                    history = history or past
                    if general and not past and phrase.flag not in asked:
                        asked.append(phrase.flag)
                    continue
                if phrase.flag not in flags:
                    flags.append(phrase.flag)
                level = max(level, phrase.level)
        return Urgency(level, tuple(flags), history, tuple(asked), over=over)

    def _dates_before(self, sentence: str, readings: list[_Reading]) -> bool:
        """Whether a short sentence that names nothing only dates what came before it to a
        past pregnancy: "It was 4 years ago.", "That was with my first." """
        raw = expand_abbreviations(words(sentence), self.abbreviations)
        return (
            len(raw) <= DATING_WORDS
            and raw[:1] in (["it"], ["that"], ["this"], ["which"], ["all"])
            and raw[1:2] in (["was"], ["were"], ["happened"])
            and not any(reading.found for reading in readings)
            and not self._says_now(raw)
            and bool("ago" in raw or self.history.found_in(raw) or _dated(raw))
        )

    def _over(self, text: str) -> bool:
        """Whether a message says that thoughts of harm it dates to the past are over, and not
        back: "Five years ago I had thoughts of ending it. Got help, I'm well now"."""
        raw = expand_abbreviations(words(text), self.abbreviations)
        return self.recovered.found_in(raw) and not self.relapse.found_in(raw)

    def _unreports_before(self, sentence: str, readings: list[_Reading]) -> bool:
        """Whether a short sentence that names nothing says the one before was no report:
        "Figuratively.", "She's not pregnant, just suffering." """
        raw = expand_abbreviations(words(sentence), self.abbreviations)
        return (
            len(raw) <= DATING_WORDS
            and not any(reading.found for reading in readings)
            and self.not_a_report.found_in([self._canonical(word) for word in raw])
        )

    def _goes_on_in_past(self, sentence: str) -> bool:
        """Whether a sentence tells on in the past tense ("...it was over", "it lasted a
        day"), with no word of now and no question. Only after a sentence that names a past
        year: "with my first" or "an hour ago" do not date what follows."""
        raw = expand_abbreviations(words(sentence), self.abbreviations)
        return (
            bool(PAST_TENSE.intersection(raw))
            and not self._says_now(raw)
            and not sentence.rstrip().endswith("?")
        )

    def _listed_negations(self, sentence: str) -> str:
        """"koi symptoms nahi, na spotting, na cramps, na kamar dard": a paired negation that
        opens two or more clauses of a sentence denies each (as twice in one clause)."""
        opening = self._clause_negation
        if opening is None or len(opening.findall(sentence)) < 2:
            return sentence
        if self.unpaired_markers.intersection(words(sentence)):
            return sentence
        return opening.sub(r"\1not", sentence)

    def _as_hindi(self, sentence: str) -> str:
        """The sentence with ``hindi_abbreviations`` put in when it reads as Hindi (two or more
        different ``hindi_words``): "garmi me khoon" is "garmi mein khoon"."""
        if not self.hindi_abbreviations:
            return sentence
        if len(self.hindi_words.intersection(words(sentence))) < 2:
            return sentence
        return replace_words(sentence, self.hindi_abbreviations)

    def _read(self, sentence: str, *, past: bool = False, carried: bool = False) -> _Reading:
        """The frame of a sentence and the phrases it names, each with whether it tells of a
        past pregnancy.

        A clause tells of the past from a history marker ("in my last pregnancy", "2019") in
        it or in an earlier clause of the sentence, until a clause says "now". A phrase after
        someone or something else ("my coworker has back pain"), with no word of the writer
        in between, is not the writer's. An "a + b" phrase is past if all its parts are.
        """
        frame, personal = self.frame(sentence)
        whole_found: list[tuple[_Phrase, int, bool]] = []  # phrase, start in the sentence, past
        part_found: list[tuple[_Phrase, int, bool]] = []
        # carried: a denial running on across a comma ("no bleeding, cramps or..."); past: the
        # clauses tell of a past pregnancy. Both may come from the piece before.
        sentence_words: list[str] = []
        sentence_stems: list[str] = []
        for clause, turned in clauses_after(sentence):
            # A denial does not run on past "but" ("no bleeding but water is coming out").
            carried = carried and not turned
            raw = expand_abbreviations(words(clause), self.abbreviations)
            year = _dated(raw)
            # "My son was born in 2021 after contractions started early": a clause dated to a
            # past year is past, unless it says "now" or "today" itself.
            if self._says_now(raw) and not (year and not NOW_WORDS.intersection(raw)):
                past = False
            elif year or self.history.found_in(raw):
                past = True
            plain, tokens = self._words(clause)
            offset = len(sentence_words)
            sentence_words.extend(plain)
            sentence_stems.extend(tokens)
            # "if I start bleeding, what should I do?": what may happen, not what happens.
            supposed = min(self.hypothetical.ends_in(plain), default=len(plain) + 1)
            if plain[:1] == ["if"]:
                supposed = 1
            # "is it bad if I'm bleeding", "what do I do if my water broke": told, not supposed;
            # not so in reported speech ("he keeps asking me if I'm ok").
            reported = supposed > 1 and plain[supposed - 2] in REPORTED_SPEECH
            if supposed <= len(plain) and not reported and any(
                plain[supposed : supposed + len(w)] == w for w in self.told_after_if
            ):
                supposed = len(plain) + 1
            # A denied list does not run on into a clause that says it happens now ("no
            # cramps, still bleeding").
            if carried and (self.recent.found_in(plain) or self._says_now(plain)):
                carried = False
            whole, carried_next = self._find(plain, tokens, self._whole_index, negated=carried)
            parts, _ = self._find(plain, tokens, self._part_index, negated=carried)
            carried = carried_next
            for phrase, start in whole:
                if start < supposed or phrase.level is Level.CRISIS:
                    whole_found.append((phrase, offset + start, past))
            for phrase, start in parts:
                if start < supposed or phrase.level is Level.CRISIS:
                    part_found.append((phrase, offset + start, past))
        # "my friend (not pregnant) got so out of breath": only a crisis counts.
        not_a_report = bool(whole_found or part_found) and (
            self.not_a_report.found_in(sentence_stems) or _too_old(sentence_words)
        )
        # Thoughts of harm are never someone else's by the subject rule.
        starts = frozenset(
            start
            for phrase, start, _ in (*whole_found, *part_found)
            if phrase.level is not Level.CRISIS
        )
        elsewhere = self._elsewhere_until(sentence_words, starts)
        found = [
            (phrase, was)
            for phrase, start, was in whole_found
            if (phrase.level is Level.CRISIS or not not_a_report)
            # An emergency or a thought of harm in the writer's own words is the writer's:
            # "my husband and the kids would be better off if I wasn't around", "my
            # boyfriend punched me in the stomach".
            and not (
                elsewhere(start)
                and not (
                    phrase.level >= Level.EMERGENCY
                    and self._own_words(sentence_words, start, phrase)
                )
            )
        ]
        parts_past: dict[int, bool] = {}
        combo_starts: dict[int, set[int]] = {}
        for phrase, start, _ in part_found:
            combo_starts.setdefault(self._combo_of_part[phrase.part], set()).add(start)
        own = {number: frozenset(starts) for number, starts in combo_starts.items()}
        # Where each combo's parts were found: the writer's, and someone else's.
        mine_at: dict[int, list[int]] = {}
        others_at: dict[int, list[int]] = {}
        for phrase, start, was in part_found:
            # A word of the phrase itself is not someone or something else: "roof" is one in
            # "the roof is leaking", but a place to jump from in "{high_place} + {jump}".
            number = self._combo_of_part[phrase.part]
            mine = not elsewhere(start, own[number]) or (
                phrase.level >= Level.EMERGENCY
                and self._own_words(sentence_words, start, phrase)
            )
            (mine_at if mine else others_at).setdefault(number, []).append(start)
            # A thought of harm may take up what belongs to someone else, when the writer's
            # part comes after it: "my husband's gun is in the drawer and I keep thinking
            # about it" (but not "she wants to… her mother says it will harm the baby").
            if mine or phrase.level is Level.CRISIS:
                parts_past[phrase.part] = parts_past.get(phrase.part, True) and was
        for number in sorted({self._combo_of_part[part] for part in parts_past}):
            combo = self.combos[number]
            if number not in mine_at or (
                combo.level is Level.CRISIS
                and number in others_at
                and max(mine_at[number]) < max(others_at[number])
            ):
                continue
            if combo.parts <= parts_past.keys() and (
                combo.level is Level.CRISIS or not not_a_report
            ):
                was = all(parts_past[part] for part in combo.parts)
                found.append((_Phrase(combo.flag, combo.level, ()), was))
        about_causes = (
            frame is Frame.GENERAL
            and not personal
            and sentence.rstrip().endswith("?")
            and self.cause.found_in(sentence_words)
            and not self.first_person.intersection(sentence_words)
            and not THIS.intersection(sentence_words)
        )
        return _Reading(frame, personal, found, past, carried, about_causes)

    @staticmethod
    def _own_words(plain: list[str], start: int, phrase: _Phrase) -> bool:
        """Whether the words of a phrase found at ``start`` say "I" or "me": "my husband and
        the kids would be better off if I wasn't around" is the writer's thought, and "my
        husband threatened to kill me" the writer's danger (the phrase's own "me": its small
        words, skipped, make it shorter than the words it was found in)."""
        return bool(
            SELF.intersection(phrase.stems)
            or SELF.intersection(plain[start : start + len(phrase.stems)])
        )

    def _subjects(self, plain: list[str], starts: frozenset[int]) -> list[int]:
        """Where a word that has a sign and is someone or something else ends: "the pool pump
        is leaking fluid" (see SUBJECT_VERBS)."""
        ends: list[int] = []
        for index in range(1, len(plain)):
            if plain[index] not in SUBJECT_VERBS:
                continue
            after = index + 1
            while after < len(plain) and plain[after] in SUBJECT_GAP and after not in starts:
                after += 1
            if after not in starts or not self._acts(plain[after]):
                continue
            # "the pool pump", "an old truck": an article or "his", "their" opens the words that
            # have the sign, at most SUBJECT_WORDS of them; none may be the writer's, a word of
            # the signs, a woman who may be pregnant or a small word ("my cerclage site is
            # bleeding", "daughter-in-law is bleeding", "the stitch area is burning" stay).
            opener = next(
                (
                    i
                    for i in range(index - 2, max(-1, index - 2 - SUBJECT_WORDS), -1)
                    if plain[i] in SUBJECT_OPENERS
                ),
                None,
            )
            if opener is not None and all(
                self._other_word(word) for word in plain[opener + 1 : index]
            ):
                ends.append(index)
        return ends

    def _other_word(self, word: str) -> bool:
        """Whether a word may name something or someone else having a sign."""
        return (
            len(word) > 2
            and word.isalpha()
            and word not in NOT_SUBJECTS
            and word not in PARTNERS
            and word not in self.writer_words
            and word not in self._stopwords
            and self._canonical(word) not in self._sign_stems
            and not word.endswith("ly")
        )

    @staticmethod
    def _acts(word: str) -> bool:
        """Whether a sign's first word tells what something does ("leaking", "swollen"), not
        where a sign shows ("full of blood", "soaked")."""
        return (word.endswith("ing") and word not in SUBJECT_SHOWS) or word in SUBJECT_ACTS

    def _elsewhere_until(
        self, plain: list[str], starts: frozenset[int] = frozenset()
    ) -> Callable[..., bool]:
        """A test of whether the word at a position is about someone or something else: one
        of ``not_the_writer`` stands before it in the sentence with no word of the writer
        ("I", "me", "my", "my wife"...) in between ("my coworker has back pain", "the dog is
        bleeding", but "I was chasing my son and my water broke"). "She" after a woman who
        is not the writer is that woman ("my mother says she was knocked out"). The word
        before the verb of a sign found at one of ``starts`` may be one too (``_subjects``)."""
        named = self.elsewhere.ends_in(plain)
        subjects = self._subjects(plain, starts)
        # "my son has a fever and so do I": the writer has the sign too
        too = bool(starts) and _too_after(plain, min(starts))
        if too or (not named and not subjects):
            return lambda position, own=frozenset(): False
        ends = [*named, *subjects]
        mine: list[int] = []
        # "our pastor's wife is in hospital, trouble breathing": the wife of someone else is
        # someone else, unless the sentence says who is pregnant ("my son's girlfriend is
        # 20 weeks and bleeding" is the woman written about).
        pregnancy = bool(PREGNANT.intersection(plain)) or _gestational_age(plain)
        for index, word in enumerate(plain):
            if not (word in self.writer_words or _gestational_age(plain[index : index + 2])):
                continue
            if index and plain[index - 1] in QUESTION_VERBS:
                continue
            if word in PARTNERS and index in named and not pregnancy:
                ends.append(index + 1)
                continue
            # "the heroine was pregnant", "billi pregnant hai": someone else is
            if word in PREGNANT and any(
                index - 2 <= end <= index for end in named
            ):
                continue
            if word in SHE and self._hers_is_someone_else(plain, index, named):
                ends.append(index + 1)  # "she" stands for the woman named: someone else
            else:
                mine.append(index)

        def elsewhere(position: int, own: frozenset[int] = frozenset()) -> bool:
            """``own``: where the phrase's own words start (they are not someone else)."""
            last = max((end for end in ends if end <= position and end - 1 not in own), default=-1)
            return last >= 0 and not any(last <= index < position for index in mine)

        return elsewhere

    def _hers_is_someone_else(self, plain: list[str], index: int, ends: list[int]) -> bool:
        """Whether "she" or "her" at ``index`` is the woman last named who is not the writer
        ("my mother says she was knocked out"), not the pregnant writer or partner ("my wife
        ... she"): a woman (or a pet) who is not the writer was named last, after any "I" or
        "my wife", and no "she" came before her ("she told mom she's spotting")."""
        named = max((end for end in ends if end <= index), default=-1)
        # The run named may be several words ("cat is pregnant"): a woman is one of them.
        woman = WOMEN.intersection(plain[max(0, named - 3) : named])
        if named < 0 or not woman or SHE.intersection(plain[: named - 1]):
            return False
        return not any(
            # "my cat she is pregnant and she is bleeding": her being pregnant is not the writer
            (plain[i] in self.writer_words and plain[i] not in SHE and plain[i] not in PREGNANT)
            or _gestational_age(plain[i : i + 2])  # "my coworker is 29 weeks, she..."
            for i in range(named, index)
        )

    def frame(self, sentence: str) -> tuple[Frame, bool]:
        """Whether a sentence reports a sign or asks about signs in general; and whether it
        gives the writer's week of pregnancy or asks "is this normal?"."""
        raw = expand_abbreviations(words(sentence.translate(self.emoji)), self.abbreviations)
        raw = self.asides.without(raw)  # "what are the signs, in general I mean?"
        while raw and raw[0] in self.fillers:
            raw = raw[1:]
        if not raw:
            return Frame.REPORT, False
        question = sentence.rstrip().endswith("?")
        asks = (
            self.report.found_in(raw)
            or (question and raw[-1] in self.report_enders)
            # "is cramping normal after a cerclage?"
            or (raw[0] in ("is", "are") and bool(self.report_enders.intersection(raw)))
        )
        past = self.history.found_in(raw) or _dated(raw)
        # "is spotting around 14-16 weeks a sign?" names a time in general, not her week.
        generic = _weeks_in_general(raw) and not self.first_person.intersection(raw)
        personal = asks or (_gestational_age(raw) and not past and not generic)
        if asks:
            return Frame.REPORT, personal
        if raw[0] in FUTURE_STARTS:
            return Frame.GENERAL, False
        if not personal and self._hindi_general(raw):
            return Frame.GENERAL, False
        if (
            not personal
            and not SPEAKER.intersection(raw)
            and self.general_markers.found_in(raw)
        ):
            return Frame.GENERAL, personal  # "she's fine, just asking generally"
        if personal or any(word in self.first_person for word in raw):
            return Frame.REPORT, personal
        # "can feel something coming out" is a report with its "I" left out, not a question.
        asked = raw[0] in YES_NO_STARTS and (len(raw) < 2 or raw[1] not in DROPPED_SUBJECT)
        if raw[0] in WH_STARTS or asked:
            return Frame.GENERAL, personal
        if question and {stem(w) for w in raw} & self.general:
            return Frame.GENERAL, personal
        return Frame.REPORT, personal

    def _hindi_general(self, raw: list[str]) -> bool:
        """Whether a Hindi sentence asks what happens in general: "kya" and a habitual or "can"
        verb ("kya weak cervix me khoon aata hai", "kya cervix khul sakta hai"), with nobody
        speaking of themselves ("mujhe", "main", "karu") and nothing going on or just
        happened ("ho raha hai", "sooji hui hai", "aaj", "ab")."""
        found = set(raw)
        return (
            "kya" in found
            and len(self.hindi_words & found) >= 2
            and bool(HINDI_HABITUAL & found)
            and not (HINDI_NOW | HINDI_SPEAKER) & found
            and not self.first_person & found
            and not self._says_now(raw)
        )

    def _self_now(self, text: str) -> bool:
        """Whether the writer says a sign of the red flags is happening to her, as "I'm" or
        "I am" and a word in "-ing" that, with the word after it, the red flags read as a
        sign ("what does cerclage mean? i'm bleeding heavily", "I am really leaking"; not
        "I'm reading about bleeding"), or as "so do I" after a sign ("my 4 year old has a
        fever and so do I"): never calmed, whatever else the message says."""
        for clause in clauses(text):
            raw = expand_abbreviations(words(clause), self.abbreviations)
            if _too_after(raw, -1) and self._detect(clause).level:
                return True
            for index, word in enumerate(raw):
                if word != "im" and (word != "am" or index == 0 or raw[index - 1] != "i"):
                    continue
                start = index + 1
                while start < min(len(raw), index + 3) and raw[start] in _SELF_NOW_ADVERBS:
                    start += 1
                sign = raw[start : start + 2]
                if sign and sign[0].endswith("ing") and self._detect(" ".join(sign)).level:
                    return True
        return False

    def _says_now(self, raw: list[str]) -> bool:
        """Whether a clause says it happens now ("and now I'm bleeding"); "years ago now" and
        "he's fine now" do not."""
        for index, word in enumerate(raw):
            before = raw[index - 1] if index else ""
            if word == "now" and before not in self.settled and not before.isdigit():
                return True
        return self.present.found_in(raw)

    def _find(
        self, plain: list[str], tokens: list[str], index: _PhraseIndex, *, negated: bool = False
    ) -> tuple[list[tuple[_Phrase, int]], bool]:
        """Red-flag phrases reported in one clause, with where they start (negated ones and
        exceptions left out).

        Every phrase found counts, overlapping ones too ("heavy bleeding" and "bleeding"): the
        highest level wins, and a flag that must not count inside another phrase lists it as
        an exception. A negation shortly before a phrase cancels it, and also the phrases
        listed right after it ("no bleeding, cramps or pain": none of the three is reported);
        so does a "not" between a phrase's words ("my waters didn't break").
        ``negated`` carries such a list over from the previous clause; the second value says
        whether this clause ends inside one.
        """
        found: list[tuple[_Phrase, int]] = []
        # A denial runs on into a clause that continues its list ("no bleeding, cramps or
        # pain"), not into a new statement ("no pain, but my waters have broken").
        continues = bool(tokens) and (tokens[0] in LIST_WORDS or tokens[0] in index.by_first)
        negated_until = LIST_GAP - 1 if negated and continues else -1
        # A short item of the list that names no sign of ours goes on with it too, to its
        # end: "denies bleeding, leakage of fluid, or contractions" denies the contractions.
        if negated and 0 < len(tokens) <= LIST_ITEM_WORDS and not (
            self.writer_words.intersection(plain)
        ):
            negated_until = len(tokens) - 1
        times: dict[int, int] = {}  # how often each phrase was found (by id)
        for start, word in enumerate(tokens):
            window = tokens[max(0, start - NEGATION_WINDOW) : start]
            # "no fever or any pain": a denied list goes on over list words only.
            listed = (
                0 <= negated_until == start - 1
                and start >= LIST_GAP
                and all(token in LIST_WORDS for token in tokens[start - LIST_GAP : start])
            )
            denied = start <= negated_until or NOT in window or listed
            for phrase in index.by_first.get(word, ()):
                if times.get(id(phrase), 0) >= MAX_REPEATS:
                    continue
                positions = _match_at(tokens, start, phrase.stems)
                if positions is None:
                    continue
                # A "not" in a gap of the phrase denies it too ("my waters didn't break"), and
                # so does a negation that follows it in languages that put it after
                # ("bleeding nahi hai"), unless the phrase holds it ("saans nahi aa rahi").
                gap = tokens[positions[0] : positions[-1] + 1]
                after = tokens[positions[-1] + 1 : positions[-1] + 1 + AFTER_WINDOW]
                # "bukhar wukhar kuch nahi", "leak ya pressure jaisa kuch nhi": "kuch nahi"
                # (nothing) denies what comes a few words before it
                later = tokens[positions[-1] + 1 : positions[-1] + 1 + NOTHING_WINDOW]
                nothing = any(
                    later[i] == "kuch" and later[i + 1] in self.negations_after
                    for i in range(len(later) - 1)
                )
                denied_after = (
                    bool(self.negations_after.intersection(after)) or nothing
                ) and not (self.negations_after.intersection(phrase.stems))
                # "khoon nahi aa raha": "nahi" inside "khoon aa" denies it, as "not" does.
                gap_denies = (NOT in gap and NOT not in phrase.stems) or bool(
                    self.negations_after.intersection(gap)
                    and not self.negations_after.intersection(phrase.stems)
                )
                if denied or denied_after or gap_denies:
                    negated_until = max(negated_until, positions[-1] + LIST_GAP)
                elif not self._excepted(plain, positions, phrase.flag):
                    found.append((phrase, start))
                    times[id(phrase)] = times.get(id(phrase), 0) + 1
        return found, negated_until >= len(tokens) - 1 and negated_until >= 0

    def _excepted(self, plain: list[str], positions: list[int], flag: str) -> bool:
        """Whether the phrase at ``positions`` is part of one of its flag's exceptions.

        Exceptions match word after word as written (not stemmed; small words like "the" and
        "my" skipped), not with the gaps a phrase may have: "blood and clots" is not "blood
        clotting", nor is "gone all blurry" "all a blur".
        """
        exceptions = self.exceptions.get(flag)
        if not exceptions:
            return False
        kept, compact = _compact(tuple(plain))
        taken = set(positions)
        # Only the windows that overlap the phrase: the compact indices of its words lie in
        # [first, last), so an exception of ``size`` words must start in
        # [first - size + 1, last). (Scanning the whole clause for every phrase found made a
        # 4 000-character "pain pain pain..." take seconds.)
        first = bisect.bisect_left(kept, min(positions))
        last = bisect.bisect_right(kept, max(positions))
        for exception in exceptions:
            size = len(exception)
            for start in range(max(0, first - size + 1), min(last, len(compact) - size + 1)):
                if compact[start : start + size] == exception and taken.intersection(
                    kept[start : start + size]
                ):
                    return True
        return False
