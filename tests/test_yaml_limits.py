"""Hostile YAML (issue 8): alias bombs, thousands of nested levels and huge files are refused
in plain words and in bounded time, by the FAQ loader, ``faqbot check``, a reload and the
config; a file with a few harmless aliases still loads."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import TOKEN_ENV, Config, ConfigError, load_config
from bot.reload import Reloader, fingerprint
from faq import ContentError, Engine, load_content
from faq.loader import PACKAGED_DATA, read_content
from faq.yamlguard import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_FAQ_BYTES
from tests.helpers import run_faqbot, write

#: Seconds a refusal may take: a guard against hanging, not a benchmark.
TIME_LIMIT = 5.0
FAQ_REFUSED = "is this really an FAQ file?"
CONFIG_REFUSED = "is this really the bot's config file?"
TOO_MANY = "its aliases (*name) expand it to more than 1 000 000 items (the limit is 1 000 000)"
LOOP = "an alias (*name) refers to a list or mapping it is inside of"
SOURCE_LINE = 'source: {title: Key Facts, author: A nurse, date: "2020-01-27"}\n'
VALID_FAQ = SOURCE_LINE + (
    "entries:\n"
    "  - id: cerclage\n"
    "    question: What is a cerclage?\n"
    "    keywords: [cerclage, stitch]\n"
    "    answer: A stitch that keeps the cervix closed.\n"
)


# ---- hostile files ----------------------------------------------------------------------------


def billion_laughs() -> str:
    """9 levels of 10 aliases each: 10⁹ texts; the 7th line is the first past 1 000 000."""
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        aliases = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def merge_bomb() -> str:
    """The same with merge keys (<<), which PyYAML copies into each mapping as it builds it:
    without the limits this takes all the memory there is."""
    lines = ["l0: &l0 {a: 1}"]
    for level in range(1, 10):
        aliases = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} {{<<: [{aliases}]}}")
    return "\n".join(lines) + "\n"


def nested_sequences(levels: int) -> str:
    return "[" * levels + "]" * levels


def nested_mappings(levels: int) -> str:
    return "{a: " * levels + "1" + "}" * levels


def block_mappings(levels: int) -> str:
    """``levels`` mappings one inside another, one per line (level n starts on line n)."""
    opened = "".join("  " * level + "a:\n" for level in range(levels - 1))
    return opened + "  " * (levels - 1) + "a: 1\n"


# (id, YAML under a top-level key, what is refused, line) -- the top level is one more level.
DEEP = [
    pytest.param(
        nested_sequences(100_000), "more than 1000 levels deep", 1, id="sequences-100000"
    ),
    pytest.param(nested_mappings(100_000), "more than 1000 levels deep", 1, id="mappings-100000"),
    pytest.param(nested_sequences(500), "501 levels deep", 1, id="sequences-500"),
    pytest.param(nested_mappings(MAX_DEPTH), "65 levels deep", 1, id="mappings-one-too-many"),
]


def too_deep(how: str) -> str:
    return f"lists or mappings are nested {how} (the limit is 64 levels)"


def timed(load: Callable[[], Any]) -> tuple[Any, float]:
    """What ``load()`` returned and the seconds it took."""
    started = time.perf_counter()
    result = load()
    return result, time.perf_counter() - started


def faq_problems(path: Path) -> tuple[list[str], float]:
    """Every problem ``read_content(path)`` finds, as text, and the seconds it took."""
    (_, problems), seconds = timed(lambda: read_content(path))
    return [str(problem) for problem in problems], seconds


def config_problems(path: Path) -> tuple[list[str], float]:
    """The problems ``load_config(path)`` raises (the test fails if it loads), and the time."""
    started = time.perf_counter()
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    return caught.value.problems, time.perf_counter() - started


def padded(text: str, size: int) -> str:
    """``text`` and a comment that brings it to ``size`` bytes (ASCII)."""
    return text + "#" + " " * (size - len(text) - 2) + "\n"


# ---- the FAQ loader ---------------------------------------------------------------------------


def test_an_alias_bomb_in_an_faq_file_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "faq.yaml", billion_laughs())

    problems, seconds = faq_problems(path)

    assert problems == [f"{path}:7: refused: {TOO_MANY}; {FAQ_REFUSED}"]
    assert seconds < TIME_LIMIT


@pytest.mark.parametrize(("nested", "how", "line"), DEEP)
def test_deep_nesting_in_an_faq_file_is_refused(
    tmp_path: Path, nested: str, how: str, line: int
) -> None:
    path = write(tmp_path, "faq.yaml", f"entries: {nested}\n")

    problems, seconds = faq_problems(path)

    assert problems == [f"{path}:{line}: refused: {too_deep(how)}; {FAQ_REFUSED}"]
    assert seconds < TIME_LIMIT


def test_deep_block_nesting_is_refused_at_the_line_past_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "faq.yaml", block_mappings(200))

    problems, _ = faq_problems(path)

    assert problems == [f"{path}:65: refused: {too_deep('200 levels deep')}; {FAQ_REFUSED}"]


def test_nesting_at_the_limit_is_not_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "faq.yaml", f"{VALID_FAQ}entries_x: {nested_mappings(MAX_DEPTH - 1)}\n")

    problems, _ = faq_problems(path)

    assert [problem for problem in problems if "refused" in problem] == []
    assert any("unknown top-level key 'entries_x'" in problem for problem in problems)


def test_an_alias_that_refers_to_its_own_list_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "faq.yaml", f"{VALID_FAQ}stopwords: &loop [the, *loop]\n")

    problems, _ = faq_problems(path)

    assert problems == [f"{path}:7: refused: {LOOP}; {FAQ_REFUSED}"]


def test_an_faq_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(padded(VALID_FAQ, MAX_FAQ_BYTES + 1), encoding="ascii")

    problems, seconds = faq_problems(path)

    reason = "the file is 16.1 MB (the limit is 16 MB)"
    assert problems == [f"{path}:1: refused: {reason}; {FAQ_REFUSED}"]
    assert seconds < TIME_LIMIT


def test_an_faq_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(padded(VALID_FAQ, MAX_FAQ_BYTES), encoding="ascii")

    content = load_content(path)

    assert [entry.id for entry in content.entries] == ["cerclage"]


def test_an_faq_with_a_few_harmless_aliases_still_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        """\
        source: {title: Key Facts, author: A nurse, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            keywords: &stitch [cerclage, stitch]
            answer: A stitch that keeps the cervix closed.
            related: [cerclage-anesthesia]
          - id: cerclage-anesthesia
            question: What anesthesia is used for a cerclage?
            keywords: *stitch
            answer: Spinal or epidural anesthesia.
        """,
    )

    content = load_content(path)

    assert [entry.keywords for entry in content.entries] == [("cerclage", "stitch")] * 2


def test_load_content_raises_the_refusal(tmp_path: Path) -> None:
    path = write(tmp_path, "faq.yaml", billion_laughs())

    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)

    assert caught.value.problems == [f"{path}:7: refused: {TOO_MANY}; {FAQ_REFUSED}"]


# ---- faqbot check -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        pytest.param(billion_laughs(), 7, TOO_MANY, id="billion-laughs"),
        pytest.param(
            f"entries: {nested_sequences(100_000)}\n",
            1,
            too_deep("more than 1000 levels deep"),
            id="nesting",
        ),
        pytest.param(
            padded(VALID_FAQ, MAX_FAQ_BYTES + 1),
            1,
            "the file is 16.1 MB (the limit is 16 MB)",
            id="size",
        ),
    ],
)
def test_faqbot_check_refuses_a_hostile_file_and_exits_1(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    folder = tmp_path / "my-faq"
    path = write(folder, "faq.yaml", text)

    (code, out, err), seconds = timed(lambda: run_faqbot("check", str(folder)))

    assert (code, out) == (1, "")
    assert f"{path}:{line}: refused: {reason}; {FAQ_REFUSED}" in err.splitlines()
    assert seconds < TIME_LIMIT


# ---- a reload in the running bot --------------------------------------------------------------


async def test_a_refused_reload_keeps_the_served_faq(tmp_path: Path) -> None:
    folder = tmp_path / "my-faq"
    shutil.copytree(PACKAGED_DATA, folder)
    reloader = Reloader(Config(faq_path=folder))
    installed: list[Engine] = []
    bomb = write(folder, "extra.yaml", billion_laughs())

    refused = await reloader.reload(installed.append)

    assert (refused.ok, installed) == (False, [])
    assert [str(problem) for problem in refused.problems] == [
        f"{bomb}:7: refused: {TOO_MANY}; {FAQ_REFUSED}"
    ]
    assert refused.report().startswith("❌ The FAQ was NOT reloaded: users still get the previous")

    bomb.unlink()  # the folder is otherwise fine: the bomb alone was refused
    assert (await reloader.reload(installed.append)).ok
    assert len(installed) == 1


def test_the_watch_does_not_read_a_file_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "faq.yaml"
    huge.write_text(padded(VALID_FAQ, MAX_FAQ_BYTES + 1), encoding="ascii")
    read_bytes = Path.read_bytes

    def read_small_files(path: Path) -> bytes:
        assert path.stat().st_size <= MAX_FAQ_BYTES, f"read {path} whole"
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_small_files)
    before = fingerprint(tmp_path)
    with huge.open("a", encoding="ascii") as stream:
        stream.write("# grown\n")

    assert fingerprint(tmp_path) != before


# ---- the config -------------------------------------------------------------------------------


def test_an_alias_bomb_in_the_config_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "config.yaml", billion_laughs())

    problems, seconds = config_problems(path)

    assert problems == [f"{path}:7: refused: {TOO_MANY}; {CONFIG_REFUSED}"]
    assert seconds < TIME_LIMIT


@pytest.mark.parametrize(("nested", "how", "line"), DEEP)
def test_deep_nesting_in_the_config_is_refused(
    tmp_path: Path, nested: str, how: str, line: int
) -> None:
    path = write(tmp_path, "config.yaml", f"telegram: {nested}\n")

    problems, seconds = config_problems(path)

    assert problems == [f"{path}:{line}: refused: {too_deep(how)}; {CONFIG_REFUSED}"]
    assert seconds < TIME_LIMIT


def test_an_alias_loop_in_the_config_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "config.yaml", "moderators: &loop [1, *loop]\n")

    problems, _ = config_problems(path)

    assert problems == [f"{path}:1: refused: {LOOP}; {CONFIG_REFUSED}"]


def test_a_config_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(padded("moderators: [1]\n", MAX_CONFIG_BYTES + 1), encoding="ascii")

    problems, seconds = config_problems(path)

    reason = "the file is 1.1 MB (the limit is 1 MB)"
    assert problems == [f"{path}: refused: {reason}; {CONFIG_REFUSED}"]
    assert seconds < TIME_LIMIT


def test_a_config_with_harmless_aliases_still_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "config.yaml",
        """\
        telegram:
          send_per_second: &rate 10
          send_per_group_minute: *rate
        moderators: &people [1, 2]
        flood: {messages: 5}
        """,
    )

    config = load_config(path, env={})

    assert (config.send_per_second, config.send_per_group_minute) == (10.0, 10.0)
    assert config.moderators == (1, 2)


def test_faqbot_refuses_a_hostile_config_and_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "config.yaml", billion_laughs())

    (code, out, err), seconds = timed(lambda: run_faqbot("check", "--config", str(path)))

    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "faqbot: invalid config:",
        f"{path}:7: refused: {TOO_MANY}; {CONFIG_REFUSED}",
    ]
    assert seconds < TIME_LIMIT


# ---- files that would hang or take all the memory: in a process of their own ----------------

#: Address space the process may use: far above what faqbot check needs, far below a bomb's.
MEMORY_LIMIT = 2 * 1024**3
_CHILD = """\
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from bot.cli import main
started = time.perf_counter()
code = main(sys.argv[1:])
print(f"seconds: {{time.perf_counter() - started:.3f}}", file=sys.stderr)
sys.exit(code)
"""


def faqbot_process(cwd: Path, *argv: str) -> tuple[int, list[str], float]:
    """Run ``faqbot ARGV`` in a new process with a memory limit and a timeout: its exit code,
    the lines of its standard error and the seconds ``main`` took (as it measured them)."""
    env = {key: value for key, value in os.environ.items() if key != TOKEN_ENV}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD.format(limit=MEMORY_LIMIT), *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    lines = done.stderr.splitlines()
    assert lines and lines[-1].startswith("seconds: "), done.stderr[-2000:]
    return done.returncode, lines[:-1], float(lines[-1].removeprefix("seconds: "))


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
@pytest.mark.parametrize("kind", ["faq", "config"])
def test_a_merge_key_bomb_is_refused_in_bounded_time_and_memory(tmp_path: Path, kind: str) -> None:
    path = write(tmp_path, f"{kind}.yaml", merge_bomb())
    argv = ("check", str(path)) if kind == "faq" else ("check", "--config", str(path))
    refused = FAQ_REFUSED if kind == "faq" else CONFIG_REFUSED

    code, lines, seconds = faqbot_process(tmp_path, *argv)

    assert code == (1 if kind == "faq" else 2)
    assert f"{path}:7: refused: {TOO_MANY}; {refused}" in lines
    assert seconds < TIME_LIMIT


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("kind", ["faq", "config"])
def test_a_file_that_never_ends_is_read_no_further_than_the_limit(
    tmp_path: Path, kind: str
) -> None:
    argv = ("check", "/dev/zero") if kind == "faq" else ("check", "--config", "/dev/zero")
    limit, refused = ("16 MB", FAQ_REFUSED) if kind == "faq" else ("1 MB", CONFIG_REFUSED)

    code, lines, seconds = faqbot_process(tmp_path, *argv)

    assert code == (1 if kind == "faq" else 2)
    where = "/dev/zero:1" if kind == "faq" else "/dev/zero"
    assert f"{where}: refused: the file is larger than {limit}; {refused}" in lines
    assert seconds < TIME_LIMIT


def test_an_faq_with_more_phrasings_than_the_limit_is_refused_in_bounded_time(
    tmp_path: Path,
) -> None:
    """Within the byte limits a file can hold 200 000 alternatives, and building the matcher
    and checking them once took more than ten minutes: past MAX_PHRASINGS it is refused."""
    from faq.loader import MAX_PHRASINGS

    alternatives = "".join(f"      - how about question {n}\n" for n in range(MAX_PHRASINGS))
    faq = tmp_path / "faq.yaml"
    faq.write_text(VALID_FAQ + "    alternatives:\n" + alternatives, encoding="utf-8")
    started = time.perf_counter()
    content, problems = read_content(tmp_path)
    assert time.perf_counter() - started < 3 * TIME_LIMIT
    assert content is None
    assert any("phrasings and not-answered questions in all" in p.message for p in problems)
