"""The building blocks of normalization, each tested by name (faq/text.py, and the pieces of
the matcher and the urgency detector built on them)."""

from __future__ import annotations

import pytest

from faq import Engine, Level
from faq.model import Sense
from faq.safety import expand_groups
from faq.text import (
    ELLIPSIS,
    ENGLISH_WORDS,
    EnglishWords,
    PhraseMap,
    SoundsLike,
    TypoCorrector,
    clauses,
    emoji_table,
    english_words,
    fold,
    phonetic_key,
    sentences,
    shorten,
    stem,
    typo_limit,
    unknown_word_limit,
    words,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cramps", "cramp"),
        ("cramping", "cramp"),
        ("crampy", "cramp"),
        ("risks", "risk"),
        ("stopped", "stop"),
        ("pads", "pad"),
        ("this", "this"),
        ("less", "less"),
        ("does", "does"),
        ("2019", "2019"),
    ],
)
def test_stem_maps_variants_of_a_word_together(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_fold_lowercases_strips_accents_and_joins_contractions() -> None:
    assert fold("Don’t Müller") == "dont muller"
    assert words("I'm 15w, bleding!!") == ["im", "15w", "bleding"]


def test_clauses_and_sentences_split_where_a_denial_or_question_ends() -> None:
    assert clauses("no bleeding, but cramps") == ["no bleeding", " cramps"]
    assert sentences("spotting. is that ok?") == ["spotting.", "is that ok?"]


@pytest.mark.parametrize(
    ("word", "candidate", "limit"),
    [
        ("back", "black", 0),  # short words are left alone
        ("stich", "stitch", 1),  # five or six letters: a dropped letter...
        ("lenght", "length", 1),  # ...or two neighbours swapped
        ("stack", "stick", 0),  # not a letter changed
        ("cervics", "cervix", 2),  # same first three letters: more edits
        ("closed", "caused", 0),
        ("cerclarge", "cerclage", 2),
        ("insufficency", "insufficiency", 3),
    ],
)
def test_typo_limit_depends_on_length_and_first_letters(
    word: str, candidate: str, limit: int
) -> None:
    assert typo_limit(word, candidate) == limit


def test_typo_corrector_fixes_typos_of_known_words_only() -> None:
    corrector = TypoCorrector({"cerclage": 5, "cervix": 3})
    assert corrector.correct("cerclarge") == "cerclage"
    assert corrector.correct("cervics") == "cervix"
    assert corrector.correct("sushi") == "sushi"
    assert corrector.correct("4") == "4"
    # A swap of two neighbouring letters is one edit: "cevrix" is "cervix", not two away.
    assert corrector.correct("cevrix") == "cervix"
    assert TypoCorrector({"length": 1}).correct("lenght") == "length"


def test_typo_corrector_without_substitutions_takes_only_dropped_letters() -> None:
    corrector = TypoCorrector(["bleeding", "dripping"], max_edits=1, substitutions=False)
    assert corrector.correct("bleding") == "bleeding"
    assert corrector.correct("dropping") == "dropping"  # a real word, one letter changed


def test_typo_corrector_leaves_words_of_other_languages_and_never_corrects_to_them() -> None:
    # Tagalog "laking" (big) is no "leaking", and "tontone" no typo of Haitian "tonton".
    corrector = TypoCorrector(
        ["leaking"], max_edits=1, substitutions=False, also_known=["laking", "tonton"]
    )
    assert corrector.correct("laking") == "laking"
    assert corrector.correct("leakin") == "leaking"
    assert corrector.correct("tontone") == "tontone"


def test_typo_corrector_gives_a_dropped_g_back_to_known_words_only() -> None:
    corrector = TypoCorrector(["going", "bleeding", "thing", "thin"], max_edits=1)
    assert corrector.correct("goin") == "going"  # short words too
    assert corrector.correct("bleedin") == "bleeding"
    assert corrector.correct("thin") == "thin"  # a known word stays itself
    assert corrector.correct("comin") == "comin"  # "coming" is not known
    assert TypoCorrector(["wing"]).correct("win") == "win"  # three letters: left alone


def test_english_words_holds_real_words_and_a_common_part_of_them() -> None:
    english = english_words()
    for word in ("dropping", "dripping", "bleeding", "discharged"):
        assert word in english and english.is_common(word)
    assert "kamar" in english and not english.is_common("kamar")  # rare: Hindi "back"
    for typo in ("bleading", "bleeidng", "cramsp", "contractoins"):
        assert typo not in english and not english.is_common(typo)
    assert "" not in english and 4 not in english


def test_english_words_from_words_in_any_order_find_each_word_and_no_other() -> None:
    common = ["bleeding", "apple", "bread", "blooded", "bleeds"]  # not grouped: any order
    english = EnglishWords.from_words(common, ["bloom"])
    for word in ("bleeding", "apple", "bread", "blooded", "bleeds", "bloom"):
        assert word in english
    assert english.is_common("blooded") and not english.is_common("bloom")
    assert "bleed" not in english and "appl" not in english and "eeding" not in english


def test_the_english_word_list_file_holds_plain_words_of_five_letters_or_more() -> None:
    lines = ENGLISH_WORDS.read_text(encoding="utf-8").splitlines()
    listed = [line for line in lines if not line.startswith("#")]
    assert len(listed) > 50_000
    assert all(len(word) >= 5 and word.isalpha() and word.islower() for word in listed)
    assert sum(line.startswith("# Rarer") for line in lines) == 1


@pytest.mark.parametrize(
    ("word", "candidate", "limit"),
    [
        ("blee", "bleed", 0),  # short words are left alone
        ("cramsp", "cramps", 1),  # five or six letters: a swap
        ("crams", "cramps", 1),  # or a dropped letter
        ("clamps", "cramps", 0),  # but not a changed one
        ("bleading", "bleeding", 1),  # longer: one changed letter
        ("blooding", "bleeding", 1),
        ("contractoins", "contractions", 2),  # ten letters, same start: two
        ("kontractions", "contractions", 0),  # never the first letter
    ],
)
def test_unknown_word_limit_allows_swaps_and_changed_letters_of_long_words(
    word: str, candidate: str, limit: int
) -> None:
    assert unknown_word_limit(word, candidate) == limit


def test_typo_corrector_reads_words_that_are_no_english_words_more_widely() -> None:
    vocabulary = ["bleeding", "dripping", "cramps", "contractions", "namamaga", "kamar"]
    corrector = TypoCorrector(
        vocabulary, max_edits=1, substitutions=False, english=english_words(),
        not_targets={"cramps"},
    )
    assert corrector.correct("bleading") == "bleeding"  # a changed letter
    assert corrector.correct("bleeidng") == "bleeding"  # swapped letters
    assert corrector.correct("contractoins") == "contractions"
    assert corrector.correct("dropping") == "dropping"  # a real word: never a typo
    assert corrector.correct("namamana") == "namamana"  # "namamaga" is no English word
    assert corrector.correct("kamra") == "kamra"  # "kamar" is too rare an English word
    assert corrector.correct("cramsp") == "cramsp"  # "cramps" is no target here
    narrow = TypoCorrector(vocabulary, max_edits=1, substitutions=False)
    assert narrow.correct("bleading") == "bleading"  # without the list: dropped letters only


def test_typo_corrector_keeping_english_words_corrects_no_real_word() -> None:
    vocabulary = ["discharge", "bleeding"]
    keeping = TypoCorrector(vocabulary, english=english_words(), keep_english=True)
    assert keeping.correct("discharged") == "discharged"  # a word of its own
    assert keeping.correct("bleding") == "bleeding"
    assert TypoCorrector(vocabulary, english=english_words()).correct("discharged") == "discharge"


def test_phrase_map_replaces_the_longest_phrase_first() -> None:
    phrases = PhraseMap({"weak cervix": "cervix incompetence", "cervix": "cervix", "weak": "x"})
    assert phrases.apply(["a", "weak", "cervix"]) == ["a", "cervix", "incompetence"]
    assert phrases.apply(["weak"]) == ["x"]
    assert {"weak", "cervix", "incompetence"} <= phrases.words()


def test_phonetic_key_hears_speech_to_text_spellings() -> None:
    assert phonetic_key("serveix") == phonetic_key("cervix") == "SRFKS"
    assert phonetic_key("sirclodge") == phonetic_key("cerclage")
    assert phonetic_key("sheet") == "XT"


def test_sounds_like_finds_only_long_distinctive_words() -> None:
    sounds = SoundsLike(["cervix", "cerclage"])
    assert sounds.find("serveix") == "cervix"
    assert sounds.find("sirclash") == "cerclage"  # one sound away
    assert sounds.find("tea") is None


def test_emoji_table_spells_emoji_out() -> None:
    assert "🩸🩸".translate(emoji_table({"🩸": "blood"})).split() == ["blood", "blood"]


@pytest.mark.parametrize(
    ("room", "expected"),
    [
        (100, "One sentence. And another one"),
        (20, "One sentence." + ELLIPSIS),
        (1, ""),
    ],
)
def test_shorten_cuts_at_a_boundary_and_marks_the_cut(room: int, expected: str) -> None:
    assert shorten("One sentence. And another one", room) == expected


def test_shorten_counts_with_the_given_length() -> None:
    text = "😀" * 10
    assert shorten(text, 10, length=lambda t: 2 * len(t)) == "😀" * 4 + ELLIPSIS


def test_sense_applies_only_in_its_context() -> None:
    sense = Sense("cerclage", unless=frozenset({"tear"}))
    weak = Sense("incompetence", when=frozenset({"cervix"}))
    assert sense.applies(frozenset({"stitch"})) and not sense.applies(frozenset({"tear"}))
    assert weak.applies(frozenset({"cervix"})) and not weak.applies(frozenset({"tired"}))


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("i feel weak and tired", ["feel", "tired"], ["incompetence"]),
        ("my cervix is weak", ["cervix", "incompetence"], []),
        ("stitches after my tear", ["tear"], ["cerclage"]),
        ("what is a sir clash", ["cerclage"], []),
        ("D E S daughter", ["des", "daughter"], []),
        ("cervical in competence", ["cervix", "incompetence"], []),
    ],
)
def test_matcher_normalization_in_context(
    engine: Engine, text: str, present: list[str], absent: list[str]
) -> None:
    content = engine.matcher.analyse(text).content
    assert ([w for w in present if w not in content], [w for w in absent if w in content]) == (
        [],
        [],
    ), content


def test_urgency_words_make_every_negation_not_and_keep_won_t_stop(engine: Engine) -> None:
    plain, stems = engine.urgency._words("cramps that won't stop, haven't bled")
    assert plain == ["cramps", "that", "nonstop", "nonstop", "not", "bled"]
    assert stems[0] == "cramp"


def test_gestational_age_in_words_makes_a_question_a_report(engine: Engine) -> None:
    assert engine.urgency.detect("is spotting at fifteen weeks a sign?").level is Level.URGENT


def test_expand_groups_fills_every_group_with_each_of_its_words() -> None:
    groups = {"fluid": ("water", "wet"), "place": ("pants", "bed")}
    assert expand_groups("{fluid} in my {place}", groups) == [
        "water in my pants",
        "water in my bed",
        "wet in my pants",
        "wet in my bed",
    ]
    assert expand_groups("no group here", groups) == ["no group here"]
    assert expand_groups("{unknown} words", groups) == ["{unknown} words"]


def test_a_group_part_of_a_red_flag_phrase_is_met_by_any_of_its_words(engine: Engine) -> None:
    """"{fluid} + {from_me}": any fluid word and any word of where it is, in one sentence."""
    detect = engine.urgency.detect
    assert detect("damp patch on my leggings again 24w").flags == ("waters-breaking",)
    assert detect("trickle down my leg since lunch").level is Level.EMERGENCY
    assert detect("the fridge is leaking water onto the floor").level is Level.NONE


def test_replace_words_keeps_punctuation_and_replaces_whole_words_only() -> None:
    from faq.text import replace_words

    table = {"me": "mein", "peed": "pain"}
    assert replace_words("Garmi me, khoon?", table) == "garmi mein, khoon?"
    assert replace_words("meri peeda", table) == "meri peeda"


def test_letters_without_a_decomposition_are_folded_too() -> None:
    # Turkish dotless i, Polish l with a stroke and German sharp s are not a letter and an
    # accent in Unicode: they are folded by hand, so "kıpırdamıyor" is one word.
    assert words("Bebek hiç kıpırdamıyor, zemdlałam, Straße") == [
        "bebek", "hic", "kipirdamiyor", "zemdlalam", "strasse",
    ]
