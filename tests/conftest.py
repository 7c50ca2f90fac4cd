"""Shared fixtures: the real content (and a copy to break), and a fresh SQLite file per
test (never a shared one)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lumbar.content.load import CONTENT_DIR, Content, default_content

pytest_plugins = ["tests.databases"]

# Every `--json` document a test prints is checked against its model in formats/shapes,
# the one the API declares (cli/options.py: a person's command skips the check).
os.environ["LUMBAR_CHECK_SHAPES"] = "1"


@pytest.fixture(scope="session")
def content() -> Content:
    return default_content()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lumbar.db"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """The shipped content files in a folder of their own, for a test to change."""
    for source in CONTENT_DIR.glob("*.toml"):
        shutil.copy(source, tmp_path / source.name)
    return tmp_path
