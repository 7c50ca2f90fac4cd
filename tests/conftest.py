"""Shared fixtures: the real content, and a fresh SQLite file per test (never a shared one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lumbar.content.load import Content, default_content


@pytest.fixture(scope="session")
def content() -> Content:
    return default_content()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lumbar.db"
