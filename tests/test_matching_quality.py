"""Matching quality, measured on labelled messages written independently of the FAQ.

The corpus (``tests/data/corpus``) was written by independent writers, each in their own voice,
who saw only the article and the topic list, never the FAQ. It is split by writer:

* ``bank``: the phrasing bank; it feeds the FAQ (``scripts/build_phrasing_bank.py``), so it is
  not a measure;
* ``dev``: the development split, read and tuned on; the targets are asserted here;
* ``check``: three more writers, added during development to see whether a change carried over
  to new voices (its misses were read for warning signs, its figures watched for matching);
* ``sealed``: three writers whose messages nobody read; reported at the end of a piece of work
  (``benchmarks/eval_matching.py tests/data/corpus/sealed --by writer``), never tuned on and
  never asserted here;
* ``sealed2``: three more unread writers, written after ``sealed`` had been measured, so that
  the changes made after that measurement are measured on voices nobody tuned on either;
* ``check2``: three writers (Hinglish, the US South, British teens) added near the end of a
  session; only their figures were looked at, never their messages;
* ``check3``: one writer of warning signs in Polish, Romanian, Swiss German, Turkish, Malay
  and Indonesian, and Swahili, mixed with English: measured unread before the word tables of
  those languages were added (17.4% flagged), and after (71.4%); its misses and false alarms
  were read once, not tuned on; held at floors;
* ``check4``: three writers of the fifteenth round (whose sign is it: other people's,
  animals' and machines' signs from pregnant writers who name their own weeks, and the same
  sentence shapes for her own signs; calm messages; thoughts of harm in new voices),
  measured unread, then read; kept out of the scorers' training; held at floors;
* ``sealed3``: three more unread writers (Caribbean English, Gen-Z texting, husbands writing
  for their wife), written in the session that added three more ``dev`` writers
  (``d2_*``), measured before and after that session's changes.
* ``sealed4``: two unread writers (Hinglish from Pune, a truck driver dictating by voice),
  written with the ``d3_*`` development writers (Hinglish warning signs, run-on stories),
  measured before and after the changes tuned on those.
* ``sealed5``: three unread writers (formal e-mails, Kiwi texting, Roman Urdu with Deccani),
  written after ``sealed4`` was measured, and measured before and after the changes that
  followed (long sentences read in pieces, ages as history, a few Urdu words).
* ``sealed6``: three unread writers (Roman Hindi from Bihar, French-speaking Cameroon, Mandarin
  speakers typing through a translation app), written with the ``d5_*`` development writers
  (Hinglish warning signs, long posts) and measured before and after the changes tuned on them.
* ``sealed7``: three unread writers (Nigerian and Ghanaian Pidgin, Arabic speakers' English,
  fathers texting for their partner), written at the end of the round that ``sealed6``
  measured, after its last change, and measured once.
* ``sealed8``: four unread writers (Brazilian Portuguese speakers' English, Somali English,
  a Deaf writer's ASL-ordered English, and a writer of thoughts of self-harm in many voices),
  written at the start of the round that added the ``d9_*`` development writers (Arabic
  speakers' warning signs, crises, long e-mails), measured before and after its changes.
* ``sealed9``: five unread writers (Malaysian and Singaporean English, German and Dutch
  speakers' English, messages typed in Arabic, Urdu, Devanagari and Bengali script, a writer of
  thoughts of self-harm in many voices, and calm messages full of sign words), written at the
  start of the round that read other scripts (the ``d14_*`` development writers), measured
  before and after its changes.
* ``sealed10``: five unread writers (French and Haitian Creole speakers' English, chatty small
  talk, Deaf writers' sign-language English, thoughts of self-harm in new voices, calm
  messages), written at the start of the round that read other languages in Latin letters.
* ``sealed11``: five unread writers (two of thoughts of self-harm in new and euphemistic
  voices, calm messages, East Asian speakers' warning signs, South African and Zimbabwean
  English), written at the start of the round that added the learnt scorers (faq/scorer.py),
  measured before any change and at its end.
* ``sealed12``: five unread writers (forum regulars' acronyms, Mexican and Central American
  learners' English, Eastern European and Turkish speakers' warning signs, thoughts of
  self-harm in new voices, calm messages), written at the start of the twelfth round and
  measured before any change and at its end.
* ``sealed13``: five unread writers (East Asian learners' and machine-translated English,
  autocorrect slips, voice-to-text and gender-neutral words, stoic and metaphorical warning
  signs, thoughts of self-harm in flat, devout, teen and bilingual voices, calm messages),
  written at the start of the thirteenth round and measured before any change and at its end.
* ``sealed14``: five unread writers (spelling by ear, frustrated and rude users with venting
  before the question, warning signs logged in numbers and told in East African English,
  thoughts of self-harm in Nordic, Irish, Brazilian, Russian, Chinese, devout and hinting
  voices, calm messages), written at the start of the fourteenth round and measured before any
  change and at its end.
* ``sealed15``: five unread writers (dyslexic typing with swapped, dropped and doubled letters,
  Scots, Geordie, Welsh, Irish and Scouse English with NHS words, warning signs told by
  minimizers, thoughts of self-harm in Spanglish, Southern, Australian, ironic, IVF, loss,
  controlled and teen voices, calm messages from nurses, vets, gamers and others), written at
  the start of the fifteenth round and measured before any change and at its end.
* ``sealed16``: five unread writers (Black American women texting in African American
  Vernacular English, Turkish, Persian and Kurdish speakers' English, warning signs logged like
  a tracker app with times, counts and readings, thoughts of self-harm in ten new voices,
  calm messages from a plumber, a mechanic, a chef, a doula and others), written at the start
  of the sixteenth round and measured before any change and at its end.
* ``sealed17``: five unread writers (Filipino Taglish, South Indian English from Tamil,
  Telugu, Kannada and Malayalam speakers, signs told with their time, past, present or
  supposed, thoughts of self-harm in ten new voices, calm messages from a seamstress, a
  firefighter, a dentist, a surfer and others), written at the start of the seventeenth round
  and measured before any change and at its end.
* ``sealed18``: five unread writers (Kenyan, Ugandan and Tanzanian English with Swahili and
  Sheng words, Iranian and Afghan English with Finglish, "whose sign is it?" messages from a
  farmer, a ward nurse, a mechanic, a zookeeper and others, thoughts of self-harm told
  indirectly in ten new voices, calm messages from a sommelier, a plumber, a vet and others),
  written at the start of the eighteenth round and measured before any change and at its end.

The older sets (``dev_set``, ``test_set``, ``holdout2``, ``holdout3``) come from earlier writers
and keep floors that catch regressions.
"""

from __future__ import annotations

import pytest
import yaml

from faq import Engine, Level
from faq.evaluation import Case, Outcome, Report, evaluate, load_cases, load_split
from faq.scripts import in_other_script
from faq.text import words
from tests.conftest import DATA, NEWEST_DEV_WRITERS, OTHER_SCRIPT_DEV_WRITERS

CORPUS = DATA / "corpus"
OLD_SETS = ["dev_set", "test_set", "holdout2", "holdout3"]


@pytest.fixture(scope="module")
def dev_cases() -> list[Case]:
    return load_split(CORPUS / "dev")


@pytest.fixture(scope="module")
def dev_report(engine: Engine, dev_cases: list[Case]) -> Report:
    """The development split without its newest writers: the targets are asserted on it."""
    newer = NEWEST_DEV_WRITERS | OTHER_SCRIPT_DEV_WRITERS
    return evaluate(engine, [c for c in dev_cases if c.writer not in newer])


@pytest.fixture(scope="module")
def newest_report(engine: Engine, dev_cases: list[Case]) -> Report:
    """The newest development writers alone (see NEWEST_DEV_WRITERS)."""
    return evaluate(engine, [c for c in dev_cases if c.writer in NEWEST_DEV_WRITERS])


def _unlisted_misses(report: Report) -> list[str]:
    """The reports a report's writers miss (or put under their level) that known_misses.yaml
    does not list with a reason."""
    known = {item["text"] for item in yaml.safe_load((DATA / "known_misses.yaml").read_text())}
    return [
        o.case.text
        for o in report.outcomes
        if o.case.level not in (Level.NONE, None) and not o.level_ok and o.case.text not in known
    ]


def _misses(outcomes: list[Outcome]) -> str:
    return "\n".join(f"{o.case.text!r}: expected {o.case.expected}, got {o.got}" for o in outcomes)


def test_corpus_has_1500_messages_from_at_least_five_writers_per_split_by_writer() -> None:
    names = (
        "bank", "dev", "check", "check2", "check3", "check4", "sealed", "sealed2", "sealed3",
        "sealed4", "sealed5",
        "sealed6", "sealed7", "sealed8", "sealed9", "sealed10", "sealed11", "sealed12",
        "sealed13", "sealed14", "sealed15", "sealed16", "sealed17", "sealed18",
    )
    splits = {name: load_split(CORPUS / name) for name in names}
    writers = {name: {case.writer for case in cases} for name, cases in splits.items()}
    assert sum(map(len, splits.values())) >= 1500
    assert len(set().union(*writers.values())) >= 5
    # No writer is in two splits: a voice is either tuned on or measured, never both.
    overlaps = [(a, b) for a in names for b in names if a < b and writers[a] & writers[b]]
    assert overlaps == []


def test_dev_split_covers_every_topic_and_kind(engine: Engine, dev_cases: list[Case]) -> None:
    expected = {case.expected for case in dev_cases if case.kind == "in_scope"}
    kinds = {case.kind for case in dev_cases}
    assert expected == {entry.id for entry in engine.topics}
    assert kinds == {
        "in_scope",
        "out_of_scope",
        "near_miss",
        "warning",
        "crisis",
        "general_symptom",
        "history",
        "denial",
        "other_meaning",
    }


def test_hardly_any_measured_message_is_word_for_word_in_the_faq(engine: Engine) -> None:
    """Short messages ("weak cervix", "who wrote this") may happen to equal an FAQ phrasing,
    as they would from real users; more than a few would mean the FAQ was fitted to the
    sets (the phrasing bank never holds a measured message: its builder leaves them out)."""
    faq_phrasings = {
        " ".join(words(text))
        for entry in engine.topics
        for text in (*entry.phrasings, *entry.keywords)
    }
    names = (
        "dev", "check", "check2", "check3", "check4", "sealed", "sealed2", "sealed3", "sealed4",
        "sealed5",
        "sealed6", "sealed7", "sealed8", "sealed9", "sealed10", "sealed11", "sealed12",
        "sealed13", "sealed14", "sealed15", "sealed16", "sealed17", "sealed18",
    )
    measured = [load_split(CORPUS / name) for name in names]
    measured += [load_cases(DATA / f"{name}.yaml") for name in OLD_SETS]
    for cases in measured:
        # A message in another script is not a copy: its only Latin word may be "cervix".
        copied = [
            case
            for case in cases
            if " ".join(words(case.text)) in faq_phrasings and not in_other_script(case.text)
        ]
        assert len(copied) <= 0.015 * len(cases), [case.writer for case in copied]


def test_dev_top1_accuracy_in_scope_is_at_least_92_percent(dev_report: Report) -> None:
    misses = [o for o in dev_report.in_scope if o.got != o.case.expected]
    assert (dev_report.top1_accuracy or 0) >= 0.92, _misses(misses)


def test_dev_off_topic_and_near_miss_get_no_answer_at_least_92_percent(
    dev_report: Report,
) -> None:
    wrong = [o for o in dev_report.out_of_scope if o.got is not None]
    assert (dev_report.no_match_rate or 0) >= 0.92, _misses(wrong)


def test_every_dev_writer_gets_at_least_85_percent_top1(dev_report: Report) -> None:
    by_writer = {
        name: part.top1_accuracy
        for name, part in dev_report.split(lambda c: c.writer).items()
        if part.in_scope  # the warning-sign writers wrote no topic questions
    }
    assert len(by_writer) >= 3
    assert all((rate or 0) >= 0.85 for rate in by_writer.values()), by_writer


def test_dev_reports_are_flagged_at_their_level(dev_report: Report) -> None:
    """Every report but the documented known misses (test_safety.py checks those)."""
    known = {item["text"] for item in yaml.safe_load((DATA / "known_misses.yaml").read_text())}
    missed = [
        o.case.text
        for o in dev_report.outcomes
        if o.case.level not in (Level.NONE, None) and not o.level_ok
    ]
    assert set(missed) <= known, missed


def test_dev_false_alarms_at_most_2_percent(dev_report: Report) -> None:
    alarms = [o.case.text for o in dev_report.outcomes if o.level and o.case.level is Level.NONE]
    assert (dev_report.false_alarm_rate or 0) <= 0.02, alarms


def test_newest_dev_writers_hold_their_floors(newest_report: Report) -> None:
    """Floors a little under the figures of the newest writers (Hinglish and Roman Urdu
    warning signs, run-on stories and forum posts, Roman Hindi questions, learners of English,
    Arabic speakers' warning signs, thoughts of harm in many voices, long e-mails) at the end of
    the rounds that added them, and the warning signs of the US South, teenagers, grandmothers
    and Slavic and Romanian speakers' English, two more writers of thoughts of harm, two
    writers of calm messages full of sign words and one of Chinese, Japanese, Turkish, Welsh,
    Texan and Pacific voices, and in the ninth round two more writers of thoughts of harm and
    one more of calm messages (flagged 99.0%, emergencies 99.3%, crises 98.3%, false alarms
    6.4%, top-1 86.5%): a regression test, not the targets, which they miss. The reports they
    miss are all in known_misses.yaml, with the reason."""
    assert _unlisted_misses(newest_report) == []
    summary = newest_report.summary()
    assert (newest_report.urgent_recall or 0) >= 0.97, summary
    assert (newest_report.recall(Level.EMERGENCY) or 0) >= 0.98, summary
    assert (newest_report.recall(Level.CRISIS) or 0) >= 0.98, summary
    assert (newest_report.false_alarm_rate or 0) <= 0.065, summary
    assert (newest_report.top1_accuracy or 0) >= 0.85, summary
    assert newest_report.disclaimer_rate == 1.0


def test_writers_in_other_scripts_hold_their_floors(engine: Engine, dev_cases: list[Case]) -> None:
    """Warning signs typed in the Arabic alphabet (Arabic dialects, Urdu, Persian, Pashto) and in
    Indic scripts (Hindi, Marathi, Nepali, Bengali, Punjabi, Gujarati), read word for word
    through faq/scripts.py and scripts.yaml. Floors a little under their figures at the end of
    the round that added them (flagged 98.0%, emergencies 97.9%, every crisis, false alarms
    5.8%); before it, 1.5% of their reports were flagged. The FAQ answers in English only, so
    top-1 is not measured on them."""
    report = evaluate(engine, [c for c in dev_cases if c.writer in OTHER_SCRIPT_DEV_WRITERS])
    assert _unlisted_misses(report) == []
    summary = report.summary()
    assert (report.urgent_recall or 0) >= 0.96, summary
    assert (report.recall(Level.EMERGENCY) or 0) >= 0.96, summary
    assert (report.recall(Level.CRISIS) or 0) >= 0.98, summary
    assert (report.false_alarm_rate or 0) <= 0.07, summary
    assert report.disclaimer_rate == 1.0


def test_every_reply_carries_disclaimer_and_provider_prompt(dev_report: Report) -> None:
    assert dev_report.disclaimer_rate == 1.0


def test_check_split_floors(engine: Engine) -> None:
    """Floors that catch a collapse on voices not tuned on; the figures are reported."""
    summary = evaluate(engine, load_split(CORPUS / "check")).summary()
    assert (summary["top1_accuracy"] or 0) >= 0.75, summary
    assert (summary["no_match_rate"] or 0) >= 0.80, summary
    assert (summary["urgent_recall"] or 0) >= 0.95, summary
    assert (summary["false_alarm_rate"] or 0) <= 0.05, summary
    assert summary["disclaimer_rate"] == 1.0, summary


def test_other_languages_check_split_floors(engine: Engine) -> None:
    """Floors just under the figures of the writer of warning signs in Polish, Romanian, Swiss
    German, Turkish, Malay and Swahili (17.4% flagged before those languages' word tables):
    they catch a collapse of the tables; the targets are far off. The false alarms moved
    between 30.8% and 32.7% (two messages) as the twelfth round's writers joined the scorers'
    training."""
    summary = evaluate(engine, load_split(CORPUS / "check3")).summary()
    assert (summary["urgent_recall"] or 0) >= 0.70, summary
    assert (summary["emergency_recall"] or 0) >= 0.64, summary
    assert (summary["false_alarm_rate"] or 0) <= 0.34, summary
    assert summary["disclaimer_rate"] == 1.0, summary


def test_whose_sign_check_split_floors(engine: Engine) -> None:
    """Floors just under the figures of the fifteenth round's three writers kept out of the
    scorers' training (whose sign is it: children's, patients', animals', machines' signs
    from pregnant writers who name their own weeks; calm messages; thoughts of harm in new
    voices). Measured unread: 60.9% and 36.9% false alarms, 46 of 60 crises. Added to the
    training, they raised the any-sign threshold to 0.94 and cost urgent reports on the
    decision splits, so they measure instead."""
    report = evaluate(engine, load_split(CORPUS / "check4"))
    summary = report.summary()
    crises = [o for o in report.outcomes if o.case.level is Level.CRISIS]
    assert sum(o.level is Level.CRISIS for o in crises) >= 44
    assert (summary["urgent_recall"] or 0) >= 0.88, summary
    assert (summary["false_alarm_rate"] or 0) <= 0.41, summary
    assert summary["disclaimer_rate"] == 1.0, summary


@pytest.mark.parametrize("name", OLD_SETS)
def test_older_set_floors(engine: Engine, name: str) -> None:
    report = evaluate(engine, load_cases(DATA / f"{name}.yaml"))
    summary = report.summary()
    assert (summary["top1_accuracy"] or 0) >= 0.85, summary
    assert (summary["no_match_rate"] or 0) >= 0.85, summary
    assert summary["urgent_recall"] == 1.0, summary
    assert summary["emergency_recall"] in (1.0, None), summary
    assert (summary["false_alarm_rate"] or 0) <= 0.03, summary
    assert summary["disclaimer_rate"] == 1.0, summary
    assert all(o.level is not Level.CRISIS for o in report.outcomes)
