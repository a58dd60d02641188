"""Run one patch operation in a child process, so a test can kill -9 it (RUSTA_TEST_CRASH_AT or a timer).

python -m tests.patching.crash_driver ROOT apply PATCH_JSON VALIDATION_JSON
python -m tests.patching.crash_driver ROOT undo|redo

RUSTA_TEST_FSIZE=N caps the size of any file the child writes (RLIMIT_FSIZE), so a write fails
with EFBIG as on a full disk.

RUSTA_TEST_STOP_IN_LOCK=TEXT stops the child (SIGSTOP) just after dulwich creates its first lock file
whose path holds TEXT, inside a real write of the snapshot store, so a test can see the lock and
kill -9 the child right there. RUSTA_TEST_STOP_AFTER_MKDIR=TEXT stops it just after it makes a folder
whose path ends with TEXT (the snapshot store being made, say).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
from pathlib import Path
from typing import Any

import msgspec

from engine.patching import api
from engine.patching.types import Patch, Validation


def stop_in_lock(text: str) -> None:
    """Wrap dulwich's lock-file writer so the process stops once its lock file named like `text` exists."""
    from dulwich import file as dfile

    made = dfile._GitFile.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        if text in os.fsdecode(self._lockfilename):
            os.kill(os.getpid(), signal.SIGSTOP)

    dfile._GitFile.__init__ = init  # type: ignore[method-assign]


def stop_after_mkdir(text: str) -> None:
    made = os.mkdir

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        made(path, *args, **kwargs)
        if os.fsdecode(path).endswith(text):
            os.kill(os.getpid(), signal.SIGSTOP)

    os.mkdir = mkdir


def main(argv: list[str]) -> int:
    root, op = Path(argv[0]), argv[1]
    if text := os.environ.get("RUSTA_TEST_STOP_IN_LOCK"):
        stop_in_lock(text)
    if text := os.environ.get("RUSTA_TEST_STOP_AFTER_MKDIR"):
        stop_after_mkdir(text)
    if cap := os.environ.get("RUSTA_TEST_FSIZE"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(cap), int(cap)))
    if op == "apply":
        patch = msgspec.json.decode(Path(argv[2]).read_bytes(), type=Patch)
        validation = msgspec.json.decode(Path(argv[3]).read_bytes(), type=Validation)
        rec = api.apply(root, patch, validation)
    elif op == "undo":
        rec = api.undo(root)
    else:
        rec = api.redo(root)
    print(rec.op_id)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as e:  # as the CLI does: one line for a user-facing error
        if not getattr(e, "user_facing", False):
            raise
        print(f"{type(e).__module__}.{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(2)
