"""Words of other scripts read as Latin words (faq.scripts), for the warning-sign check."""

from __future__ import annotations

import pytest

from faq import Engine, Level
from faq.scripts import ScriptReader, WordGlossary, romanize


@pytest.mark.parametrize(
    ("word", "latin"),
    [
        ("खून", "khun"),  # blood
        ("दर्द", "dard"),  # a virama joins the cluster
        ("नहीं", "nahi"),  # a nasal vowel at the end is not typed
        ("पानी", "pani"),
        ("करता", "karta"),  # no inherent vowel between a vowel and a voiced consonant
        ("धुंधला", "dhundhla"),
        ("पढ़ना", "parhna"),  # a nukta under d is r
        ("तेज़", "tez"),  # under j, z
        ("सांस", "sans"),  # a nasal inside the word is n
        ("रक्त", "rakt"),
        ("রক্ত", "rokto"),  # Bengali says the inherent vowel "o", at the end after a cluster
        ("আমার", "amar"),
        ("ਖੂਨ", "khun"),  # Gurmukhi
        ("ચક્કર", "chakkar"),  # Gujarati
    ],
)
def test_indic_words_are_spelled_as_they_are_typed_in_latin_letters(
    word: str, latin: str
) -> None:
    assert romanize(word) == latin


def test_ascii_text_is_returned_as_it_is() -> None:
    reader = ScriptReader({"نزيف": "bleeding"})
    text = "I'm bleeding at 20 weeks?"
    assert reader(text) is text


def test_the_moderators_table_comes_before_the_spelling() -> None:
    reader = ScriptReader({"ब्लीडिंग": "bleeding"})
    assert reader("मुझे ब्लीडिंग हो रही है").split() == ["mujhe", "bleeding", "ho", "rahi", "hai"]


def test_arabic_words_are_found_without_their_attached_words_and_variants() -> None:
    reader = ScriptReader({"نزيف": "bleeding", "دم": "blood", "بطن": "belly", "ماء": "water"})
    # "and the blood", "my belly", alef with hamza written plain
    assert reader("والدم في بطني").split() == ["blood", "belly"]
    assert reader("النزيف").split() == ["bleeding"]
    assert reader("نزلت ماء كثير").split() == ["water"]
    assert reader("نزلت مآء").split() == ["water"]  # madda on the alef: the same word
    # an unknown Arabic-script word is left out, not guessed
    assert reader("شو هاد").split() == []


def test_several_words_in_one_key_are_read_before_single_words() -> None:
    reader = ScriptReader({"ما يتحرك": "not moving", "يتحرك": "moving"})
    assert reader("البيبي ما يتحرك").split() == ["not", "moving"]


def test_digits_and_punctuation_of_other_scripts_become_ascii() -> None:
    reader = ScriptReader({"اسبوع": "weeks"})
    assert reader("٢٠ اسبوع؟") == "20  weeks ?"
    assert "?" in reader("क्या यह नॉर्मल है?")
    assert reader("२४ हफ़्ते।").split() == ["24", "hafte", "."]
    assert reader("۲۴") == "24"  # Persian digits


GLOSSARY = WordGlossary(
    {
        "sangramento": "bleeding",
        "bolsa estourou": "water broke",
        "j ai mal": "i have pain",
        "bebe": "baby",
        "nao mexe": "not moving",
    }
)


def test_a_glossary_reads_words_of_other_languages_as_english() -> None:
    assert GLOSSARY("A bolsa estourou!").split() == ["A", "water", "broke", "!"]
    # Accents and capitals are not part of the key: "Bebê" is "bebe".
    assert GLOSSARY("O Bebê não mexe").split() == ["O", "baby", "not", "moving"]
    # The words of one key may be joined by an apostrophe or a hyphen.
    assert GLOSSARY("J'ai mal au ventre").split() == ["i", "have", "pain", "au", "ventre"]


def test_a_glossary_reads_whole_words_only_and_leaves_english_alone() -> None:
    english = "I'm bleeding a little, is that normal at 20 weeks?"
    assert GLOSSARY(english) is english
    assert GLOSSARY("bolsas estouraram") == "bolsas estouraram"  # not a key
    # The words of a key must follow each other: punctuation between them breaks it.
    assert "water broke" not in GLOSSARY("bolsa. estourou")


def test_cyrillic_words_are_read_from_the_table_in_lower_case_and_others_left_out() -> None:
    reader = ScriptReader({"кровотечение": "bleeding", "хочу умереть": "i want to die"})
    assert reader("Кровотечение, 20 недель").split() == ["bleeding", ",", "20"]
    assert reader("я ХОЧУ умереть").split() == ["i", "want", "to", "die"]


def test_chinese_and_japanese_runs_are_read_as_the_longest_keys_in_them() -> None:
    reader = ScriptReader(
        {
            "出血": "bleeding",
            "没有": "no",
            "血": "blood",
            "血压": "blood pressure",
            "死にたい": "i want to die",
        }
    )
    assert reader("我没有出血。").split() == ["no", "bleeding", "."]
    # A longer key that means something else keeps the short one from firing.
    assert reader("血压正常").split() == ["blood", "pressure"]
    assert reader("もう死にたい").split() == ["i", "want", "to", "die"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("У меня кровотечение, 20 недель", "urgent"),
        ("не хочу жить", "crisis"),
        ("Кровотечения нет, просто спрашиваю", "none"),
        ("怀孕20周，见红了", "urgent"),
        ("我想死", "crisis"),
        ("我没有出血，只是问问", "none"),
        ("血压正常", "none"),
        # Inflected forms and word orders (a fresh pair of eyes, round 14)
        ("не хочу больше жить", "crisis"),
        ("думаю о самоубийстве", "crisis"),
    ],
)
def test_the_packaged_table_reads_russian_and_chinese_warning_signs(
    engine: Engine, text: str, level: str
) -> None:
    assert engine.urgency.detect(text).level is Level[level.upper()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how common is слабая шейка матки?", "how-common"),
        ("Здравствуйте, что такое cerclage?", "cerclage"),
        ("环扎手术要打麻药吗? anesthesia?", "cerclage-anesthesia"),
    ],
)
def test_an_english_question_mixed_with_cyrillic_or_chinese_is_answered(
    engine: Engine, text: str, expected: str
) -> None:
    answer = engine.answer(text)
    assert answer.match is not None and answer.match.id == expected
