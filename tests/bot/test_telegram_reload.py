"""End to end: reloading the FAQ in the running bot (``/reload`` and the watch over the files),
through the real ``faqbot run`` against the Bot API stand-in.

A reload that finds any problem keeps the FAQ being served and says why, each problem with
its file:line; a good one replaces it at once. Only moderators (by user id) can /reload.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tg_updates as u
from test_telegram_e2e import Start, ask, stop_cleanly
from tg_checks import assert_safe_reply, visible
from tg_standin import BotApiStandIn

from bot.app import MODERATOR_COMMANDS
from faq import Engine
from faq.loader import PACKAGED_DATA
from tests.helpers import add_line_after

OTHER_USER = 424242999
NEW_ANSWER = "A cerclage is a stitch that helps keep the cervix closed (reloaded text)."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A moderator's copy of the packaged FAQ."""
    target = tmp_path / "my-faq"
    shutil.copytree(PACKAGED_DATA, target)
    return target


def set_cerclage_answer(folder: Path, text: str) -> None:
    faq = folder / "faq.yaml"
    source = faq.read_text(encoding="utf-8")
    start = source.index("  - id: cerclage\n")
    answer = source.index("    answer: |\n", start)
    end = source.index("    related:", answer)
    faq.write_text(
        source[:answer] + f"    answer: |\n      {text}\n" + source[end:], encoding="utf-8"
    )


async def cerclage_answer(standin: BotApiStandIn) -> str:
    [reply] = await ask(standin, u.update(message=u.message("what is a cerclage")))
    return visible(reply["text"])


async def reload(standin: BotApiStandIn, user_id: int = u.USER_ID) -> str:
    message = u.command_message("/reload", user_id=user_id)
    [reply] = await ask(standin, u.update(message=message), chat_id=user_id)
    return reply["text"]


async def test_reload_by_a_moderator_refuses_a_broken_faq_and_takes_a_good_one(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, folder: Path
) -> None:
    bot = await start_bot(moderators=[u.USER_ID], faq={"path": str(folder), "watch_seconds": 0})
    commands = [c for c in standin.sent("setMyCommands") if c["scope"]["type"] == "chat"]
    assert commands == [
        {
            "commands": [c.to_dict() for c in MODERATOR_COMMANDS],
            "scope": {"type": "chat", "chat_id": u.USER_ID},
        }
    ]
    old = await cerclage_answer(standin)

    # Invalid YAML and a misspelled placeholder: both reported, the old FAQ still served.
    (folder / "extra.yaml").write_text("entries: [\n", encoding="utf-8")
    texts = folder / "texts.yaml"
    texts.write_text(texts.read_text().replace("mention {botname}", "mention {botnam}"), "utf-8")
    refused = await reload(standin)
    assert_safe_reply(refused, engine)
    assert visible(refused).startswith("❌ The FAQ was NOT reloaded: users still get the previous")
    assert f"{folder / 'extra.yaml'}:2: not valid YAML" in visible(refused)
    assert "uses {botnam}, which is never filled in; did you mean {botname}?" in visible(refused)
    assert await cerclage_answer(standin) == old

    # A content test that fails is refused too, with the test's line.
    (folder / "extra.yaml").unlink()
    texts.write_text(texts.read_text().replace("mention {botnam}", "mention {botname}"), "utf-8")
    faq = folder / "faq.yaml"
    original = faq.read_text(encoding="utf-8")
    start = original.index("  - id: cerclage\n")
    test_at = original.index("    must_match:\n      - ", start) + len("    must_match:\n      - ")
    line = original[:test_at].count("\n") + 1
    faq.write_text(original[:test_at] + '"how common is a weak cervix"\n      - ' + original[
        test_at:
    ], encoding="utf-8")
    failing = visible(await reload(standin))
    assert f"{faq}:{line}: entry 'cerclage': must_match 'how common is a weak cervix'" in failing
    assert await cerclage_answer(standin) == old

    # A good edit: reloaded, and the very next question gets the new answer.
    faq.write_text(original, encoding="utf-8")
    set_cerclage_answer(folder, NEW_ANSWER)
    done = await reload(standin)
    assert_safe_reply(done, engine)
    assert visible(done).startswith("✅ FAQ reloaded in ")
    assert "every content test passed" in visible(done)
    assert NEW_ANSWER in await cerclage_answer(standin)
    await stop_cleanly(bot, standin)


async def test_reload_from_anyone_else_is_an_unknown_command(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, folder: Path
) -> None:
    bot = await start_bot(moderators=[u.USER_ID], faq={"path": str(folder), "watch_seconds": 0})
    set_cerclage_answer(folder, NEW_ANSWER)

    reply = await reload(standin, OTHER_USER)

    assert visible(reply).startswith(engine.content.texts.unknown_command)
    assert NEW_ANSWER not in await cerclage_answer(standin)  # nothing was reloaded
    await stop_cleanly(bot, standin)


async def test_the_watch_reloads_changed_files_and_tells_the_moderators_chat_once(
    standin: BotApiStandIn, start_bot: Start, engine: Engine, folder: Path
) -> None:
    bot = await start_bot(
        moderators=[u.USER_ID],
        moderators_chat=u.GROUP_ID,
        faq={"path": str(folder), "watch_seconds": 0.2},
    )
    mark = standin.mark()
    set_cerclage_answer(folder, NEW_ANSWER)
    [done] = await standin.wait_for("sendMessage", since=mark, chat_id=u.GROUP_ID, timeout=10)
    assert visible(done["text"]).startswith("✅ FAQ reloaded")
    assert NEW_ANSWER in await cerclage_answer(standin)

    # A broken save (half-written file): refused, announced once, the good FAQ still served.
    mark = standin.mark()
    (folder / "faq.yaml").write_text("entries:\n  - id: cerclage\n    question: [", "utf-8")
    [refused] = await standin.wait_for("sendMessage", since=mark, chat_id=u.GROUP_ID, timeout=10)
    assert "❌ The FAQ was NOT reloaded" in visible(refused["text"])
    await standin.quiet(1.0)  # several watch rounds: the same broken files are not re-announced
    assert len(standin.sent("sendMessage", since=mark, chat_id=u.GROUP_ID)) == 1
    assert NEW_ANSWER in await cerclage_answer(standin)
    await stop_cleanly(bot, standin)


async def test_questions_during_a_reload_are_all_answered(
    standin: BotApiStandIn, start_bot: Start, folder: Path
) -> None:
    bot = await start_bot(moderators=[u.USER_ID], faq={"path": str(folder), "watch_seconds": 0})
    set_cerclage_answer(folder, NEW_ANSWER)
    users = range(500000001, 500000031)
    mark = standin.mark()
    questions = [
        u.update(message=u.message("what is a cerclage", user_id=i)) for i in users
    ]
    command = u.command_message("/reload")
    await standin.push(*questions[:15], u.update(message=command), *questions[15:])

    replies = await standin.wait_for("sendMessage", len(questions) + 1, since=mark, timeout=20)

    answers = [r for r in replies if r["chat_id"] in users]
    assert sorted(r["chat_id"] for r in answers) == list(users)  # each once, none lost
    assert all("cerclage" in visible(r["text"]).lower() for r in answers)
    await stop_cleanly(bot, standin)


def test_a_deleted_faq_file_is_refused_with_its_reason(folder: Path) -> None:
    from bot.config import Config
    from bot.reload import load_checked

    (folder / "faq.yaml").unlink()

    engine, problems = load_checked(Config(faq_path=folder))

    assert engine is None
    assert [str(p) for p in problems] == [
        f"{folder}: no FAQ entries found (add an 'entries:' list)"
    ]


def test_a_reload_with_edited_red_flags_warns_that_the_scorers_were_learnt_on_others(
    folder: Path,
) -> None:
    from bot.config import Config
    from bot.reload import load_checked

    flags = folder / "red_flags.yaml"
    add_line_after(flags, "      - clotting problem", "      - clotting factor")

    engine, problems = load_checked(Config(faq_path=folder))

    assert engine is not None  # the bot serves the edited FAQ, and says what to rebuild
    assert [(p.file, p.error) for p in problems] == [("scorers.json", False)]
    assert "python scripts/build_scorers.py" in problems[0].message


def test_unreadable_scorers_refuse_the_reload_with_their_reason(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.config import Config
    from bot.reload import load_checked
    from faq import engine as engine_module
    from faq.scorer import ScorerError

    def broken() -> tuple[()]:
        raise ScorerError("scorers.json: not scorers of format 1")

    monkeypatch.setattr(engine_module, "packaged_scorers", broken)

    engine, problems = load_checked(Config(faq_path=folder))

    assert engine is None
    assert [p.message for p in problems] == [
        "the warning-sign scorers: scorers.json: not scorers of format 1"
    ]


def test_the_watch_reloads_a_change_only_once_the_files_stay_the_same(folder: Path) -> None:
    """An editor that empties a file and then writes it: the watch, looking in between, must
    not reload (and refuse, and announce) the empty file, then the whole one."""
    from bot.config import Config
    from bot.reload import Reloader

    reloader = Reloader(Config(faq_path=folder))
    assert not reloader.changed()  # the files served
    faq = folder / "faq.yaml"
    whole = faq.read_text(encoding="utf-8")
    faq.write_text("", encoding="utf-8")  # caught half-way through a save
    assert not reloader.changed()
    faq.write_text(whole + "\n# edited\n", encoding="utf-8")
    assert not reloader.changed()  # changed again since the last look: not yet
    assert reloader.changed()  # the same for one look: reload it
    faq.write_text(whole, encoding="utf-8")  # back to the files served: nothing to do
    assert not reloader.changed()
    assert not reloader.changed()
