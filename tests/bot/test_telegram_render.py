"""Rendering of engine answers: escaping, section order, length limits, buttons, callback data."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.constants import CallbackQueryLimit, InlineKeyboardButtonLimit, MessageLimit
from tg_checks import assert_valid_html, visible

from bot.handlers import PLACEHOLDERS, TEXT_KEYS
from bot.render import (
    ELLIPSIS,
    answer_keyboard,
    button_text,
    fill,
    parse_callback,
    render_answer,
    render_sections,
    result_id,
    start_parameter_for,
    topic_data,
    topic_from_start,
    topics_keyboard,
    utf16_len,
    visible_len,
    with_urgency,
)
from faq import Answer, Engine, Level, Match, Section, SectionKind

DISCLAIMER = Section(SectionKind.DISCLAIMER, "Not medical advice <i> & more")
PROVIDER = Section(SectionKind.PROVIDER, "Contact your healthcare provider.")
URGENT = Section(SectionKind.URGENT, "Call your doctor today.")
EMERGENCY = Section(SectionKind.EMERGENCY, "Emergency: go to hospital now.")


def answer_of(*sections: Section, level: Level = Level.NONE) -> Answer:
    return Answer("q", Match("x", "Question <x>?", 90.0), (), level, (), tuple(sections))


def test_every_faq_string_is_escaped() -> None:
    body = Section(SectionKind.ANSWER, "Use <b>bold</b> & <script>alert(1)</script>")
    text, _ = render_sections([body, PROVIDER, DISCLAIMER], heading="A & B <c>")
    assert "<script>" not in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;" in text and "A &amp; B &lt;c&gt;" in text
    assert_valid_html(text)


def test_sections_keep_the_engine_order_and_style() -> None:
    body = Section(SectionKind.ANSWER, "The answer.")
    text, _ = render_sections([EMERGENCY, body, PROVIDER, DISCLAIMER], heading="Q?")
    assert text.split("\n\n") == [
        "<b>Emergency: go to hospital now.</b>",
        "<b>Q?</b>\nThe answer.",
        "Contact your healthcare provider.",
        "<i>Not medical advice &lt;i&gt; &amp; more</i>",
    ]


def test_urgent_prompt_is_bold_and_first() -> None:
    text, _ = render_sections([URGENT, Section(SectionKind.NO_MATCH, "No answer."), DISCLAIMER])
    assert text.startswith("<b>Call your doctor today.</b>\n\n")


def test_short_reply_is_not_shortened() -> None:
    text, shortened = render_sections([Section(SectionKind.ANSWER, "short"), DISCLAIMER])
    assert not shortened and "short" in text


def test_too_long_answer_is_shortened_in_the_answer_only() -> None:
    long_answer = ("word " * 2000).strip()
    sections = [URGENT, Section(SectionKind.ANSWER, long_answer), PROVIDER, DISCLAIMER]
    text, shortened = render_sections(sections, heading="Q?")
    assert shortened
    assert visible_len(text) <= MessageLimit.MAX_TEXT_LENGTH
    parts = visible(text).split("\n\n")
    assert parts[0] == URGENT.text
    assert parts[1].startswith("Q?\nword word") and parts[1].endswith(ELLIPSIS)
    assert parts[2:] == [PROVIDER.text, DISCLAIMER.text]


def test_escaping_does_not_count_towards_the_length() -> None:
    answer = "&" * 4000  # 20 000 characters once escaped, 4 000 once parsed
    text, shortened = render_sections([Section(SectionKind.ANSWER, answer), DISCLAIMER])
    assert not shortened and visible_len(text) <= MessageLimit.MAX_TEXT_LENGTH


def test_answer_is_cut_short_for_groups() -> None:
    body = Section(SectionKind.ANSWER, "one two three four five six seven eight nine ten")
    text, shortened = render_sections([body, PROVIDER, DISCLAIMER], answer_chars=20)
    assert shortened
    first = visible(text).split("\n\n")[0]
    assert first.endswith(ELLIPSIS) and utf16_len(first) <= 20
    assert PROVIDER.text in visible(text) and DISCLAIMER.text in visible(text)


@settings(max_examples=60, deadline=None)
@given(
    answer=st.text(min_size=0, max_size=6000),
    emoji=st.integers(min_value=0, max_value=3000),
    urgent=st.booleans(),
)
def test_any_reply_fits_and_keeps_every_safety_section(
    answer: str, emoji: int, urgent: bool
) -> None:
    body = Section(SectionKind.ANSWER, answer + "🤰" * emoji)
    head = [URGENT] if urgent else []
    sections = [*head, body, Section(SectionKind.SUGGESTIONS, "• a\n• b"), PROVIDER, DISCLAIMER]
    text, _ = render_sections(sections, heading="Q?")
    assert visible_len(text) <= MessageLimit.MAX_TEXT_LENGTH
    assert_valid_html(text)
    seen = visible(text)
    for section in (*head, PROVIDER, DISCLAIMER):
        assert section.text in seen
    assert seen.endswith(DISCLAIMER.text)
    if urgent:
        assert seen.startswith(URGENT.text)


def test_placeholders_are_filled_without_str_format() -> None:
    values = {"botname": "@bot{0}", "title": "A {title} & B"}
    assert fill("{botname} {title} {0} {botname.__class__}", values) == (
        "@bot{0} A {title} & B {0} {botname.__class__}"
    )


def test_notice_placeholders_are_escaped_after_filling() -> None:
    notice = Section(SectionKind.NOTICE, "From {title}.")
    text, _ = render_sections([notice, DISCLAIMER], values={"title": "<Key & Facts>"})
    assert text.startswith("From &lt;Key &amp; Facts&gt;.")


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("t:cerclage", ("t", "cerclage")),
        ("l:0", ("l", "0")),
        ("p:12", ("p", "12")),
        ("t:", None),
        ("t:Cerclage", None),
        ("t:cerclage\n", None),
        ("p:x", None),
        ("q:cerclage", None),
        ("", None),
        (None, None),
        ("t:" + "a" * 63, None),
    ],
)
def test_callback_data_is_validated(data: str | None, parsed: tuple[str, str] | None) -> None:
    assert parse_callback(data) == parsed


def test_topic_data_fits_telegram_and_round_trips(engine: Engine) -> None:
    for entry in engine.topics:
        data = topic_data(entry.id)
        assert data is not None
        assert len(data.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
        assert parse_callback(data) == ("t", entry.id)
    assert topic_data("x" * 63) is None
    assert topic_data("Not An Id") is None


def test_start_parameters_round_trip(engine: Engine) -> None:
    for entry in engine.topics:
        parameter = start_parameter_for(entry.id)
        assert parameter is not None
        assert topic_from_start([parameter]) == entry.id
    assert start_parameter_for("x" * 80) is None
    assert topic_from_start(["inline"]) is None
    assert topic_from_start([]) is None


def test_long_button_text_is_cut() -> None:
    assert button_text("Short?") == "Short?"
    cut = button_text("word " * 40)
    assert len(cut) <= 64 and cut.endswith(ELLIPSIS)


def test_result_ids_fit_telegram() -> None:
    assert len(result_id("t", "é" * 80).encode()) <= 64


def test_topics_keyboard_pages(engine: Engine) -> None:
    keyboard = topics_keyboard(engine.topics, engine.content.texts, page=1, per_page=4)
    rows = keyboard.inline_keyboard
    assert [row[0].callback_data for row in rows[:-1]] == [
        f"t:{e.id}" for e in engine.topics[4:8]
    ]
    assert [b.callback_data for b in rows[-1]] == ["p:0", "p:2"]
    last = topics_keyboard(engine.topics, engine.content.texts, page=99, per_page=4)
    assert [b.callback_data for b in last.inline_keyboard[-1]] == ["p:2"]


def test_related_buttons_skip_unknown_ids(engine: Engine) -> None:
    answer = engine.entry_answer("cerclage")
    assert answer is not None and answer.entry is not None
    topics = {e.id: e for e in engine.topics if e.id != "cerclage-anesthesia"}
    keyboard = answer_keyboard(answer, topics)
    assert keyboard is not None
    data = [row[0].callback_data for row in keyboard.inline_keyboard]
    assert data == [f"t:{i}" for i in answer.entry.related if i != "cerclage-anesthesia"]


def test_with_urgency_puts_the_prompt_in_front_once(engine: Engine) -> None:
    urgent = engine.answer("i have cramps")
    assert urgent.urgent
    topic = engine.entry_answer("cerclage")
    assert topic is not None
    led = with_urgency(topic, urgent)
    assert led.sections[0] == urgent.sections[0]
    assert led.sections[1:] == topic.sections
    assert with_urgency(led, urgent) == led
    assert with_urgency(topic, engine.answer("what is a cerclage")) == topic


def test_render_answer_uses_the_matched_question_as_heading(engine: Engine) -> None:
    reply = render_answer(engine.answer("what is a cerclage"), {e.id: e for e in engine.topics})
    assert reply.text.startswith("<b>What is a cerclage?</b>\n")
    assert reply.keyboard is not None


def test_shortening_prefers_a_line_break_then_a_sentence_end() -> None:
    lines = "First line of the answer.\nSecond line. It goes on and on and on and on"
    text, _ = render_sections([Section(SectionKind.ANSWER, lines)], answer_chars=40)
    assert visible(text) == "First line of the answer." + ELLIPSIS
    sentences = "One sentence here. Another sentence that is long"
    text, _ = render_sections([Section(SectionKind.ANSWER, sentences)], answer_chars=30)
    assert visible(text) == "One sentence here." + ELLIPSIS
    words = "many words without any sentence end in sight at all"
    text, _ = render_sections([Section(SectionKind.ANSWER, words)], answer_chars=20)
    assert visible(text) == "many words without" + ELLIPSIS


@pytest.mark.parametrize("key", TEXT_KEYS)
def test_every_bot_text_is_in_the_packaged_texts(engine: Engine, key: str) -> None:
    text = getattr(engine.content.texts, key)
    assert text.strip(), f"texts.yaml lacks {key}"
    assert "<" not in text and "&" not in text  # plain text: the bot escapes and formats
    assert set(re.findall(r"\{(\w+)\}", text)) <= set(PLACEHOLDERS)


def test_short_texts_fit_where_telegram_shows_them(engine: Engine) -> None:
    texts = engine.content.texts
    alert = texts.button_alert
    assert len(alert) <= CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
    assert "not medical advice" in alert and "healthcare provider" in alert
    for key in ("topics_button", "topics_previous", "topics_next", "read_more_button",
                "inline_continue", "inline_open_private"):
        assert button_text(getattr(texts, key)) == getattr(texts, key)


def test_no_match_suggestions_are_buttons_not_repeated_in_the_text(engine: Engine) -> None:
    answer = engine.answer("can i eat sushi")
    assert answer.match is None and answer.suggestions

    reply = render_answer(answer, {entry.id: entry for entry in engine.topics})

    assert reply.keyboard is not None
    buttons = [button.text for row in reply.keyboard.inline_keyboard for button in row]
    assert buttons == [match.question for match in answer.suggestions]
    assert engine.content.texts.suggestions_intro in reply.text
    assert not any(question in reply.text for question in buttons)


def test_suggestions_stay_in_the_text_when_there_are_no_buttons(engine: Engine) -> None:
    answer = engine.answer("can i eat sushi")

    reply = render_answer(answer, {entry.id: entry for entry in engine.topics}, buttons=False)

    assert reply.keyboard is None
    assert all(match.question in reply.text for match in answer.suggestions)
