"""The corpus snapshot on a synthetic registry: license policy, held-out crates, dedup, split, ledger."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.bytelm.data.collate import (
    DOC_SEP,
    FIM_MID,
    FIM_PRE,
    FIM_SUF,
    fim_window,
    pack_documents,
    sample_batch,
)
from engine.bytelm.data.corpus import held_out_files, snapshot, split_of
from engine.bytelm.data.ledger import ledger_sha256, read_ledger
from engine.bytelm.data.licenses import is_permissive, license_from_files, license_from_text
from engine.bytelm.errors import NoCorpus


def _crate(reg: Path, name: str, version: str, license: str | None, files: dict[str, str]) -> None:
    root = reg / f"{name}-{version}"
    (root / "src").mkdir(parents=True)
    lic = f'license = "{license}"\n' if license is not None else ""
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "{version}"\n{lic}')
    for rel, text in files.items():
        (root / rel).write_text(text)


MIT_TEXT = """MIT License

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
"""
GPL_TEXT = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007
"""
APACHE_TEXT = """                              Apache License
                        Version 2.0, January 2004
                     http://www.apache.org/licenses/
"""


def _code(seed: int) -> str:
    rng = np.random.default_rng(seed)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "zeta", "iota"]
    fns = []
    for i in range(12):
        body = " + ".join(f"{rng.choice(words)}_{rng.integers(1000)}" for _ in range(4))
        fns.append(f"pub fn f{seed}_{i}(x: u32) -> u32 {{\n    let y = {body};\n    x + y\n}}\n")
    return "\n".join(fns)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    reg = tmp_path / "registry"
    reg.mkdir()
    base = _code(1)
    _crate(reg, "good-one", "1.0.0", "MIT OR Apache-2.0", {"src/lib.rs": base, "src/b.rs": _code(2)})
    _crate(reg, "good_two", "0.3.1", "MIT/Apache-2.0", {"src/lib.rs": _code(3)})
    _crate(reg, "gpl-thing", "1.0.0", "GPL-3.0-only", {"src/lib.rs": _code(4)})
    _crate(reg, "nolicense", "1.0.0", None, {"src/lib.rs": _code(5)})
    _crate(reg, "by-file", "1.0.0", None, {"src/lib.rs": _code(9), "LICENSE-MIT": MIT_TEXT})
    _crate(reg, "gpl-by-file", "1.0.0", None, {"src/lib.rs": _code(10), "COPYING": GPL_TEXT})
    _crate(reg, "mixed", "2.0.0", "MIT AND GPL-2.0", {"src/lib.rs": _code(6)})
    # exact copy and a reindented near copy of good-one's lib.rs
    _crate(
        reg,
        "zz-copycat",
        "1.0.0",
        "Zlib",
        {"src/lib.rs": base, "src/near.rs": base.replace("    ", "  ") + "\n// x\n"},
    )
    _crate(reg, "smallvec", "1.10.0", "MIT OR Apache-2.0", {"src/lib.rs": _code(7)})
    _crate(reg, "rustc_demangle", "0.1.21", "MIT/Apache-2.0", {"src/lib.rs": _code(8)})
    # a training crate that copies a held-out file is dropped as well
    _crate(reg, "sneaky", "0.1.0", "ISC", {"src/lib.rs": _code(8)})
    for i in range(30):
        _crate(reg, f"filler{i}", "0.1.0", "BSD-3-Clause", {"src/lib.rs": _code(100 + i)})
    return reg


def test_license_policy() -> None:
    assert is_permissive("MIT OR Apache-2.0")[0]
    assert is_permissive("MIT/Apache-2.0")[0]
    assert is_permissive("Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT")[0]
    assert is_permissive("(MIT OR Apache-2.0) AND Unicode-DFS-2016")[0]
    assert is_permissive("GPL-3.0 OR MIT")[0]  # we take the MIT branch
    assert not is_permissive("MIT AND GPL-2.0")[0]
    assert not is_permissive("LGPL-2.1-or-later")[0]
    assert not is_permissive("")[0]
    assert not is_permissive("MIT OR (")[0]
    assert is_permissive("GPL-2.0 WITH Classpath-exception-2.0") == (
        False,
        "not permissive: GPL-2.0 WITH Classpath-exception-2.0",
    )


def test_license_files_name_what_their_text_says() -> None:
    assert license_from_text(MIT_TEXT) == "MIT" and license_from_text(APACHE_TEXT) == "Apache-2.0"
    assert license_from_text(GPL_TEXT) == "GPL-3.0" and license_from_text("all rights reserved") is None
    assert (
        license_from_files([APACHE_TEXT, MIT_TEXT]) == "Apache-2.0 OR MIT"
    )  # dual-licensed crates ship both
    assert license_from_files(["nothing we know"]) == ""


def test_snapshot_ledger_and_splits(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap"
    m = snapshot(registry, out)
    rows = {r.path: r for r in read_ledger(out / "ledger.jsonl")}
    assert m.ledger_sha256 == ledger_sha256(out / "ledger.jsonl")
    assert len(rows) == m.files_seen == sum(1 for _ in registry.rglob("*.rs"))
    assert rows["good-one-1.0.0/src/lib.rs"].decision == "in"
    assert rows["gpl-thing-1.0.0/src/lib.rs"].decision == "out"
    assert rows["nolicense-1.0.0/src/lib.rs"].reason == "no license field, no license file recognised"
    assert (
        rows["by-file-1.0.0/src/lib.rs"].decision == "in"
        and rows["by-file-1.0.0/src/lib.rs"].license == "MIT"
    )
    assert rows["gpl-by-file-1.0.0/src/lib.rs"].reason == "not permissive: GPL-3.0"
    assert rows["mixed-2.0.0/src/lib.rs"].decision == "out"
    assert rows["zz-copycat-1.0.0/src/lib.rs"].reason.startswith("exact duplicate of good-one")
    assert "duplicate of good-one" in rows["zz-copycat-1.0.0/src/near.rs"].reason
    assert rows["smallvec-1.10.0/src/lib.rs"].split == "heldout"
    assert rows["rustc_demangle-0.1.21/src/lib.rs"].split == "heldout"
    assert "duplicate of rustc_demangle" in rows["sneaky-0.1.0/src/lib.rs"].reason
    r = rows["good-one-1.0.0/src/lib.rs"]
    assert r.sha256 and r.bytes > 0 and r.license == "MIT OR Apache-2.0" and r.version == "1.0.0"
    # by-crate split: every in-file of a crate is in the crate's split, held-out crates in neither
    for row in rows.values():
        if row.decision == "in":
            assert row.split == split_of(row.crate) != "heldout"
    assert not set(m.train_crates) & set(m.valid_crates)
    assert not {"smallvec", "rustc_demangle"} & (set(m.train_crates) | set(m.valid_crates))
    train = (out / "train.bin").read_bytes()
    assert _code(7).encode() not in train and _code(8).encode() not in train
    assert (out / "ledger.csv").read_text().splitlines()[0].startswith("crate,version,path,sha256")
    assert json.loads((out / "snapshot.json").read_text())["ledger_sha256"] == m.ledger_sha256
    assert [p.parent.parent.name for p in held_out_files(registry)] == [
        "rustc_demangle-0.1.21",
        "smallvec-1.10.0",
    ]


def test_snapshot_is_deterministic(registry: Path, tmp_path: Path) -> None:
    assert (
        snapshot(registry, tmp_path / "a").ledger_sha256 == snapshot(registry, tmp_path / "b").ledger_sha256
    )


def test_missing_registry_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(NoCorpus, match="make crates"):
        snapshot(tmp_path / "nope", tmp_path / "out")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rusta_tui.cli.main",
            "data",
            "snapshot",
            "--registry",
            str(tmp_path / "nope"),
        ],
        capture_output=True,
        text=True,
    )
    assert (
        out.returncode == 2
        and out.stderr.startswith("rusta: no crate registry")
        and "Traceback" not in out.stderr
    )


def test_pack_documents() -> None:
    w = pack_documents([b"abc", b"defgh"], ctx=4)
    assert w.shape == (3, 5) and w.dtype == np.uint8
    stream = bytes([DOC_SEP]) + b"abc" + bytes([DOC_SEP]) + b"defgh" + bytes([DOC_SEP])
    assert (
        bytes(w[0]) == stream[:5] and bytes(w[1]) == stream[4:9]
    )  # windows overlap by one (shifted targets)


def test_fim_window_keeps_length_and_content() -> None:
    rng = np.random.default_rng(0)
    text = b"".join(b"let x%d = %d;\n" % (i, i) for i in range(20))
    win = np.frombuffer(text[:129], dtype=np.uint8)
    for _ in range(50):
        out = fim_window(win, rng)
        assert out.size == win.size
        b = out.tobytes()
        assert b[0] == FIM_PRE and b[-1] == DOC_SEP
        pre, rest = b[1:].split(bytes([FIM_SUF]))
        suf, mid = rest[:-1].split(bytes([FIM_MID]))
        assert pre + mid + suf == text[:125]
    batch = sample_batch(np.frombuffer(text * 4, dtype=np.uint8), 6, 32, rng)
    assert batch.shape == (6, 33)


def test_cli_snapshot_prints_counts(registry: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", "data", "snapshot", "--registry", str(registry),
         "--out", str(tmp_path / "snap")],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (
        out.stdout.startswith(f"snapshot {tmp_path / 'snap'}: ") and "held out for evaluation" in out.stdout
    )
    assert "ledger sha256 " in out.stdout and (tmp_path / "snap" / "ledger.csv").exists()


def _snapshot_cli(registry: Path, out: Path, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    # RLIMIT_FSIZE through prlimit, not a preexec_fn: this worker may hold JAX's threads when it forks
    cap = ["prlimit", f"--fsize={fsize}", "--"] if fsize is not None else []
    argv = ["data", "snapshot", "--registry", str(registry), "--out", str(out)]
    return subprocess.run(
        [*cap, sys.executable, "-m", "rusta_tui.cli.main", *argv], capture_output=True, text=True
    )


def test_unwritable_out_is_one_sentence(registry: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    out = _snapshot_cli(registry, blocker / "snap")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"rusta: cannot write the snapshot to {blocker / 'snap'}: "), out.stderr


def test_disk_full_keeps_the_previous_snapshot_whole(registry: Path, tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    assert _snapshot_cli(registry, snap).returncode == 0
    before = {p.name: p.read_bytes() for p in snap.iterdir()}
    train_bytes = (snap / "train.bin").stat().st_size
    out = _snapshot_cli(registry, snap, fsize=train_bytes // 2)  # train.bin cannot be written whole
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert (
        out.stderr.startswith(f"rusta: cannot write the snapshot to {snap}: ") and "unchanged" in out.stderr
    )
    assert {p.name: p.read_bytes() for p in snap.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".snap")] == []  # no half-written sibling
