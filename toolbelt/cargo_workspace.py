"""Where a crate sits in its cargo workspace, and what a copy of that workspace needs to still build.

A member that inherits (`version.workspace = true`, `[workspace.dependencies]`, `[workspace.lints]`)
does not build without its workspace root, and rustc names files relative to that root; so the
sandbox and the repair scratch copy mirror the whole workspace, never a lone member. Path
dependencies and `[patch]` entries that point outside the workspace are not copied: the copy's
manifests name them by absolute path instead, so cargo reads them where they are (read-only use).
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from toolbelt.crate import find_crate_root


def _manifest(d: Path) -> dict | None:
    import tomllib  # not at import: a lone crate is told apart without parsing (see _stands_alone)

    try:
        return tomllib.loads((d / "Cargo.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _stands_alone(crate_root: Path) -> bool:
    """True when no manifest can make `crate_root` a member or a root: its own names no workspace
    (no `[workspace]` table, no `package.workspace`) and no folder above holds a Cargo.toml. Found
    with a read and a few stats, so that a lone crate's check does not pay for TOML parsing."""
    try:
        if b"workspace" in (crate_root / "Cargo.toml").read_bytes():
            return False
    except OSError:
        return False
    return not any((d / "Cargo.toml").is_file() for d in crate_root.parents)


def _matches(rel: str, patterns: list) -> bool:
    return any(isinstance(p, str) and fnmatch.fnmatchcase(rel, p.rstrip("/")) for p in patterns)


def workspace_root(crate_root: Path) -> Path:
    """The workspace `crate_root` belongs to, as cargo finds it; the crate itself when it has none.

    cargo honours `package.workspace` first, else takes the nearest folder above with a
    `[workspace]` table; a crate that table does not list (or lists in `exclude`) stands alone.
    """
    crate_root = crate_root.resolve()
    if _stands_alone(crate_root):
        return crate_root
    own = _manifest(crate_root)
    if own is None or "workspace" in own:
        return crate_root
    pkg = own.get("package")
    pointer = pkg.get("workspace") if isinstance(pkg, dict) else None
    if isinstance(pointer, str):
        return (crate_root / pointer).resolve()
    for d in crate_root.parents:
        m = _manifest(d)
        if m is None or not isinstance(m.get("workspace"), dict):
            continue
        ws = m["workspace"]
        rel = crate_root.relative_to(d).as_posix()
        if _matches(rel, ws.get("exclude", [])):
            return crate_root
        if _matches(rel, ws.get("members", [])) or _in_deps(d, m, crate_root):
            return d
        return crate_root
    return crate_root


def _in_deps(ws_dir: Path, manifest: dict, crate_root: Path) -> bool:
    """A path dependency of the workspace root is a member too (cargo's implicit membership)."""
    return any((ws_dir / p).resolve() == crate_root for p in _dependency_paths(manifest))


def project_root(path: str | Path) -> Path:
    """The folder Rusta works in for `path`: its workspace root (where rustc's file names start)."""
    return workspace_root(find_crate_root(path))


def member_package(path: str | Path) -> str | None:
    """The package name when `path` is inside a workspace member below the root, else None.

    `rusta fix app/` then works on the whole workspace (one sandbox, one DevLog) but selects `-p app`,
    which is what cargo does when it runs inside that member.
    """
    crate = find_crate_root(path).resolve()
    if workspace_root(crate) == crate:
        return None
    m = _manifest(crate) or {}
    pkg = m.get("package")
    name = pkg.get("name") if isinstance(pkg, dict) else None
    return name if isinstance(name, str) else None


def _dependency_tables(manifest: dict) -> list[dict]:
    """A package's own dependency tables: normal, dev and build, plain and per `[target.*]`."""
    tables: list[dict] = []
    for key in ("dependencies", "dev-dependencies", "build-dependencies"):
        tables.append(manifest.get(key) or {})
        for tgt in (manifest.get("target") or {}).values():
            if isinstance(tgt, dict):
                tables.append(tgt.get(key) or {})
    return tables


def _dependency_paths(manifest: dict) -> list[str]:
    """Every `path = "..."` of a dependency table, `[workspace.dependencies]` and `[patch.*]`."""
    tables = _dependency_tables(manifest)
    ws = manifest.get("workspace")
    if isinstance(ws, dict):
        tables.append(ws.get("dependencies") or {})
    tables.extend(t for t in (manifest.get("patch") or {}).values() if isinstance(t, dict))
    tables.extend(t for t in (manifest.get("replace") or {}).values() if isinstance(t, dict))
    return [
        spec["path"]
        for table in tables
        if isinstance(table, dict)
        for spec in table.values()
        if isinstance(spec, dict) and isinstance(spec.get("path"), str)
    ]


_PATH_VALUE = re.compile(rb'(\bpath\s*=\s*)(["\'])([^"\'\n]*)\2')


def absolutize_outside_paths(data: bytes, manifest_dir: Path, ws_root: Path) -> bytes:
    """`data` (a Cargo.toml of the workspace at `manifest_dir`) with every path that leaves the
    workspace made absolute, so that the manifest still resolves from a copy elsewhere.

    Paths inside the workspace stay relative: the copy holds those files. Only `path = "..."` values
    are touched, and only when they resolve outside `ws_root`; anything else is left byte for byte.
    """
    ws_root = ws_root.resolve()

    def fix(m: re.Match[bytes]) -> bytes:
        raw = m.group(3).decode("utf-8", "surrogateescape")
        if Path(raw).is_absolute():
            return m.group(0)
        target = (manifest_dir / raw).resolve()
        if target.is_relative_to(ws_root):
            return m.group(0)
        quoted = target.as_posix().encode("utf-8", "surrogateescape")
        return m.group(1) + b'"' + quoted.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'

    return _PATH_VALUE.sub(fix, data)


def is_manifest(rel: str) -> bool:
    return rel == "Cargo.toml" or rel.endswith("/Cargo.toml")


def package_name(package_id: str) -> str:
    """The package's name in a cargo package id, in either spelling cargo has used:
    `name 0.1.0 (path+file:///ws/name)` (before 1.77) or `path+file:///ws/dir#name@0.1.0`, where
    `#0.1.0` alone means the name is the folder's. "" when there is no id."""
    pid = package_id.strip()
    if not pid:
        return ""
    if " " in pid:
        return pid.split(" ", 1)[0]
    url, _, frag = pid.partition("#")
    if "@" in frag:
        return frag.split("@", 1)[0]
    if frag and not frag[0].isdigit():
        return frag  # `#name` with no version
    return url.rstrip("/").rsplit("/", 1)[-1]


def package_dirs(root: Path) -> dict[str, str]:
    """Each package of the workspace rooted at `root`: its folder relative to the root ("" for the
    root's own package) -> its name. Members come from `[workspace].members` (globs, less `exclude`)."""
    root = Path(root)
    m = _manifest(root) or {}
    out: dict[str, str] = {}
    pkg = m.get("package")
    if isinstance(pkg, dict) and isinstance(pkg.get("name"), str):
        out[""] = pkg["name"]
    ws = m.get("workspace")
    if not isinstance(ws, dict):
        return out
    excluded = ws.get("exclude", []) or []
    for pattern in ws.get("members", []) or []:
        if not isinstance(pattern, str):
            continue
        pattern = pattern.rstrip("/")
        found = [root] if pattern in (".", "") else sorted(root.glob(pattern))
        for d in found:
            rel = "" if d == root else d.relative_to(root).as_posix()
            if rel in out or (rel and _matches(rel, excluded)):
                continue
            member = (_manifest(d) or {}).get("package") if d.is_dir() else None
            if isinstance(member, dict) and isinstance(member.get("name"), str):
                out[rel] = member["name"]
    return out


def package_of(root: Path, path: str, dirs: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(the package's folder, its name) for a file `path` relative to the workspace root: the
    deepest package folder holding it; None when no package does. `dirs`: `package_dirs(root)`,
    when the caller has it already (it reads every member's manifest)."""
    best: tuple[str, str] | None = None
    for d, name in (package_dirs(root) if dirs is None else dirs).items():
        if (not d or path.startswith(d + "/")) and (best is None or len(d) > len(best[0])):
            best = (d, name)
    return best


def library_file(root: Path, path: str) -> bool:
    """True when `path` (relative to the workspace root) is a library source of one of its packages:
    under its src/, neither src/main.rs nor src/bin/ (what a bench target links)."""
    pkg = package_of(root, path)
    if pkg is None:
        return False
    rel = path[len(pkg[0]) + 1 :] if pkg[0] else path
    return rel.startswith("src/") and rel != "src/main.rs" and not rel.startswith("src/bin/")


def _inherited_names(manifest: dict) -> list[str]:
    """The dependencies a manifest takes from `[workspace.dependencies]` (`name.workspace = true`)."""
    return [
        name
        for table in _dependency_tables(manifest)
        if isinstance(table, dict)
        for name, spec in table.items()
        if isinstance(spec, dict) and spec.get("workspace") is True
    ]


def affected_packages(root: Path, paths: list[str]) -> tuple[str, ...] | None:
    """The packages a change to `paths` (relative to the workspace root) can break: the packages
    that hold them and every member that depends on one of those by path, transitively. None when
    the whole workspace is at stake: a lone package, a file outside every package, or a manifest
    at the root (it may change every member's dependencies)."""
    root = Path(root)
    dirs = package_dirs(root)
    if len(dirs) < 2 or any(p == "Cargo.toml" or p == "Cargo.lock" for p in paths):
        return None
    owners: set[str] = set()
    for p in paths:
        pkg = package_of(root, p, dirs)
        if pkg is None:
            return None
        owners.add(pkg[0])
    by_dir = {(root / d).resolve(): d for d in dirs}
    ws = (_manifest(root) or {}).get("workspace")
    inherited = {  # `[workspace.dependencies]` entries a member names with `workspace = true`
        name: (root / spec["path"]).resolve()
        for name, spec in ((ws.get("dependencies") or {}) if isinstance(ws, dict) else {}).items()
        if isinstance(spec, dict) and isinstance(spec.get("path"), str)
    }
    needs: dict[str, set[str]] = {}  # member folder -> the member folders it depends on by path
    for d in dirs:
        m = _manifest(root / d) or {}
        deps = {(root / d / p).resolve() for p in _dependency_paths(m)}
        deps |= {inherited[n] for n in _inherited_names(m) if n in inherited}
        needs[d] = {by_dir[x] for x in deps if x in by_dir}
    hit, grew = set(owners), True
    while grew:
        more = {d for d, ds in needs.items() if d not in hit and ds & hit}
        hit |= more
        grew = bool(more)
    return tuple(sorted(dirs[d] for d in hit))
