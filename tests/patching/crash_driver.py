"""Run one patch operation in a child process, so a test can kill -9 it (RUSTA_TEST_CRASH_AT or a timer).

python -m tests.patching.crash_driver ROOT apply PATCH_JSON VALIDATION_JSON
python -m tests.patching.crash_driver ROOT undo|redo
"""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from engine.patching import api
from engine.patching.types import Patch, Validation


def main(argv: list[str]) -> int:
    root, op = Path(argv[0]), argv[1]
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
    sys.exit(main(sys.argv[1:]))
