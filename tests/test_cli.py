"""The ``faqbot`` command line: in-process through ``bot.cli.main`` and as ``python -m bot``."""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, cast

import pytest

import bot.cli
from bot.cli import main, render_plain
from bot.config import TOKEN_ENV
from faq import Content, Engine
from faq.loader import PACKAGED_DATA
from tests.helpers import write

JSON_FIELDS = {"question", "match", "suggestions", "urgent", "level", "reply"}
MATCH_SHAPE = {"id": "str", "question": "str", "score": "float"}
QUESTION = "what is a cerclage"
QUESTION_ID = "cerclage"
OTHER_QUESTION = "how common is a weak cervix"
URGENT_MESSAGES = [
    pytest.param("I am having cramps and spotting at 20 weeks", "urgent", id="cramps-spotting"),
    pytest.param("my water broke, what do i do", "emergency", id="water-broke"),
    pytest.param("im bleeding a lot and soaking a pad", "emergency", id="heavy-bleeding"),
    pytest.param("some nights i think about ending it all", "crisis", id="crisis"),
]
OFF_TOPIC = "what is the best sushi recipe"
SOURCE_LINE = 'source: {title: Key Facts, author: A nurse, date: "2020-01-27"}\n'
_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+): ")


# ---- helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What one command line run returned and printed."""

    code: int
    stdout: str
    stderr: str


def run_cli(*argv: str, stdin: str = "") -> Run:
    """Run ``faqbot ARGV`` in-process with ``stdin`` as standard input."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def run_module(cwd: Path, *argv: str, stdin: str = "") -> Run:
    """Run ``python -m bot ARGV`` in a new process from the folder ``cwd``."""
    env = {key: value for key, value in os.environ.items() if key != TOKEN_ENV}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def located_lines(text: str) -> list[tuple[str, int]]:
    """``(file, line)`` of every ``file:line: message`` line of ``text``."""
    found = (_LOCATED.match(line) for line in text.splitlines())
    return [(match["file"], int(match["line"])) for match in found if match]


def expected_plain(engine: Engine, entry_id: str) -> str:
    """The terminal text of a matched topic: the question it answers, its answer, the provider
    prompt and the disclaimer."""
    entry = engine.content.entry(entry_id)
    assert entry is not None
    texts = engine.content.texts
    body = f"📌 {entry.question}\n{entry.answer}"
    return f"{body}\n\n{texts.provider_prompt}\n\n{texts.disclaimer}\n"


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of ``text`` parsed as one JSON object."""
    return [json.loads(line) for line in text.splitlines()]


def shape(item: dict[str, Any]) -> dict[str, Any]:
    """The keys and value types of one ``ask --json`` object (the documented shape)."""

    def match_shape(match: dict[str, Any]) -> dict[str, str]:
        return {key: type(value).__name__ for key, value in match.items()}

    return {
        "keys": sorted(item),
        "question": type(item["question"]).__name__,
        "match": None if item["match"] is None else match_shape(item["match"]),
        "suggestions": [match_shape(match) for match in item["suggestions"]],
        "urgent": type(item["urgent"]).__name__,
        "level": type(item["level"]).__name__,
        "reply": type(item["reply"]).__name__,
    }


def broken_faq(folder: Path) -> Path:
    """A FAQ folder whose file has two problems: at lines 3 and 7. Returns the file."""
    return write(
        folder,
        "faq.yaml",
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
          - id: stitch
            question: What is the stitch?
            answr: It keeps the cervix closed.
            answer: It keeps the cervix closed.
        """,
    )


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The packaged FAQ, loaded once for this module: the source of every expected text."""
    return Engine.load()


# ---- ask --------------------------------------------------------------------------------------


def test_ask_prints_the_answer_with_the_provider_prompt_and_disclaimer(engine: Engine) -> None:
    run = run_cli("ask", QUESTION)

    assert run == Run(0, expected_plain(engine, QUESTION_ID), "")


def test_ask_with_several_questions_answers_each_under_its_question(engine: Engine) -> None:
    run = run_cli("ask", QUESTION, OTHER_QUESTION)

    headers = [line for line in run.stdout.splitlines() if line.startswith("❓")]
    assert (run.code, headers) == (0, [f"❓ {QUESTION}", f"❓ {OTHER_QUESTION}"])
    assert run.stdout.count(engine.content.texts.disclaimer) == 2
    assert expected_plain(engine, QUESTION_ID) in run.stdout


def test_ask_reads_stdin_lines_skips_blank_ones_and_loads_the_faq_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loads: list[object] = []
    original = bot.cli.load_content

    def counting_load(*args: Any, **kwargs: Any) -> Content:
        loads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(bot.cli, "load_content", counting_load)

    run = run_cli("ask", stdin=f"{QUESTION}\n\n   \n{OTHER_QUESTION}\r\n\n")

    headers = [line for line in run.stdout.splitlines() if line.startswith("❓")]
    assert (run.code, headers, len(loads)) == (
        0,
        [f"❓ {QUESTION}", f"❓ {OTHER_QUESTION}"],
        1,
    )


def test_ask_json_prints_one_object_per_question_with_the_documented_fields() -> None:
    questions = [QUESTION, "my water broke", OFF_TOPIC]

    run = run_cli("ask", "--json", stdin="\n".join(questions) + "\n")

    items = json_lines(run.stdout)
    assert (run.code, [item["question"] for item in items]) == (0, questions)
    assert [item["match"] is not None for item in items] == [True, False, False]
    for item in items:
        assert shape(item) == {
            "keys": sorted(JSON_FIELDS),
            "question": "str",
            "match": None if item["match"] is None else MATCH_SHAPE,
            "suggestions": [MATCH_SHAPE] * len(item["suggestions"]),
            "urgent": "bool",
            "level": "str",
            "reply": "str",
        }


def test_ask_json_reply_is_exactly_what_the_engine_answers(engine: Engine) -> None:
    questions = [QUESTION, "my water broke", OFF_TOPIC, "🤰"]

    run = run_cli("ask", "--json", *questions)

    replies = [item["reply"] for item in json_lines(run.stdout)]
    assert replies == [engine.answer(question).reply for question in questions]


def test_ask_json_matched_question_names_the_topic(engine: Engine) -> None:
    run = run_cli("ask", "--json", QUESTION)

    [item] = json_lines(run.stdout)
    entry = engine.content.entry(QUESTION_ID)
    assert entry is not None
    assert (item["match"]["id"], item["match"]["question"], item["urgent"], item["level"]) == (
        QUESTION_ID,
        entry.question,
        False,
        "none",
    )
    assert 0 <= item["match"]["score"] <= 100


@pytest.mark.parametrize(("message", "level"), URGENT_MESSAGES)
def test_ask_json_symptom_is_urgent_and_the_reply_opens_with_the_prompt(
    engine: Engine, message: str, level: str
) -> None:
    texts = engine.content.texts
    prompts = {
        "urgent": texts.urgent_prompt,
        "emergency": texts.emergency_prompt,
        "crisis": texts.crisis_prompt.replace("{helpline}", texts.crisis_helpline),
    }

    run = run_cli("ask", "--json", message)

    [item] = json_lines(run.stdout)
    assert (item["urgent"], item["level"]) == (True, level)
    assert item["reply"].split("\n\n", 1)[0] == prompts[level]
    assert item["reply"].endswith(texts.disclaimer)


def test_ask_json_off_topic_has_no_match_but_suggestions(engine: Engine) -> None:
    run = run_cli("ask", "--json", OFF_TOPIC)

    [item] = json_lines(run.stdout)
    known = {entry.id for entry in engine.topics}
    suggested = [match["id"] for match in item["suggestions"]]
    assert (item["match"], item["urgent"], bool(suggested)) == (None, False, True)
    assert [entry_id for entry_id in suggested if entry_id not in known] == []


def test_ask_with_a_config_pointing_at_a_broken_faq_lists_its_problems(tmp_path: Path) -> None:
    faq_file = broken_faq(tmp_path / "broken")
    config = write(tmp_path, "config.yaml", "faq:\n  path: broken\n")
    resolved = str(faq_file.resolve())

    run = run_cli("ask", "--config", str(config), QUESTION)

    assert (run.code, run.stdout) == (1, "")
    assert located_lines(run.stderr) == [(resolved, 3), (resolved, 7)]
    assert "problem" in run.stderr.splitlines()[-1]


@pytest.mark.parametrize("command", ["ask", "check"])
def test_unreadable_scorers_are_a_clear_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from faq import engine as engine_module
    from faq.scorer import ScorerError

    def broken() -> tuple[()]:
        raise ScorerError("scorers.json: cannot read the scorers (No such file or directory)")

    monkeypatch.setattr(engine_module, "packaged_scorers", broken)
    run = run_cli(command, QUESTION) if command == "ask" else run_cli(command)

    assert run.code == 1 and run.stdout.count("Traceback") == 0
    text = run.stderr + run.stdout
    assert "warning-sign scorers could not be read" in text
    assert "No such file or directory" in text and "Traceback" not in text


@pytest.mark.parametrize("command", ["ask", "chat", "check", "run"])
def test_invalid_config_exits_2_naming_the_key(tmp_path: Path, command: str) -> None:
    config = write(tmp_path, "config.yaml", "flood:\n  messages: 0\n")

    run = run_cli(command, "--config", str(config))

    named = [line for line in run.stderr.splitlines() if line.startswith(f"{config}: ")]
    assert (run.code, run.stdout) == (2, "")
    assert [line.split(": ")[1] for line in named] == ["flood.messages"]


def test_missing_config_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"

    run = run_cli("ask", "--config", str(missing), QUESTION)

    assert (run.code, run.stdout) == (2, "")
    assert f"{missing}: config file not found" in run.stderr.splitlines()


# ---- check ------------------------------------------------------------------------------------


def test_check_on_the_packaged_faq_says_ok(engine: Engine) -> None:
    run = run_cli("check")

    assert (run.code, run.stderr) == (0, "")
    assert run.stdout.startswith(f"{PACKAGED_DATA}: OK: {len(engine.topics)} entries")


def test_check_a_broken_folder_lists_each_problem_as_file_line(tmp_path: Path) -> None:
    faq_file = broken_faq(tmp_path / "broken")

    run = run_cli("check", str(tmp_path / "broken"))

    lines = run.stderr.splitlines()
    assert (run.code, run.stdout) == (1, "")
    assert located_lines(run.stderr) == [(str(faq_file), 3), (str(faq_file), 7)]
    assert lines[-1] == f"{tmp_path / 'broken'}: 2 errors, 0 warnings"


def test_check_uses_the_faq_path_of_the_config(tmp_path: Path) -> None:
    faq_file = broken_faq(tmp_path / "broken")
    config = write(tmp_path, "config.yaml", "faq:\n  path: broken\n")

    run = run_cli("check", "--config", str(config))

    resolved = str(faq_file.resolve())
    assert (run.code, located_lines(run.stderr)) == (1, [(resolved, 3), (resolved, 7)])


def test_check_reports_phrasings_that_look_the_same_to_the_matcher(tmp_path: Path) -> None:
    faq_file = write(
        tmp_path / "faq",
        "faq.yaml",
        SOURCE_LINE
        + textwrap.dedent(
            """\
            entries:
              - id: cerclage
                question: What is a cerclage?
                answer: A stitch in the cervix.
              - id: closing
                question: How does a cerclage keep the cervix closed?
                alternatives: [what is the cerclage]
                answer: It holds the cervix shut.
            """
        ),
    )

    run = run_cli("check", str(faq_file.parent))

    # At the line of the alternative itself, naming the other phrasing and its line.
    assert (run.code, run.stdout, located_lines(run.stderr)) == (1, "", [(str(faq_file), 8)])
    assert "entry 'closing': the phrasing 'what is the cerclage' reads the same" in run.stderr
    assert f"('cerclage') as 'What is a cerclage?' of 'cerclage' ({faq_file}:4)" in run.stderr


def test_check_reports_phrasings_made_only_of_common_words(tmp_path: Path) -> None:
    faq_file = write(
        tmp_path,
        "faq.yaml",
        SOURCE_LINE
        + "entries:\n  - id: cerclage\n    question: What is a cerclage?\n"
        + "    alternatives: [what is it]\n    answer: A stitch.\n",
    )

    run = run_cli("check", str(faq_file))
    strict = run_cli("check", "--strict", str(faq_file))

    # A warning: the bot still works, the phrasing is only useless. --strict fails on it.
    assert (run.code, located_lines(run.stderr)) == (0, [(str(faq_file), 5)])
    assert "warning: entry 'cerclage': the phrasing 'what is it' has only common words" in (
        run.stderr
    )
    assert run.stdout.startswith(f"{faq_file}: OK: 1 entries")
    assert (strict.code, strict.stdout) == (1, "")
    strict_line = f"{faq_file}: not OK with --strict: fix the warnings above\n"
    assert strict.stderr == run.stderr + strict_line


# ---- help, version and usage ------------------------------------------------------------------


def run_exiting(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """Run ``faqbot ARGV`` in-process when argparse may exit (``--help``, ``--version``).

    The exit code is ``main``'s return value or the ``SystemExit`` code; the output is what went
    to the given streams and to the process's own.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(list(argv), stdin=io.StringIO(), stdout=out, stderr=err)
    except SystemExit as exited:
        code = exited.code if isinstance(exited.code, int) else 1
    captured = capsys.readouterr()
    return Run(code, out.getvalue() + captured.out, err.getvalue() + captured.err)


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_exiting(capsys, "--version")

    assert (run.code, run.stdout) == (
        0,
        f"faqbot {importlib.metadata.version('pregnancy-faqbot')}\n",
    )


HELP = [
    pytest.param([], ["ask", "chat", "check", "run", "--version"], id="faqbot"),
    pytest.param(["ask"], ["--config", "--json", "QUESTION"], id="ask"),
    pytest.param(["chat"], ["--config", "/topics", "/quit"], id="chat"),
    pytest.param(["check"], ["--config", "FAQ_PATH"], id="check"),
    pytest.param(["run"], ["--config", TOKEN_ENV], id="run"),
]


@pytest.mark.parametrize(("command", "mentions"), HELP)
def test_help_exits_0_and_mentions_the_options(
    capsys: pytest.CaptureFixture[str], command: list[str], mentions: list[str]
) -> None:
    run = run_exiting(capsys, *command, "--help")

    usage = " ".join(["usage: faqbot", *command])
    assert (run.code, run.stdout.startswith(usage)) == (0, True)
    assert [word for word in mentions if word not in run.stdout] == []


def test_help_is_written_to_the_given_stdout_and_returned_as_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = io.StringIO()

    try:
        code: object = main(["--help"], stdin=io.StringIO(), stdout=out, stderr=io.StringIO())
    except SystemExit as exited:
        code = f"SystemExit({exited.code})"

    capsys.readouterr()
    assert (code, out.getvalue().startswith("usage: faqbot")) == (0, True)


def test_no_command_prints_help_and_exits_2() -> None:
    run = run_cli()

    assert (run.code, run.stdout.startswith("usage: faqbot")) == (2, True)
    assert [name for name in ("ask", "chat", "check", "run") if name not in run.stdout] == []


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_exiting(capsys, "ask", "--bogus", QUESTION)

    assert (run.code, "--bogus" in run.stderr) == (2, True)


# ---- chat -------------------------------------------------------------------------------------


def test_chat_answers_lists_topics_opens_a_numbered_topic_and_quits(engine: Engine) -> None:
    ids = [entry.id for entry in engine.topics]
    number = ids.index("cerclage-anesthesia") + 1
    asked = engine.content.entry(QUESTION_ID)
    opened = engine.content.entry("cerclage-anesthesia")
    assert asked is not None and opened is not None

    run = run_cli("chat", stdin=f"{QUESTION}\n/topics\n{number}\n/quit\nnever read\n")

    out = run.stdout
    listed = [f"  {i}. {entry.question}" for i, entry in enumerate(engine.topics, 1)]
    assert (run.code, out.endswith("Bye, take care!\n")) == (0, True)
    shown = "\n".join(replies(out)).splitlines()
    assert [line for line in listed if line not in shown] == []
    order = [
        out.find(asked.answer.splitlines()[0]),
        out.find(engine.content.texts.chat_topics_intro),
        out.find(opened.answer.splitlines()[0]),
        out.find("Bye, take care!"),
    ]
    assert -1 not in order and order == sorted(order)
    # the welcome and three replies, each with the disclaimer and the provider prompt
    assert out.count(engine.content.texts.disclaimer) == 4
    assert out.count(engine.content.texts.provider_prompt) == 4


def test_chat_number_opens_a_suggestion_of_the_previous_reply(engine: Engine) -> None:
    suggestion = engine.answer(OFF_TOPIC).suggestions[0]
    entry = engine.content.entry(suggestion.id)
    assert entry is not None

    run = run_cli("chat", stdin=f"{OFF_TOPIC}\n1\n")

    assert (run.code, entry.answer.splitlines()[0] in run.stdout) == (0, True)


def replies(out: str) -> list[str]:
    """The bot's replies in a ``faqbot chat`` transcript, unindented."""
    return [
        "\n".join(line.removeprefix("     ") for line in part.split("\n\nBye")[0].splitlines())
        for part in out.split("\nbot> ")[1:]
    ]


def test_chat_commands_do_what_they_do_on_telegram(engine: Engine) -> None:
    texts = engine.content.texts
    source = engine.content.source

    run = run_cli("chat", stdin="/start\n/help\n/about\n/topics\n/ask\n/frobnicate now\n")

    start, help_, about, topics, ask, unknown = replies(run.stdout)
    # The terminal's own welcome and help: no buttons or @mentions to point at here.
    assert start.startswith(texts.chat_welcome)
    assert help_.startswith(texts.chat_help)
    assert about.startswith(f'My answers come from "{source.title}" by {source.author}')
    assert "{" not in about + help_
    assert topics.startswith(texts.chat_topics_intro)
    assert "  14. " + engine.topics[13].question in topics
    assert ask.startswith(texts.group_ask_hint)
    assert unknown.startswith(texts.unknown_command)
    # Every reply, whatever produced it, ends with the provider prompt and the disclaimer.
    tail = f"{texts.provider_prompt}\n\n{texts.disclaimer}"
    assert [reply.endswith(tail) for reply in replies(run.stdout)] == [True] * 6


def test_chat_a_number_with_no_topic_says_so_and_the_list_still_works(engine: Engine) -> None:
    third = engine.topics[2]

    run = run_cli("chat", stdin="/topics\n99\n0\n3\n")

    _, missing, zero, opened = replies(run.stdout)
    assert missing.startswith("There is no topic 99 in the list shown last.")
    assert zero.startswith("There is no topic 0 in the list shown last.")
    assert opened.startswith(f"📌 {third.question}\n{third.answer.splitlines()[0]}")


def test_chat_the_numbered_list_stays_after_one_topic_is_opened(engine: Engine) -> None:
    run = run_cli("chat", stdin="/topics\n1\n2\n")

    _, first, second = replies(run.stdout)
    assert first.startswith(f"📌 {engine.topics[0].question}")
    assert second.startswith(f"📌 {engine.topics[1].question}")


def test_chat_a_number_opens_only_a_list_that_was_shown(engine: Engine) -> None:
    run = run_cli("chat", stdin=f"3\n{QUESTION}\n1\n/topics\n#2\n")

    before, _, after_answer, _, opened = replies(run.stdout)
    assert before.startswith("There is no topic 3 in the list shown last.")
    # The answer numbered nothing.
    assert after_answer.startswith("There is no topic 1 in the list shown last.")
    assert opened.startswith(f"📌 {engine.topics[1].question}")


def test_chat_ask_command_answers_its_question(engine: Engine) -> None:
    run = run_cli("chat", stdin=f"/ask {QUESTION}\n")

    assert replies(run.stdout) == [render_plain(engine.answer(QUESTION))]


def test_chat_ends_cleanly_at_end_of_input(engine: Engine) -> None:
    asked = engine.content.entry(QUESTION_ID)
    assert asked is not None

    run = run_cli("chat", stdin=f"{QUESTION}\n")

    assert (run.code, run.stderr, run.stdout.endswith("Bye, take care!\n")) == (0, "", True)
    assert asked.answer.splitlines()[0] in run.stdout


def test_chat_with_no_input_at_all_exits_0() -> None:
    run = run_cli("chat")

    assert (run.code, run.stderr) == (0, "")


# ---- python -m bot, from another folder -------------------------------------------------------


def test_python_m_bot_ask_works_from_any_folder(tmp_path: Path, engine: Engine) -> None:
    run = run_module(tmp_path, "ask", QUESTION)

    assert run == Run(0, expected_plain(engine, QUESTION_ID), "")


def test_python_m_bot_ask_json_reads_stdin(tmp_path: Path, engine: Engine) -> None:
    run = run_module(tmp_path, "ask", "--json", stdin=f"{QUESTION}\n\nmy water broke\n")

    items = json_lines(run.stdout)
    assert (run.code, [item["reply"] for item in items]) == (
        0,
        [engine.answer(QUESTION).reply, engine.answer("my water broke").reply],
    )


def test_python_m_bot_check_resolves_a_relative_faq_path_from_the_working_folder(
    tmp_path: Path,
) -> None:
    faq_file = broken_faq(tmp_path / "broken")

    run = run_module(tmp_path, "check", "broken")

    expected = str(faq_file.relative_to(tmp_path))
    assert (run.code, located_lines(run.stderr)) == (1, [(expected, 3), (expected, 7)])


def test_python_m_bot_check_of_the_packaged_faq_from_any_folder(tmp_path: Path) -> None:
    run = run_module(tmp_path, "check")

    assert (run.code, run.stderr, ": OK: " in run.stdout) == (0, "", True)


# ---- interruptions ----------------------------------------------------------------------------


class InterruptedInput:
    """Standard input where the user presses Ctrl+C (only what ``chat`` reads with)."""

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        raise KeyboardInterrupt


class ClosedPipe(io.StringIO):
    """Standard output piped into a program that has exited (``faqbot ask ... | head``)."""

    def write(self, text: str, /) -> int:
        raise BrokenPipeError


def test_ctrl_c_in_chat_exits_130() -> None:
    err = io.StringIO()

    code = main(["chat"], stdin=cast(TextIO, InterruptedInput()), stdout=io.StringIO(), stderr=err)

    assert (code, err.getvalue()) == (130, "\ninterrupted\n")


def test_closed_output_pipe_ends_ask_quietly() -> None:
    err = io.StringIO()

    code = main(["ask", QUESTION], stdin=io.StringIO(), stdout=ClosedPipe(), stderr=err)

    assert (code, err.getvalue()) == (0, "")


def test_the_chat_welcome_carries_the_provider_prompt_and_the_disclaimer(engine: Engine) -> None:
    texts = engine.content.texts
    run = run_cli("chat", stdin="")
    welcome = run.stdout.split("\nBye")[0]
    assert welcome.startswith(texts.chat_welcome)
    assert texts.provider_prompt in welcome and texts.disclaimer in welcome
