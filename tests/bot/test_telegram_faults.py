"""Bot API faults, end to end: the real bot process (``faqbot run``) against the stand-in,
which fails calls on purpose (HTTP 5xx, 429, dropped connections, malformed answers).

What must hold once the faults stop: every message gets its answer exactly once, never the
error apology in its place; polling goes on; errors that a retry cannot fix are not retried.
And when the bot cannot start at all, ``faqbot run`` says so in one line and exits 2, with the
traceback only at DEBUG and the token nowhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import tg_updates as u
from test_telegram_e2e import ask, assert_no_warnings, stop_cleanly
from tg_checks import assert_safe_reply, first_paragraph
from tg_standin import (
    DELIVERED_THEN_DROP,
    DROP,
    MALFORMED,
    STATUS,
    BotApiStandIn,
    BotProcess,
    free_port,
    launch,
    wait_until,
    write_config,
)

from faq import Engine

Start = Callable[..., Awaitable[BotProcess]]
JSON = dict[str, Any]

#: Faults that a retry can fix: (kind, HTTP status, description).
RETRYABLE = [
    (STATUS, 500, "Internal Server Error"),
    (STATUS, 502, "Bad Gateway"),
    (STATUS, 503, "Service Unavailable"),
    (DROP, 0, "connection dropped"),
    (MALFORMED, 200, "not JSON"),
]
#: Quick retries, so that the tests do not wait for the default backoff (0.5 s, 1 s, 2 s...).
FAST = {"retry_first_wait": 0.05}
#: A token-shaped canary: if any of it reaches a log or a message, the token leaked.
CANARY = "5550001234:AAHcanary-Canary_canary-0123456789abcdEF"


def fault_name(fault: tuple[str, int, str]) -> str:
    kind, status, _ = fault
    return f"{kind}-{status}" if kind == STATUS else kind


async def answered_once(standin: BotApiStandIn, question: str, engine: Engine, since: int) -> JSON:
    """The one reply delivered since ``since`` (no more arrive); it is the answer, not the
    apology, and carries the safety texts."""
    await wait_until(lambda: bool(standin.delivered("sendMessage", since)), timeout=20.0)
    await standin.quiet(0.5)  # time for a duplicate to show up, if there were one
    delivered = standin.delivered("sendMessage", since)
    assert len(delivered) == 1, f"{len(delivered)} replies delivered for {question!r}"
    text = delivered[0]["text"]
    assert first_paragraph(text) != engine.content.texts.error, "the apology replaced the answer"
    assert_safe_reply(text, engine)
    return delivered[0]


async def test_send_faults_are_retried_and_each_answer_arrives_exactly_once(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """Each retryable fault, twice in a row on one answer: the third attempt delivers it."""
    bot = await start_bot(telegram=FAST)
    for kind, status, description in RETRYABLE:
        name = fault_name((kind, status, description))
        standin.fail_next(
            "sendMessage", kind=kind, status=status, description=description, times=2
        )
        mark = standin.mark()
        await standin.push(u.text_update("what is a cerclage"))
        reply = await answered_once(standin, name, engine, mark)
        assert first_paragraph(reply["text"]).startswith("What is a cerclage?"), name
        attempts = standin.calls_of("sendMessage", mark)
        assert [call.fault is not None for call in attempts] == [True, True, False], name
        assert len({call.params["text"] for call in attempts}) == 1, name  # the same answer
        # backoff: the first wait, then twice as long (+ up to 25% jitter each)
        assert attempts[2].at - attempts[0].at >= 3 * FAST["retry_first_wait"], name
    await stop_cleanly(bot, standin)
    assert "retry 2 of 4" in bot.log
    assert "ERROR" not in bot.log


async def test_a_burst_of_mixed_faults_loses_no_answer_and_duplicates_none(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """Twenty users ask at once while one send in two fails, in every retryable way."""
    bot = await start_bot(telegram=FAST)
    for kind, status, description in RETRYABLE * 2:
        standin.fail_next("sendMessage", kind=kind, status=status, description=description)
    mark = standin.mark()
    users = [u.USER_ID + n for n in range(20)]
    await standin.push(
        *(u.text_update("how common is an incompetent cervix", user_id=user) for user in users)
    )
    await standin.wait_for("sendMessage", len(users) + 10, since=mark, timeout=30.0)
    await standin.quiet(0.5)
    for user in users:
        [reply] = standin.delivered("sendMessage", mark, chat_id=user)
        assert first_paragraph(reply["text"]) != engine.content.texts.error
        assert_safe_reply(reply["text"], engine)
    assert len(standin.calls_of("sendMessage", mark)) == len(users) + 10
    await stop_cleanly(bot, standin)


async def test_polling_survives_get_updates_faults(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """Each retryable fault and a 429, twice in a row on getUpdates, then a question."""
    bot = await start_bot(telegram=FAST)
    for kind, status, description in [*RETRYABLE, (STATUS, 429, "Too Many Requests")]:
        name = fault_name((kind, status, description))
        standin.fail_next(
            "getUpdates",
            kind=kind,
            status=status,
            description=description,
            retry_after=1 if status == 429 else None,
            times=2,
        )
        mark = standin.mark()

        def failed(mark: int = mark) -> bool:
            return len([c for c in standin.calls_of("getUpdates", mark) if c.fault]) == 2

        await wait_until(failed, timeout=15.0)  # the held long poll ends empty, then 2 faults
        await standin.push(u.text_update("what is a cerclage"))
        await answered_once(standin, name, engine, mark)
    await stop_cleanly(bot, standin)


async def test_a_429_on_the_last_get_updates_at_shutdown_is_one_line(
    standin: BotApiStandIn, start_bot: Start
) -> None:
    """At shutdown PTB calls getUpdates once more to confirm the updates it fetched; when
    that fails the bot still stops cleanly, with one warning line and no traceback."""
    bot = await start_bot()
    await ask(standin, u.text_update("what is a cerclage"))
    standin.fail_next("getUpdates", status=429, description="Too Many Requests", retry_after=1,
                      times=5)
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log
    assert "WARNING" in bot.log and "RetryAfter" in bot.log


async def test_polling_outlasts_an_outage_longer_than_the_retries(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """getUpdates fails 7 times in a row (the retries give up after 5): one warning line,
    no traceback, and polling goes on until the answer is delivered."""
    bot = await start_bot(telegram=FAST)
    standin.fail_next("getUpdates", status=502, description="Bad Gateway", times=7)
    mark = standin.mark()
    await wait_until(lambda: len(standin.calls_of("getUpdates", mark)) >= 8, timeout=30.0)
    await standin.push(u.text_update("what is a cerclage"))
    await answered_once(standin, "what is a cerclage", engine, mark)
    await stop_cleanly(bot, standin)
    warning = "getUpdates failed (NetworkError: Bad Gateway); polling goes on"
    assert f"WARNING bot.app: {warning}" in bot.log


@pytest.mark.parametrize(
    ("status", "description"),
    [(400, "Bad Request: message text is empty"), (403, "Forbidden: bot was blocked by the user")],
)
async def test_errors_a_retry_cannot_fix_are_not_retried(
    standin: BotApiStandIn, start_bot: Start, status: int, description: str
) -> None:
    bot = await start_bot()
    standin.fail_next("sendMessage", status=status, description=description)
    mark = standin.mark()
    await standin.push(u.text_update("what is a cerclage"))
    await standin.wait_for("sendMessage", since=mark)
    await standin.quiet(1.0)  # a retry would come after 0.5 s (the default first wait)
    texts = [call["text"] for call in standin.sent("sendMessage", mark)]
    assert not any(first_paragraph(text).startswith("What is a cerclage?") for text in texts[1:])
    assert "retry" not in bot.log
    assert await bot.stop() == 0


async def test_a_429_waits_the_time_telegram_asks_then_delivers_once(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot()
    standin.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    mark = standin.mark()
    await standin.push(u.text_update("what is a cerclage"))
    await answered_once(standin, "what is a cerclage", engine, mark)
    first, second = standin.calls_of("sendMessage", mark)
    assert second.at - first.at >= 1.0
    assert first.params["text"] == second.params["text"]
    await stop_cleanly(bot, standin)


# --- start-up failures: one line, exit 2, the token nowhere ------------------------------------


async def start_failure(
    standin: BotApiStandIn, tmp_path: Path, case: str, level: str
) -> tuple[int, str]:
    """Run ``faqbot run`` in a way that cannot start; its exit status and its output."""
    telegram: JSON = {"token": CANARY}
    if case == "unreachable API":
        telegram["base_url"] = f"http://127.0.0.1:{free_port()}/bot"
    elif case == "Bot API down":
        standin.fail_next("getMe", status=502, description="Bad Gateway")
    elif case == "webhook port taken":
        telegram["webhook"] = {
            "url": "https://bot.example.org/hook",
            "listen": "127.0.0.1",
            "port": standin.port,  # the stand-in listens there already
            "secret_token": "s3cret",
        }
    if case != "rejected token":
        standin.token = CANARY
    config = write_config(tmp_path / "config.yaml", standin, telegram=telegram,
                          logging={"level": level})
    bot = await launch(config, tmp_path / f"bot-{level}.log")
    return await asyncio.wait_for(bot.wait(), 30), bot.log


STARTS = {
    "rejected token": "Telegram did not accept the bot token",
    "unreachable API": "cannot reach the Telegram Bot API",
    "Bot API down": "cannot reach the Telegram Bot API",
    "webhook port taken": "cannot listen for the webhook",
}


@pytest.mark.parametrize("case", list(STARTS))
async def test_a_failed_start_is_one_clear_line_and_exit_2(
    standin: BotApiStandIn, tmp_path: Path, case: str
) -> None:
    status, log = await start_failure(standin, tmp_path, case, "INFO")
    assert status == 2, log
    lines = [line for line in log.splitlines() if line.strip()]
    ours = [line for line in lines if line.startswith("faqbot run:")]
    assert len(ours) == 1 and STARTS[case] in ours[0], log
    assert not [line for line in lines if " WARNING " in line or " ERROR " in line], log
    assert "Traceback" not in log
    assert "retry" not in log  # at start-up a failure is said at once
    assert CANARY not in log and CANARY.split(":")[1] not in log
    assert_no_warnings_in(log)


@pytest.mark.parametrize("case", list(STARTS))
async def test_a_failed_start_shows_its_traceback_only_at_debug_without_the_token(
    standin: BotApiStandIn, tmp_path: Path, case: str
) -> None:
    status, log = await start_failure(standin, tmp_path, case, "DEBUG")
    assert status == 2, log
    assert "Traceback" in log
    assert CANARY not in log and CANARY.split(":")[1] not in log


def assert_no_warnings_in(log: str) -> None:
    assert "Warning" not in log and "Exception ignored" not in log, log


async def test_the_token_never_reaches_the_log_at_debug_through_faults(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """DEBUG, faults of every kind on every method, an apology: the token-shaped canary
    appears nowhere, not even in tracebacks."""
    standin.token = CANARY
    bot = await start_bot(telegram={"token": CANARY, **FAST}, logging={"level": "DEBUG"})
    for kind, status, description in RETRYABLE:
        standin.fail_next("sendMessage", kind=kind, status=status, description=description)
        standin.fail_next("getUpdates", kind=kind, status=status, description=description)
    await ask(standin, u.text_update("what is a cerclage"))
    standin.fail_next("sendMessage", status=400, description="Bad Request: forced")
    await ask(standin, u.text_update("what is a cerclage"), count=2)  # the answer fails: apology
    standin.fail_next("sendMessage", status=502, description="Bad Gateway", times=5)
    mark = standin.mark()
    await standin.push(u.text_update("what is a cerclage"))  # 5 attempts fail: apology
    await standin.wait_for("sendMessage", 6, since=mark, timeout=30.0)
    assert await bot.stop() == 0
    log = bot.log
    assert "Traceback" in log and "retry" in log  # the faults did show, at DEBUG
    assert CANARY not in log and CANARY.split(":")[1] not in log
    assert_no_warnings(bot)


# --- what an operator runs into while the bot runs ------------------------------------------


async def test_a_token_revoked_while_the_bot_runs_stops_it_with_exit_2(
    standin: BotApiStandIn, start_bot: Start
) -> None:
    """getMe was fine, then every call answers 401: the bot must not sit there answering
    nobody. It stops, says so in one message, and exits 2 for the service manager."""
    bot = await start_bot(logging={"level": "INFO"})
    standin.fail_next("getUpdates", status=401, description="Unauthorized", times=50)
    standin.fail_next("sendMessage", status=401, description="Unauthorized", times=50)
    assert await bot.wait(timeout=20.0) == 2, bot.log
    assert "Telegram stopped accepting the bot token while the bot ran" in bot.log
    assert "Traceback" not in bot.log
    assert_no_warnings(bot)


async def test_a_second_instance_polling_is_one_clear_line_per_conflict(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    bot = await start_bot(telegram=FAST)
    standin.fail_next(
        "getUpdates",
        status=409,
        description="Conflict: terminated by other getUpdates request",
        times=2,
    )
    mark = standin.mark()
    await wait_until(
        lambda: len([c for c in standin.calls_of("getUpdates", mark) if c.fault]) == 2,
        timeout=15.0,
    )
    await standin.push(u.text_update("what is a cerclage"))
    await answered_once(standin, "after a conflict", engine, mark)
    await stop_cleanly(bot, standin)
    assert "stop the other one; polling goes on" in bot.log


async def test_a_stop_during_an_outage_is_quick(
    standin: BotApiStandIn, start_bot: Start
) -> None:
    """SIGTERM while every call fails: no retries once a stop has begun, so the process ends
    well within the 10 s a service manager (docker stop) waits."""
    bot = await start_bot()
    standin.fail_next("getUpdates", status=502, description="Bad Gateway", times=100)
    mark = standin.mark()
    await wait_until(lambda: len(standin.calls_of("getUpdates", mark)) >= 2, timeout=10.0)
    started = asyncio.get_running_loop().time()
    assert await bot.stop() == 0, bot.log
    assert asyncio.get_running_loop().time() - started < 5.0


async def test_the_ambiguous_case_is_retried_so_an_answer_may_come_twice(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """The documented choice: when the connection drops after Telegram carried the call out,
    the bot cannot know, and retries. The person gets the answer twice, never not at all."""
    bot = await start_bot(telegram=FAST)
    standin.fail_next("sendMessage", kind=DELIVERED_THEN_DROP)
    mark = standin.mark()
    await standin.push(u.text_update("what is a cerclage"))
    await standin.wait_for("sendMessage", 2, since=mark, timeout=15.0)
    await standin.quiet(0.5)
    delivered = standin.delivered("sendMessage", mark)
    assert len(delivered) == 2 and delivered[0]["text"] == delivered[1]["text"]
    assert first_paragraph(delivered[0]["text"]).startswith("What is a cerclage?")
    await stop_cleanly(bot, standin)
    assert "may have been delivered" in bot.log


async def test_a_group_that_became_a_supergroup_gets_the_answer_in_its_new_chat(
    standin: BotApiStandIn, start_bot: Start, engine: Engine
) -> None:
    """Telegram refuses a send to a group that was just upgraded (400 with
    ``migrate_to_chat_id``): the answer goes to the supergroup, once, and no apology follows
    to the old chat, where it would fail the same way."""
    bot = await start_bot()
    new_chat = -1009876543210
    standin.fail_next(
        "sendMessage",
        status=400,
        description="Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=new_chat,
    )
    mark = standin.mark()
    await standin.push(
        u.update(message=u.command_message("/ask what is a cerclage", chat=u.group_chat()))
    )
    reply = await answered_once(standin, "what is a cerclage", engine, mark)
    assert reply["chat_id"] == new_chat
    assert first_paragraph(reply["text"]).startswith("What is a cerclage?")
    assert "Error while handling an update" not in bot.log
    await stop_cleanly(bot, standin)
