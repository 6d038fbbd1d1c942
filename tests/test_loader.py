"""Loading and validating FAQ YAML: every problem is collected, each as ``file:line: message``."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

import faq.loader
from faq import Content, ContentError, Entry, load_content
from faq.loader import MAX_ANSWER_CHARS, REQUIRED_TEXTS
from faq.model import REQUIRED_PLACEHOLDERS
from tests.helpers import write

# The topic ids DESIGN.md requires of the packaged FAQ.
REQUIRED_TOPICS = (
    "cervix-basics",
    "cervical-incompetence",
    "short-vs-incompetent",
    "how-common",
    "diagnosis",
    "risk-factors",
    "cervical-trauma",
    "race-risk",
    "des-exposure",
    "congenital-causes",
    "symptoms",
    "cerclage",
    "cerclage-anesthesia",
    "about-source",
)
MIN_ALTERNATIVES = 6
SOURCE_LINE = 'source: {title: Key Facts, author: A nurse, date: "2020-01-27"}\n'
VALID_ENTRIES = textwrap.dedent(
    """\
    entries:
      - id: cerclage
        question: What is a cerclage?
        alternatives: [what is a stitch in the cervix]
        keywords: [cerclage, stitch]
        answer: A stitch that keeps the cervix closed.
        related: [cerclage-anesthesia]
      - id: cerclage-anesthesia
        question: What anesthesia is used for a cerclage?
        answer: Spinal or epidural anesthesia.
    """
)

_PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$")


# ---- helpers ----------------------------------------------------------------------------------


def problems_of(path: Path) -> list[str]:
    """The problems ``load_content(path)`` reports (the test fails if it loads)."""
    with pytest.raises(ContentError) as caught:
        load_content(path)
    return caught.value.problems


def located(problems: Sequence[str], fragments: Sequence[str]) -> list[tuple[str, int, str]]:
    """Each problem as ``(file, line, message)``, sorted by file and line.

    A message containing one of ``fragments`` is shown as that fragment, so a test compares the
    whole list with ``==`` and still sees every unexpected message in full.
    """
    out: list[tuple[str, int, str]] = []
    for problem in problems:
        found = _PROBLEM.match(problem)
        if found is None:
            out.append(("<not file:line: message>", 0, problem))
            continue
        message = found["message"]
        shown = next((fragment for fragment in fragments if fragment in message), message)
        out.append((found["file"], int(found["line"]), shown))
    return sorted(out, key=lambda item: (item[0], item[1]))


def expect(path: Path, *lines: tuple[int, str]) -> list[tuple[str, int, str]]:
    """The ``located`` form of problems expected at ``lines`` of ``path``."""
    return sorted(((str(path), line, message) for line, message in lines), key=lambda x: x[1])


def topic_shortcomings(entry: Entry, known_ids: set[str]) -> list[str]:
    """What a required topic of the packaged FAQ lacks (nothing when it is complete)."""
    found: list[str] = []
    if len(entry.alternatives) < MIN_ALTERNATIVES:
        found.append(f"only {len(entry.alternatives)} alternatives")
    if not entry.keywords:
        found.append("no keywords")
    if not entry.answer.strip():
        found.append("no answer")
    found.extend(f"unknown related id {r!r}" for r in entry.related if r not in known_ids)
    if entry.id in entry.related:
        found.append("related to itself")
    return found


# ---- problems in one file: the right file, the right line, every one of them ------------------

BAD_FILES = [
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
           answer: A stitch.
        """,
        [(5, "not valid YAML")],
        id="bad-indentation",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: Cerclage: what is it?
            answer: A stitch.
        """,
        [(4, "not valid YAML")],
        id="unquoted-colon",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            keywords: [cerclage]
        """,
        [(3, "entry 'cerclage': 'answer' is required")],
        id="missing-answer",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
          - id: anesthesia
            keywords: [anesthesia]
            answer: Spinal or epidural.
        """,
        [(6, "entry 'anesthesia': 'question' is required")],
        id="missing-question",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
          - id: cerclage
            question: How is a cerclage done?
            answer: In the hospital.
        """,
        [(6, "duplicate id 'cerclage' (first defined at {file}:3)")],
        id="duplicate-id",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
            related: [anesthesia]
        """,
        [(6, "entry 'cerclage': related id 'anesthesia' does not exist")],
        id="unknown-related-id",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
          - id: anesthesia
            question: What anesthesia is used?
            answer: Spinal or epidural.
            related: [cerclage, anesthesia]
        """,
        [(9, "entry 'anesthesia': an entry cannot be related to itself")],
        id="related-to-itself",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            alternatives:
              stitch: what is a stitch
            answer: A stitch.
        """,
        [(5, "entry 'cerclage': 'alternatives' must be a list of texts")],
        id="alternatives-as-mapping",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer:
              - A stitch.
              - In the hospital.
        """,
        [(5, "entry 'cerclage': 'answer' must be non-empty text")],
        id="answer-as-list",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          id: cerclage
          question: What is a cerclage?
          answer: A stitch.
        """,
        [(2, "'entries' must be a list of entries")],
        id="entries-not-a-list",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - question: What is a cerclage?
            id: Cerclage Basics
            answer: A stitch.
        """,
        [(4, "entry 'Cerclage Basics': id must be lowercase letters, digits and dashes")],
        id="id-with-capitals-and-spaces",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
            keywords: [cerclage]
            answer: A stitch in the cervix.
        """,
        [(7, "duplicate key 'answer'")],
        id="duplicate-key",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            alternative: [what is a stitch]
            answer: A stitch.
        """,
        [(5, "entry 'cerclage': unknown key 'alternative'")],
        id="unknown-entry-key",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - {id: cerclage, question: What is a cerclage?, answer: A stitch.}
        word_groups:
          fluid: [water, wet]
        red_flags:
          - id: waters
            level: emergency
            phrases: ["{fluids} + {place}"]
        """,
        [
            (9, "the phrase '{{fluids}} + {{place}}' uses an unknown group {{fluids}}; did you"),
            (9, "the phrase '{{fluids}} + {{place}}' uses an unknown group {{place}} (add it"),
        ],
        id="unknown-word-group",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
            sign_questions: sometimes
        """,
        [(6, "entry 'cerclage': 'sign_questions' must be true or false")],
        id="sign-questions-not-a-boolean",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
        entry:
          - id: anesthesia
        """,
        [(6, "unknown top-level key 'entry'")],
        id="unknown-top-level-key",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
            keywords:
              - cerclage
              - yes
              - no
              - on
              - off
        """,
        [
            (8, "'keywords' was read as true"),
            (9, "'keywords' was read as false"),
            (10, "'keywords' was read as true"),
            (11, "'keywords' was read as false"),
        ],
        id="unquoted-yes-no-on-off",
    ),
    pytest.param("", [(1, "the file is empty")], id="empty-file"),
    pytest.param(
        "# only a comment\n\n# and another\n", [(1, "the file is empty")], id="comments-only"
    ),
    pytest.param(
        """\
        red_flags:
          - id: heavy-bleeding
            level: severe
            phrases: [heavy bleeding]
        """,
        [(3, "red flag 'heavy-bleeding': 'level' must be one of urgent, emergency, crisis")],
        id="red-flag-bad-level",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
          - id: stitch
            question: What is the stitch for?
            alternatives: [what is a CERCLAGE]
            answer: Keeping the cervix closed.
        """,
        [(6, "entry 'stitch': the phrasing 'what is a CERCLAGE' is also used by 'cerclage'")],
        id="same-phrasing-in-two-entries",
    ),
    pytest.param(
        """\
        source:
          title: Key Facts
          author: A nurse
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
        """,
        [(2, "source: 'date' is required")],
        id="source-without-date",
    ),
    pytest.param(
        """\
        - id: cerclage
          question: What is a cerclage?
        """,
        [(1, "the file must be a mapping")],
        id="top-level-list",
    ),
    pytest.param(
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        sources: {title: T}
        entries:
          - id: cerclage
            question: What is a cerclage?
            alternative: [what is a stitch]
          - id: Anesthesia
            question: What anesthesia is used?
            answer: Spinal or epidural.
            keywords: [spinal, no]
          - id: stitch
            question: What is the stitch?
            answer: [A stitch.]
            related: [cervix]
        """,
        [
            (2, "unknown top-level key 'sources'"),
            (4, "entry 'cerclage': 'answer' is required"),
            (6, "entry 'cerclage': unknown key 'alternative'"),
            (7, "entry 'Anesthesia': id must be lowercase"),
            (10, "entry 'Anesthesia': an item of 'keywords' was read as false"),
            (13, "entry 'stitch': 'answer' must be non-empty text"),
        ],
        id="several-problems-in-one-file",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_invalid_file_reports_every_problem_with_its_file_and_line(
    tmp_path: Path, text: str, expected: list[tuple[int, str]]
) -> None:
    path = write(tmp_path, "faq.yaml", text)
    lines = [(line, message.format(file=path)) for line, message in expected]

    problems = problems_of(path)

    assert located(problems, [message for _, message in lines]) == expect(path, *lines)


def text_for(key: str, prefix: str) -> str:
    """A text for ``key`` with the placeholders it must contain."""
    needed = "".join(f" {{{name}}}" for name in sorted(REQUIRED_PLACEHOLDERS.get(key, ())))
    return f'"{prefix} {key}.{needed}"'


def test_packaged_texts_missing_a_required_key_name_the_key_at_the_texts_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    present = [key for key in REQUIRED_TEXTS if key != "disclaimer"]
    body = "".join(f"  {key}: {text_for(key, 'Some text for')}\n" for key in present)
    path = write(tmp_path, "texts.yaml", f"# fixed texts\ntexts:\n{body}")
    write(
        tmp_path,
        "faq.yaml",
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - {id: cerclage, question: What is a cerclage?, answer: A stitch.}
        """,
    )
    monkeypatch.setattr(faq.loader, "PACKAGED_DATA", tmp_path)

    problems = problems_of(tmp_path)

    assert located(problems, ["texts: 'disclaimer' is required"]) == expect(
        path, (2, "texts: 'disclaimer' is required")
    )


def test_moderator_texts_may_reword_only_some_texts(tmp_path: Path) -> None:
    write(tmp_path, "texts.yaml", "texts:\n  no_match: Nothing in my FAQ about that, sorry.\n")
    write(
        tmp_path,
        "faq.yaml",
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - {id: cerclage, question: What is a cerclage?, answer: A stitch.}
        """,
    )
    packaged = load_content()

    content = load_content(tmp_path)

    assert content.texts.no_match == "Nothing in my FAQ about that, sorry."
    assert content.texts.disclaimer == packaged.texts.disclaimer
    assert content.texts.welcome == packaged.texts.welcome


def test_over_long_answer_is_reported_at_the_answer_line(tmp_path: Path) -> None:
    answer = "x" * (MAX_ANSWER_CHARS + 1)
    path = write(
        tmp_path,
        "faq.yaml",
        SOURCE_LINE
        + "entries:\n  - id: cerclage\n    question: What is a cerclage?\n"
        + f"    answer: {answer}\n",
    )

    problems = problems_of(path)

    fragment = f"entry 'cerclage': the answer is {MAX_ANSWER_CHARS + 1} characters"
    assert located(problems, [fragment]) == expect(path, (5, fragment))


def test_answer_of_exactly_the_maximum_length_loads(tmp_path: Path) -> None:
    answer = "x" * MAX_ANSWER_CHARS
    path = write(
        tmp_path,
        "faq.yaml",
        SOURCE_LINE
        + "entries:\n  - id: cerclage\n    question: What is a cerclage?\n"
        + f"    answer: {answer}\n",
    )

    content = load_content(path)

    assert [entry.answer for entry in content.entries] == [answer]


def test_python_tags_are_rejected_as_a_problem_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "created-by-yaml"
    path = write(
        tmp_path,
        "faq.yaml",
        SOURCE_LINE
        + "entries:\n"
        + f"  - id: !!python/object/apply:os.mkdir [{str(marker)!r}]\n"
        + "    question: What is a cerclage?\n"
        + "    answer: A stitch.\n",
    )

    problems = problems_of(path)

    assert located(problems, ["not valid YAML"]) == expect(path, (3, "not valid YAML"))
    assert marker.exists() is False


def test_python_object_tag_on_a_mapping_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        SOURCE_LINE + "entries: !!python/object:faq.model.Source\n  title: T\n",
    )

    problems = problems_of(path)

    assert located(problems, ["not valid YAML"]) == expect(path, (2, "not valid YAML"))


def test_loading_faq_yaml_leaves_pyyaml_safe_load_unchanged(tmp_path: Path) -> None:
    load_content(write(tmp_path, "faq.yaml", SOURCE_LINE + VALID_ENTRIES))

    loaded = yaml.safe_load("a: [1, 2]\n")

    assert (type(loaded), type(loaded["a"])) == (dict, list)


def test_content_error_message_lists_every_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        """\
        entries:
          - id: cerclage
          - id: anesthesia
        """,
    )

    with pytest.raises(ContentError) as caught:
        load_content(path)

    assert str(caught.value).splitlines() == caught.value.problems
    assert len(caught.value.problems) == 4  # question and answer of each entry


# ---- folders ----------------------------------------------------------------------------------


def test_problems_in_several_files_of_a_folder_are_all_reported(tmp_path: Path) -> None:
    broken = write(tmp_path / "faq", "a-broken.yaml", "entries:\n  - id: x\n   question: y\n")
    entries = write(
        tmp_path / "faq",
        "b-entries.yaml",
        SOURCE_LINE + "entries:\n  - id: cerclage\n    question: What is a cerclage?\n",
    )
    flags = write(
        tmp_path / "faq",
        "c-flags.yaml",
        "red_flags:\n  - id: bleeding\n    level: urgent\n    phrase: [bleeding]\n",
    )

    problems = problems_of(tmp_path / "faq")

    fragments = [
        "not valid YAML",
        "entry 'cerclage': 'answer' is required",
        "red flag 'bleeding': 'phrases' needs at least one phrase",
        "red flag 'bleeding': unknown key 'phrase'",
    ]
    assert located(problems, fragments) == [
        (str(broken), 3, fragments[0]),
        (str(entries), 3, fragments[1]),
        (str(flags), 2, fragments[2]),
        (str(flags), 4, fragments[3]),
    ]


def test_red_flag_note_must_name_a_note_of_the_texts(tmp_path: Path) -> None:
    flags = write(
        tmp_path / "faq",
        "flags.yaml",
        "red_flags:\n"
        "  - id: violence\n    level: emergency\n    note: abuse_notes\n    phrases: [hit me]\n"
        "  - id: threats\n    level: urgent\n    note: welcome\n    phrases: [threatens me]\n"
        "  - id: fear\n    level: urgent\n    note: abuse_note\n    phrases: [afraid of him]\n",
    )

    problems = [p for p in problems_of(tmp_path / "faq") if "'note'" in p]

    fragments = [
        "red flag 'violence': 'note' must name a note of texts.yaml; did you mean 'abuse_note'?",
        "red flag 'threats': 'note' must name a note of texts.yaml (one of: ",
    ]
    assert located(problems, fragments) == [
        (str(flags), 4, fragments[0]),
        (str(flags), 8, fragments[1]),
    ]


def test_an_item_read_as_a_key_and_value_says_to_quote_it(tmp_path: Path) -> None:
    entry = (
        SOURCE_LINE + "entries:\n  - id: congenital-causes\n    question: Born with it?\n"
        "    answer: Yes.\n    alternatives:\n      - q: is a weak cervix inherited\n"
    )
    path = write(tmp_path, "faq.yaml", entry)

    problems = [p for p in problems_of(path) if "alternatives" in p]

    assert problems == [
        f"{path}:7: entry 'congenital-causes': an item of 'alternatives' was read as a key and "
        "a value (a colon and a space make one); put the whole text in quotes"
    ]


def test_packaged_violence_flags_add_the_abuse_note(packaged: Content) -> None:
    notes = {flag.id: flag.note for flag in packaged.red_flags if flag.note}
    assert notes == {"violence": "abuse_note", "abuse": "abuse_note"}
    assert "{abuse_helpline}" in packaged.texts.abuse_note


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    entry = "entries:\n  - id: cerclage\n    question: What is a cerclage?\n    answer: A.\n"
    first = write(tmp_path, "a.yaml", SOURCE_LINE + entry)
    second = write(tmp_path, "b.yaml", "\n" + entry.replace("What is", "Why"))

    problems = problems_of(tmp_path)

    fragment = f"duplicate id 'cerclage' (first defined at {first}:3)"
    assert located(problems, [fragment]) == [(str(second), 3, fragment)]


def test_missing_folder_is_a_problem_of_the_path_with_no_made_up_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-faq"

    problems = problems_of(missing)

    assert problems == [f"{missing}: no such file or folder"]


def test_folder_without_yaml_files_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "entries: []\n")

    problems = problems_of(tmp_path)

    assert problems == [f"{tmp_path}: the folder has no .yaml files"]


def test_folder_with_entries_but_no_source_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "faq.yaml", VALID_ENTRIES)

    problems = problems_of(tmp_path)

    assert [p for p in problems if "source" in p] == [
        f"{tmp_path}: no 'source:' found (title, author and date of the article)"
    ]


def test_moderator_folder_with_source_and_entries_takes_the_rest_from_the_packaged_faq(
    tmp_path: Path,
) -> None:
    write(tmp_path, "faq.yaml", SOURCE_LINE + VALID_ENTRIES)
    packaged = load_content()

    content = load_content(tmp_path)

    assert [entry.id for entry in content.entries] == ["cerclage", "cerclage-anesthesia"]
    assert (content.source.title, content.source.author) == ("Key Facts", "A nurse")
    assert content.texts == packaged.texts
    assert content.red_flags == packaged.red_flags
    assert content.lexicon == packaged.lexicon


def test_moderator_texts_replace_the_packaged_texts(tmp_path: Path) -> None:
    write(tmp_path, "faq.yaml", SOURCE_LINE + VALID_ENTRIES)
    texts = "".join(f"  {key}: {text_for(key, 'Moderator')}\n" for key in REQUIRED_TEXTS)
    write(tmp_path, "texts.yaml", "texts:\n" + texts)

    content = load_content(tmp_path)

    assert content.texts.disclaimer == "Moderator disclaimer."
    assert content.texts.crisis_prompt == "Moderator crisis_prompt. {helpline}"
    assert content.red_flags == load_content().red_flags


def test_single_file_path_loads_that_file(tmp_path: Path) -> None:
    path = write(tmp_path, "my-faq.yml", SOURCE_LINE + VALID_ENTRIES)
    write(tmp_path, "ignored.yaml", "not: [valid\n")

    content = load_content(path)

    assert [entry.id for entry in content.entries] == ["cerclage", "cerclage-anesthesia"]
    assert content.files == (str(path),)
    assert content.locations["cerclage-anesthesia"] == f"{path}:9"


def test_unquoted_dates_are_read_as_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        """\
        source:
          title: Key Facts
          author: A nurse
          date: 2020-01-27
        entries:
          - id: cerclage
            question: What is a cerclage?
            alternatives: [cerclage on 2021-03-04]
            answer: 2020-01-27
        """,
    )

    content = load_content(path)

    entry = content.entries[0]
    assert (content.source.date, entry.alternatives, entry.answer) == (
        "2020-01-27",
        ("cerclage on 2021-03-04",),
        "2020-01-27",
    )


def test_quoted_yes_and_no_are_plain_words(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        SOURCE_LINE
        + "entries:\n  - id: cerclage\n    question: What is a cerclage?\n"
        + "    keywords: [cerclage, 'yes', \"no\"]\n    answer: A stitch.\n",
    )

    content = load_content(path)

    assert content.entries[0].keywords == ("cerclage", "yes", "no")


# ---- the packaged FAQ -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packaged() -> Content:
    """The packaged FAQ, loaded once for this module."""
    return load_content()


@pytest.mark.parametrize("topic_id", REQUIRED_TOPICS)
def test_packaged_faq_has_required_topic_with_phrasings_keywords_answer_and_related(
    packaged: Content, topic_id: str
) -> None:
    entry = packaged.entry(topic_id)

    assert entry is not None, f"required topic {topic_id!r} is missing"
    known = {item.id for item in packaged.entries}
    assert topic_shortcomings(entry, known) == []


def test_packaged_faq_records_its_source(packaged: Content) -> None:
    source = packaged.source

    assert [key for key in ("title", "author", "date") if not getattr(source, key)] == []
    assert dt.date.fromisoformat(source.date).isoformat() == source.date


def test_packaged_about_source_answer_names_the_source_and_says_not_medical_advice(
    packaged: Content,
) -> None:
    entry = packaged.entry("about-source")

    assert entry is not None
    assert (packaged.source.title in entry.answer, "not medical advice" in entry.answer) == (
        True,
        True,
    )


def test_packaged_faq_locations_point_at_each_entry(packaged: Content) -> None:
    faq_file = next(name for name in packaged.files if name.endswith("faq.yaml"))
    lines = Path(faq_file).read_text(encoding="utf-8").splitlines()

    wrong = {}
    for entry in packaged.entries:
        where, _, line = packaged.locations[entry.id].rpartition(":")
        if where != faq_file or f"id: {entry.id}" not in lines[int(line) - 1]:
            wrong[entry.id] = packaged.locations[entry.id]

    assert wrong == {}


# ---- known bugs -------------------------------------------------------------------------------


def test_related_id_of_an_entry_with_other_problems_is_not_called_missing(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
            answer: A stitch.
            related: [anesthesia]
          - id: anesthesia
            question: What anesthesia is used?
            answr: Spinal or epidural.
        """,
    )

    problems = problems_of(path)

    fragments = ["'answer' is required", "unknown key 'answr'"]
    assert located(problems, fragments) == expect(path, (7, fragments[0]), (9, fragments[1]))


def test_duplicate_id_is_reported_even_when_the_first_entry_is_invalid(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: What is a cerclage?
          - id: cerclage
            question: How is a cerclage done?
            answer: In the hospital.
        """,
    )

    problems = problems_of(path)

    fragments = ["'answer' is required", "duplicate id 'cerclage'"]
    assert located(problems, fragments) == expect(path, (3, fragments[0]), (5, fragments[1]))


def test_unclosed_quote_is_reported_at_the_line_where_the_quote_starts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        """\
        source: {title: T, author: A, date: "2020-01-27"}
        entries:
          - id: cerclage
            question: "What is a cerclage?
            answer: A stitch.
          - id: anesthesia
            question: What anesthesia is used?
            answer: Spinal or epidural.
        """,
    )

    problems = problems_of(path)

    assert located(problems, ["not valid YAML"]) == expect(path, (4, "not valid YAML"))


def test_word_tables_of_other_scripts_and_languages_refuse_bad_keys_at_their_line(
    tmp_path: Path,
) -> None:
    tables = write(
        tmp_path / "faq",
        "words.yaml",
        "script_words:\n"
        '  "خون": "khoon"\n'
        '  "blood": "blood"\n'
        "foreign_words:\n"
        '  "bolsa estourou": "water broke"\n'
        '  "Sangue": "blood"\n'
        '  "febre": "!!"\n',
    )
    problems = problems_of(tmp_path / "faq")
    fragments = [
        "script_words: 'blood' must be written in the Arabic or an Indic script",
        "foreign_words: 'Sangue' must be lower-case words without accents",
        "foreign_words: 'febre' needs English words after it",
    ]
    assert located(problems, fragments) == [
        (str(tables), 3, fragments[0]),
        (str(tables), 6, fragments[1]),
        (str(tables), 7, fragments[2]),
    ]


def _faq_with_lexicon(folder: Path, key: str, value: str) -> None:
    """A one-entry FAQ in ``folder`` with one lexicon list, ``key: value``."""
    write(
        folder,
        "faq.yaml",
        f"""\
        source: {{title: T, author: A, date: "2020-01-27"}}
        entries:
          - {{id: cerclage, question: What is a cerclage?, answer: A stitch.}}
        {key}: {value}
        """,
    )


def test_distress_emoji_are_kept_as_written_and_words_among_them_are_refused(
    tmp_path: Path,
) -> None:
    _faq_with_lexicon(tmp_path, "distress_emoji", '["😭", "💔"]')
    assert load_content(tmp_path).lexicon.distress_emoji == {"😭", "💔"}
    _faq_with_lexicon(tmp_path, "distress_emoji", '["😭", "sad"]')
    with pytest.raises(ContentError, match="distress_emoji: 'sad' must be emoji"):
        load_content(tmp_path)


@pytest.mark.parametrize("key", ["checklist_denials", "checklist_normal"])
def test_checklist_values_are_kept_as_written_and_an_empty_one_is_refused(
    tmp_path: Path, key: str
) -> None:
    _faq_with_lexicon(tmp_path, key, '["Nil", "0/10", "As usual"]')
    assert getattr(load_content(tmp_path).lexicon, key) == {"nil", "0/10", "as usual"}
    _faq_with_lexicon(tmp_path, key, '["none", " "]')
    with pytest.raises(ContentError, match=f"every item of '{key}' must be non-empty text"):
        load_content(tmp_path)
