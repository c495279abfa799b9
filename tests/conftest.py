"""Shared fixtures: a private copy of data/ that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from belarus_monitor import config


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data directory in a temporary directory."""
    dest = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, dest)
    return dest


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a CSV file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
