"""Shared byte-LM fixtures: a synthetic registry and snapshot, and one briefly trained `test` model."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

WORDS = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "zeta", "iota"]


def rust_code(seed: int, fns: int = 12) -> str:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(fns):
        body = " + ".join(f"{rng.choice(WORDS)}_{rng.integers(1000)}" for _ in range(4))
        out.append(f"pub fn f{seed}_{i}(x: u32) -> u32 {{\n    let y = {body};\n    x + y\n}}\n")
    return "\n".join(out)


def make_crate(reg: Path, name: str, version: str, license: str | None, files: dict[str, str]) -> None:
    root = reg / f"{name}-{version}"
    (root / "src").mkdir(parents=True)
    lic = f'license = "{license}"\n' if license is not None else ""
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "{version}"\n{lic}')
    for rel, text in files.items():
        (root / rel).write_text(text)


@pytest.fixture(scope="session")
def tiny_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot of 40 synthetic permissive crates, enough for windows of the `test` preset."""
    from engine.bytelm.data.corpus import snapshot

    base = tmp_path_factory.mktemp("bytelm-reg")
    reg = base / "registry"
    reg.mkdir()
    for i in range(40):
        make_crate(reg, f"crate{i}", "0.1.0", "MIT", {"src/lib.rs": rust_code(1000 + i, fns=20)})
    snapshot(reg, base / "snap")
    return base / "snap"


def train_args(snap: Path, run_dir: Path, steps: int, **kw: object) -> argparse.Namespace:
    from engine.bytelm.train import build_parser

    argv = ["--preset", "test", "--snapshot", str(snap), "--run-dir", str(run_dir), "--steps", str(steps)]
    args = build_parser().parse_args(
        argv + ["--eval-windows", "16", "--log-every", "10", "--save-every", "10"]
    )
    for k, v in kw.items():
        setattr(args, k, v)
    return args


@pytest.fixture(scope="session")
def trained(tiny_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(run_dir, shipped_dir) of a `test` model trained for 40 steps and shipped as int8."""
    from engine.bytelm.train import train

    base = tmp_path_factory.mktemp("bytelm-train")
    train(train_args(tiny_snapshot, base / "run", 40, ship=True, out=base / "ship"))
    return base / "run", base / "ship"
