"""The shipped FAQ content: sourced facts, required topics, safety texts."""

from __future__ import annotations

import re
from pathlib import Path

from faq import Engine
from faq.text import fold, words
from tests.conftest import DATA

# The article the FAQ is built from (a copy of shared/source/cervical-incompetence-article.txt).
SOURCE = (DATA / "source-article.txt").read_text(encoding="utf-8")
SOURCE_FOLDED = fold(SOURCE)


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def test_every_number_in_an_answer_is_in_the_source(engine: Engine) -> None:
    invented = {
        entry.id: sorted(_numbers(entry.answer) - _numbers(SOURCE)) for entry in engine.topics
    }
    assert {key: value for key, value in invented.items() if value} == {}


def test_every_name_in_an_answer_is_in_the_source(engine: Engine) -> None:
    """Capitalized words inside a sentence (names, drugs, syndromes) come from the article."""
    missing: dict[str, list[str]] = {}
    for entry in engine.topics:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", entry.answer):
            names = re.findall(r"(?<!^)(?<![.!?]\s)\b[A-Z][A-Za-z&-]+", sentence.strip())
            unknown = [name for name in names if fold(name) not in SOURCE_FOLDED]
            if unknown:
                missing.setdefault(entry.id, []).extend(unknown)
    assert missing == {}


def test_key_facts_of_the_article_are_answered(engine: Engine) -> None:
    answers = {entry.id: entry.answer for entry in engine.topics}
    assert "balloon" in answers["cervix-basics"]
    assert "1-2%" in answers["how-common"]
    assert "25%" in answers["how-common"]
    assert "14-16 weeks" in answers["symptoms"]
    assert "spinal or epidural" in answers["cerclage-anesthesia"]
    assert "stitch" in answers["cerclage"] and "hospital" in answers["cerclage"]


def test_source_metadata_is_recorded(engine: Engine) -> None:
    source = engine.content.source
    assert source.title in SOURCE
    assert "Trish" in source.author and "Trish" in SOURCE
    assert source.date == "2020-01-27"


def test_about_source_says_it_is_not_medical_advice(engine: Engine) -> None:
    about = engine.content.entry("about-source")
    assert about is not None
    assert "not medical advice" in about.answer


def test_no_entry_phrasings_tie_in_the_matcher(engine: Engine) -> None:
    assert engine.matcher.ambiguities() == []


def test_no_answer_opens_with_a_bare_yes_or_no(engine: Engine) -> None:
    """A reply to a reworded question must not read as "yes"/"no" to a different question."""
    openers = {entry.id: words(entry.answer)[0] for entry in engine.topics}
    assert {key: word for key, word in openers.items() if word in ("yes", "no")} == {}


def test_red_flags_record_their_sign_and_source(engine: Engine) -> None:
    missing = [flag.id for flag in engine.content.red_flags if not (flag.sign and flag.source)]
    assert missing == []


def test_readme_warning_sign_table_is_the_red_flag_file(engine: Engine) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- red-flags:start -->")[1].split("<!-- red-flags:end -->")[0]
    rows = [
        [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        for line in table.strip().splitlines()[2:]
    ]
    flags = [
        [flag.sign, flag.level.name.lower(), flag.source, flag.id]
        for flag in engine.content.red_flags
    ]
    assert sorted(rows) == sorted(flags), "run: python scripts/red_flags_table.py --write"


def test_every_exception_shares_a_word_with_its_flag(engine: Engine) -> None:
    """An exception only means something where it overlaps one of its flag's phrases ("blood
    pressure" over "blood"); one that shares no word with them never applies."""
    detector = engine.urgency
    words_of: dict[str, set[str]] = {}
    for index in (detector._whole_index, detector._part_index):
        for items in index.by_first.values():
            for phrase in items:
                words_of.setdefault(phrase.flag, set()).update(phrase.stems)
    stray = [
        (flag.id, exception)
        for flag in engine.content.red_flags
        for exception in flag.exceptions
        if not words_of[flag.id].intersection(detector._words(exception)[1])
    ]
    assert stray == []
