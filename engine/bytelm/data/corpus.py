"""Scan a Cargo registry directory, decide file by file, split by crate, write a snapshot.

A snapshot directory holds ledger.jsonl/csv, train.bin and valid.bin (the kept files joined with
the document separator byte) and snapshot.json. Held-out crates are reserved for evaluation: they
are never in train or valid, and files elsewhere that near-duplicate them are dropped too, so the
bench measures generalisation rather than recall.
"""

from __future__ import annotations

import hashlib
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec

from engine.bytelm.data.collate import DOC_SEP, RESERVED_MAX
from engine.bytelm.data.dedup import Deduper
from engine.bytelm.data.ledger import write_ledger
from engine.bytelm.data.licenses import is_permissive, license_from_files
from engine.bytelm.dirswap import replacing
from engine.bytelm.errors import NoCorpus, SnapshotNotWritten
from engine.bytelm.types import Decision, LedgerRow, SnapshotManifest

DEFAULT_REGISTRY = Path("/usr/share/cargo/registry")
HELD_OUT = frozenset(
    "atomic beef bit-set bit-vec bytesize either fixedbitset heck indexmap log memoffset nibble-vec "
    "num-iter owning-ref quick-error rustc-demangle scopeguard semver-parser smallvec smawk strsim "
    "unicode-width vec-map walkdir".split()
)
MAX_FILE_BYTES = 256 * 1024  # bigger .rs files are generated tables, not code a person writes
VALID_PERCENT = 8


def canonical(name: str) -> str:
    """Debian and crates.io spell names with `-` or `_`; compare them in one spelling."""
    return name.strip().lower().replace("_", "-")


def is_held_out(crate: str) -> bool:
    return canonical(crate) in HELD_OUT


def split_of(crate: str) -> str:
    """Deterministic by-crate split: every file of a crate lands in the same split on every machine."""
    if is_held_out(crate):
        return "heldout"
    h = int.from_bytes(hashlib.sha256(canonical(crate).encode()).digest()[:4], "big")
    return "valid" if h % 100 < VALID_PERCENT else "train"


@dataclass(frozen=True)
class CrateDir:
    root: Path
    name: str
    version: str
    license: str


def crates_in(registry: Path) -> list[CrateDir]:
    """Every crate directory with a readable Cargo.toml, sorted by name then version."""
    found: list[CrateDir] = []
    for manifest in sorted(registry.glob("*/Cargo.toml")):
        try:
            pkg = tomllib.loads(manifest.read_text(encoding="utf-8")).get("package", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        name = pkg.get("name")
        if not isinstance(name, str):
            continue
        version = pkg.get("version")
        lic = pkg.get("license")
        found.append(
            CrateDir(
                root=manifest.parent,
                name=name,
                version=version if isinstance(version, str) else "?",
                license=lic
                if isinstance(lic, str) and lic.strip()
                else _license_from_files(manifest.parent, pkg),
            )
        )
    return sorted(found, key=lambda c: (canonical(c.name), c.version))


def _license_from_files(root: Path, pkg: dict) -> str:
    """No `license` field: read `license-file` and LICENSE*/COPYING* beside Cargo.toml."""
    named = pkg.get("license-file")
    paths = [root / named] if isinstance(named, str) else []
    paths += sorted(p for pat in ("LICENSE*", "LICENCE*", "COPYING*") for p in root.glob(pat))
    texts = []
    for path in dict.fromkeys(paths):
        try:
            if path.is_file() and path.stat().st_size < 256 * 1024:
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return license_from_files(texts)


def rust_files(root: Path) -> Iterator[Path]:
    for p in sorted(root.rglob("*.rs")):
        if p.is_file() and not p.is_symlink():
            yield p


def _decide(data: bytes, allowed: bool, lic_reason: str) -> str | None:
    """The reason to keep a file out before dedup, or None."""
    if not allowed:
        return lic_reason
    if len(data) > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES} bytes (generated)"
    if not data.strip():
        return "empty"
    if any(b <= RESERVED_MAX for b in data[:MAX_FILE_BYTES]):
        return "contains reserved control bytes"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    return None


def scan(registry: Path) -> tuple[list[LedgerRow], dict[str, list[bytes]]]:
    """Ledger rows for every .rs file, and the kept file contents per split.

    Held-out crates are read first and fed to the deduper, so a training copy of a held-out file
    is recognised whatever the crate order.
    """
    crates = crates_in(registry)
    dedup = Deduper()
    rows: list[LedgerRow] = []
    kept: dict[str, list[bytes]] = {"train": [], "valid": [], "heldout": []}
    ordered = [c for c in crates if is_held_out(c.name)] + [c for c in crates if not is_held_out(c.name)]
    for crate in ordered:
        allowed, lic_reason = is_permissive(crate.license)
        split = split_of(crate.name)
        for path in rust_files(crate.root):
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            rel = str(path.relative_to(registry))
            reason = _decide(data, allowed, lic_reason)
            if reason is None:
                reason = dedup.check(data, sha)
                if reason is None:
                    dedup.add(data, sha, rel)
            decision: Decision
            if reason is None and split == "heldout":
                decision, reason, row_split = "out", "held-out crate (evaluation only)", "heldout"
                kept["heldout"].append(data)
            elif reason is None:
                decision, reason, row_split = "in", lic_reason, split
                kept[split].append(data)
            else:
                decision, row_split = "out", "none"
            rows.append(
                LedgerRow(
                    crate=crate.name,
                    version=crate.version,
                    path=rel,
                    sha256=sha,
                    bytes=len(data),
                    license=crate.license,
                    decision=decision,
                    reason=reason,
                    split=row_split,  # type: ignore[arg-type]
                )
            )
    return rows, kept


def _reason_key(reason: str) -> str:
    for prefix in ("exact duplicate", "whitespace duplicate", "near duplicate", "not permissive"):
        if reason.startswith(prefix):
            return prefix
    return reason


def snapshot(registry: Path, out_dir: Path) -> SnapshotManifest:
    """Build the snapshot and swap it in as `out_dir` whole; raise NoCorpus when nothing could go
    in, SnapshotNotWritten (the old snapshot intact) when it cannot be written."""
    if not registry.is_dir():
        raise NoCorpus(f"no crate registry at {registry}: run `make crates` first.")
    _check_writable(out_dir)  # before a scan of minutes, not after
    rows, kept = scan(registry)
    if not kept["train"]:
        raise NoCorpus(f"no permissively licensed Rust files found under {registry}.")
    try:
        with replacing(out_dir) as tmp:
            manifest = _write(rows, kept, registry, tmp)
    except OSError as e:
        raise SnapshotNotWritten(
            f"cannot write the snapshot to {out_dir}: {e.strerror or e}; the previous snapshot is unchanged."
        ) from e
    return manifest


def _check_writable(out_dir: Path) -> None:
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir.parent):
            pass
    except OSError as e:
        raise SnapshotNotWritten(f"cannot write the snapshot to {out_dir}: {e.strerror or e}.") from e


def _write(
    rows: list[LedgerRow], kept: dict[str, list[bytes]], registry: Path, out_dir: Path
) -> SnapshotManifest:
    sep = bytes([DOC_SEP])
    for split in ("train", "valid"):
        (out_dir / f"{split}.bin").write_bytes(sep + sep.join(kept[split]) + sep)
    ledger_hash = write_ledger(rows, out_dir)
    ins = [r for r in rows if r.decision == "in"]
    manifest = SnapshotManifest(
        registry=str(registry),
        ledger_sha256=ledger_hash,
        files_seen=len(rows),
        files_in=len(ins),
        train_files=len(kept["train"]),
        valid_files=len(kept["valid"]),
        heldout_files=len(kept["heldout"]),
        train_bytes=sum(map(len, kept["train"])),
        valid_bytes=sum(map(len, kept["valid"])),
        train_crates=tuple(sorted({r.crate for r in ins if r.split == "train"})),
        valid_crates=tuple(sorted({r.crate for r in ins if r.split == "valid"})),
        out_reasons=dict(Counter(_reason_key(r.reason) for r in rows if r.decision == "out")),
    )
    (out_dir / "snapshot.json").write_bytes(msgspec.json.format(msgspec.json.encode(manifest)) + b"\n")
    return manifest


def load_manifest(out_dir: Path) -> SnapshotManifest:
    path = out_dir / "snapshot.json"
    if not path.exists():
        raise NoCorpus(f"no corpus snapshot in {out_dir}: run `rusta data snapshot` first.")
    return msgspec.json.decode(path.read_bytes(), type=SnapshotManifest)


def held_out_files(registry: Path) -> list[Path]:
    """The held-out crates' .rs files (newest version of each), for evaluation only: read, never written."""
    newest: dict[str, CrateDir] = {}
    for crate in crates_in(registry):
        if is_held_out(crate.name):
            newest[canonical(crate.name)] = crate
    return [p for c in sorted(newest.values(), key=lambda c: c.name) for p in rust_files(c.root)]
