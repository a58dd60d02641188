"""`rusta lm bpb FILE...` and `rusta lm hotspots FILE`: how surprising code looks to the shipped byte LM."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rusta_tui.cli.argtypes import positive


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checkpoint", type=Path, default=None, help="checkpoint dir (default: the shipped small)"
    )
    parser.add_argument(
        "--float", dest="use_float", action="store_true", help="dequantize once and run in float32"
    )
    sub = parser.add_subparsers(dest="lm_command", metavar="ACTION", required=True)
    bpb = sub.add_parser("bpb", help="Bits per byte of each file")
    bpb.add_argument("files", nargs="+", type=Path)
    bpb.add_argument("--json", action="store_true", help="one JSON object per file: path, bytes, bpb")
    hot = sub.add_parser("hotspots", help="The lines the model finds most surprising")
    hot.add_argument("file", type=Path)
    hot.add_argument("-n", type=positive, default=10, help="how many lines (default 10)")
    hot.add_argument("--json", action="store_true")


def _read(path: Path) -> bytes:
    from engine.bytelm.errors import ByteLMError

    try:
        return path.read_bytes()
    except OSError as e:
        raise ByteLMError(f"cannot read {path}: {e.strerror}.") from e


def run(args: argparse.Namespace) -> int:
    from engine.bytelm.hotspots import file_score, hotspots
    from engine.bytelm.infer import LM

    lm = LM.load(args.checkpoint, quantized=not args.use_float)
    if args.lm_command == "bpb":
        for path in args.files:
            score = file_score(lm, str(path), _read(path))
            if score.bpb is None:
                print(f"{path}: empty, nothing to score.", file=sys.stderr)
            if args.json:
                bpb = None if score.bpb is None else round(score.bpb, 4)
                print(json.dumps({"path": score.path, "bytes": score.bytes, "bpb": bpb}))
            elif score.bpb is None:
                print(f"{'-':>6}      {score.bytes:8d} bytes  {score.path} (empty)")
            else:
                print(f"{score.bpb:6.3f} bpb  {score.bytes:8d} bytes  {score.path}")
        return 0
    lines = hotspots(lm, _read(args.file), args.n)
    for ln in lines:
        if args.json:
            print(json.dumps({"line": ln.line, "bpb": round(ln.bpb, 3), "text": ln.text}))
        else:
            print(f"{args.file}:{ln.line}: {ln.bpb:5.2f} bpb  {ln.text}")
    if not lines:
        print(f"{args.file}: nothing to rank (no non-blank lines).", file=sys.stderr)
    return 0
