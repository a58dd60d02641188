"""Suite-wide set-up: Rusta's cache goes to a temporary folder; cargo must be real and present."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    if shutil.which("cargo") is None:
        raise pytest.UsageError(
            "cargo is not on PATH: Rusta's tests run the real cargo and cannot run without it."
        )
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ["CARGO_TERM_COLOR"] = "never"


@pytest.fixture(autouse=True)
def _rusta_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each worker shares one cache (warm target dirs), separate from the user's ~/.cache/rusta."""
    cache = tmp_path_factory.getbasetemp() / "rusta-cache"
    cache.mkdir(exist_ok=True)
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def fixture_crate(tmp_path: Path):
    """Copy a fixture crate from tests/fixtures/NAME into tmp_path and return its root."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(FIXTURES / name, dest, ignore=shutil.ignore_patterns("target"))
        return dest

    return copy
