"""A shadow copy of a crate that cargo cannot write to, so a read-only crate can still be checked.

cargo insists on writing `Cargo.lock` when a crate has none; in a read-only folder that fails
("failed to write Cargo.lock"). Rusta never writes into the user's crate, so in that one case she
runs cargo on a copy of the sources under her cache. Diagnostics keep the same relative file names,
because rustc reports paths relative to the workspace root.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from toolbelt.cache_root import cache_dir  # stdlib only: cargo_early reads has_lockfile before msgspec
from toolbelt.errors import ToolbeltError

_IGNORE = shutil.ignore_patterns("target", ".git", ".rusta", "node_modules")


def has_lockfile(root: Path) -> bool:
    """A Cargo.lock beside a manifest, in the crate or in a folder above it (a workspace root).

    A lock with no Cargo.toml beside it (one left in /tmp by some earlier run) is no workspace's:
    cargo ignores it and would still have to write the crate's own.
    """
    return any((d / "Cargo.lock").is_file() and (d / "Cargo.toml").is_file() for d in (root, *root.parents))


def needs_shadow(root: Path) -> bool:
    """cargo would have to create Cargo.lock but the folder does not take writes."""
    return not has_lockfile(root) and not os.access(root, os.W_OK)


def shadow_copy(root: Path) -> Path:
    """Refresh and return the shadow copy of `root` under the cache (sources only, no target)."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    dest = cache_dir() / "shadows" / f"{root.name}-{key}"
    try:
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(root, dest, ignore=_IGNORE, symlinks=True)
        for d, _dirs, files in os.walk(dest):  # the copy keeps the read-only modes; cargo needs to write
            os.chmod(d, 0o755)
            for f in files:
                p = Path(d, f)
                if not p.is_symlink():
                    os.chmod(p, 0o644)
    except OSError as e:
        raise ToolbeltError(f"cannot copy the read-only crate {root} to {dest}: {e.strerror or e}.") from e
    return dest


def build_root(root: Path) -> Path:
    """Where cargo should run for `root`: the crate itself, or its shadow copy when it is read-only."""
    return shadow_copy(root) if needs_shadow(root) else root
