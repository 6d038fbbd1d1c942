"""Shared fixtures: the packaged FAQ engine, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq import Engine

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine for the packaged FAQ."""
    return Engine.load()
