"""Argument types the subcommands share: a bad count is a usage error (exit 2), never a silent default."""

from __future__ import annotations

import argparse


def positive(text: str) -> int:
    """A count from 1: `--pick 0`, `--budget -3` or `hotspots -n 0` is a usage error."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, got {text!r}")
    return n
