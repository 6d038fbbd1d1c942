"""The bot's config file: defaults, the token variable, relative paths and named problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import _engine
from bot.config import (
    DEFAULT_BASE_URL,
    DEFAULT_STATS_PATH,
    TOKEN_ENV,
    Config,
    ConfigError,
    load_config,
)
from tests.helpers import write


def write_config(folder: Path, text: str, name: str = "config.yaml") -> Path:
    """Write a config file (``text`` dedented) and return its path."""
    return write(folder, name, text)


# ---- helpers ----------------------------------------------------------------------------------


def config_problems(path: Path) -> list[str]:
    """The problems ``load_config(path)`` reports (the test fails if it loads)."""
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    return caught.value.problems


def named_keys(problems: list[str], path: Path) -> list[str]:
    """The key each problem starts with (after the ``path: `` prefix), in order."""
    prefix = f"{path}: "
    return [
        problem.removeprefix(prefix).split(":", 1)[0] if problem.startswith(prefix) else problem
        for problem in problems
    ]


# ---- defaults, token and paths ----------------------------------------------------------------


def test_no_path_gives_the_built_in_defaults() -> None:
    config = load_config(env={})

    # Statistics go to the current folder when there is no config file.
    assert config == Config(stats_path=Path.cwd() / DEFAULT_STATS_PATH)
    assert (config.token, config.faq_path, config.webhook, config.source) == (
        None,
        None,
        None,
        None,
    )


def test_empty_config_file_gives_the_defaults(tmp_path: Path) -> None:
    path = write_config(tmp_path, "# nothing configured yet\n")

    config = load_config(path, env={})

    # ... and next to the config file when there is one.
    expected = Config(stats_path=tmp_path / DEFAULT_STATS_PATH)
    assert (config, config.source) == (expected, path)


def test_token_variable_is_used_without_a_config_file() -> None:
    config = load_config(env={TOKEN_ENV: "123456:from-env"})

    assert config.token == "123456:from-env"


def test_token_variable_overrides_the_config_token(tmp_path: Path) -> None:
    path = write_config(tmp_path, "telegram:\n  token: '123456:from-file'\n")

    from_file = load_config(path, env={})
    from_env = load_config(path, env={TOKEN_ENV: "654321:from-env"})

    assert (from_file.token, from_env.token) == ("123456:from-file", "654321:from-env")


def test_token_variable_from_the_process_environment_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "999:process-env")

    assert load_config().token == "999:process-env"


def test_relative_faq_path_is_resolved_against_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path / "deploy", "faq:\n  path: content/faq\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    config = load_config(path, env={})

    assert config.faq_path == (tmp_path / "deploy").resolve() / "content" / "faq"


def test_relative_config_path_resolves_faq_path_from_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path / "deploy", "faq:\n  path: faq\n")
    monkeypatch.chdir(tmp_path)

    config = load_config(Path("deploy") / "config.yaml", env={})

    assert config.faq_path == (tmp_path / "deploy").resolve() / "faq"


def test_absolute_faq_path_is_kept(tmp_path: Path) -> None:
    target = (tmp_path / "somewhere" / "faq").resolve()
    path = write_config(tmp_path / "deploy", f"faq:\n  path: {str(target)!r}\n")

    assert load_config(path, env={}).faq_path == target


def test_full_valid_config_is_converted(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """\
        telegram:
          token: "123456:ABC"
          base_url: http://localhost:8081/bot
          webhook:
            url: https://bot.example.org/hook
            port: 8080
            secret_token: Abc_123-xyz
        moderators: [11, 22]
        matching:
          threshold: 50
          margin: 2.5
        flood:
          messages: 5
          per_seconds: 30
        logging:
          level: debug
          user_data: true
        """,
    )

    config = load_config(path, env={})

    assert config.webhook is not None
    actual = (
        config.token,
        config.base_url,
        config.webhook.url,
        config.webhook.port,
        config.webhook.secret_token,
        config.moderators,
        config.threshold,
        config.margin,
        config.flood_messages,
        config.flood_seconds,
        config.log_level,
        config.log_user_data,
    )
    assert actual == (
        "123456:ABC",
        "http://localhost:8081/bot",
        "https://bot.example.org/hook",
        8080,
        "Abc_123-xyz",
        (11, 22),
        50.0,
        2.5,
        5,
        30.0,
        "DEBUG",
        True,
    )


def test_base_url_defaults_to_the_telegram_api(tmp_path: Path) -> None:
    path = write_config(tmp_path, "telegram:\n  token: abc\n")

    assert load_config(path, env={}).base_url == DEFAULT_BASE_URL


# ---- invalid configs: each problem names its key ----------------------------------------------

INVALID = [
    pytest.param("telegrm:\n  token: abc\n", ["telegrm"], id="unknown-top-level-key"),
    pytest.param("telegram:\n  tokn: abc\n", ["telegram.tokn"], id="unknown-nested-key"),
    pytest.param(
        "telegram:\n  webhook:\n    url: https://x.example/hook\n    prot: 80\n"
        "    secret_token: s\n",
        ["telegram.webhook.prot"],
        id="unknown-webhook-key",
    ),
    pytest.param(
        "telegram:\n  webhook:\n    url: https://x.example/hook\n    port: eighty\n"
        "    secret_token: s\n",
        ["telegram.webhook.port"],
        id="webhook-port-text",
    ),
    pytest.param(
        "telegram:\n  webhook:\n    url: https://x.example/hook\n    port: true\n"
        "    secret_token: s\n",
        ["telegram.webhook.port"],
        id="webhook-port-boolean",
    ),
    pytest.param(
        "telegram:\n  webhook:\n    url: https://x.example/hook\n    port: 70000\n"
        "    secret_token: s\n",
        ["telegram.webhook.port"],
        id="webhook-port-out-of-range",
    ),
    pytest.param("moderators: [123, alice]\n", ["moderators[1]"], id="moderators-with-text"),
    pytest.param("moderators: 123\n", ["moderators"], id="moderators-not-a-list"),
    pytest.param("flood:\n  messages: 0\n", ["flood.messages"], id="flood-messages-zero"),
    pytest.param("flood:\n  per_seconds: 0\n", ["flood.per_seconds"], id="flood-seconds-zero"),
    pytest.param("logging:\n  level: bogus\n", ["logging.level"], id="logging-level-bogus"),
    pytest.param(
        "logging:\n  user_data: 'yes'\n", ["logging.user_data"], id="user-data-quoted-text"
    ),
    pytest.param(
        "telegram:\n  webhook:\n    url: http://x.example/hook\n    secret_token: s\n",
        ["telegram.webhook.url"],
        id="webhook-url-not-https",
    ),
    pytest.param(
        "telegram:\n  webhook:\n    port: 8443\n    secret_token: s\n",
        ["telegram.webhook.url"],
        id="webhook-without-url",
    ),
    pytest.param(
        "telegram:\n  webhook:\n    url: https://x.example/hook\n    secret_token: 'a b!'\n",
        ["telegram.webhook.secret_token"],
        id="secret-token-bad-characters",
    ),
    pytest.param(
        f"telegram:\n  webhook:\n    url: https://x.example/hook\n    secret_token: {'a' * 257}\n",
        ["telegram.webhook.secret_token"],
        id="secret-token-too-long",
    ),
    pytest.param(
        "telegram:\n  webhook:\n    url: https://x.example/hook\n",
        ["telegram.webhook.secret_token"],
        id="webhook-without-secret-token",
    ),
    pytest.param(
        "telegram:\n  retry_attempts: 0\n", ["telegram.retry_attempts"], id="retry-attempts-zero"
    ),
    pytest.param(
        "telegram:\n  retry_first_wait: -1\n",
        ["telegram.retry_first_wait"],
        id="retry-first-wait-negative",
    ),
    pytest.param(
        "telegram:\n  base_url: api.telegram.org\n", ["telegram.base_url"], id="base-url-scheme"
    ),
    pytest.param("telegram: [token]\n", ["telegram"], id="section-not-a-mapping"),
    pytest.param("matching:\n  threshold: 150\n", ["matching.threshold"], id="threshold-range"),
    pytest.param("matching:\n  margin: 'x'\n", ["matching.margin"], id="margin-text"),
    pytest.param("faq:\n  path: [a, b]\n", ["faq.path"], id="faq-path-list"),
]


@pytest.mark.parametrize(("text", "keys"), INVALID)
def test_invalid_config_names_the_key_in_the_problem(
    tmp_path: Path, text: str, keys: list[str]
) -> None:
    path = write_config(tmp_path, text)

    problems = config_problems(path)

    assert named_keys(problems, path) == keys


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """\
        telegrm: {}
        telegram:
          webhook:
            url: http://x.example/hook
            secret_token: "not valid!"
        moderators: [1, two]
        flood:
          messages: 0
        logging:
          level: loud
        """,
    )

    problems = config_problems(path)

    assert sorted(named_keys(problems, path)) == [
        "flood.messages",
        "logging.level",
        "moderators[1]",
        "telegram.webhook.secret_token",
        "telegram.webhook.url",
        "telegrm",
    ]


def test_unknown_key_is_reported_once(tmp_path: Path) -> None:
    path = write_config(tmp_path, "telegram:\n  tokn: abc\n  base_url: https://x.example/\n")

    problems = config_problems(path)

    assert named_keys(problems, path) == ["telegram.tokn"]


def test_config_error_message_lists_every_problem(tmp_path: Path) -> None:
    path = write_config(tmp_path, "flood:\n  messages: 0\nlogging:\n  level: loud\n")

    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})

    assert str(caught.value).splitlines() == caught.value.problems


def test_missing_config_file_is_reported_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"

    problems = config_problems(missing)

    assert problems == [f"{missing}: config file not found"]


def test_broken_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """\
        telegram:
          token: abc
         base_url: https://x.example/
        """,
    )

    problems = config_problems(path)

    assert [problem.split(": ", 1)[0] for problem in problems] == [f"{path}:3"]
    assert "not valid YAML" in problems[0]


def test_top_level_list_is_rejected(tmp_path: Path) -> None:
    path = write_config(tmp_path, "- telegram\n- faq\n")

    problems = config_problems(path)

    assert [problem.split(": ", 1)[0] for problem in problems] == [str(path)]
    assert "must be a mapping" in problems[0]


def test_top_level_text_is_rejected(tmp_path: Path) -> None:
    path = write_config(tmp_path, "just some words\n")

    problems = config_problems(path)

    assert [problem.split(": ", 1)[0] for problem in problems] == [str(path)]
    assert "must be a mapping" in problems[0]


def test_blank_token_variable_falls_back_to_the_config_token(tmp_path: Path) -> None:
    path = write_config(tmp_path, "telegram:\n  token: '123456:from-file'\n")

    tokens = [load_config(path, env={TOKEN_ENV: blank}).token for blank in ("", "  ")]

    assert tokens == ["123456:from-file", "123456:from-file"]


@pytest.mark.parametrize(
    ("key", "written", "message"),
    [
        ("helpline", "Lifeline on   13 11 14", "i want to kill myself"),
        ("abuse_helpline", "1800RESPECT on  1800 737 732", "my husband hit me and i'm 22 weeks"),
    ],
)
def test_a_helpline_is_read_and_reaches_its_reply(
    tmp_path: Path, key: str, written: str, message: str
) -> None:
    path = write_config(tmp_path, f'safety:\n  {key}: "{written}"\n')
    config = load_config(path)
    said = " ".join(written.split())
    assert getattr(config, key) == said
    answer = _engine(config).answer(message)
    assert said in answer.reply


@pytest.mark.parametrize(("key", "written"), [("helpline", "  "), ("abuse_helpline", "")])
def test_an_empty_helpline_is_a_clear_error(tmp_path: Path, key: str, written: str) -> None:
    path = write_config(tmp_path, f'safety:\n  {key}: "{written}"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert any(f"safety.{key}" in problem for problem in raised.value.problems)


def test_reload_settings_are_read_and_checked(tmp_path: Path) -> None:
    good = write_config(
        tmp_path, "faq:\n  path: faq\n  watch_seconds: 5\nmoderators_chat: -100123\n"
    )
    bad = write_config(tmp_path, "faq:\n  watch_seconds: -1\nmoderators_chat: general\n", "b.yaml")

    config = load_config(good, env={})

    assert (config.watch_seconds, config.moderators_chat) == (5.0, -100123)
    assert load_config(None, env={}).watch_seconds == 60.0
    assert named_keys(config_problems(bad), bad) == ["moderators_chat", "faq.watch_seconds"]


def test_sending_limits_are_read_and_checked(tmp_path: Path) -> None:
    limits = "telegram:\n  send_per_second: 100\n  send_per_group_minute: 40\n"
    good = write_config(tmp_path, limits)
    bad = write_config(tmp_path, "telegram:\n  send_per_second: 0\n", "b.yaml")

    config = load_config(good, env={})

    assert (config.send_per_second, config.send_per_group_minute) == (100.0, 40.0)
    assert (Config().send_per_second, Config().send_per_group_minute) == (30.0, 20.0)
    assert named_keys(config_problems(bad), bad) == ["telegram.send_per_second"]
