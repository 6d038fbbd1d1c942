"""End to end: the real bot process (``faqbot run``) against a Bot API stand-in on 127.0.0.1.

Each test starts the bot exactly as the command line does, pushes updates to the stand-in's
``getUpdates`` queue (or posts them to the webhook), waits (with timeouts) for what the bot
sends, and stops the bot with a signal, which must end it cleanly (exit status 0).
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import tg_updates as u
from tg_checks import assert_safe_reply, callback_data, first_paragraph, visible
from tg_standin import (
    BotApiStandIn,
    BotProcess,
    free_port,
    launch,
    wait_until,
)

from bot.app import GROUP_COMMANDS, PRIVATE_COMMANDS
from bot.handlers import INLINE_START
from faq import Engine

Start = Callable[..., Awaitable[BotProcess]]
JSON = dict[str, Any]


async def ask(standin: BotApiStandIn, update: JSON, *, count: int = 1, **match: Any) -> list[JSON]:
    """Push ``update`` and wait for ``count`` messages the bot sends in reply."""
    mark = standin.mark()
    await standin.push(update)
    return await standin.wait_for("sendMessage", count, since=mark, **match)


async def stop_cleanly(bot: BotProcess, standin: BotApiStandIn) -> None:
    """Stop the bot with SIGTERM; it must exit 0 and have used only known methods."""
    assert await bot.stop() == 0, bot.log
    assert standin.unknown == []
    assert "Traceback" not in bot.log, bot.log
    assert_no_warnings(bot)


def assert_no_warnings(bot: BotProcess) -> None:
    """The bot runs with ``-W error``; nothing may have been ignored on the way out either."""
    assert "Warning" not in bot.log, bot.log
    assert "Exception ignored" not in bot.log, bot.log


# --- start-up and private chats ---------------------------------------------------------------


async def test_startup_registers_commands_and_long_polls(
    standin: BotApiStandIn, start_bot: Start
) -> None:
    bot = await start_bot()
    assert standin.methods()[:4] == ["getMe", "setMyCommands", "setMyCommands", "deleteWebhook"]
    commands = {c["scope"]["type"]: c["commands"] for c in standin.sent("setMyCommands")}
    assert commands == {
        "all_private_chats": [c.to_dict() for c in PRIVATE_COMMANDS],
        "all_group_chats": [c.to_dict() for c in GROUP_COMMANDS],
    }
    poll = standin.sent("getUpdates")[0]
    assert set(poll["allowed_updates"]) == {"message", "callback_query", "inline_query"}
    assert poll["timeout"] > 0  # long polling
    await stop_cleanly(bot, standin)


@pytest.mark.parametrize(
    ("command", "key"), [("/start", "welcome"), ("/help", "help"), ("/about", "about")]
)
async def test_private_commands_reply_with_the_safety_texts(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, command: str, key: str
) -> None:
    bot = await start_bot()
    [reply] = await ask(standin, u.update(message=u.command_message(command)))
    assert reply["chat_id"] == u.USER_ID
    assert_safe_reply(reply["text"], engine)
    expected = getattr(engine.content.texts, key).split("{", 1)[0]
    assert visible(reply["text"]).startswith(expected)
    assert "{" not in reply["text"]
    await stop_cleanly(bot, standin)


async def test_topics_then_pressing_a_topic_shows_its_answer(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot()
    mark = standin.mark()
    [listing] = await ask(standin, u.update(message=u.command_message("/topics")))
    assert callback_data(listing) == [f"t:{entry.id}" for entry in engine.topics]
    shown = standin.calls_of("sendMessage", mark)[0].result
    press = u.callback_update("t:diagnosis", on=shown)
    [answer] = await ask(standin, press)
    assert standin.sent("answerCallbackQuery", callback_query_id=press["callback_query"]["id"])
    assert_safe_reply(answer["text"], engine)
    assert first_paragraph(answer["text"]).startswith("How is cervical incompetence diagnosed?")
    await stop_cleanly(bot, standin)


async def test_matched_question_gets_the_answer_at_once_with_buttons(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot()
    mark = standin.mark()
    [reply] = await ask(standin, u.text_update("r u awake when they do the stitch"))
    assert standin.methods(mark)[:1] == ["sendMessage"]  # no "typing…" spent before it
    assert_safe_reply(reply["text"], engine)
    assert first_paragraph(reply["text"]).startswith("What anesthesia is used for a cerclage?")
    # Was it helpful? (one vote per answer message), then the related topics.
    votes = ["v:cerclage-anesthesia:1", "v:cerclage-anesthesia:0"]
    assert callback_data(reply) == [*votes, "t:cerclage"]
    await stop_cleanly(bot, standin)


async def test_no_match_offers_did_you_mean_buttons_that_work(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot()
    mark = standin.mark()
    [reply] = await ask(standin, u.text_update("is sushi safe to eat"))
    assert first_paragraph(reply["text"]) == engine.content.texts.no_match
    assert_safe_reply(reply["text"], engine)
    suggestions = callback_data(reply)
    assert suggestions and all(data.startswith("t:") for data in suggestions)
    shown = standin.calls_of("sendMessage", mark)[-1].result
    [topic] = await ask(standin, u.callback_update(suggestions[0], on=shown))
    entry = engine.content.entry(suggestions[0][2:])
    assert entry is not None
    assert first_paragraph(topic["text"]).startswith(entry.question)
    await stop_cleanly(bot, standin)


@pytest.mark.parametrize(
    ("message", "prompt"),
    [
        ("I have cramps and pressure, is that my cervix?", "urgent_prompt"),
        ("help my water broke", "emergency_prompt"),
    ],
)
async def test_urgent_and_emergency_messages_get_the_prompt_first(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, message: str, prompt: str
) -> None:
    bot = await start_bot()
    [reply] = await ask(standin, u.text_update(message))
    expected = getattr(engine.content.texts, prompt)
    assert reply["text"].startswith(f"<b>{expected}</b>")
    assert_safe_reply(reply["text"], engine)
    await stop_cleanly(bot, standin)


async def test_stickers_photos_voice_and_files_get_a_friendly_note(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot()
    for kind in (u.sticker, u.photo, u.voice, u.document):
        [reply] = await ask(standin, u.update(message=kind()))
        assert first_paragraph(reply["text"]) == engine.content.texts.not_text
        assert_safe_reply(reply["text"], engine)
    await stop_cleanly(bot, standin)


async def test_stale_button_gets_a_polite_answer_and_fresh_topics(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot()
    press = u.callback_update("t:a-topic-removed-last-week")
    [reply] = await ask(standin, press)
    answered = standin.sent("answerCallbackQuery", callback_query_id=press["callback_query"]["id"])
    assert len(answered) == 1
    assert first_paragraph(reply["text"]) == engine.content.texts.stale_button
    assert callback_data(reply) == [f"t:{entry.id}" for entry in engine.topics]
    assert_safe_reply(reply["text"], engine)
    await stop_cleanly(bot, standin)


# --- flood guard --------------------------------------------------------------------------------


async def test_flood_guard_sends_one_notice_then_silence(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot(flood={"messages": 3, "per_seconds": 60})
    mark = standin.mark()
    await standin.push(*(u.text_update(f"what is a cerclage {n}") for n in range(7)))
    replies = await standin.wait_for("sendMessage", 4, since=mark, chat_id=u.USER_ID)
    await standin.push(u.text_update("what is a cerclage", user_id=u.USER_ID + 1))
    await standin.wait_for("sendMessage", since=mark, chat_id=u.USER_ID + 1)
    replies = standin.sent("sendMessage", mark, chat_id=u.USER_ID)
    assert len(replies) == 4  # three answers, one notice, then silence
    flood = engine.content.texts.flood
    notices = [r for r in replies if first_paragraph(r["text"]) == flood]
    assert len(notices) == 1
    assert_safe_reply(notices[0]["text"], engine)
    await stop_cleanly(bot, standin)


async def test_anonymous_admins_of_two_groups_are_counted_apart(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """Telegram shows every anonymous group admin as the same bot user: each group's admins
    get their own count, so a busy group does not silence another group's admin."""
    bot = await start_bot(flood={"messages": 2, "per_seconds": 60})
    first, second = u.group_chat(-1001), u.group_chat(-1002)

    def asked(chat: JSON, n: int) -> JSON:
        text = f"/ask what is a cerclage {n}"
        entity = {"type": "bot_command", "offset": 0, "length": len("/ask")}
        return u.update(
            message=u.sender_chat_message(
                text, chat=chat, sender_chat=chat, sender=u.group_anonymous_bot(),
                entities=[entity],
            )
        )

    mark = standin.mark()
    await standin.push(*(asked(first, n) for n in range(4)))
    await standin.wait_for("sendMessage", 3, since=mark, chat_id=-1001)
    await standin.push(asked(second, 0))
    [reply] = await standin.wait_for("sendMessage", since=mark, chat_id=-1002)
    assert first_paragraph(reply["text"]) != engine.content.texts.flood
    assert_safe_reply(reply["text"], engine)
    await standin.quiet(0.5)
    assert len(standin.sent("sendMessage", mark, chat_id=-1001)) == 3  # 2 answers, 1 notice
    await stop_cleanly(bot, standin)


# --- inline mode ------------------------------------------------------------------------------


async def inline(standin: BotApiStandIn, query: str) -> JSON:
    update = u.inline_update(query)
    await standin.push(update)
    [answered] = await standin.wait_for(
        "answerInlineQuery", inline_query_id=update["inline_query"]["id"]
    )
    return answered


async def test_inline_queries(standin: BotApiStandIn, start_bot: Start, engine: Engine) -> None:
    bot = await start_bot()
    texts = engine.content.texts

    empty = await inline(standin, "")
    assert [r["title"] for r in empty["results"]] == [e.question for e in engine.topics]

    matched = await inline(standin, "how do they fix a weak cervix")
    assert matched["results"][0]["title"] == "What is a cerclage?"
    assert 1 <= len(matched["results"]) <= 5

    none = await inline(standin, "what pram should I buy")
    assert none["results"][0]["title"] == texts.inline_no_match_title
    assert none["button"]["start_parameter"] == INLINE_START

    urgent = await inline(standin, "bleeding a lot and cramps since this morning")
    first = urgent["results"][0]
    assert first["title"] == texts.inline_urgent_title
    assert first_paragraph(first["input_message_content"]["message_text"]) in (
        texts.urgent_prompt,
        texts.emergency_prompt,
    )
    assert urgent["button"] == {"text": texts.inline_continue, "start_parameter": "inline"}

    for answered, words in (
        (matched, "fix"),
        (none, "pram"),
        (urgent, "morning"),
    ):
        for result in answered["results"]:
            posted = result["input_message_content"]["message_text"]
            assert_safe_reply(posted, engine)
            assert words not in posted.lower()
    await stop_cleanly(bot, standin)


# --- groups -------------------------------------------------------------------------------------


async def test_group_chat(standin: BotApiStandIn, start_bot: Start, engine: Engine) -> None:
    bot = await start_bot()
    group = u.group_chat()
    asks = [
        u.command_message("/ask what is a cerclage", chat=group),
        u.command_message(f"/ask@{u.BOT_USERNAME} how common is it", chat=group),
        u.mention_message(f"@{u.BOT_USERNAME} what is the cervix?", chat=group),
        u.message("and what are the risk factors", chat=group,
                  reply_to=u.bot_message(chat=group)),
    ]
    for asking in asks:
        [reply] = await ask(standin, u.update(message=asking), chat_id=u.GROUP_ID)
        assert reply["reply_parameters"]["message_id"] == asking["message_id"]
        assert_safe_reply(reply["text"], engine)
        assert first_paragraph(reply["text"]) != engine.content.texts.no_match

    mark = standin.mark()
    await standin.push(
        u.update(message=u.message("what is a cerclage", chat=group)),  # ordinary chatter
        u.update(message=u.message("haha", chat=group, reply_to=u.message("x", chat=group))),
        u.update(message=u.sticker(chat=group)),
        u.update(message=u.command_message("/ask", chat=group)),  # the barrier
    )
    [hint] = await standin.wait_for("sendMessage", since=mark, chat_id=u.GROUP_ID)
    await standin.quiet()
    assert standin.sent("sendMessage", mark) == [hint]
    assert first_paragraph(hint["text"]) == engine.content.texts.group_ask_hint
    await stop_cleanly(bot, standin)


# --- errors, rate limits, logs ------------------------------------------------------------------


async def test_error_handler_apologises_with_the_disclaimer(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot()
    standin.fail_next("sendMessage", description="Bad Request: forced by the test")
    [_failed, apology] = await ask(standin, u.text_update("what is a cerclage"), count=2)
    assert first_paragraph(apology["text"]) == engine.content.texts.error
    assert_safe_reply(apology["text"], engine)
    assert "Error while handling an update" in bot.log
    assert await bot.stop() == 0


SECRETS = (str(u.USER_ID), u.FIRST_NAME, u.LAST_NAME, u.USERNAME, "quixotic")


async def converse(standin: BotApiStandIn) -> None:
    """A little of everything, from a user whose id, names and words are distinctive."""
    await ask(standin, u.text_update("quixotic what is a cerclage"))
    await ask(standin, u.text_update("quixotic nonsense words"))
    await ask(standin, u.update(message=u.command_message("/ask quixotic", chat=u.group_chat())))
    await ask(standin, u.callback_update("t:quixotic"))
    await inline(standin, "quixotic weak cervix")


async def test_logs_hold_no_user_ids_names_or_text(
    standin: BotApiStandIn, start_bot: Start
) -> None:
    bot = await start_bot(logging={"level": "DEBUG"})
    await converse(standin)
    await stop_cleanly(bot, standin)
    log = bot.log
    assert "DEBUG bot.handlers" in log  # the bot did log each answer
    for secret in SECRETS:
        assert secret.lower() not in log.lower()
    assert u.TOKEN not in log


async def test_logs_hold_user_data_when_the_debug_option_is_on(
    standin: BotApiStandIn, start_bot: Start
) -> None:
    bot = await start_bot(logging={"level": "DEBUG", "user_data": True})
    await converse(standin)
    await stop_cleanly(bot, standin)
    assert "quixotic" in bot.log and str(u.USER_ID) in bot.log


# --- running and stopping -----------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
async def test_signal_stops_the_bot_cleanly(
    standin: BotApiStandIn, start_bot: Start, sig: int
) -> None:
    bot = await start_bot()
    await ask(standin, u.text_update("what is a cerclage"))
    assert await bot.stop(sig) == 0
    assert "bot stopped" in bot.log


async def test_sigterm_answers_every_update_already_received_then_closes_the_stats(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, tmp_path: Path
) -> None:
    """SIGTERM while twelve questions are being answered (Telegram answers slowly): every one
    is answered before the bot exits 0, and the statistics database is closed cleanly (its
    write-ahead log folded back in and removed)."""
    database = tmp_path / "stats.sqlite3"
    bot = await start_bot(stats={"path": str(database)})
    users = [u.USER_ID + n for n in range(12)]
    standin.delay_next("sendMessage", 1.0, times=len(users))
    mark = standin.mark()
    await standin.push(*(u.text_update("what is a cerclage", user_id=user) for user in users))
    await standin.wait_for("sendMessage", since=mark)  # received and being answered
    assert await bot.stop(signal.SIGTERM) == 0, bot.log
    for user in users:
        [reply] = standin.sent("sendMessage", mark, chat_id=user)
        assert first_paragraph(reply["text"]).startswith("What is a cerclage?")
    assert "bot stopped" in bot.log and "Traceback" not in bot.log
    assert not Path(f"{database}-wal").exists()
    with contextlib.closing(sqlite3.connect(database)) as db:
        [(answers,)] = db.execute("SELECT COUNT(*) FROM events WHERE kind = 'answer'")
    assert answers == len(users)


async def test_webhook_mode_with_secret_token(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    port = free_port()
    secret = "s3cret-Token_for-tests"
    bot = await start_bot(
        ready="setWebhook",
        telegram={
            "webhook": {
                "url": "https://bot.example.org/faq-hook",
                "listen": "127.0.0.1",
                "port": port,
                "secret_token": secret,
            }
        },
    )
    [hook] = standin.sent("setWebhook")
    assert hook["url"] == "https://bot.example.org/faq-hook"
    assert hook["secret_token"] == secret
    assert "getUpdates" not in standin.methods()
    url = f"http://127.0.0.1:{port}/faq-hook"
    timeout = aiohttp.ClientTimeout(total=5)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await wait_until(lambda: port_open(port), timeout=10.0)
        mark = standin.mark()
        wrong = u.text_update("what is a cerclage")
        async with session.post(url, json=wrong, headers=secret_header("wrong")) as response:
            assert response.status == 403
        async with session.post(url, json=u.text_update("what is a cerclage")) as response:
            assert response.status == 403  # no secret at all
        right = u.text_update("what is a cerclage")
        async with session.post(url, json=right, headers=secret_header(secret)) as response:
            assert response.status == 200
        [reply] = await standin.wait_for("sendMessage", since=mark)
    assert first_paragraph(reply["text"]).startswith("What is a cerclage?")
    assert_safe_reply(reply["text"], engine)
    await standin.quiet()
    assert len(standin.sent("sendMessage", mark)) == 1  # the forged updates did nothing
    await stop_cleanly(bot, standin)


def secret_header(secret: str) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": secret}


def port_open(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def test_missing_token_says_how_to_get_one(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("logging:\n  level: INFO\n", encoding="utf-8")
    bot = await launch(config, tmp_path / "bot.log")
    assert await bot.wait() == 2
    for needed in ("@BotFather", "FAQBOT_TELEGRAM_TOKEN", "telegram:", "token:"):
        assert needed in bot.log
    assert "Traceback" not in bot.log
