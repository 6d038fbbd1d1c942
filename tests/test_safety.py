"""Urgency detection, parametrized from YAML case files (statement -> expected level)."""

from __future__ import annotations

import pytest
import yaml

from faq import Engine, Level, SectionKind
from faq.evaluation import Case, load_split
from faq.safety import _spelt_out_joined
from tests.conftest import DATA, NEWEST_DEV_WRITERS, OTHER_SCRIPT_DEV_WRITERS

URGENCY_CASES = yaml.safe_load((DATA / "urgency_cases.yaml").read_text(encoding="utf-8"))
# Reports of every warning sign, crises, and messages that use the same words without
# reporting anything (general questions, history, denials, other meanings), written by
# independent writers in their own voices (tests/data/corpus/dev).
DEV = load_split(DATA / "corpus" / "dev")
KNOWN_MISSES = {
    item["text"]
    for item in yaml.safe_load((DATA / "known_misses.yaml").read_text(encoding="utf-8"))
}
REPORTS = [
    case for case in DEV if case.level not in (Level.NONE, None) and case.text not in KNOWN_MISSES
]
PROMPT_KIND = {
    Level.URGENT: SectionKind.URGENT,
    Level.EMERGENCY: SectionKind.EMERGENCY,
    Level.CRISIS: SectionKind.CRISIS,
}


@pytest.mark.parametrize(
    "case", URGENCY_CASES, ids=[case["statement"][:40] for case in URGENCY_CASES]
)
def test_urgency_level(engine: Engine, case: dict[str, str]) -> None:
    result = engine.urgency.detect(case["statement"])
    assert result.level == Level[case["expected"].upper()], result


@pytest.mark.parametrize("case", REPORTS, ids=[f"{c.writer}:{c.text[:40]}" for c in REPORTS])
def test_reported_sign_puts_its_prompt_first(engine: Engine, case: Case) -> None:
    answer = engine.answer(case.text)
    # At the labelled level or above; a crisis exactly.
    assert case.level is not None
    assert answer.level >= case.level and (answer.level is Level.CRISIS) == (
        case.level is Level.CRISIS
    )
    assert answer.sections[0].kind is PROMPT_KIND[answer.level]


def test_known_misses_are_still_missed_and_few(engine: Engine) -> None:
    """Keeps known_misses.yaml true: a miss that starts to pass must leave the list."""
    labelled = {case.text: case.level for case in DEV}
    assert labelled.keys() >= KNOWN_MISSES
    assert [t for t in KNOWN_MISSES if engine.answer(t).level >= labelled[t]] == []
    reports = [c for c in DEV if c.level not in (Level.NONE, None)]
    newer = NEWEST_DEV_WRITERS | OTHER_SCRIPT_DEV_WRITERS
    older = [c for c in reports if c.writer not in newer]
    newest = [c for c in reports if c.writer in NEWEST_DEV_WRITERS]
    scripts = [c for c in reports if c.writer in OTHER_SCRIPT_DEV_WRITERS]
    assert len(KNOWN_MISSES & {c.text for c in older}) <= 0.01 * len(older)
    assert len(KNOWN_MISSES & {c.text for c in newest}) <= 0.05 * len(newest)
    assert len(KNOWN_MISSES & {c.text for c in scripts}) <= 0.05 * len(scripts)


def test_false_alarms_on_messages_reporting_nothing_at_most_2_percent(engine: Engine) -> None:
    """On the writers tuned on over several rounds (the newest have their floors in
    test_matching_quality.py)."""
    newer = NEWEST_DEV_WRITERS | OTHER_SCRIPT_DEV_WRITERS
    quiet = [c for c in DEV if c.level is Level.NONE and c.writer not in newer]
    alarms = [case.text for case in quiet if engine.urgency.detect(case.text).level]
    assert len(alarms) <= 0.02 * len(quiet), alarms


def test_every_kind_that_mimics_a_report_is_in_the_dev_split() -> None:
    kinds = {case.kind for case in DEV}
    assert {"warning", "crisis", "general_symptom", "history", "denial", "other_meaning"} <= kinds


def test_crisis_reply_has_helpline_and_no_faq_answer(engine: Engine) -> None:
    answer = engine.answer("some days i think about hurting myself, what is a cerclage?")
    kinds = [section.kind for section in answer.sections]
    assert (answer.level, answer.match, answer.suggestions) == (Level.CRISIS, None, ())
    assert kinds == [SectionKind.CRISIS, SectionKind.PROVIDER, SectionKind.DISCLAIMER]
    assert engine.content.texts.crisis_helpline in answer.sections[0].text


def test_crisis_helpline_comes_from_the_deployment() -> None:
    engine = Engine.load(helpline="Samaritans on 116 123")
    answer = engine.answer("i dont want to be alive anymore")
    assert "Samaritans on 116 123" in answer.reply
    assert "{helpline}" not in answer.reply


@pytest.mark.parametrize(
    ("message", "prompt"),
    [
        ("he choked me last night and im 20 weeks", SectionKind.EMERGENCY),
        ("im scared of my boyfriend, what is a cerclage", SectionKind.URGENT),
    ],
)
def test_violence_from_a_partner_adds_the_abuse_helpline_under_the_prompt(
    engine: Engine, message: str, prompt: SectionKind
) -> None:
    texts = engine.content.texts
    note = texts.abuse_note.replace("{abuse_helpline}", texts.abuse_helpline)
    answer = engine.answer(message)
    assert [section.kind for section in answer.sections[:2]] == [prompt, SectionKind.NOTICE]
    assert answer.sections[1].text == note


def test_violence_told_with_thoughts_of_harm_keeps_the_abuse_note_under_the_crisis() -> None:
    engine = Engine.load(abuse_helpline="Refuge on 0808 2000 247")
    answer = engine.answer("he beats me and i want to die")
    kinds = [section.kind for section in answer.sections]
    assert kinds[:3] == [SectionKind.CRISIS, SectionKind.EMERGENCY, SectionKind.NOTICE]
    assert "Refuge on 0808 2000 247" in answer.sections[2].text
    assert "{abuse_helpline}" not in answer.reply


def test_other_warning_signs_get_no_abuse_note(engine: Engine) -> None:
    texts = engine.content.texts
    for message in ("im bleeding a lot", "i have cramps at 18 weeks", "i want to die"):
        assert texts.abuse_helpline not in engine.answer(message).reply


def test_history_gets_no_alarm_but_a_note_to_tell_the_provider(engine: Engine) -> None:
    answer = engine.answer("my water broke at 20 weeks last pregnancy, will it happen again?")
    assert answer.level is Level.NONE
    assert engine.content.texts.history_note in answer.reply


def test_history_with_a_sign_happening_now_is_a_report(engine: Engine, phrases: Engine) -> None:
    text = "my water broke at 20 weeks last pregnancy, now im bleeding"
    result = phrases.urgency.detect(text)
    assert (result.level, result.flags) == (Level.URGENT, ("bleeding",))
    assert engine.urgency.detect(text).level >= Level.URGENT  # the scorers only raise


def test_report_phrased_as_a_question_is_a_report(engine: Engine) -> None:
    assert engine.urgency.detect("is it normal to be spotting at 16 weeks?").level is Level.URGENT
    assert engine.urgency.detect("does a weak cervix cause bleeding?").level is Level.NONE


def test_general_question_next_to_a_personal_sentence_is_a_report(engine: Engine) -> None:
    text = "are braxton hicks regular like clockwork? my daughter is 33 weeks"
    assert engine.urgency.detect(text).level is Level.EMERGENCY


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A question about what a condition causes, with no word of the writer in it, asks
        # about signs in general, even next to her week or a past loss...
        ("I'm 16 weeks. Can a weak cervix cause fainting?", Level.NONE),
        (
            "I lost a baby at 19 weeks last year because my cervix opened. I'm 16 weeks "
            "today. Can a weak cervix cause fainting?",
            Level.NONE,
        ),
        # ... but not when it names her own sign or the one at hand.
        ("I'm 16 weeks. Can the stitch cause my cramps?", Level.URGENT),
        ("I'm 16 weeks. Can it cause this bleeding?", Level.URGENT),
        # What may happen, asked ahead, is not a report...
        ("what would bleeding at 15 weeks mean", Level.NONE),
        ("should I expect spotting after the stitch goes in?", Level.NONE),
        ("when should I start worrying about discharge?", Level.NONE),
        ("what should I look out for like bleeding after the stitch?", Level.NONE),
        # ... and a sign that went back to normal, with nothing since, is over...
        ("discharge went back to normal on thursday and nothing has changed since", Level.NONE),
        # ... but a sign told before such words, or after them, is still a report.
        ("I'm bleeding, what would that mean?", Level.URGENT),
        ("spotting since this morning, what should I watch out for?", Level.URGENT),
        ("it went back to normal on monday but today the bleeding came back", Level.URGENT),
    ],
)
def test_questions_about_causes_or_asked_ahead_and_signs_back_to_normal_are_no_reports(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level is level


@pytest.mark.parametrize(
    "text",
    [
        "a faint line on my test",
        "my blood pressure was 110/70",
        "blood clotting tests",
        # objects and figures of speech (red flags' exceptions)
        "broke my water glass lol",
        "my pen is leaking ink everywhere",
        "the movie gave me chills",
        "i like my steak bleeding rare",
        "I cut myself a big slice of cake to celebrate 24 weeks!",
    ],
)
def test_same_words_with_another_meaning_are_not_alarms(engine: Engine, text: str) -> None:
    assert engine.urgency.detect(text).level is Level.NONE


def test_exceptions_match_words_in_a_row_not_with_gaps(engine: Engine) -> None:
    assert engine.urgency.detect("lots of blood and clots").level is Level.EMERGENCY


def test_someone_elses_sign_is_not_an_alarm_unless_the_writer_is_in_it(engine: Engine) -> None:
    assert engine.urgency.detect("my coworker has terrible back pain").level is Level.NONE
    assert engine.urgency.detect("I passed out, DH caught me").level is Level.EMERGENCY


def test_wont_stop_says_more_not_less(engine: Engine) -> None:
    assert engine.urgency.detect("my belly pain wont stop").level is Level.EMERGENCY


@pytest.mark.parametrize(("text", "note"), [("😭😭😭", True), ("💔", True), ("👍🤰", False)])
def test_emoji_alone_of_distress_get_the_mood_note_with_the_helpline(
    engine: Engine, text: str, note: bool
) -> None:
    answer = engine.answer(text)
    mood = engine.content.texts.mood_note.replace("{helpline}", engine.helpline)
    assert (mood in answer.reply) is note
    assert engine.content.texts.empty_input in answer.reply  # still asked for words
    assert engine.content.texts.disclaimer in answer.reply


def test_emoji_count(engine: Engine, phrases: Engine) -> None:
    # The phrases read bleeding (urgent); the emergency scorer may raise it, a cautious error.
    assert phrases.urgency.detect("🩸🩸😭").level is Level.URGENT
    answer = engine.answer("🩸🩸😭")
    assert answer.level >= Level.URGENT
    assert answer.sections[0].kind in (SectionKind.URGENT, SectionKind.EMERGENCY)


def test_a_real_word_two_edits_from_a_symptom_is_not_corrected(engine: Engine) -> None:
    assert engine.urgency.detect("i am driving, tell me what the cervix does").level is Level.NONE


def test_urgency_does_not_depend_on_matching(engine: Engine) -> None:
    matched = engine.answer("im spotting, what is a cerclage?")
    unmatched = engine.answer("im spotting and my car broke down")
    assert matched.match is not None
    assert unmatched.match is None
    assert matched.level == unmatched.level == Level.URGENT


def test_typo_in_symptom_is_still_urgent(engine: Engine) -> None:
    assert engine.urgency.detect("i think im bleding").flags == ("bleeding",)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("i think im bleading", "bleeding"),  # a changed letter
        ("im bleeidng since lunch", "bleeding"),  # swapped letters
        ("having contractoins every 5 min", None),
    ],
)
def test_typos_that_are_no_english_words_are_read_as_the_sign(
    engine: Engine, text: str, flag: str | None
) -> None:
    urgency = engine.urgency.detect(text)
    assert urgency.level >= Level.URGENT
    assert flag is None or flag in urgency.flags


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("b l e e d i n g   2 1   w e e k s", "bleeding   2 1   weeks"),
        ("i.m b-l-e-e-d-i-n-g", "i.m bleeding"),  # one separator throughout a word
        ("im s.p.o.t.t.i.n.g", "im spotting"),
        ("i m a mum, U.S.A. trip, x-ray", "i m a mum, U.S.A. trip, x-ray"),  # under four: kept
    ],
)
def test_a_word_spelt_out_letter_by_letter_is_read_as_the_word(
    engine: Engine, text: str, joined: str
) -> None:
    assert _spelt_out_joined(text) == joined
    if "bleeding" in joined:
        assert engine.urgency.detect(text).flags == ("bleeding",)


@pytest.mark.parametrize(
    "text",
    [
        "dying to know if a cerclage hurts lol",  # an indirect question, not a report
        "i want to know if a cerclage hurts",
        "curious if cramps are normal after a cerclage in general",
    ],
)
def test_an_indirect_question_about_a_sign_is_no_report(engine: Engine, text: str) -> None:
    assert engine.urgency.detect(text).level is Level.NONE


@pytest.mark.parametrize(
    "text",
    [
        "water dropping from the ceiling again, landlord useless",
        "the hospital discharged my husband this morning after his hip op",
        "nothing's bulging, nothing's leaking, I'm just paranoid from forums",
    ],
)
def test_real_words_near_sign_words_raise_no_alarm(engine: Engine, text: str) -> None:
    assert engine.urgency.detect(text).level is Level.NONE


def test_negation_covers_a_list_of_symptoms(engine: Engine) -> None:
    assert engine.urgency.detect("no bleeding, cramps or discharge at all").level == Level.NONE


def test_a_later_reported_symptom_still_counts_after_a_denied_one(engine: Engine) -> None:
    result = engine.urgency.detect("no bleeding. but I have bad cramps since this morning")
    assert result.flags == ("cramping",)


def test_general_question_with_first_person_is_a_report(engine: Engine) -> None:
    assert engine.urgency.detect("why am I spotting?").level == Level.URGENT


def test_emergency_wins_over_urgent(engine: Engine) -> None:
    result = engine.urgency.detect("spotting yesterday and now my water broke")
    assert result.level == Level.EMERGENCY
    assert set(result.flags) == {"bleeding", "waters-breaking"}


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "I mean" and "I wonder" are the writer speaking, not reporting: still general.
        ("can a weak cervix cause back pain, in general i mean", Level.NONE),
        ("what sort of spotting counts as a sign, i wonder", Level.NONE),
        # Without the aside, the writer's own words still make it a report.
        ("i mean im spotting, what sort of spotting counts as a sign", Level.URGENT),
        ("can i be spotting with a weak cervix, i mean right now i am", Level.URGENT),
    ],
)
def test_asides_do_not_make_a_general_question_a_report(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Hindi/Urdu put the negation after the sign: "bleeding nahi hai" denies it ...
        ("bleeding nahi hai, bas poochna tha cerclage kya hota hai", Level.NONE),
        # ... but a phrase that holds the negation is the sign itself: "saans nahi aa rahi".
        ("saans nahi aa rahi theek se, 30 weeks", Level.EMERGENCY),
        ("subah se baby hil nahi raha, 32 weeks", Level.EMERGENCY),
    ],
)
def test_a_negation_after_the_sign_denies_it_unless_the_phrase_holds_it(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Hindi "na X na Y" is "neither X nor Y": twice in a clause, "na" denies ...
        ("na spotting na cramps, bas cervix length ke baare mein poochna tha", Level.NONE),
        ("ek dum fit hu, na sujan na sar dard", Level.NONE),
        # ... once, it is something else: Tagalog's linker, Hindi's "isn't it?".
        ("naiisip ko po minsan na saktan si baby", Level.CRISIS),
        ("bleeding ho rahi hai na, 20 weeks", Level.URGENT),
    ],
)
def test_a_paired_negation_denies_only_when_it_comes_twice(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


def test_phrases_are_read_through_the_same_abbreviations_as_messages(engine: Engine) -> None:
    """"khoon" is "blood" in messages, so it must be in phrases too: the Hindi phrase
    "khoon + ruk nahi" and a message saying it with English and Hindi mixed meet."""
    expand = engine.urgency._phrase
    assert expand("khoon ruk nahi") == expand("blood ruk nahi")
    assert engine.urgency.detect("khoon ruk hi nhi raha, 22 hafte").level == Level.EMERGENCY
    assert engine.urgency.detect("blood ruk hi nahi raha, 22 weeks").level == Level.EMERGENCY


def test_a_word_of_the_phrase_itself_is_not_someone_else(engine: Engine) -> None:
    """"roof" is something else's word ("the roof is leaking water": not the waters), but
    in "{high_place} + {jump}" it is where a person in crisis would jump from."""
    assert engine.urgency.detect("sochti hu chhat se kood jaun").level == Level.CRISIS
    assert engine.urgency.detect("i keep thinking of jumping off the roof").level == Level.CRISIS
    assert engine.urgency.detect("the roof is leaking water again").level == Level.NONE
    assert engine.urgency.detect("my mum took some pills in 1970, all my aunts did").level == (
        Level.NONE
    )


def test_a_long_run_on_sentence_is_read_in_pieces(engine: Engine) -> None:
    """A run-on story (over 35 words, strung with commas) is read piece by piece: a sign told
    in its middle is a report though the sentence ends with a general question."""
    story = (
        "what I wanted to ask, after the week we had with the kids and the car and my mother "
        "visiting, is what a cerclage is, because this morning there was bright red blood on "
        "the paper when I wiped, probably nothing?"
    )
    assert engine.urgency.detect(story).level >= Level.URGENT  # read whole: no alarm
    # A short general question with a list stays a general question.
    general = "does a weak cervix cause bleeding, cramps, or discharge?"
    assert engine.urgency.detect(general).level == Level.NONE


def test_an_age_at_the_time_tells_of_the_past(engine: Engine, phrases: Engine) -> None:
    # The phrases' rule; the emergency scorer, which cannot tell the tense, raises this one
    # (a false alarm it adds, README.md).
    assert phrases.urgency.detect("I passed out at my ear piercing when I was 7").level == (
        Level.NONE
    )
    assert engine.urgency.detect("I passed out at work today, 20 weeks").level >= Level.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "my aunt was bleeding a lot in the eighties when she had her twins",
        "nan fainted in labour back in the 70s, does a weak cervix run in families",
        "she had heavy bleeding in the 1990s after her second",
    ],
)
def test_a_decade_tells_of_the_past(engine: Engine, text: str) -> None:
    assert engine.urgency.detect(text).level == Level.NONE


def test_eighty_is_not_a_decade(engine: Engine) -> None:
    assert engine.urgency.detect("bleeding a lot, soaked 80s pads, 20 weeks").level >= (
        Level.URGENT
    )
    assert engine.urgency.detect("i'm bleeding heavily since this morning at 19 weeks").level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "she" is the woman named last who is not the writer...
        ("my mother says she was knocked out for hers, is an epidural used now", Level.NONE),
        ("my mum (she's 70) gets dizzy spells from her tablets", Level.NONE),
        ("our cat is pregnant and she's bleeding a bit", Level.NONE),
        # ...but not a man, a thing, or after the pregnant woman was already "she"
        ("my husband says she's bleeding, she's 20 weeks, what do we do", Level.URGENT),
        ("at the sink she had to grab the counter, the room tilted. 19 weeks", Level.URGENT),
        ("my sister is pregnant and she told mom she's spotting a little", Level.URGENT),
        ("my daughter (29 weeks) sent a pic and her face is really swollen", Level.URGENT),
        # ...and not once the writer speaks of herself again
        ("my mum came over and i fainted in the kitchen, 22 weeks", Level.EMERGENCY),
    ],
)
def test_she_after_another_woman_is_that_woman(
    engine: Engine, phrases: Engine, text: str, level: Level
) -> None:
    assert phrases.urgency.detect(text).level == level
    assert engine.urgency.detect(text).level >= level  # the scorers only raise


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "me" is "in" in a Hindi sentence, not the writer: the son's nosebleed stays his
        ("mere bete ki naak se garmi me khoon aa gaya tha, ab ruk gaya", Level.NONE),
        ("kya weak cervix me bleeding hoti hai?", Level.NONE),
        # "wala" is a suffix in Hindi, not the Tagalog "no"
        ("kanpatiyon mein dhak dhak wala dard hai subah se, 30 weeks", Level.URGENT),
        # "peed" is pain in Hindi, a wee in English
        ("kamar me peed ho rahi hai, 20 hafte", Level.URGENT),
        # one Hindi-looking word is not a Hindi sentence: "me" stays the writer
        ("my son's nose bled on me but I'm bleeding too, 18 weeks", Level.URGENT),
        ("wala po akong bleeding, 16 weeks", Level.NONE),
    ],
)
def test_a_hindi_sentence_reads_its_own_words(
    engine: Engine, phrases: Engine, text: str, level: Level
) -> None:
    assert phrases.urgency.detect(text).level == level
    assert engine.urgency.detect(text).level >= level  # the scorers only raise


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "kya" and a habitual verb, nobody speaking of themselves: a general question
        ("kya weak cervix me khoon aata hai", Level.NONE),
        ("incompetent cervix me kamar dard hota hai kya", Level.NONE),
        ("kya bina dard ke bhi cervix khul sakta hai", Level.NONE),
        # ...but not when it is going on, has just happened, or is the writer's
        ("kya ye normal hai, aaj se kamar me dard hota hai lehron me", Level.URGENT),
        ("mujhe roz khoon aata hai kya ye theek hai", Level.URGENT),
        ("kya pair sooji hui hai aur laal, dard hota hai, 30 weeks", Level.URGENT),
        ("khoon aa raha hai kya karu", Level.URGENT),
        # "behosh karte hai" is the anesthesia, not fainting
        ("cerclage ke time behosh karte hai kya", Level.NONE),
    ],
)
def test_a_hindi_question_about_what_happens_is_general(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "kuch nahi" (nothing) denies what comes a few words before it
        ("bukhar wukhar kuch nahi, bas risk factors jaanne the", Level.NONE),
        ("paani leak ya pressure jaisa kuch nhi h, short cervix kya hai", Level.NONE),
        ("khoon aa raha hai, kuch samajh nahi aa raha, 20 hafte", Level.URGENT),
        # someone else who is pregnant is not the writer
        ("drama mein heroine pregnant thi aur behosh ho gayi", Level.NONE),
        ("my cat is pregnant and threw up twice today", Level.NONE),
        ("i'm pregnant and bleeding a little this morning", Level.URGENT),
        # a cut finger is not a warning sign; a swollen one is
        ("cut my finger chopping onions, blood everywhere lol", Level.NONE),
        ("my face and fingers are swelling up, rings don't fit, 36 weeks", Level.URGENT),
    ],
)
def test_hindi_nothing_and_other_pregnant_ones(
    engine: Engine, phrases: Engine, text: str, level: Level
) -> None:
    assert phrases.urgency.detect(text).level == level
    assert engine.urgency.detect(text).level >= level  # the scorers only raise


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("honestly I don't see the point of going on anymore", Level.CRISIS),
        ("doctor ne bola cervix khul raha hai, 24 weeks", Level.URGENT),
        ("kaise pata chale ke cervix khul raha hai, kya signs hote hain", Level.NONE),
        ("my head is spinning with all this info about cerclage", Level.NONE),
        ("my head is spinning and i had to sit down, 25 weeks", Level.URGENT),
        ("my pet rabbit is bleeding from its paw", Level.NONE),
        ("my nose is bleeding a bit from the dry air", Level.NONE),
        ("we are busy painting the nursery yellow", Level.NONE),
    ],
)
def test_a_fresh_pair_of_eyes_found_these(engine: Engine, text: str, level: Level) -> None:
    """Found by a helper trying the bot as a new user; fixed by words, not by these texts.
    A sign is raised at its level or above; nothing is raised where nothing is reported."""
    found = engine.urgency.detect(text).level
    assert found >= level if level is not Level.NONE else found is Level.NONE


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A thought of harm: what it is (a picture, an urge), what it does, and to whom...
        ("i keep getting pictures in my head of hitting my bump", Level.CRISIS),
        ("sometimes I wish God would just take me", Level.CRISIS),
        ("wondering how many sleeping pills would kill me", Level.CRISIS),
        # ...and the same words about care, or said in fun, are not one.
        ("can the spinal for the stitch harm the baby", Level.NONE),
        ("i literally want to die of embarrassment, my ob saw my socks", Level.NONE),
    ],
)
def test_thoughts_of_harm_are_read_by_what_they_say(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


def test_a_thought_of_harm_in_the_writers_own_words_is_the_writers(engine: Engine) -> None:
    """Someone else named first ("my partner") does not make "if I wasn't alive" theirs."""
    assert engine.urgency.detect("my partner would be happier if i wasnt alive").level == (
        Level.CRISIS
    )
    assert engine.urgency.detect("the heroine in the film wanted to die").level == Level.NONE


def test_na_twice_in_a_tagalog_clause_denies_nothing(engine: Engine) -> None:
    """Tagalog "na" is a linker or "already": "gusto kong ... na ... na" is not "neither...
    nor" (unpaired_markers)."""
    text = "may times na gusto kong suntukin yung tiyan ko para matapos na"
    assert engine.urgency.detect(text).level == Level.CRISIS
    assert engine.urgency._pair_negations(["na", "spotting", "na", "cramps"])[0] != "na"
    assert engine.urgency._pair_negations(["na", "dugo", "po", "na"]) == ["na", "dugo", "po", "na"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "It was 3 years ago." dates the sentence before it...
        ("I had very bad vomiting with my boy. It was 3 years ago. Who writes this?", Level.NONE),
        ("Fainted twice at the shops. That was in 2019. Is a weak cervix genetic?", Level.NONE),
        # ...but not a sentence that says something of its own, nor a report of now.
        ("I have bad vomiting since this morning. It was fine yesterday.", Level.URGENT),
        ("I fainted at work today. My first baby was 3 years ago.", Level.EMERGENCY),
    ],
)
def test_a_short_sentence_of_a_past_time_dates_the_one_before(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


def test_someone_elses_she_being_pregnant_is_not_the_writer(engine: Engine) -> None:
    """"my goat she is pregnant and she is bleeding": "pregnant" is the goat's, so the second
    "she" is still the goat."""
    assert engine.urgency.detect("my goat she is pregnant and she is bleeding").level == (
        Level.NONE
    )


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Spanish, Bangla and Swahili words for the signs, word for word...
        # (strong pain with bleeding is an emergency, as "I have bleeding and strong pain" is)
        ("tengo sangrado y dolor fuerte, 20 semanas", Level.EMERGENCY),
        ("rokto jacche, 18 weeks", Level.URGENT),
        ("kichwa maumivu haiishi, getting worse, 33 weeks", Level.EMERGENCY),
        # ...and their negations.
        ("hakuna damu, just asking who wrote this", Level.NONE),
    ],
)
def test_other_languages_signs_are_read_word_for_word(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("i have thoughts of killing my baby", Level.CRISIS),
        ("I thought about cutting my wrists", Level.CRISIS),
        ("life isn't worth living", Level.CRISIS),
        ("i cant go on anymore", Level.CRISIS),
        ("I don't care if I live or die", Level.CRISIS),
        ("ami o thakbo na jodi kichu hoy", Level.CRISIS),
        ("sitaki kuishi tena", Level.CRISIS),
        # the same verbs in idioms and in someone else's story
        ("I shot myself in the foot telling my boss so early", Level.NONE),
        ("I'm drowning myself in work so I don't think about the scan", Level.NONE),
        ("how do I end it with my clingy friend lol", Level.NONE),
        ("I can't go on the trip with a stitch?", Level.NONE),
        ("did I poison myself eating sushi", Level.NONE),
        ("she throws herself into work", Level.NONE),
        ("I wish this nausea would go away forever", Level.NONE),
        ("Is there a reason to keep going to the clinic every week?", Level.NONE),
        ("how to die my hair safely while pregnant", Level.NONE),
        ("I feel like ending it with my doctor and finding a new one", Level.NONE),
        ("the heroine says ami ar bachte chai na and I cried so much", Level.NONE),
    ],
)
def test_thoughts_of_harm_in_other_words(
    engine: Engine, phrases: Engine, text: str, level: Level
) -> None:
    assert phrases.urgency.detect(text).level == level
    assert engine.urgency.detect(text).level >= level  # the scorers only raise


def test_a_tldr_restating_a_general_question_is_general(engine: Engine) -> None:
    """"TL;DR" opens a sentence like "so" or "anyway": what follows is read as it stands."""
    text = "Can a weak cervix make you bleed, in general? TL;DR does a weak cervix cause bleeding"
    assert engine.urgency.detect(text).level == Level.NONE
    assert engine.urgency.detect("TL;DR bleeding since this morning, 18 weeks").level == (
        Level.URGENT
    )


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # texting's "not me ..." says it is happening
        ("not me spotting at school and acting normal 💀 14 wks", Level.URGENT),
        # old-fashioned words of grandmothers writing for the pregnant one
        ("she has gone half blind for a few minutes, 36 weeks", Level.EMERGENCY),
        ("her bump keeps going tight, five or six times an hour, 26 weeks", Level.EMERGENCY),
        # Romanian and Russian words, word for word
        ("golova bolit 2 days and getting stronger, 31 weeks", Level.EMERGENCY),
        ("little bit sange on the paper, 16 weeks", Level.URGENT),
        # a stitch that has come out
        ("I think I can feel the stitch thread hanging out", Level.URGENT),
        # the same words meaning something else
        ("my mama fell out laughing when I told her, what's a cerclage", Level.NONE),
        ("been spotting deer all up the road lol, do they numb you for a cerclage", Level.NONE),
        ("my pressure was 112 over 70 at my appointment, good right?", Level.NONE),
        ("I'm scared I'll lose this baby too, I can't stop crying", Level.NONE),
    ],
)
def test_more_voices_of_warning_signs(
    engine: Engine, phrases: Engine, text: str, level: Level
) -> None:
    assert phrases.urgency.detect(text).level == level
    assert engine.urgency.detect(text).level >= level  # the scorers only raise


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # someone of 56 or more is not the pregnant one...
        ("my neighbour, who is 70, had a fainting fit at the bowls club", Level.NONE),
        ("pt in bay 3 = 72yo M w/ syncope, not OB", Level.NONE),
        ("I keep seeing stars when I get up too quickly, but then I am 82.", Level.NONE),
        # ...unless the writer speaks of herself after it, or a pregnancy is named
        ("my mum, who is 70, came over and I fainted", Level.EMERGENCY),
        ("I am 52 and pregnant and bleeding", Level.URGENT),
        # ...and a measurement is not an age
        ("temperature is 101 since last night", Level.URGENT),
        ("I am 60 kg and bleeding", Level.URGENT),
    ],
)
def test_an_old_age_is_not_the_pregnant_one(phrases: Engine, text: str, level: Level) -> None:
    assert phrases.urgency.detect(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        "walang dugo, walang sakit ng tiyan, ano ang cervical incompetence",
        "Self, 16 weeks. Denies bleeding. What does the source list as CI s/s?",
        "sab theek hai, koi dard nahi, baby bhi ache se move kar raha hai",
        "I read in a magazine that a backache can be a sign of a weak cervix. True?",
        "When I was carrying my son I fainted twice. What is a cerclage?",
        "doing fine here, everything's been chill, how common is a weak cervix",
    ],
)
def test_denials_history_and_general_claims_in_more_words(engine: Engine, text: str) -> None:
    assert engine.urgency.detect(text).level == Level.NONE


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # "na" opening several clauses denies each, as twice in one clause...
        ("Mujhe koi symptoms nahi hain, na spotting, na cramps, na kamar dard.", Level.NONE),
        # ...but a "na" closing clauses is Hindi's "isn't it?"
        ("bleeding ho rahi hai na, pain bhi hai na", Level.URGENT),
        ("she's grand, nae sair back, nae bleedin, nothin", Level.NONE),
        ("kan yok, agri yok, how do they diagnose a weak cervix", Level.NONE),
        # a child is not the pregnant one either, unless the writer speaks of herself after
        ("My sister's 3yo has a temp of 38.5 and is spewing everywhere", Level.NONE),
        ("my 4 year old has a fever and so do I", Level.URGENT),
        # "so do I" after someone else's sign: the writer has it too (round 18)
        ("my son has a fever and so do I", Level.URGENT),
        ("hubby has a fever and so do i", Level.URGENT),
        ("the kids are vomiting and me too", Level.URGENT),
        ("me too lol the dog is bleeding", Level.NONE),
        ("the film had a bleeding ghost and now i'm too scared to pee", Level.NONE),
        # pinyin and Turkish sign words
        ("little bit xue when I go toilet, 14 week", Level.URGENT),
        ("bas agrisi 2 days, paracetamol not help, getting stronger, 32 weeks", Level.EMERGENCY),
    ],
)
def test_negations_ages_and_words_of_more_languages(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        "wo bu xiang huo le, so tired of everything",
        "my family would be more peaceful without me",
        "been googling how many paracetamol it takes",
        "found the rope in the garage and kept it in my room",
        "if this one also die, i also go with him",
        "she keeps saying 'see you all on the other side' and giving her things away",
    ],
)
def test_thoughts_of_harm_said_indirectly(engine: Engine, text: str) -> None:
    assert engine.urgency.detect(text).level == Level.CRISIS


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("मुझे बहुत खून आ रहा है", Level.EMERGENCY),  # Hindi: a lot of blood
        ("खून नहीं आ रहा, दर्द भी नहीं, बस पूछना था", Level.NONE),  # no blood, no pain
        ("পানি ভেঙে গেছে, ২২ সপ্তাহ", Level.EMERGENCY),  # Bengali: waters broke, 22 weeks
        ("রক্ত বা ব্যথা কিছুই না, শুধু জানতে চাই", Level.NONE),  # neither blood nor pain
        ("बाळाची हालचाल जाणवत नाही", Level.EMERGENCY),  # Marathi: movements not felt
        ("ਬਹੁਤ ਖੂਨ ਪੈ ਰਿਹਾ ਹੈ", Level.EMERGENCY),  # Punjabi: heavy bleeding
        ("માથું બહુ દુખે છે અને ઝાંખું દેખાય છે", Level.EMERGENCY),  # Gujarati: headache, blurry
        ("मेरो टाउको धेरै दुखेको छ र आँखा धमिलो देखिन्छ", Level.EMERGENCY),  # Nepali: the same
        ("टांका लगाते समय बेहोश करते हैं क्या?", Level.NONE),  # "put under" for a stitch
        ("मन करता है सब खत्म कर दूँ", Level.CRISIS),  # "I feel like ending it all"
        # What happens in general is asked, not reported; her own pain is reported.
        ("দুর্বল জরায়ুমুখ হলে কি পেটে ব্যথা হয়?", Level.NONE),  # "does a weak cervix give pain?"
        ("कमकुवत गर्भाशयात रक्तस्राव होतो का?", Level.NONE),  # Marathi: "does it bleed?"
        ("আমার পেটে ব্যথা হয়, এটা কি স্বাভাবিক?", Level.URGENT),  # "I get pain, is it normal?"
        ("ਮੈਨੂੰ ਖੂਨ ਆ ਰਿਹਾ, ਕੀ ਇਹ ਆਮ ਹੈ?", Level.URGENT),  # "I'm bleeding, is it normal?"
    ],
)
def test_signs_typed_in_indic_scripts_are_read(engine: Engine, text: str, level: Level) -> None:
    answer = engine.answer(text)
    assert answer.level is level
    # The FAQ is English: the prompt or the notice, never an answer picked from a few letters.
    assert answer.match is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("بدي اقتل حالي", Level.CRISIS),  # Levantine: "I want to kill myself"
        ("الكل أحسن بدوني", Level.CRISIS),  # "everyone is better off without me"
        ("دل کرتا ہے بچے کو نقصان پہنچا دوں", Level.CRISIS),  # Urdu "I feel like" is not the heart
        ("خدا مجھے اٹھا لے", Level.CRISIS),  # "may God take me"
        ("ما في نزيف بس المية عم تنزل مني", Level.EMERGENCY),  # "no bleeding, but water"
        ("في حملي الأول ما صار شي، بس هلأ نازل مني دم كتير", Level.EMERGENCY),  # "but now"
        ("المويه نزلت مني وأنا بالأسبوع ٢٢", Level.EMERGENCY),  # Gulf "water"
        ("من باردارم و خونریزی شدید دارم", Level.EMERGENCY),  # Persian: severe bleeding
        ("مجھے خون نہیں آ رہا", Level.NONE),  # Urdu: "I am not bleeding"
        ("نل سے پانی ٹپک رہا ہے", Level.NONE),  # Urdu: the tap is dripping
        ("في المسلسل البطلة أغمي عليها", Level.NONE),  # the heroine of a series fainted
        ("ছবিতে নায়িকা অজ্ঞান হয়ে গেল", Level.NONE),  # the same in a Bengali film
    ],
)
def test_signs_typed_in_the_arabic_alphabet_are_read(
    engine: Engine, phrases: Engine, text: str, level: Level
) -> None:
    assert phrases.answer(text).level is level
    assert engine.answer(text).level >= level  # the scorers only raise


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("no bleeding or pain but water is coming out of me", Level.EMERGENCY),
        ("mujhe khoon nahi aa raha, bas puchna tha", Level.NONE),  # "nahi" inside the phrase
        ("I have severe bleeding", Level.EMERGENCY),
        ("my husband's gun is in the drawer and i can't stop thinking about it", Level.CRISIS),
        ("been looking up how many of my sertraline it would take", Level.CRISIS),
        ("when he won't stop crying I want to shake him till he's quiet", Level.CRISIS),
        ("the scan made me sob happy tears", Level.NONE),  # "sob" is not short of breath
        ("this baby is gonna be the death of me, kicking all night lol", Level.NONE),
        (
            "My granddaughter wants to dye her hair for her baby shower and her mother says the "
            "chemicals will harm the baby.",
            Level.NONE,
        ),
    ],
)
def test_findings_of_a_fresh_pair_of_eyes(engine: Engine, text: str, level: Level) -> None:
    assert engine.urgency.detect(text).level is level


def test_a_range_of_weeks_in_a_general_question_is_not_the_writers_week(engine: Engine) -> None:
    detect = engine.urgency.detect
    assert detect("does spotting around 14-16w point toward cervical incompetence?").level == 0
    assert detect("is spotting between 14 and 16 weeks a sign of a weak cervix?").level == 0
    # Her own week, or "is it normal", still makes it a report.
    assert detect("I'm spotting around 15 weeks, is that a sign of a weak cervix?").level
    assert detect("is it normal to be spotting at 16 weeks").level
    assert detect("Is spotting a sign of a weak cervix? I'm about 16 weeks.").level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Thoughts of harm told of in the past, and said to be over: history.
        (
            "Two years ago, after my miscarriage, I had thoughts of ending my life. I got "
            "treatment and I'm well now. Does a D&C weaken the cervix?",
            Level.NONE,
        ),
        (
            "back in 2021 i wanted to die for a while but therapy helped and im in a good "
            "place. whats a cerclage",
            Level.NONE,
        ),
        # ... but not when the message says they are back, or still there.
        (
            "Two years ago I had thoughts of ending my life. I got treatment, but lately "
            "they are coming back.",
            Level.CRISIS,
        ),
        (
            "last year I wanted to die, therapy helped but I still think about it",
            Level.CRISIS,
        ),
        # Not dated to the past: a crisis, whatever else the message says.
        ("I want to die. I got help before but it's no use", Level.CRISIS),
        ("i'm in a good place with my job but i want to end my life", Level.CRISIS),
    ],
)
def test_a_past_crisis_said_to_be_over_is_history(engine: Engine, text: str, level: Level) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # What has the sign, right before "is", "keeps", "was"...: something else.
        ("the garden hose is leaking water everywhere", Level.NONE),
        ("our old boiler keeps bleeding air, the engineer is coming", Level.NONE),
        ("the sponge cake was bulging out of the tin", Level.NONE),
        # ... but not the writer's body, the baby, a small word or a woman who may be pregnant.
        ("my tummy is cramping on and off", Level.URGENT),
        ("bump has been rock hard every 5 minutes", Level.EMERGENCY),
        ("it is trickling down my leg", Level.EMERGENCY),
        ("my sister is bleeding, she's 19 weeks", Level.URGENT),
        # Where the writer's sign shows is not what has it.
        ("the toilet is full of blood", Level.EMERGENCY),
        ("the towel is soaked in blood", Level.EMERGENCY),
        # Only the sign right after the verb: a later one is the writer's.
        ("the appointment is tomorrow, bleeding since this morning", Level.URGENT),
    ],
)
def test_what_has_the_sign_is_read_from_the_word_before_its_verb(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Clinical shorthand for fetal movements and leaking fluid, arrows included.
        ("pt c/o ↓FM since am", Level.EMERGENCY),
        ("c/o decreased FM 28/40", Level.EMERGENCY),
        ("nil FMs since 0600", Level.EMERGENCY),
        ("pt c/o LOF 20/40", Level.EMERGENCY),
        ("+FM, no bleeding, what is a cerclage", Level.NONE),
        # Everyday words that are no thought of harm...
        ("cut myself shaving, what's a cerclage", Level.NONE),
        ("I overdosed on chocolate, who wrote this", Level.NONE),
        ("what's the overdose risk with anesthesia", Level.NONE),
        ("I just want to disappear into bed for a week lol", Level.NONE),
        # ... while the thoughts themselves still are.
        ("i cut myself on purpose last night", Level.CRISIS),
        ("i want to take an overdose", Level.CRISIS),
        ("i want to disappear and never come back", Level.CRISIS),
        ("I want to go to sleep and not come back", Level.CRISIS),
    ],
)
def test_what_a_fresh_pair_of_eyes_found_in_the_fourteenth_round(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level is level


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("pelvic pressure, 18/40, worse on standing", True),
        ("client 36+1 reports reduced FMs", True),
        ("16+3/40, some pink discharge", True),
        ("pelvic pressure, worse on standing", False),
        # Not weeks of pregnancy: a blood pressure, sums, a week past term.
        ("bp 120/80 and some pressure", False),
        ("2+2 pressure", False),
        ("45+1 pressure", False),
    ],
)
def test_a_week_written_as_clinicians_do_places_the_sign_now(
    engine: Engine, text: str, now: bool
) -> None:
    assert engine.urgency.told_as_now(text) is now


@pytest.mark.parametrize(
    ("text", "level", "history"),
    [
        # Signs told before a clause that says they are over: history, and a note.
        ("cramping on friday, went to triage, cervix closed, nothing since", Level.NONE, True),
        (
            "I passed out at the gym at 11 weeks. Bloods were fine and it hasn't happened "
            "again. What is a cerclage?",
            Level.NONE,
            True,
        ),
        ("a fever of 38.5 at 9 weeks, antibiotics, all cleared up now", Level.NONE, True),
        # What the message tells after that clause is read as happening...
        (
            "spotting at 12 weeks, all fine since, but I'm soaking a pad an hour",
            Level.EMERGENCY,
            True,
        ),
        # ... and a sign said to be back is a report, in the clause or after it.
        ("spotting at 12 weeks, nothing since until it came back this week", Level.URGENT, False),
        ("had cramps last week, nothing since. Now they are back again", Level.URGENT, False),
        # A sign of these hours is not over: "nothing since" may be the baby not moving.
        ("few drops of blood this morning, nothing since", Level.URGENT, False),
        ("baby barely moved today, nothing since breakfast", Level.EMERGENCY, False),
        # "not since" is not one of them: it is how a baby not moving is told.
        ("baby was kicking at breakfast, not since", Level.EMERGENCY, False),
        # Thoughts of harm are never over this way.
        ("I want to die. Nothing since has helped", Level.CRISIS, False),
        # A sign placed weeks back, seen to, and said to be over in words as weak as "all ok"
        # or "gone": history.
        ("bled a bit last week, seen by doc, all ok now", Level.NONE, True),
        (
            "I fainted at 9 weeks, got checked over, low blood sugar, no more dizzy spells. "
            "16 weeks today",
            Level.NONE,
            True,
        ),
        ("at 12 weeks I had spotting, scan was perfect, it stopped. 20 weeks", Level.NONE, True),
        # What follows is read as happening now.
        (
            "had spotting at 12 weeks, went in, scan fine, it stopped. now at 16 weeks I have "
            "cramps",
            Level.URGENT,
            True,
        ),
        # Not weeks back: the same week, or no week and no "last week".
        ("spotting at 16 weeks, scan was fine, it stopped. 16 weeks now", Level.URGENT, False),
        ("bled a bit, seen by doc, all ok now", Level.URGENT, False),
        # Not seen to.
        ("bled a bit last week, all ok now", Level.URGENT, False),
        # Going on, or back.
        ("bleeding since 12 weeks, scan was fine, 16 weeks now", Level.URGENT, False),
        ("spotting at 12 weeks, scan fine, stopped, still cramps. 16 weeks", Level.URGENT, False),
        (
            "at 14 weeks I had spotting, scan fine, stopped. 17 weeks now and bleeding again",
            Level.URGENT,
            False,
        ),
    ],
)
def test_signs_told_before_they_are_said_to_be_over_are_history(
    engine: Engine, text: str, level: Level, history: bool
) -> None:
    urgency = engine.urgency.detect(text)
    assert (urgency.level, urgency.history) == (level, history), urgency


@pytest.mark.parametrize(
    "text",
    [
        "what does cerclage mean? i'm bleeding heavily",
        "what does a stitch mean, I am really leaking",
        "im still spotting, what does DES mean",
    ],
)
def test_a_sign_the_writer_says_is_happening_to_her_is_never_calmed(
    engine: Engine, text: str
) -> None:
    assert engine.urgency._self_now(text)
    urgency = engine.urgency.detect(text)
    assert urgency.level >= Level.URGENT and urgency.calmed == ()


@pytest.mark.parametrize(
    "text",
    ["I'm reading about bleeding in pregnancy", "im moving house and the pen is leaking", "im ok"],
)
def test_i_am_and_a_word_that_is_no_sign_is_not_the_writer_s_sign(
    engine: Engine, text: str
) -> None:
    assert not engine.urgency._self_now(text)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A checklist or a log that denies its signs: a denial.
        ("Bleeding: none. Cramps: none. Fluid: no.", Level.NONE),
        ("checklist 20w: spotting ✗ cramps ✗ leaking ✗", Level.NONE),
        ("vb nil, ctx nil, lof nil", Level.NONE),
        ("pain 0/10, bleeding none. what is a cerclage?", Level.NONE),
        ("- bleeding: no\n- cramps: no\n- fluid: none", Level.NONE),
        # Any other one-word value is read with its item.
        ("Bleeding: heavy. Cramps: yes.", Level.EMERGENCY),
        # A denial of one item never runs on to the next.
        ("cramps: none, bleeding: heavy", Level.EMERGENCY),
        ("bleeding ❌ cramps ✅", Level.URGENT),
        ("spotting: no, fluid: leaking since 6am", Level.EMERGENCY),
        # An item said to be as usual is no sign, and movements as usual are not "no
        # movements"; the other items are still read.
        ("Discharge: normal", Level.NONE),
        ("Temp: normal, no fever", Level.NONE),
        ("movements: normal, kicks - good", Level.NONE),
        ("Discharge: normal. Bleeding: heavy", Level.EMERGENCY),
        ("contractions: regular, every 5 min", Level.EMERGENCY),
        ("is my discharge normal? it's brown today", Level.URGENT),
        # No movement is the sign itself.
        ("kicks: 0", Level.EMERGENCY),
        ("Kicks: 0 today", Level.EMERGENCY),
        ("Fetal movements: 0 since morning", Level.EMERGENCY),
        ("Bleeding: none since the scan", Level.NONE),
        ("baby movements today: none", Level.EMERGENCY),
        # The value must end its clause, and the item open one.
        ("Bleeding: none until an hour ago, now soaking a pad", Level.EMERGENCY),
        ("cramps - no idea what they are but they hurt", Level.URGENT),
        ("My blood group is O negative, is that a risk for my baby?", Level.NONE),
        # A temperature reading under 38 °C (100.4 °F) is no fever...
        ("Temp 36.5", Level.NONE),
        ("Temp 37.1, BP 118/76, kicks ok", Level.NONE),
        ("temp 99.1F, feeling fine", Level.NONE),
        # ... one at or over it is
        ("temp 38.4 since last night", Level.URGENT),
        ("temperature of 101 F", Level.URGENT),
        ("Temp: 38,2°C", Level.URGENT),
        # ... and a normal reading hides no other sign.
        ("temperature 36.9 but chills all night", Level.URGENT),
        ("I have a temperature", Level.URGENT),
    ],
)
def test_a_checklist_that_denies_its_signs_is_a_denial(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Portuguese, French, Spanish and Italian words read through languages.yaml
        ("a bolsa estourou agora, estou com 22 semanas", Level.EMERGENCY),
        ("meu bebê não mexe desde ontem", Level.EMERGENCY),
        ("j'ai des saignements depuis ce matin, 16 semaines", Level.URGENT),
        ("tengo fiebre y escalofríos desde anoche", Level.URGENT),
        ("ho un mal di testa fortissimo e vedo le stelline", Level.EMERGENCY),
        # ... with the same care for denials and someone else
        ("sem febre, sem dor, tudo bem. o que é cerclagem?", Level.NONE),
        ("meu cachorro está sangrando da pata", Level.NONE),
        # The red flags' own phrases in those languages still read the words as written.
        ("ya no puedo mas, mi familia estaria mejor sin mi", Level.CRISIS),
        # Tagalog and Cebuano
        ("dumudugo ako, 18 weeks", Level.URGENT),
        ("pumutok ang panubigan ko, 22 weeks", Level.EMERGENCY),
        ("hindi gumagalaw si baby simula kagabi", Level.EMERGENCY),
        ("nilalagnat ako at giniginaw, 20 weeks", Level.URGENT),
        ("gusto ko nang mamatay", Level.CRISIS),
        # ... "[person] ko" is "my [person]": her sign, not the writer's
        ("yung sister ko nahihilo sa init, hindi siya buntis", Level.NONE),
        ("salamat po sa info, laking tulong", Level.NONE),
        ("Gusto nako patyon akong kaugalingon", Level.CRISIS),
        ("Dili na molihok akong baby karon", Level.EMERGENCY),
        ("Nahulog ako sa hagdan kanina, 23 weeks", Level.EMERGENCY),
        ("Mamatay ko sa kakatawa ani nga video haha", Level.NONE),
    ],
)
def test_signs_in_other_languages_written_in_latin_letters(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A sign asked alone and answered "no" is denied...
        ("Bleeding? Nope. Cramps? No. Just curious what a cerclage is", Level.NONE),
        # ... but not when the answer says more.
        ("Bleeding? No, worse, it's gushing out", Level.EMERGENCY),
        ("Any bleeding? Yes. Lots.", Level.URGENT),
        # A sign asked in a word after a question about signs in general is general too...
        ("What are the signs of a weak cervix? Spotting? Backache?", Level.NONE),
        # ... not after a report.
        ("I'm 18 weeks and something feels off. Spotting? Is that bad?", Level.URGENT),
        # A clause dated to a past year stays past, even with "started" in it...
        ("My first was born in 2020 after contractions started at 33 weeks", Level.NONE),
        # ... unless it says "now" or "today" itself.
        ("I lost one in 2019 and today the contractions started again", Level.EMERGENCY),
    ],
)
def test_answers_bare_questions_and_dated_clauses(
    phrases: Engine, text: str, level: Level
) -> None:
    assert phrases.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A sentence told in the past tense goes on with the past year of the one before...
        ("Lost a baby in 2018. Bleeding for two days and then it was over. What is a cerclage?",
         Level.NONE),
        # ... but "with my first" (this pregnancy) or "an hour ago" date nothing after them.
        ("I'm 17 weeks with my first. An hour ago there was a gush of water down my legs",
         Level.EMERGENCY),
        ("Lost a baby in 2018. The bleeding was heavy this morning, what do I do",
         Level.EMERGENCY),
        # A short sentence after a sign can say it was no report.
        ("Opened the electricity bill and had chest pains. Figuratively. What's a cerclage?",
         Level.NONE),
        ("My cousin gets awful migraines. She's not pregnant. Is a weak cervix inherited?",
         Level.NONE),
        # What someone asked the writer is not what she reports.
        ("my mum asked if I was bleeding because I looked pale, I'm not. who wrote this?",
         Level.NONE),
    ],
)
def test_sentences_that_date_or_unsay_the_one_before(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Read in English, a past pregnancy, someone else or a denial in another language
        # keeps the bot calm, though the words as written name a sign...
        ("Lors de ma dernière grossesse j'ai eu des contractions à 22 semaines", Level.NONE),
        # ... while a phrase of the red flags in that language still counts.
        ("je suis tombée dans les pommes deux fois aujourd'hui, enceinte de 19 semaines",
         Level.EMERGENCY),
        ("Je perds les eaux, 23 semaines", Level.EMERGENCY),
        # Findings of a fresh pair of eyes: thoughts of harm in plain words.
        ("I feel like giving up on life", Level.CRISIS),
        ("Sometimes I think about not waking up tomorrow", Level.CRISIS),
        ("I think about dying a lot lately", Level.CRISIS),
    ],
)
def test_the_english_reading_of_other_languages_and_plain_thoughts_of_harm(
    engine: Engine, text: str, level: Level
) -> None:
    assert engine.urgency.detect(text).level == level


def test_the_english_reading_of_a_past_pregnancy_keeps_the_phrases_calm(engine: Engine) -> None:
    phrases = Engine(engine.content, scorers=()).urgency
    found = phrases.detect("En mi embarazo anterior se me rompió la fuente a las 21 semanas")
    assert (found.level, found.history) == (Level.NONE, True)
    # The emergency scorer of the thirteenth round reads it at 0.74, over its 0.70: a known
    # false alarm ("water", "broke", "21 weeks" outweigh "last pregnancy"). Scorers still read
    # signs the phrases take for the past: in the training splits they find five real reports
    # so taken ("same as last time… 16 weeks"); outside them, two false alarms and no report.


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # The wife of someone else is someone else...
        ("Our pastor's wife is in the hospital with pneumonia and trouble breathing, please pray",
         Level.NONE),
        # ... unless the sentence says she is the pregnant one written about.
        ("my son's girlfriend is 20 weeks and bleeding", Level.URGENT),
        ("my brother's wife is pregnant and her waters just broke", Level.EMERGENCY),
    ],
)
def test_someone_elses_partner(engine: Engine, text: str, level: Level) -> None:
    assert engine.urgency.detect(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A denied list goes on over list words ("or any")...
        ("I don't have a fever or any pain, I just want to know about the anesthesia", Level.NONE),
        # ... and not over other words.
        ("I don't have a fever but any pain I get is sharp and constant", Level.EMERGENCY),
    ],
)
def test_a_denied_list_goes_on_over_list_words(engine: Engine, text: str, level: Level) -> None:
    assert engine.urgency.detect(text).level == level
