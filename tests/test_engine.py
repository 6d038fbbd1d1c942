"""Engine behaviour: replies for greetings, no-match suggestions, topic answers and notices."""

from __future__ import annotations

import pytest

from faq import Engine, Level, SectionKind


@pytest.mark.parametrize("text", ["hi", "thanks!!", "ok", "hello?"])
def test_a_message_with_no_topic_gets_a_friendly_pointer(engine: Engine, text: str) -> None:
    answer = engine.answer(text)

    body = next(s for s in answer.sections if s.kind is SectionKind.NO_MATCH)
    assert (answer.match, body.text) == (None, engine.content.texts.get("no_topic"))
    assert answer.suggestions


def test_an_unanswerable_question_gets_the_no_match_text(engine: Engine) -> None:
    answer = engine.answer("can i eat sushi while pregnant")

    body = next(s for s in answer.sections if s.kind is SectionKind.NO_MATCH)
    assert (answer.match, body.text) == (None, engine.content.texts.no_match)


def test_no_match_offers_the_closest_topics_first(engine: Engine) -> None:
    answer = engine.answer("what is a pap smear test for cervical cancer screening")

    assert answer.match is None
    assert answer.suggestions[0].id == "cervical-trauma"


def test_reply_sections_come_in_the_safe_order(engine: Engine) -> None:
    answer = engine.answer("im spotting, what is a cerclage?")

    kinds = [section.kind for section in answer.sections]
    assert kinds == [
        SectionKind.URGENT,
        SectionKind.ANSWER,
        SectionKind.PROVIDER,
        SectionKind.DISCLAIMER,
    ]


def test_topic_answer_for_a_button(engine: Engine) -> None:
    answer = engine.entry_answer("cerclage")

    assert answer is not None
    assert answer.entry is not None and answer.entry.id == "cerclage"
    assert answer.level == Level.NONE
    assert answer.reply.endswith(engine.content.texts.disclaimer)


def test_unknown_notice_key_falls_back_to_the_error_text(engine: Engine) -> None:
    answer = engine.notice("no-such-text")

    assert answer.sections[0].text == engine.content.texts.error
    assert answer.reply.endswith(engine.content.texts.disclaimer)


def test_typos_slang_and_synonyms_are_understood(engine: Engine) -> None:
    texts = ("wats a cerclarge", "r u awake when they do the stitch", "stitch??")
    found = {text: engine.answer(text).match for text in texts}
    assert {text: match.id if match else None for text, match in found.items()} == {
        "wats a cerclarge": "cerclage",
        "r u awake when they do the stitch": "cerclage-anesthesia",
        "stitch??": "cerclage",
    }


@pytest.mark.parametrize(
    "text", ["can I paint the nursery", "cervical vertebrae", "how do I reset my phone"]
)
def test_off_topic_and_near_miss_messages_get_no_match(engine: Engine, text: str) -> None:
    answer = engine.answer(text)

    assert answer.match is None
    assert answer.suggestions
