"""`rusta data snapshot`: build the LM corpus snapshot and its provenance ledger from a crate registry."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    snap = sub.add_parser("snapshot", help="Scan Debian crate sources; write ledger, splits and manifest")
    snap.add_argument(
        "--registry", type=Path, default=None, help="registry dir (default /usr/share/cargo/registry)"
    )
    snap.add_argument(
        "--out", type=Path, default=None, help="output dir (default: Rusta's cache, bytelm/snapshot)"
    )


def run(args: argparse.Namespace) -> int:
    from engine.bytelm.data.corpus import DEFAULT_REGISTRY, snapshot
    from engine.bytelm.paths import snapshot_dir

    registry = args.registry or DEFAULT_REGISTRY
    out = args.out or snapshot_dir()
    m = snapshot(registry, out)
    print(
        f"snapshot {out}: {m.files_seen} files seen, {m.files_in} in "
        f"({m.train_files} train / {m.valid_files} valid, {m.train_bytes + m.valid_bytes} bytes), "
        f"{m.heldout_files} held out for evaluation"
    )
    for reason, n in sorted(m.out_reasons.items(), key=lambda kv: -kv[1]):
        print(f"  out {n:6d}  {reason}")
    print(f"ledger sha256 {m.ledger_sha256}")
    return 0
