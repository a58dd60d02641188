"""Fixtures for the transaction tests: one real validation per session, then cheap copies of the crate.

The template crate (a git repo, with its `.rusta/` store and DevLog) is validated once per test
process with real cargo; each test copies it, so apply/undo/redo and the kill -9 tests need no further cargo run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest

from engine.patching import api
from engine.patching.types import Patch, Validation
from tests.patching.helpers import diff_text, make_crate


class Validated(msgspec.Struct, frozen=True):
    root: Path
    patch: Patch
    validation: Validation


@pytest.fixture(scope="session")
def validated_template(tmp_path_factory: pytest.TempPathFactory) -> Validated:
    cache = tmp_path_factory.getbasetemp() / "rusta-cache"
    cache.mkdir(exist_ok=True)
    os.environ["RUSTA_CACHE_DIR"] = str(cache)
    root = make_crate(tmp_path_factory.mktemp("template") / "crate")
    (root / "run.sh").write_text("#!/bin/sh\necho run\n")
    (root / "run.sh").chmod(0o755)
    (root / "src" / "lib.rs").chmod(0o640)
    os.symlink("src/lib.rs", root / "lib-link")
    (root / "logo.bin").write_bytes(bytes(range(256)))
    patch = Patch.new(diff_text("good.diff"), "adds double() and extra::greet, drops NOTES.txt")
    validation = api.validate(root, patch)
    assert validation.green, validation.reason
    return Validated(root=root, patch=patch, validation=validation)


@pytest.fixture
def crate_copy(validated_template: Validated, tmp_path: Path):
    """A fresh copy of the validated template; git's stat cache refreshed so the index is stable."""

    def copy(name: str = "crate") -> Path:
        dest = tmp_path / name
        shutil.copytree(validated_template.root, dest, symlinks=True)
        subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=dest, capture_output=True)
        return dest

    return copy
