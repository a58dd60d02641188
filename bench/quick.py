"""`rusta bench --quick`: every benchmark at tiny sizes, to prove it still runs. No timing is judged.

The runner sets RUSTA_BENCH_QUICK=1 (and the gym's size variables) before importing a bench; a
bench reads its sizes through `size(full, quick)`.
"""

from __future__ import annotations

import os


def quick() -> bool:
    """Read when asked, not at import: the runner sets the variable after importing this module."""
    return os.environ.get("RUSTA_BENCH_QUICK") == "1"


# one small dev crate, one episode, Rusta alone: the gym's path end to end in seconds
QUICK_ENV = {
    "RUSTA_BENCH_QUICK": "1",
    "RUSTA_GYM_CRATES": "adler",
    "RUSTA_GYM_PER_CRATE": "1",
    "RUSTA_GYM_METHODS": "rusta",
}


def size(full: int, quick_size: int) -> int:
    return quick_size if quick() else full
