"""Which tests failed when they last ran, kept in `<crate>/.rusta/tests/last-run.json`.

The memory is updated from each run by one rule: the tests that ran drop out, the ones that failed
in it go in. A full run thus replaces it; `--failed` or a FILTER run amends it.
"""

from __future__ import annotations

import time
from pathlib import Path

import msgspec

from diary.rustadir import ensure_rusta_dir
from engine.testexplain.errors import TestExplainError
from engine.testexplain.types import FailedTest, LastRun
from toolbelt.atomic_file import replace_file
from toolbelt.types import TestReport

_DECODER = msgspec.json.Decoder(LastRun)
_ENCODER = msgspec.json.Encoder()


def memory_path(root: str | Path) -> Path:
    return Path(root) / ".rusta" / "tests" / "last-run.json"


def recall(root: str | Path) -> LastRun | None:
    """The last run's memory; None when no run was remembered here."""
    path = memory_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise TestExplainError(f"{path} cannot be read ({e.strerror or e}).") from e
    try:
        return _DECODER.decode(data)
    except msgspec.DecodeError as e:
        raise TestExplainError(f"{path} is damaged ({e}); delete it and run `rusta test` again.") from e


def updated(before: LastRun | None, report: TestReport) -> LastRun:
    """The memory after `report`: tests that ran leave it, tests that failed in it join it."""
    ran = {(t.suite, t.name) for t in report.tests}
    kept = [f for f in (before.failed if before else ()) if (f.suite, f.name) not in ran]
    failed = [FailedTest(name=t.name, suite=t.suite) for t in report.tests if t.status == "failed"]
    return LastRun(failed=tuple(kept + failed), when=time.time())


def remember(root: str | Path, memory: LastRun) -> Path:
    """Write the memory atomically (temp file, fsync, rename); TestExplainError when it cannot."""
    path = memory_path(root)
    try:
        ensure_rusta_dir(root)
        path.parent.mkdir(exist_ok=True)
        replace_file(path, _ENCODER.encode(memory))
    except Exception as e:  # DiaryError from ensure_rusta_dir, OSError from the write
        if not isinstance(e, OSError) and not getattr(e, "user_facing", False):
            raise
        raise TestExplainError(f"the failed tests cannot be remembered in {path.parent}: {e}") from e
    return path
