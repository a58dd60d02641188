"""Fixtures of the diary tests: a scratch folder in RAM for the loops that fsync thousands of times."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _ram_dir() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="rusta-diary-", dir=shm if shm.is_dir() else None))


@pytest.fixture
def ram_path() -> Iterator[Path]:
    """Like tmp_path, on tmpfs when there is one: fsync is still called, it just costs nothing there."""
    d = _ram_dir()
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)
