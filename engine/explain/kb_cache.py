"""The knowledge base's TOML, parsed once and kept on disk: every `rusta explain` reads kb/invariants.toml
and the entry of each code it meets, and tomllib spends milliseconds on each (about 5 ms on
invariants.toml alone) where msgpack decodes the same table in microseconds.

One cache file per source file, named for the source's path, holding the digest of the bytes it was
parsed from. A source whose bytes changed in any way (an edit within the clock's granularity, a
checkout that restores an old mtime) is parsed again and its cache file replaced, so the cache holds
at most one entry per KB file. The folder name carries a format version and Python's, whose tomllib
made the table. A cache that cannot be read or written costs the parse, never a different answer.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import msgspec

from toolbelt.atomic_file import replace_file
from toolbelt.cache_root import cache_dir

CACHE_VERSION = 1


class TomlInvalid(ValueError):
    """The file is not valid TOML; the message is tomllib's own."""


class _Parsed(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    digest: str
    table: dict[str, Any]


_decoder = msgspec.msgpack.Decoder(_Parsed)
_encoder = msgspec.msgpack.Encoder()


def _folder() -> Path:
    return cache_dir() / "explain" / f"kb-v{CACHE_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}"


def _spot(path: Path) -> Path:
    name = hashlib.blake2b(str(path.resolve()).encode(), digest_size=8).hexdigest()
    return _folder() / f"{path.stem}-{name}.msgpack"


def parse_toml(path: Path) -> dict[str, Any]:
    """The table tomllib makes of `path`; OSError when it cannot be read, TomlInvalid when it is not
    TOML (UnicodeDecodeError when it is not UTF-8, as `read_text` says it)."""
    raw = path.read_bytes()
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    spot = _spot(path)
    try:
        hit = _decoder.decode(spot.read_bytes())
        if hit.digest == digest:
            return hit.table
    except (OSError, msgspec.DecodeError):
        pass  # no entry yet, or a damaged one: parse
    import tomllib  # only on a miss: its import is a cost of its own

    try:
        table = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise TomlInvalid(str(e)) from e
    blob = _encoder.encode(_Parsed(digest=digest, table=table))
    if _decoder.decode(blob).table == table:  # msgpack keeps every TOML value a KB uses; dates it might not
        try:
            spot.parent.mkdir(parents=True, exist_ok=True)
            replace_file(spot, blob, durable=False)
        except OSError:
            pass  # a read-only cache costs the next run a parse
    return table
