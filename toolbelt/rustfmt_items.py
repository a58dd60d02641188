"""rustfmt on one item's text, in the crate's own style: what a patch's changed items look like formatted.

Stable rustfmt refuses `--file-lines` (an unstable option), so Rusta never formats a whole file to
touch a few lines: each changed item is written alone to a temporary file and formatted with
`--emit stdout --config-path <the crate's rustfmt.toml>`, and the caller splices it back.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from toolbelt.process import run_limited

RUSTFMT_TIMEOUT_S = 20.0
CONFIG_NAMES = ("rustfmt.toml", ".rustfmt.toml")


def rustfmt_config(crate: Path) -> Path | None:
    """The crate's rustfmt config: in the crate or a parent folder, the nearest one, as rustfmt looks."""
    for d in (crate, *crate.parents):
        for name in CONFIG_NAMES:
            if (d / name).is_file():
                return d / name
    return None


def crate_edition(crate: Path) -> str:
    try:
        text = (crate / "Cargo.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "2021"
    m = re.search(r'^\s*edition\s*=\s*"(\d{4})"', text, re.M)
    return m.group(1) if m else "2015"


class RustfmtUnavailable(Exception):
    """rustfmt is absent or failed; the message says which, in one sentence."""


def format_item(text: str, crate: Path, timeout_s: float = RUSTFMT_TIMEOUT_S) -> str:
    """`text` (one top-level item) formatted in the crate's style; raises RustfmtUnavailable."""
    exe = shutil.which("rustfmt")
    if exe is None:
        raise RustfmtUnavailable("rustfmt is not on PATH (rustup component add rustfmt)")
    argv = [exe, "--emit", "stdout", "--quiet", "--edition", crate_edition(crate)]
    cfg = rustfmt_config(crate)
    if cfg is not None:
        argv += ["--config-path", str(cfg)]
    with tempfile.TemporaryDirectory(prefix="rusta-fmt-") as tmp:
        f = Path(tmp) / "item.rs"
        f.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        proc = run_limited([*argv, str(f)], cwd=tmp, timeout_s=timeout_s)
    if proc.outcome != "ok":
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RustfmtUnavailable(f"rustfmt did not format the item: {err[0] if err else proc.outcome}")
    return proc.stdout.decode("utf-8", "replace")


def format_statements(code: str, indent: str, crate: Path | None = None) -> str:
    """Statements a fix writes (`code`, maybe all on one line) as rustfmt lays them out at the depth
    of a place whose first line is at `indent` (4-space levels: the code is formatted inside as many
    nested blocks, so line widths are the real ones): the first line bare (the edit starts after the
    indent), the others indented as rustfmt put them. `code` itself when the indent is not in spaces
    or rustfmt is missing or fails. A generated one-liner is what nobody writes, and `cargo fmt
    --check` would flag it."""
    depth = len(indent) // 4
    if indent.strip(" ") or len(indent) % 4 or depth < 1:
        return code
    opened = "".join("{\n" for _ in range(depth - 1))
    closed = "".join("}\n" for _ in range(depth - 1))
    try:
        out = format_item(
            f"fn __rusta_fmt() {{\n{opened}{code}\n{closed}}}", crate or Path("/nonexistent-crate")
        )
    except RustfmtUnavailable:
        return code
    lines = out.rstrip("\n").split("\n")
    body = lines[depth : len(lines) - depth]
    if not body or not body[0].startswith(indent):
        return code
    return "\n".join([body[0][len(indent) :], *body[1:]])
