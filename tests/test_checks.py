"""The checks that need the engine (faq.checks): content tests, phrasings, collisions; and
``faqbot check`` reporting them all in one run, at the line of each item."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from faq import Engine
from faq.checks import check_content, run_tests
from faq.loader import PACKAGED_DATA, load_content, read_content
from faq.model import Severity
from faq.scorer import content_digest, load_scorers
from tests.helpers import add_line_after, run_faqbot, write

SOURCE = 'source: {title: Key Facts, author: A nurse, date: "2020-01-27"}\n'
ENTRIES = """\
entries:
  - id: cerclage
    question: What is a cerclage?
    alternatives: [what is the stitch in the cervix for]
    answer: A stitch that keeps the cervix closed.
    must_match:
      - "wats a cerclage"
      - "how common is a weak cervix"
    must_not_match:
      - "how much does a cerclage cost"
      - "what is a cerclage"
  - id: how-common
    question: How common is cervical incompetence?
    alternatives: [is a weak cervix rare]
    answer: About 1-2% of pregnancies.
"""



@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path, "faq.yaml", SOURCE + ENTRIES)
    return tmp_path


def test_every_shipped_content_test_passes_and_every_entry_and_flag_has_some(
    engine: Engine,
) -> None:
    results = run_tests(engine)
    tested = {(r.test.kind, r.test.target, r.test.expected) for r in results}
    assert [str(r.test.text) for r in results if not r.passed] == []
    assert {e.id for e in engine.topics} <= {t for k, t, want in tested if k == "entry" and want}
    flags = {f.id for f in engine.content.red_flags}
    assert flags <= {t for k, t, want in tested if k == "red flag" and want}
    assert flags <= {t for k, t, want in tested if k == "red flag" and not want}


def test_the_shipped_faq_has_no_problem_at_all(engine: Engine) -> None:
    problems, _ = check_content(engine)
    assert [str(p) for p in problems] == []


def test_the_scorers_digest_counts_what_the_warning_sign_reading_is_built_from(
    engine: Engine,
) -> None:
    content, lexicon = engine.content, engine.content.lexicon
    digest = content_digest(content)
    flag = content.red_flags[0]
    excepted = replace(flag, exceptions=(*flag.exceptions, "killing it at work"))
    phrased = replace(flag, phrases=(*flag.phrases, "over it all"))

    def with_lexicon(**changes: object) -> str:
        return content_digest(replace(content, lexicon=replace(lexicon, **changes)))

    assert content_digest(replace(content, red_flags=(excepted, *content.red_flags[1:]))) != digest
    assert content_digest(replace(content, red_flags=(phrased, *content.red_flags[1:]))) != digest
    assert with_lexicon(negations=lexicon.negations | {"nope"}) != digest
    assert with_lexicon(foreign_words={**lexicon.foreign_words, "sangrado": "bleeding"}) != digest
    # The matcher's words and the answers leave the scorers' reading as it was.
    assert with_lexicon(synonyms={**lexicon.synonyms, "stitchy": "cerclage"}) == digest
    answered = replace(content.entries[0], answer="Another answer.")
    assert content_digest(replace(content, entries=(answered, *content.entries[1:]))) == digest
    # The shipped scorers were learnt with the shipped red flags and words.
    assert {s.about.get("content") for s in load_scorers()} == {digest}


def test_check_warns_when_the_red_flags_changed_since_the_scorers_were_learnt(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "faq"
    shutil.copytree(PACKAGED_DATA, folder)
    assert run_faqbot("check", "--strict", str(folder))[0] == 0
    flags = folder / "red_flags.yaml"
    add_line_after(flags, "      - no longer bleeding", "      - no longer spotting")

    code, _, err = run_faqbot("check", str(folder))

    assert code == 0 and run_faqbot("check", "--strict", str(folder))[0] == 1
    assert err.splitlines() == [
        "scorers.json: warning: the warning-sign scorers were learnt with other red flags or "
        "language words than these (red flags' phrases or exceptions, or the words of "
        "languages.yaml, have changed since): they still read every message, but their "
        "measured recall and false alarms no longer hold. Rebuild them from a checkout of "
        "the project: 'python scripts/build_scorers.py'",
        f"{folder}: 0 errors, 1 warning",
    ]


def test_failing_content_tests_are_errors_at_their_own_lines(folder: Path) -> None:
    engine = Engine(load_content(folder))
    problems, results = check_content(engine)

    failing = [(p.line, p.message) for p in problems if p.error]
    assert [r.passed for r in results if r.test.kind == "entry"] == [True, False, True, False]
    assert failing == [
        (
            9,
            "entry 'cerclage': must_match 'how common is a weak cervix' should land on it, "
            "but answered 'how-common' (100.0)",
        ),
        (
            12,
            "entry 'cerclage': must_not_match 'what is a cerclage' should not land on it, but "
            "answered 'cerclage' (100.0)",
        ),
    ]


def test_red_flag_tests_check_that_a_message_raises_or_does_not_raise_the_flag(
    tmp_path: Path,
) -> None:
    write(tmp_path, "faq.yaml", SOURCE + ENTRIES.split("    must_match")[0])
    write(
        tmp_path,
        "red_flags.yaml",
        """\
        red_flags:
          - id: bleeding
            level: urgent
            phrases: [bleeding, spotting]
            must_match: ["im spotting a bit 16w", "my tummy hurts"]
            must_not_match: ["no bleeding at all", "im bleeding since lunch"]
        """,
    )
    engine = Engine(load_content(tmp_path))

    results = run_tests(engine)

    assert [(r.test.line, r.passed, r.got) for r in results] == [
        (5, True, "raised bleeding"),
        (5, False, "raised no red flag"),
        (6, True, "raised no red flag"),
        (6, False, "raised bleeding"),
    ]


def test_an_alternative_that_lands_on_another_entry_is_a_warning_with_both_lines(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "faq.yaml",
        SOURCE
        + """\
entries:
  - id: cerclage
    question: What is a cerclage?
    alternatives: [what percent of pregnancies get cervical incompetence]
    answer: A stitch that keeps the cervix closed.
  - id: how-common
    question: How common is cervical incompetence?
    alternatives: [is a weak cervix rare, how many women get a weak cervix]
    answer: About 1-2% of pregnancies.
""",
    )
    engine = Engine(load_content(tmp_path))

    problems, _ = check_content(engine)

    assert [(p.severity, p.line) for p in problems] == [(Severity.WARNING, 5)]
    assert "percent of pregnancies get cervical incompetence' lands on 'how-common' (" in (
        problems[0].message
    )
    assert f"{tmp_path / 'faq.yaml'}:7)" in problems[0].message


def test_check_reports_every_kind_of_problem_in_one_run(folder: Path) -> None:
    write(folder, "texts.yaml", "texts:\n  help: Mention {botnam} in a group.\n  welcom: Hi!\n")

    code, out, err = run_faqbot("check", str(folder))

    lines = err.splitlines()
    assert code == 1 and out == ""
    assert lines == [
        f"{folder / 'faq.yaml'}:9: entry 'cerclage': must_match 'how common is a weak cervix' "
        "should land on it, but answered 'how-common' (100.0)",
        f"{folder / 'faq.yaml'}:12: entry 'cerclage': must_not_match 'what is a cerclage' "
        "should not land on it, but answered 'cerclage' (100.0)",
        f"{folder / 'texts.yaml'}:2: texts: 'help' uses {{botnam}}, which is never filled in; "
        "did you mean {botname}?",
        f"{folder / 'texts.yaml'}:3: warning: texts: unknown text 'welcom'; did you mean "
        "'welcome'?",
        f"{folder}: 3 errors, 1 warning",
    ]


def test_check_json_lists_problems_for_tools(folder: Path) -> None:
    code, out, err = run_faqbot("check", "--json", str(folder))

    report = json.loads(out)
    assert (code, err) == (1, "")
    assert (report["ok"], report["errors"], report["warnings"]) == (False, 2, 0)
    assert report["problems"][0] == {
        "file": str(folder / "faq.yaml"),
        "line": 9,
        "severity": "error",
        "message": "entry 'cerclage': must_match 'how common is a weak cervix' should land on "
        "it, but answered 'how-common' (100.0)",
    }
    assert report["content"]["entries"] == 2
    assert report["content"]["tests_failed"] == 2


def test_check_json_on_a_missing_folder_has_no_made_up_line(tmp_path: Path) -> None:
    code, out, _ = run_faqbot("check", "--json", str(tmp_path / "nope"))

    report = json.loads(out)
    assert (code, report["ok"], report["content"]) == (1, False, None)
    assert report["problems"] == [
        {
            "file": str(tmp_path / "nope"),
            "line": None,
            "severity": "error",
            "message": "no such file or folder",
        }
    ]


def test_check_runs_the_matcher_checks_on_whatever_parsed(folder: Path) -> None:
    """A broken entry does not hide the content tests of the others."""
    text = (folder / "faq.yaml").read_text() + "  - id: broken\n    question: Who?\n"
    (folder / "faq.yaml").write_text(text)

    code, _, err = run_faqbot("check", str(folder))

    assert code == 1
    assert "entry 'broken': 'answer' is required" in err
    assert "must_match 'how common is a weak cervix' should land on it" in err


def test_run_refuses_to_start_when_a_content_test_fails(folder: Path) -> None:
    config = write(folder.parent, "config.yaml", f"faq:\n  path: {folder}\n")

    code, _, err = run_faqbot("run", "--config", str(config))

    assert code == 1
    assert err.splitlines()[-1] == (
        "faqbot: 2 content tests failed; fix the FAQ or the test ('faqbot check' lists every "
        "problem) and try again."
    )


def test_read_content_keeps_the_warnings_and_load_content_ignores_them(folder: Path) -> None:
    write(folder, "texts.yaml", "texts:\n  welcom: Hi!\n")

    content, problems = read_content(folder)

    assert content is not None and [p.severity for p in problems] == [Severity.WARNING]
    assert [str(p) for p in load_content(folder).warnings] == [str(problems[0])]
