"""The ``faqbot`` command line: ``ask``, ``chat``, ``check`` and ``run``.

``ask``, ``chat`` and ``check`` work with no Telegram at all (and no token): they call the same
``faq.Engine`` the bot uses, so a moderator sees exactly what a user would get.

Exit codes: 0 success; 1 the FAQ content is invalid; 2 a usage or config error; 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot import __version__
from bot.config import Config, ConfigError, build_engine, load_config
from bot.stats import StatsStore, feedback_text, gaps_text, stats_text
from faq import ContentError, Engine
from faq.checks import TestResult, check_content, run_tests, test_problems
from faq.loader import PACKAGED_DATA, load_content, read_content
from faq.model import Answer, Content, Problem, SectionKind
from faq.scorer import PACKAGED_SCORERS, ScorerError
from faq.text import fill

EXIT_OK = 0
EXIT_INVALID_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

EPILOG = """\
examples:
  faqbot ask "wats a cerclarge"          answer one question
  faqbot ask --json < questions.txt      answer one question per line, as JSON lines
  faqbot chat                            talk to the bot in the terminal
  faqbot check my-faq/                   validate a folder of FAQ YAML
  faqbot gaps --days 7                   what users asked that the FAQ could not answer
  faqbot run --config config.yaml        run the Telegram bot

This bot gives general information from a nurse's article, not medical advice."""


class CliError(Exception):
    """A problem to print (one line each) before exiting with ``code``."""

    def __init__(self, lines: list[str], code: int) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="A Telegram FAQ bot for pregnancy questions (cervical incompetence), "
        "answering from a curated, sourced FAQ.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=description)
        sub.add_argument(
            "--config",
            metavar="PATH",
            help="config file (YAML, see config.example.yaml); default: built-in defaults "
            "and the packaged FAQ",
        )
        return sub

    ask = add(
        "ask",
        "answer questions locally (no Telegram needed)",
        "Answer questions from the FAQ, exactly as the bot would. With no QUESTION, read "
        "questions from standard input, one per line (the FAQ is loaded once).",
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("questions", nargs="*", metavar="QUESTION", help="a question to answer")

    add(
        "chat",
        "talk to the bot in the terminal",
        "An interactive conversation in the terminal with the same answers as on Telegram. "
        "Type /topics to list every topic, a number to open a listed topic, /quit to leave.",
    )

    check = add(
        "check",
        "validate FAQ YAML and run its tests",
        "Validate FAQ YAML (a folder or one file; default: faq.path of the config, else the "
        "packaged FAQ): its shape, its texts' placeholders, the content's own tests "
        "(must_match / must_not_match) and alternatives that land closer to another entry. "
        "Prints every problem at once as 'file:line: message' (warnings as 'file:line: "
        "warning: message') and exits 1 when there is any error, 0 otherwise.",
    )
    check.add_argument("faq_path", nargs="?", metavar="FAQ_PATH", help="FAQ folder or file")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too (for CI)")

    for name, help_text, description in (
        ("stats", "answers per topic, no-answer and warning-sign counts",
         "Statistics from the bot's database (stats.path of the config): answers per topic, "
         "messages with no answer, and urgent, emergency and crisis counts, over --days."),
        ("gaps", "the most frequent questions the FAQ could not answer",
         "The most frequent unanswered questions over --days, similar ones grouped, with "
         "counts (personal details were masked when they were stored)."),
        ("feedback", "helpful / not helpful votes per topic",
         "Votes under answers per topic over --days; votes on an answer since rewritten are "
         "counted apart."),
    ):
        sub = add(name, help_text, description)
        sub.add_argument("--days", type=int, default=30 if name != "feedback" else 90,
                         help="how many days back (default: %(default)s)")
        sub.add_argument("--json", action="store_true", help="print JSON for tools")
        if name == "gaps":
            sub.add_argument("--limit", type=int, default=10, help="how many gaps (default 10)")

    add(
        "run",
        "run the Telegram bot",
        "Run the Telegram bot: long polling by default, a webhook when telegram.webhook is "
        "configured. The token comes from FAQBOT_TELEGRAM_TOKEN or telegram.token.",
    )
    return parser


def _config(path: str | None) -> Config:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise CliError(["faqbot: invalid config:", *exc.problems], EXIT_USAGE) from None


def _engine(config: Config) -> Engine:
    try:
        return build_engine(config, load_content(config.faq_path))
    except ContentError as exc:
        raise CliError(
            [
                *exc.problems,
                f"faqbot: the FAQ has {len(exc.problems)} problem(s); fix them "
                "('faqbot check' lists them) and try again.",
            ],
            EXIT_INVALID_CONTENT,
        ) from None
    except ScorerError as exc:
        raise CliError([scorer_problem(exc).message], EXIT_INVALID_CONTENT) from None


def scorer_problem(error: ScorerError) -> Problem:
    """The packaged warning-sign scorers could not be read: a broken install, said plainly."""
    return Problem(
        str(PACKAGED_SCORERS),
        0,
        f"faqbot: the warning-sign scorers could not be read ({error}); reinstall faqbot "
        "('pip install .') or rebuild them ('python scripts/build_scorers.py')",
    )


def _questions(arguments: list[str], stdin: TextIO) -> Iterator[str]:
    if arguments:
        yield from arguments
        return
    for line in stdin:
        line = line.rstrip("\r\n")
        if line.strip():
            yield line


def render_plain(answer: Answer) -> str:
    """The reply as the terminal shows it: plain text, the answered question above its answer
    (as on Telegram), suggestions numbered."""
    parts: list[str] = []
    for section in answer.sections:
        if section.kind is SectionKind.ANSWER and answer.entry is not None:
            parts.append(f"📌 {answer.entry.question}\n{section.text}")
        elif section.kind is SectionKind.SUGGESTIONS:
            intro = section.text.splitlines()[0]
            lines = [f"  {i}. {match.question}" for i, match in enumerate(answer.suggestions, 1)]
            parts.append("\n".join([intro, *lines]))
        else:
            parts.append(section.text)
    return "\n\n".join(parts)


def cmd_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    engine = _engine(_config(args.config))
    questions = list(args.questions)
    batch = not questions or len(questions) > 1
    first = True
    for question in _questions(questions, stdin):
        answer = engine.answer(question)
        if args.json:
            stdout.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        else:
            if not first:
                stdout.write("\n" + "─" * 40 + "\n")
            if batch:
                stdout.write(f"❓ {question}\n\n")
            stdout.write(render_plain(answer) + "\n")
        stdout.flush()
        first = False
    return EXIT_OK


#: A topic number as people type it: "3", "3.", "#3".
_NUMBER = re.compile(r"\A#?\s*(\d{1,6})\s*[.)]?\Z")


class Chat:
    """The state of one terminal conversation: what the last reply numbered."""

    QUIT = frozenset({"/quit", "/exit", "/q", "quit", "exit"})

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # The terminal has no @name to fill in for the Telegram placeholder.
        self.values = engine.content.source.notice_values("the bot's @name")
        self.listed: list[str] = []  # entry ids the last reply numbered, so "2" opens the second

    def notice(self, key: str, *, extra: str = "") -> str:
        """A notice with the provider prompt and the disclaimer, as the bot sends it."""
        answer = self.engine.notice(key)
        parts = [fill(section.text, self.values) for section in answer.sections]
        if extra:
            parts.insert(1, extra)
        return "\n\n".join(parts)

    def topics(self) -> str:
        self.listed = [entry.id for entry in self.engine.topics]
        lines = [f"  {i}. {entry.question}" for i, entry in enumerate(self.engine.topics, 1)]
        return self.notice("chat_topics_intro", extra="\n".join(lines))

    def open_number(self, number: int) -> str:
        """Open topic ``number`` of the last numbered list shown (/topics, or the suggestions
        of a "no answer" reply), until another reply replaces it; any other number is no
        topic."""
        in_range = 1 <= number <= len(self.listed)
        answer = self.engine.entry_answer(self.listed[number - 1]) if in_range else None
        if answer is None:
            return self.notice("chat_no_topic").replace("{number}", str(number))
        return render_plain(answer)  # the list stays: "1", then "2", opens both

    def reply(self, text: str) -> str:
        """The bot's reply to one line the user typed."""
        command, _, rest = text.partition(" ")
        command = command.lower().split("@", 1)[0]
        if command == "/start":  # the terminal's own welcome and help: no buttons here
            return self.notice("chat_welcome")
        if command == "/help":
            return self.notice("chat_help")
        if command == "/about":
            return self.notice("about")
        if command in ("/topics", "topics"):
            return self.topics()
        if command == "/ask":
            text = rest.strip()
            if not text:
                return self.notice("group_ask_hint")
        elif command.startswith("/") and len(command) > 1:
            return self.notice("unknown_command")
        number = _NUMBER.match(text)
        if number:
            return self.open_number(int(number.group(1)))
        answer = self.engine.answer(text)
        numbered = any(s.kind is SectionKind.SUGGESTIONS for s in answer.sections)
        self.listed = [match.id for match in answer.suggestions] if numbered else []
        return render_plain(answer)


def cmd_chat(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    engine = _engine(_config(args.config))
    chat = Chat(engine)
    # The welcome is a reply like any other: the provider prompt and the disclaimer with it.
    stdout.write(chat.notice("chat_welcome") + "\n")
    interactive = stdin.isatty()
    while True:
        if interactive:
            stdout.write("\nyou> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\nBye, take care!\n")
            return EXIT_OK
        text = line.strip()
        if text.lower() in Chat.QUIT:
            stdout.write("Bye, take care!\n")
            return EXIT_OK
        stdout.write("\nbot> " + chat.reply(text).replace("\n", "\n     ") + "\n")


def check_report(
    target: Path, config: Config
) -> tuple[Content | None, list[Problem], list[TestResult]]:
    """Everything ``faqbot check`` reports on ``target``: the loader's problems, and when
    enough of the content parsed, the content tests and the matcher's checks."""
    content, problems = read_content(target)
    results: list[TestResult] = []
    if content is not None:
        try:
            engine = build_engine(config, content)
        except ScorerError as exc:
            return content, [*problems, scorer_problem(exc)], results
        found, results = check_content(engine)
        problems = [*problems, *found]
    problems.sort(key=lambda p: (p.file, p.line))
    return content, problems, results


def cmd_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    config = _config(args.config)
    target = Path(args.faq_path) if args.faq_path else config.faq_path or PACKAGED_DATA
    content, problems, results = check_report(target, config)
    errors = [problem for problem in problems if problem.error]
    warnings = [problem for problem in problems if not problem.error]
    failed = bool(errors) or content is None or (args.strict and bool(warnings))
    if args.json:
        loaded = None
        if content is not None:
            loaded = {
                "entries": len(content.entries),
                "phrasings": sum(len(entry.phrasings) for entry in content.entries),
                "red_flags": len(content.red_flags),
                "tests": len(results),
                "tests_failed": sum(1 for result in results if not result.passed),
            }
        report = {
            "path": str(target),
            "ok": not failed,
            "errors": len(errors),
            "warnings": len(warnings),
            "problems": [problem.to_json() for problem in problems],
            "content": loaded,
        }
        stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return EXIT_INVALID_CONTENT if failed else EXIT_OK
    for problem in problems:
        stderr.write(f"{problem}\n")
    if problems:
        counts = f"{_count(len(errors), 'error')}, {_count(len(warnings), 'warning')}"
        stderr.write(f"{target}: {counts}\n")
    if content is None or errors:
        return EXIT_INVALID_CONTENT
    if failed:  # --strict with warnings
        stderr.write(f"{target}: not OK with --strict: fix the warnings above\n")
        return EXIT_INVALID_CONTENT
    phrasings = sum(len(entry.phrasings) for entry in content.entries)
    passed = sum(1 for result in results if result.passed)
    stdout.write(
        f"{target}: OK: {len(content.entries)} entries, {phrasings} phrasings, "
        f"{len(content.red_flags)} red flags, {passed}/{len(results)} content tests passed, "
        f"source: {content.source.title} ({content.source.author}, {content.source.date})\n"
    )
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def cmd_stats(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``faqbot stats``, ``gaps`` and ``feedback``: read the bot's statistics database."""
    config = _config(args.config)
    if args.days < 1:
        raise CliError(["faqbot: --days must be at least 1"], EXIT_USAGE)
    path = config.stats_path
    if path is None:
        raise CliError(["faqbot: statistics are off (stats.enabled: false)"], EXIT_USAGE)
    if not path.exists():
        stderr.write(f"faqbot: no statistics yet at {path} (the bot writes them while it runs)\n")
        if args.json:
            stdout.write("null\n")
        return EXIT_OK
    store = StatsStore(path)
    try:
        if not store.enabled:
            raise CliError([f"faqbot: {store.problem}"], EXIT_INVALID_CONTENT)
        if args.command == "stats":
            summary = store.summary(args.days)
            data: object = summary
            text = stats_text(summary)
        elif args.command == "gaps":
            gaps = store.gaps(args.days, args.limit)
            data = [{"example": g.example, "count": g.count, "similar": g.others} for g in gaps]
            text = gaps_text(gaps, args.days)
        else:
            engine = _engine(config)
            current = {entry.id: entry.answer for entry in engine.topics}
            votes = store.feedback(current, args.days)
            data = [
                {"id": v.entry_id, "helpful": v.helpful, "not_helpful": v.not_helpful,
                 "earlier_wordings": v.earlier}
                for v in votes
            ]
            text = feedback_text(votes, args.days)
    finally:
        store.close()
    stdout.write((json.dumps(data, ensure_ascii=False, indent=2) if args.json else text) + "\n")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, stderr: TextIO) -> int:
    config = _config(args.config)
    engine = _engine(config)
    failing = test_problems(run_tests(engine))
    if failing:  # the bot would answer wrongly: the same rule as a reload
        raise CliError(
            [
                *map(str, failing),
                f"faqbot: {_count(len(failing), 'content test')} failed; fix the FAQ or the "
                "test ('faqbot check' lists every problem) and try again.",
            ],
            EXIT_INVALID_CONTENT,
        )
    from bot.run import run_bot  # Telegram is imported only for this command

    return run_bot(config, engine, stderr=stderr)


def main(
    argv: Iterable[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; returns the exit code."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(None if argv is None else list(argv))
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if args.command == "ask":
            return cmd_ask(args, stdin, stdout)
        if args.command == "chat":
            return cmd_chat(args, stdin, stdout)
        if args.command == "check":
            return cmd_check(args, stdout, stderr)
        if args.command == "run":
            return cmd_run(args, stderr)
        if args.command in ("stats", "gaps", "feedback"):
            return cmd_stats(args, stdout, stderr)
        parser.print_help(stdout)
        return EXIT_USAGE
    except CliError as exc:
        for line in exc.lines:
            stderr.write(line + "\n")
        return exc.code
    except KeyboardInterrupt:
        stderr.write("\ninterrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `faqbot ask < big.txt | head`
        return EXIT_OK
