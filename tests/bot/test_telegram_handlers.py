"""Handler tests in PTB's own style: updates built by hand, pushed through the real dispatch of
the application ``build_application`` makes, with every Bot API call recorded, not sent."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import tg_updates as u
from telegram import BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, Update
from telegram.constants import InlineKeyboardButtonLimit, InlineQueryLimit
from telegram.ext import Application
from tg_checks import (
    assert_safe_reply,
    assert_valid_html,
    button_rows,
    callback_data,
    first_paragraph,
    visible,
)
from tg_recording import RecordingRequest

from bot.app import GROUP_COMMANDS, PRIVATE_COMMANDS, build_application
from bot.config import Config
from bot.flood import FloodGuard
from bot.handlers import BOT_DATA_KEY, INLINE_RESULTS, INLINE_START, Services
from bot.render import GROUP_ANSWER_CHARS, render_answer
from faq import Engine

Push = Callable[[dict[str, Any]], Awaitable[None]]


def u_update(app: Application, data: dict[str, Any]) -> Update:
    """``Update.de_json`` for an application built inside a test."""
    return Update.de_json(data, app.bot)


def services_of(app: Application) -> Services:
    """The handlers' shared services of ``app``."""
    services: Services = app.bot_data[BOT_DATA_KEY]
    return services


def only_message(recorder: RecordingRequest) -> dict[str, Any]:
    """The one sendMessage the update produced."""
    sent = recorder.sent("sendMessage")
    assert len(sent) == 1, recorder.methods()
    return sent[0]


# --- commands ---------------------------------------------------------------------------------


async def test_start_welcomes_with_disclaimer_and_topics_button(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message("/start")))
    sent = only_message(recorder)
    assert sent["chat_id"] == u.USER_ID
    assert sent["parse_mode"] == "HTML"
    assert_safe_reply(sent["text"], engine)
    assert visible(sent["text"]).startswith(engine.content.texts.welcome)
    assert callback_data(sent) == ["l:0"]


async def test_start_deep_link_opens_that_topic(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message("/start t_cerclage")))
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    assert first_paragraph(sent["text"]).startswith("What is a cerclage?")


async def test_start_with_unknown_parameter_welcomes(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message(f"/start {INLINE_START}")))
    assert visible(only_message(recorder)["text"]).startswith(engine.content.texts.welcome)


async def test_help_fills_in_the_bot_username(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message("/help")))
    text = only_message(recorder)["text"]
    assert_safe_reply(text, engine)
    assert f"@{u.BOT_USERNAME}" in text
    assert "{" not in text


async def test_about_names_the_source_and_says_not_medical_advice(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message("/about")))
    text = visible(only_message(recorder)["text"])
    source = engine.content.source
    assert source.title in text and source.author in text and source.date in text
    assert "not medical advice" in text
    assert "{" not in text


async def test_topics_lists_every_topic_as_a_button(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message("/topics")))
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    assert callback_data(sent) == [f"t:{entry.id}" for entry in engine.topics]
    labels = [row[0]["text"] for row in button_rows(sent)]
    assert labels == [entry.question for entry in engine.topics]
    for data in callback_data(sent):
        assert len(data.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA


async def test_topics_page_through_when_there_are_many(
    config: Config, engine: Engine, recorder: RecordingRequest
) -> None:
    app = build_application(
        config, engine, request=recorder, get_updates_request=RecordingRequest(), topics_per_page=5
    )
    async with app:
        await app.process_update(u_update(app, u.update(message=u.command_message("/topics"))))
        first = recorder.sent("sendMessage")[-1]
        assert callback_data(first) == [f"t:{e.id}" for e in engine.topics[:5]] + ["p:1"]
        pressed = u.bot_message("topics")
        await app.process_update(u_update(app, u.callback_update("p:1", on=pressed)))
    edit = recorder.sent("editMessageReplyMarkup")[-1]
    assert edit["message_id"] == pressed["message_id"]
    data = [b["callback_data"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert data == [f"t:{e.id}" for e in engine.topics[5:10]] + ["p:0", "p:2"]
    assert recorder.methods().index("answerCallbackQuery") < recorder.methods().index(
        "editMessageReplyMarkup"
    )


async def test_unknown_private_command_points_to_help(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message("/frobnicate")))
    text = only_message(recorder)["text"]
    assert_safe_reply(text, engine)
    assert visible(text).startswith(engine.content.texts.unknown_command)


async def test_post_init_sets_commands_for_private_chats_and_groups(
    app: Application, recorder: RecordingRequest
) -> None:
    assert app.post_init is not None
    await app.post_init(app)
    calls = recorder.sent("setMyCommands")
    scopes = {call["scope"]["type"]: call["commands"] for call in calls}
    assert scopes == {
        BotCommandScopeAllPrivateChats().type: [c.to_dict() for c in PRIVATE_COMMANDS],
        BotCommandScopeAllGroupChats().type: [c.to_dict() for c in GROUP_COMMANDS],
    }


# --- questions in a private chat --------------------------------------------------------------


async def test_matched_question_has_answer_and_related_topic_buttons(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.text_update("wats a cerclarge"))
    # No "typing…" chat action: it would cost as much sending budget as the answer.
    assert recorder.methods() == ["sendMessage"]
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    entry = engine.content.entry("cerclage")
    assert entry is not None
    assert sent["text"].startswith(f"<b>{entry.question}</b>\n")
    assert callback_data(sent) == [f"t:{related}" for related in entry.related]
    assert "reply_parameters" not in sent  # no quoting in a private chat


async def test_no_match_says_so_and_offers_closest_topics_as_buttons(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.text_update("can I eat sushi"))
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    answer = engine.answer("can I eat sushi")
    assert answer.match is None
    assert first_paragraph(sent["text"]) == engine.content.texts.no_match
    assert callback_data(sent) == [f"t:{match.id}" for match in answer.suggestions]
    assert len(callback_data(sent)) >= 1


@pytest.mark.parametrize(
    ("message", "prompt"),
    [
        ("I have cramps, what is a cerclage?", "urgent_prompt"),
        ("i think my water broke", "emergency_prompt"),
        ("I'm bleeding heavily", "emergency_prompt"),
    ],
)
async def test_urgent_message_gets_the_prompt_first_in_bold(
    process: Push, recorder: RecordingRequest, engine: Engine, message: str, prompt: str
) -> None:
    await process(u.text_update(message))
    text = only_message(recorder)["text"]
    assert_safe_reply(text, engine)
    expected = getattr(engine.content.texts, prompt)
    assert text.startswith(f"<b>{expected}</b>")
    assert first_paragraph(text) == expected


async def test_violence_gets_the_emergency_prompt_then_the_abuse_helpline(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.text_update("my bf grabbed me by the throat tonight. 19 weeks"))
    text = only_message(recorder)["text"]
    texts = engine.content.texts
    assert_safe_reply(text, engine)
    assert first_paragraph(text) == texts.emergency_prompt
    paragraphs = text.split("\n\n")
    assert texts.abuse_helpline in paragraphs[1]


async def test_user_text_is_escaped_and_never_echoed(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.text_update("<b>hi</b> & <script>what is a cerclage</script>"))
    text = only_message(recorder)["text"]
    assert_safe_reply(text, engine)
    assert "<script>" not in text and "&lt;script&gt;" not in text


@pytest.mark.parametrize("kind", [u.sticker, u.photo, u.voice, u.document])
async def test_non_text_messages_get_a_friendly_note(
    process: Push, recorder: RecordingRequest, engine: Engine, kind: Callable[..., Any]
) -> None:
    await process(u.update(message=kind()))
    text = only_message(recorder)["text"]
    assert_safe_reply(text, engine)
    assert first_paragraph(text) == engine.content.texts.not_text


# --- buttons ----------------------------------------------------------------------------------


async def test_topic_button_answers_the_query_then_sends_the_topic(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.callback_update("t:cerclage-anesthesia"))
    assert recorder.methods() == ["answerCallbackQuery", "sendMessage"]
    assert "text" not in recorder.sent("answerCallbackQuery")[0]
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    assert first_paragraph(sent["text"]).startswith("What anesthesia is used for a cerclage?")
    assert callback_data(sent) == ["t:cerclage"]


async def test_all_topics_button_sends_the_topic_list(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.callback_update("l:0"))
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    assert callback_data(sent) == [f"t:{entry.id}" for entry in engine.topics]


@pytest.mark.parametrize(
    "data",
    ["t:a-topic-that-was-removed", "x:1", "garbage", "t:", "t:UPPER", "p:-1", "t:" + "a" * 70],
)
async def test_stale_or_unknown_button_gets_a_polite_answer(
    process: Push, recorder: RecordingRequest, engine: Engine, data: str
) -> None:
    await process(u.callback_update(data))
    assert recorder.methods() == ["answerCallbackQuery", "sendMessage"]
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    assert first_paragraph(sent["text"]) == engine.content.texts.stale_button
    assert callback_data(sent) == [f"t:{entry.id}" for entry in engine.topics]


async def test_button_without_a_chat_gets_an_alert_with_the_safety_texts(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    data = u.callback_update("t:cerclage")
    del data["callback_query"]["message"]
    data["callback_query"]["inline_message_id"] = "inline-1"
    await process(data)
    assert recorder.methods() == ["answerCallbackQuery"]
    answered = recorder.sent("answerCallbackQuery")[0]
    assert answered["show_alert"] is True
    assert "not medical advice" in answered["text"]
    assert "healthcare provider" in answered["text"]
    assert len(answered["text"]) <= 200


# --- groups -------------------------------------------------------------------------------------


def in_group(**kwargs: Any) -> dict[str, Any]:
    return {"chat": u.group_chat(), **kwargs}


@pytest.mark.parametrize(
    "message",
    [
        lambda: u.command_message("/ask what is a cerclage", **in_group()),
        lambda: u.command_message(f"/ask@{u.BOT_USERNAME} what is a cerclage", **in_group()),
        lambda: u.mention_message(f"@{u.BOT_USERNAME} what is a cerclage?", **in_group()),
        lambda: u.mention_message(f"hey @{u.BOT_USERNAME.lower()} wats a cerclage", **in_group()),
        lambda: u.message("what is a cerclage", reply_to=u.bot_message(chat=u.group_chat()),
                          **in_group()),
    ],
    ids=["ask", "ask@botname", "mention", "mention-lowercase", "reply-to-bot"],
)
async def test_group_question_is_answered_quoting_the_asker(
    process: Push, recorder: RecordingRequest, engine: Engine, message: Callable[[], Any]
) -> None:
    asking = message()
    await process(u.update(message=asking))
    sent = only_message(recorder)
    assert sent["chat_id"] == u.GROUP_ID
    assert sent["reply_parameters"]["message_id"] == asking["message_id"]
    assert_safe_reply(sent["text"], engine)
    assert first_paragraph(sent["text"]).startswith("What is a cerclage?")
    assert "sendChatAction" not in recorder.methods()


@pytest.mark.parametrize(
    "message",
    [
        lambda: u.message("what is a cerclage", **in_group()),
        lambda: u.message("lol same", reply_to=u.message("hi", **in_group()), **in_group()),
        lambda: u.command_message("/ask@SomeOtherBot what is a cerclage", **in_group()),
        lambda: u.mention_message("@SomeOtherBot what is a cerclage", "SomeOtherBot",
                                  **in_group()),
        lambda: u.sticker(**in_group()),
    ],
    ids=["chatter", "reply-to-someone-else", "other-bot-command", "other-bot-mention", "sticker"],
)
async def test_group_chatter_is_ignored(
    process: Push, recorder: RecordingRequest, message: Callable[[], Any]
) -> None:
    await process(u.update(message=message()))
    assert recorder.methods() == []


async def test_group_ask_without_question_gets_a_hint(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.update(message=u.command_message("/ask", **in_group())))
    text = only_message(recorder)["text"]
    assert_safe_reply(text, engine)
    assert first_paragraph(text) == engine.content.texts.group_ask_hint


async def test_group_answer_is_short_with_a_private_read_more_link(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    entry = engine.content.entry("congenital-causes")
    assert entry is not None and len(entry.answer) > GROUP_ANSWER_CHARS
    await process(u.update(message=u.command_message("/ask can you be born with a weak cervix",
                                                     **in_group())))
    sent = only_message(recorder)
    assert_safe_reply(sent["text"], engine)
    shown = first_paragraph(sent["text"])
    assert shown.endswith("…") and len(shown) < len(entry.question) + 1 + len(entry.answer)
    first = button_rows(sent)[0][0]
    assert first["url"] == f"https://t.me/{u.BOT_USERNAME}?start=t_congenital-causes"


async def test_group_button_press_answers_in_the_group(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.callback_update("t:cerclage", on=u.bot_message(chat=u.group_chat())))
    sent = only_message(recorder)
    assert sent["chat_id"] == u.GROUP_ID
    assert_safe_reply(sent["text"], engine)


# --- inline mode ------------------------------------------------------------------------------


def inline_answer(recorder: RecordingRequest) -> dict[str, Any]:
    answered = recorder.sent("answerInlineQuery")
    assert len(answered) == 1, recorder.methods()
    return answered[0]


def posted(result: dict[str, Any]) -> str:
    return str(result["input_message_content"]["message_text"])


async def test_empty_inline_query_lists_the_topics(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.inline_update(""))
    results = inline_answer(recorder)["results"]
    assert [r["title"] for r in results] == [e.question for e in engine.topics]
    assert len(results) <= InlineQueryLimit.RESULTS
    for result in results:
        assert result["type"] == "article"
        assert_safe_reply(posted(result), engine)


async def test_inline_match_posts_the_answer_with_safety_texts(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.inline_update("how common is a weak cervix"))
    answered = inline_answer(recorder)
    results = answered["results"]
    assert 1 <= len(results) <= INLINE_RESULTS
    assert results[0]["title"] == "How common is cervical incompetence?"
    assert results[0]["description"]
    assert len({r["id"] for r in results}) == len(results)
    for result in results:
        assert_safe_reply(posted(result), engine)
        assert len(result["id"].encode()) <= 64
    assert "button" not in answered


async def test_inline_no_match_says_so_and_points_to_the_private_chat(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.inline_update("best sushi in town"))
    answered = inline_answer(recorder)
    first = answered["results"][0]
    texts = engine.content.texts
    assert first["title"] == texts.inline_no_match_title
    assert_safe_reply(posted(first), engine)
    assert f"@{u.BOT_USERNAME}" in posted(first)
    assert first["reply_markup"]["inline_keyboard"][0][0]["url"] == f"https://t.me/{u.BOT_USERNAME}"
    assert answered["button"]["start_parameter"] == INLINE_START


@pytest.mark.parametrize(
    ("query", "prompt"),
    [("i have cramps and a weak cervix", "urgent_prompt"), ("my water broke", "emergency_prompt")],
)
async def test_inline_symptom_puts_the_provider_prompt_first_and_offers_private_chat(
    process: Push, recorder: RecordingRequest, engine: Engine, query: str, prompt: str
) -> None:
    await process(u.inline_update(query))
    answered = inline_answer(recorder)
    results = answered["results"]
    expected = getattr(engine.content.texts, prompt)
    assert results[0]["title"] == engine.content.texts.inline_urgent_title
    assert first_paragraph(posted(results[0])) == expected
    for result in results:  # whichever result is chosen, the prompt comes first
        assert_safe_reply(posted(result), engine)
        assert first_paragraph(posted(result)) == expected
    button = answered["button"]
    assert button["start_parameter"] == INLINE_START
    assert button["text"] == engine.content.texts.inline_continue


@pytest.mark.parametrize(
    "query",
    [
        "zanzibarish cerclage question",
        "my zanzibarish water broke",
        "zanzibarish",
        "how common is zanzibarish weak cervix",
    ],
)
async def test_inline_never_posts_the_users_own_words(
    process: Push, recorder: RecordingRequest, query: str
) -> None:
    await process(u.inline_update(query))
    for result in inline_answer(recorder)["results"]:
        assert "zanzibarish" not in str(result).lower()


async def test_inline_query_longer_than_telegram_allows_is_cut(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    """Only the first 256 characters are read, as Telegram would send them: what comes after
    cannot change the results (here: a warning sign that would put the prompt first)."""
    head = "what is a cerclage " + "and why " * 40
    query = head[: InlineQueryLimit.MAX_QUERY_LENGTH] + " my water broke"
    assert engine.answer(query).urgent and not engine.answer(head[:256]).urgent

    await process(u.inline_update(query))

    results = inline_answer(recorder)["results"]
    assert results and not [r for r in results if r["id"].startswith("urgent")]


# --- flood guard --------------------------------------------------------------------------------


async def test_flood_guard_sends_one_notice_then_stays_silent(
    process: Push, recorder: RecordingRequest, engine: Engine, config: Config
) -> None:
    for _ in range(config.flood_messages + 3):
        await process(u.text_update("what is a cerclage"))
    sent = recorder.sent("sendMessage")
    assert len(sent) == config.flood_messages + 1
    assert first_paragraph(sent[-1]["text"]) == engine.content.texts.flood
    assert_safe_reply(sent[-1]["text"], engine)
    # another user is not affected
    await process(u.text_update("what is a cerclage", user_id=u.USER_ID + 1))
    assert recorder.sent("sendMessage")[-1]["chat_id"] == u.USER_ID + 1


async def test_flood_guard_lets_the_user_back_when_the_window_passes(
    app: Application, process: Push, recorder: RecordingRequest, config: Config
) -> None:
    now = [0.0]
    services_of(app).flood = FloodGuard(2, 60.0, clock=lambda: now[0])
    for _ in range(4):
        await process(u.text_update("what is a cerclage"))
    assert len(recorder.sent("sendMessage")) == 3  # two answers and the notice
    now[0] = 61.0
    await process(u.text_update("what is a cerclage"))
    assert len(recorder.sent("sendMessage")) == 4


async def test_flood_guard_counts_only_what_is_addressed_to_the_bot(
    process: Push, recorder: RecordingRequest, config: Config
) -> None:
    """Group chatter that the bot never answers (privacy mode off) uses none of the limit;
    every handler is behind the one gate, so each answered update counts exactly once."""
    group = u.group_chat()
    for _ in range(config.flood_messages * 3):
        await process(u.text_update("lol same, my bump is huge", chat=group))
        await process(u.text_update("/start@SomeOtherBot", chat=group))
    for _ in range(config.flood_messages):
        await process(u.text_update("what is a cerclage"))
    sent = recorder.sent("sendMessage")
    assert len(sent) == config.flood_messages  # every question answered, no flood notice
    await process(u.text_update("what is a cerclage"))
    assert len(recorder.sent("sendMessage")) == config.flood_messages + 1  # now the notice


async def test_flood_guard_answers_a_flooded_button_press_silently(
    app: Application, process: Push, recorder: RecordingRequest
) -> None:
    services_of(app).flood = FloodGuard(1, 60.0, clock=lambda: 0.0)
    await process(u.text_update("what is a cerclage"))
    await process(u.callback_update("t:cerclage"))  # notice
    await process(u.callback_update("t:cerclage"))  # silence
    assert recorder.methods().count("answerCallbackQuery") == 2
    assert len(recorder.sent("sendMessage")) == 2


# --- errors and logs --------------------------------------------------------------------------


async def test_error_handler_logs_and_apologises_with_the_disclaimer(
    process: Push,
    recorder: RecordingRequest,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(text: str, **kwargs: Any) -> Any:
        raise RuntimeError("forced by the test")

    monkeypatch.setattr(engine, "answer", broken)
    with caplog.at_level(logging.ERROR, logger="bot"):
        await process(u.text_update("what is a cerclage"))
    text = only_message(recorder)["text"]
    assert_safe_reply(text, engine)
    assert first_paragraph(text) == engine.content.texts.error
    assert any(r.exc_info and "forced by the test" in str(r.exc_info[1]) for r in caplog.records)


async def test_error_when_sending_fails_is_followed_by_an_apology(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    recorder.fail("sendMessage", "Bad Request: can't parse entities")
    await process(u.text_update("what is a cerclage"))
    sent = recorder.sent("sendMessage")
    assert len(sent) == 2
    assert first_paragraph(sent[1]["text"]) == engine.content.texts.error
    assert_safe_reply(sent[1]["text"], engine)


SECRETS = (str(u.USER_ID), u.FIRST_NAME, u.LAST_NAME, u.USERNAME, "quixotic")


async def _talk(process: Push) -> None:
    await process(u.text_update("quixotic what is a cerclage"))
    await process(u.text_update("quixotic nonsense"))
    await process(u.inline_update("quixotic weak cervix"))
    await process(u.callback_update("t:quixotic"))
    await process(u.update(message=u.command_message("/ask quixotic", **in_group())))


async def test_logs_hold_no_user_ids_names_or_text_by_default(
    process: Push, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await _talk(process)
    assert caplog.records, "the bot should log something at DEBUG"
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in SECRETS:
        assert secret.lower() not in logged.lower()


async def test_logs_hold_user_data_only_with_the_debug_option(
    engine: Engine, recorder: RecordingRequest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = Config(token=u.TOKEN, log_user_data=True)
    app = build_application(config, engine, request=recorder, get_updates_request=recorder)
    async with app:
        await app.process_update(u_update(app, u.text_update("quixotic what is a cerclage")))
    assert "quixotic" in caplog.text
    assert str(u.USER_ID) in caplog.text


async def test_build_application_needs_a_token(engine: Engine) -> None:
    with pytest.raises(ValueError, match=r"telegram\.token"):
        build_application(Config(), engine)


async def test_every_reply_is_valid_html_for_a_range_of_questions(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    questions = [entry.question for entry in engine.topics] + ["a < b & c > d", "&amp;", "🙂"]
    for question in questions:
        await process(u.text_update(question, user_id=hash(question) % 10**8 + 10))
    for sent in recorder.sent("sendMessage"):
        assert_valid_html(sent["text"])
        assert_safe_reply(sent["text"], engine)


async def test_messages_sent_through_our_inline_mode_are_not_answered(
    process: Push, recorder: RecordingRequest
) -> None:
    shared = u.message("What is a cerclage? A cerclage is a stitch…", via_bot=u.bot_user())
    await process(u.update(message=shared))
    group_share = u.message(f"@{u.BOT_USERNAME} said: what is a cerclage",
                            chat=u.group_chat(), via_bot=u.bot_user(),
                            reply_to=u.bot_message(chat=u.group_chat()))
    await process(u.update(message=group_share))
    assert recorder.methods() == []


async def test_a_burst_of_questions_sends_only_answers(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    """Every call counts against Telegram's ~30 messages a second: answers only."""
    for user in range(3):
        await process(u.text_update("what is a cerclage", user_id=u.USER_ID + user))
    assert recorder.methods() == ["sendMessage"] * 3


async def test_inline_crisis_offers_only_the_crisis_text(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    await process(u.inline_update("i keep thinking about ending my life"))
    results = inline_answer(recorder)["results"]
    texts = engine.content.texts
    crisis = texts.crisis_prompt.replace("{helpline}", texts.crisis_helpline)
    assert len(results) == 1
    assert first_paragraph(posted(results[0])) == crisis
    assert_safe_reply(posted(results[0]), engine)


def test_crisis_reply_renders_bold_with_no_buttons(engine: Engine) -> None:
    answer = engine.answer("i want to kill myself")
    reply = render_answer(answer, {entry.id: entry for entry in engine.topics})
    texts = engine.content.texts
    assert reply.keyboard is None
    assert reply.text.startswith("<b>💛")
    assert texts.crisis_helpline in reply.text


async def test_the_bot_added_to_a_group_says_how_to_ask_there(
    process: Push, recorder: RecordingRequest, engine: Engine
) -> None:
    added = u.message(
        None, chat=u.group_chat(), new_chat_members=[u.bot_user(), u.user(u.USER_ID + 1)]
    )
    await process(u.update(message=added))
    sent = only_message(recorder)
    assert sent["chat_id"] == u.GROUP_ID
    assert_safe_reply(sent["text"], engine)
    welcome = first_paragraph(sent["text"])
    assert "/ask" in welcome and f"@{u.BOT_USERNAME}" in welcome


async def test_someone_else_joining_a_group_gets_nothing(
    process: Push, recorder: RecordingRequest
) -> None:
    joined = u.message(None, chat=u.group_chat(), new_chat_members=[u.user(u.USER_ID + 1)])
    await process(u.update(message=joined))
    assert recorder.sent("sendMessage") == []
