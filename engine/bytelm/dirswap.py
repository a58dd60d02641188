"""Replace a whole output folder at once: the shipped checkpoint and the corpus snapshot.

Both are several files that only make sense together (weights with their config, train.bin with
its ledger), so they are written into a hidden sibling and swapped in by two renames: a crash, a
full disk or ctrl-C leaves the previous folder whole, or (between the renames) beside it as
`.NAME-old`, never a mix of old and new files.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(out_dir: Path) -> Iterator[Path]:
    """Yield an empty folder beside `out_dir`; when the block ends normally it becomes `out_dir`."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    tmp.chmod(0o755)
    try:
        yield tmp
        old = out_dir.with_name(f".{out_dir.name}-old")
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
