"""End to end: statistics, 👍 / 👎 under answers and the moderators' /stats, /gaps and
/feedback, through the real ``faqbot run`` against the Bot API stand-in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import tg_updates as u
from test_telegram_e2e import Start, ask, stop_cleanly
from tg_checks import assert_safe_reply, callback_data, visible
from tg_standin import BotApiStandIn

from faq import Engine

OTHER_USER = 424242999


async def command(standin: BotApiStandIn, text: str, user_id: int = u.USER_ID) -> str:
    message = u.command_message(text, user_id=user_id)
    [reply] = await ask(standin, u.update(message=message), chat_id=user_id)
    return reply["text"]


async def test_votes_stats_gaps_and_feedback(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, tmp_path: Path
) -> None:
    database = tmp_path / "stats.sqlite3"
    bot = await start_bot(moderators=[u.USER_ID], stats={"path": str(database)})

    # A user asks: one answer (with 👍 / 👎 under it), one question the FAQ cannot answer
    # (with an e-mail address in it), one warning sign.
    mark = standin.mark()
    [answer] = await ask(standin, u.text_update("what is a cerclage", user_id=OTHER_USER))
    assert callback_data(answer)[:2] == ["v:cerclage:1", "v:cerclage:0"]
    shown = standin.calls_of("sendMessage", mark)[0].result
    await ask(standin, u.text_update("can i fly with my stitch? mail me at jo@example.org",
                                     user_id=OTHER_USER))
    await ask(standin, u.text_update("im spotting at 16 weeks", user_id=OTHER_USER))

    # 👍 then 👎 on the same answer: one vote, changed; each press gets the thank-you pop-up.
    for data in ("v:cerclage:1", "v:cerclage:0"):
        mark = standin.mark()
        press = u.callback_update(data, user_id=OTHER_USER, on=shown)
        await standin.push(press)
        [popup] = await standin.wait_for("answerCallbackQuery", since=mark)
        assert popup["text"] == engine.content.texts.feedback_thanks

    stats = visible(await command(standin, "/stats"))
    # The warning sign asks nothing: its prompt and the topics, no answer; and it is no gap
    # for the moderators (a report's words are never stored).
    assert stats.startswith("Last 30 days: 3 messages.\nAnswered: 1; no answer: 2.\n")
    assert "Warning signs: 1 urgent, 0 emergency, 0 crisis." in stats
    gaps = await command(standin, "/gaps")
    assert_safe_reply(gaps, engine)
    assert "1  can i fly with my stitch? mail me at [email]" in visible(gaps)
    assert "spotting" not in visible(gaps)
    feedback = visible(await command(standin, "/feedback"))
    assert "👍    0  👎    1  cerclage" in feedback

    # Not a moderator: the ordinary unknown-command reply, no statistics.
    other = visible(await command(standin, "/stats", user_id=OTHER_USER))
    assert other.startswith(engine.content.texts.unknown_command)
    await stop_cleanly(bot, standin)

    # Nothing in the database says who asked.
    dump = "\n".join(sqlite3.connect(database).iterdump())
    assert str(OTHER_USER) not in dump and "jo@example.org" not in dump


async def test_a_broken_statistics_database_never_stops_the_answers(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, tmp_path: Path
) -> None:
    database = tmp_path / "stats.sqlite3"
    database.write_bytes(b"not a database at all " * 200)
    bot = await start_bot(moderators=[u.USER_ID], stats={"path": str(database)})

    [answer] = await ask(standin, u.text_update("what is a cerclage"))
    stats = visible(await command(standin, "/stats"))

    assert_safe_reply(answer["text"], engine)
    assert "cerclage" in visible(answer["text"]).lower()
    assert not [data for data in callback_data(answer) if data.startswith("v:")]  # no votes
    assert stats.startswith("No statistics: cannot open the statistics database")
    assert "statistics off" in bot.log
    await stop_cleanly(bot, standin)
