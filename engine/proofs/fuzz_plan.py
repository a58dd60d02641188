"""Which changed fns and methods a patch's proofs can call with generated inputs, and the scratch
copy they run in.

A target is a changed free fn, or a changed method or associated fn of an inherent, non-generic
impl, whose signature the patch keeps, that is neither generic, async, unsafe nor const, and whose
inputs Rusta can generate (engine.proofs.fuzz_shapes): primitives, `Option`s and tuples of them,
and structs of the crate it can build (a receiver included). Everything else is named with the
reason. Timing (engine.proofs.bench) asks for free fns of primitives only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import msgspec

from diary import snapshots as snaps
from engine.patching.diffs import apply_changes
from engine.patching.sandbox import crate_changes, sandbox_home
from engine.patching.types import DiagnosticRef, Patch, Proof
from engine.proofs.fuzz_harness import Target, target
from engine.proofs.fuzz_prelude import MAX_ARITY
from engine.proofs.fuzz_shapes import Resolver, Shape, owned_type
from engine.repair.workspace import Workspace
from engine.syntax.fn_items import Item, changed_items, changed_methods, changed_nested_fns, rename_calls
from engine.syntax.struct_items import struct_defs
from engine.syntax.types import StructDef
from toolbelt.cargo_workspace import package_dirs, package_of
from toolbelt.selection import Selection
from toolbelt.selection import current as current_selection
from toolbelt.types import Diagnostic, TestReport

Plan = dict[str, list[tuple[Item, Item]]]


def label(it: Item) -> str:
    return f"{it.owner}::{it.name}" if it.owner else it.name


def _common(prev: Item | None, it: Item) -> str | None:
    if it.kind != "function_item":
        return "not a free function"
    if prev is None:
        return "a new function, nothing to compare with"
    if prev.params != it.params or prev.return_type != it.return_type or prev.self_kind != it.self_kind:
        return "its signature changed"
    if it.generic or it.is_async:
        return "generic or async"
    head = it.text[: it.body_start - it.start]
    if "unsafe" in head or "const" in head.split():
        return "an unsafe or const fn"
    if not it.params and not it.has_self:
        return "it takes no input"
    return None


def _primitive_why(prev: Item | None, it: Item) -> str | None:
    """Why a free fn cannot be timed (bench generates primitives only); None when it can."""
    why = _common(prev, it)
    if why is None and it.has_self:
        return "a method"
    bad = [t for _, t in it.params if owned_type(t) is None]
    return why or (f"Rusta cannot generate {', '.join(bad)}" if bad else None)


class Resolved(NamedTuple):
    inputs: tuple[tuple[Shape, str], ...]
    self_debug: bool  # a `&mut self` receiver prints, so it is compared after the call
    unordered: bool = False  # what is compared holds a HashMap or HashSet (`order_unstable`)


UNORDERED = frozenset({"HashMap", "HashSet"})


def order_unstable(ty: str, res: Resolver, owner: str = "", seen: frozenset[str] = frozenset()) -> bool:
    """Whether a value of type `ty` holds a HashMap or HashSet, itself or through a field of one of
    the crate's structs (`Self` is `owner`). Such a value's Debug lists entries in its RandomState's
    order, different for every map: the mistake this answers is calling two equal maps different
    because their Debug texts differ, so the fuzz harness sorts their entries before comparing."""
    for word in re.findall(r"[A-Za-z_]\w*", ty):
        if word in UNORDERED:
            return True
        name = owner if word == "Self" else word
        sd = res.structs.get(name)
        if sd is None or name in seen:
            continue
        if any(order_unstable(f.type_text, res, name, seen | {name}) for f in sd.fields):
            return True
    return False


def resolve(prev: Item | None, it: Item, res: Resolver) -> Resolved | str:
    """The generated inputs of a fuzz target (receiver first), or why it cannot be fuzzed."""
    why = _common(prev, it)
    if why is not None:
        return why
    inputs: list[tuple[Shape, str]] = []
    if it.has_self:
        recv = res.shape(it.owner)
        if isinstance(recv, str):
            return recv
        inputs.append((recv, "val"))
    for _, ty in it.params:
        got = res.param(ty, it.owner)
        if isinstance(got, str):
            return got
        inputs.append(got)
    if len(inputs) > MAX_ARITY:
        return f"it takes more than {MAX_ARITY} inputs"
    for word in re.findall(r"[A-Za-z_]\w*", it.return_type or ""):
        sd = res.structs.get(it.owner if word == "Self" else word)
        if sd is not None and not sd.has_debug:
            return f"its result, {sd.name}, has neither a derived nor an implemented Debug to compare"
    own = res.structs.get(it.owner)
    self_debug = own is not None and own.has_debug
    compared = (it.return_type or "") + (f" {it.owner}" if self_debug and it.self_kind == "&mut self" else "")
    return Resolved(tuple(inputs), self_debug, order_unstable(compared, res, it.owner))


def _read(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None


def crate_structs(root: Path, new: dict[str, bytes | None]) -> list[StructDef]:
    """Every top-level struct of the crate's src/ (each workspace package's) as the patch leaves it."""
    from engine.proofs.hot import src_dirs

    out: list[StructDef] = []
    files = {p.relative_to(root).as_posix(): None for d in src_dirs(root) for p in sorted(d.rglob("*.rs"))}
    for path in {**files, **{p: None for p in new if p.endswith(".rs")}}:
        data = new[path] if path in new else _read(root, path)
        if data is not None:
            out += struct_defs(path, data)
    return out


def resolver(structs: list[StructDef], here: str) -> Resolver:
    """Structs by name; one defined in `here` wins over a namesake elsewhere."""
    by = {s.name: s for s in structs if s.file != here}
    by.update({s.name: s for s in structs if s.file == here})
    return Resolver(by, here)


def plan_targets(
    root: Path, patch: Patch, *, methods: bool = False
) -> tuple[dict[str, bytes | None], Plan, list[str]]:
    """The patched files, the changed fns Rusta can call with generated inputs (by file), and why
    not the rest. Without `methods`, free fns of primitives only (what timing can call)."""
    changes = crate_changes(root, patch.diff)
    new = apply_changes(changes, lambda p: _read(root, p))
    structs = crate_structs(root, new) if methods else []
    plan: Plan = {}
    skipped: list[str] = []
    for path, data in sorted(new.items()):
        old = _read(root, path)
        if data is None or old is None or not path.endswith(".rs"):
            continue
        res = resolver(structs, path)
        pairs = changed_items(old, data) + (changed_methods(old, data) if methods else [])
        for prev, it in pairs:
            why = resolve(prev, it, res) if methods else _primitive_why(prev, it)
            if isinstance(why, str):
                if it.kind == "function_item":
                    skipped.append(f"{label(it)}: {why}")
            elif prev is not None:
                plan.setdefault(path, []).append((prev, it))
        if methods:  # a changed body one level down is named with why, never "no function body"
            skipped += [f"{label(it)}: {why}" for it, why in changed_nested_fns(old, data)]
    return new, plan, skipped


def harness_selection(root: Path, path: str) -> Selection | None:
    """The cargo selection a harness appended to `path` runs under: in a workspace of several
    packages, the command's own with `-p` that file's package (cargo's default members may leave it
    out); None (the command's own) for a crate alone."""
    pkgs = package_dirs(root)
    pkg = package_of(root, path)
    if len(pkgs) < 2 or pkg is None:
        return None
    return msgspec.structs.replace(current_selection(), packages=(pkg[1],))


MAX_DICTIONARY = 32
_INT = re.compile(
    # not part of a float (1.5, 2e3), but a range's bounds count (0..1000)
    r"(?<!\w)(?<!\d\.)(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)(?:_?(?:[iu](?:8|16|32|64|128|size)))?"
    r"(?!\w)(?!\.\d)"
)
_CONST = re.compile(r"\bconst\s+([A-Z_][A-Z0-9_]*)\s*:\s*[^=;]+=\s*([^;]+);")


def _int(text: str) -> int | None:
    m = _INT.fullmatch(text.strip())
    if m is None:
        return None
    digits = m.group(1).replace("_", "")
    value = int(digits, 0) if digits[:2] in ("0x", "0o", "0b") else int(digits)
    return value if -(2**127) <= value < 2**127 else None


def dictionary(prev: Item, it: Item, source: bytes) -> tuple[int, ...]:
    """The integers the old and new code name: its literals, and the values of the integer consts of
    `source` (its file) that it names, as libFuzzer's comparison tracing would learn them: a boundary
    the patch moves (`< unit` to `< KB`) is where old and new part."""
    text = prev.text + "\n" + it.text
    consts = {
        m.group(1): v
        for m in _CONST.finditer(source.decode("utf-8", "replace"))
        if (v := _int(m.group(2))) is not None
    }
    found = [v for m in _INT.finditer(text) if (v := _int(m.group(0))) is not None]
    found += [v for name, v in consts.items() if re.search(rf"\b{name}\b", text)]
    return tuple(dict.fromkeys(v for v in found if v not in (0, 1, 2)))[:MAX_DICTIONARY]


def fuzz_target(prev: Item, it: Item, res: Resolver, old_name: str, source: bytes = b"") -> Target:
    got = resolve(prev, it, res)
    assert not isinstance(got, str), got
    module = "__rusta_fuzz_" + (f"{it.owner}_{it.name}" if it.owner else it.name)
    return target(
        it.name,
        old_name,
        got.inputs,
        module,
        owner=it.owner,
        self_kind=it.self_kind,
        self_debug=got.self_debug,
        dictionary=dictionary(prev, it, source),
        unordered=got.unordered,
    )


class OldCopy(NamedTuple):
    """Where the old fn's renamed copy lies in the scratch file: its path and byte range."""

    path: str
    start: int
    end: int


# name-resolution errors: in the old fn's copy they come from the patched file around it (the patch
# dropped a `use` or renamed an item), never from the old code as it was written
_UNRESOLVED = frozenset({"E0405", "E0412", "E0422", "E0425", "E0433", "E0531", "E0532"})
_RUSTC_CODE = re.compile(r"E\d{4}")  # a compile error's code; a test or lint a patch addresses has none


def old_does_not_compile(
    rep: TestReport, at: OldCopy, name: str, before: tuple[DiagnosticRef, ...] = ()
) -> str | None:
    """One sentence when the harness failed to build because the old fn does not compile in it; None
    otherwise. The old fn is pasted into the patched file, so a name it uses that the patch removed
    (`Rc` once `use std::rc::Rc` became `Arc`) fails to resolve there: the mistake this answers is
    quoting that artefact as the old code's own error. An error in the copy is quoted when it is one
    the patch addresses (the old code's own). When `before` (what the patch addresses) holds another
    rustc error, the crate did not compile without the patch: that error is why there is no old
    behaviour, not what the pairing says (an `Rc` moved into a thread is E0277 in the old crate and
    E0433 only in the pairing; a trait that is not dyn compatible is E0038, and the old body calling
    the patched method E0308 only in the pairing: review F, f12). Otherwise the sentence says the old
    copy cannot be built beside the patched file, with rustc's error or the names it misses."""
    own: list[Diagnostic] = []
    unresolved: list[Diagnostic] = []
    for d in rep.diagnostics:
        if not d.level.startswith("error"):
            continue
        if any(sp.file_name.endswith(at.path) and at.start <= sp.byte_start < at.end for sp in d.spans):
            (unresolved if d.code_str in _UNRESOLVED else own).append(d)
    had = next((d for d in before if d.code and _RUSTC_CODE.fullmatch(d.code)), None)
    if own and (had is None or own[0].code_str in {b.code for b in before}):
        d = own[0]
        code = f"error[{d.code_str}]" if d.code_str else "error"
        # the user's own error when the patch addresses it; else one only the pairing makes (the
        # old body calling a signature the patch changed), which the old crate never had
        said = "does not compile" if had is not None else "cannot be built beside the patched file"
        return f"the old version of {name} {said} ({code}: {d.message}), so there is no old behaviour to compare with"
    if (own or unresolved) and had is not None:  # the crate's own error, not the pairing's
        where = f" at {had.file}:{had.line}" if had.file and had.line else ""
        return (
            f"the old version of {name} does not compile: the crate without the patch has "
            f"error[{had.code}] ({had.message}{where}), so there is no old behaviour to compare with"
        )
    if unresolved:
        names = sorted({m for d in unresolved for m in re.findall(r"`([^`]+)`", d.message)})
        codes = ", ".join(sorted({f"error[{d.code_str}]" for d in unresolved}))
        named = ", ".join(f"`{n}`" for n in names) or "names"
        return (
            f"the old version of {name} cannot be built beside the patched file: it uses {named}, which the "
            f"patched file no longer brings into scope ({codes}), so there is no old behaviour to compare with"
        )
    return None


def harness_error(rep: TestReport, what: str = "the harness") -> str:
    """Why a harness did not build, in rustc's words: its first error and where."""
    for d in rep.diagnostics:
        if d.level.startswith("error"):
            code = f"error[{d.code_str}]" if d.code_str else "error"
            sp = d.spans[0] if d.spans else None
            at = f" at {sp.file_name}:{sp.line_start}" if sp is not None else ""
            return f"{what} did not compile ({code}: {d.message}{at})"
    return f"{what} did not compile"


def in_scratch(
    root: Path,
    new: dict[str, bytes | None],
    plan: Plan,
    scratch: str,
    harness_of: Callable[[Item, Item, str], str],
    run: Callable[[Path, Item, Item, OldCopy], Proof],
) -> list[Proof]:
    """Each planned fn in turn in the scratch copy `scratch` (under the sandbox's home, locked): the
    patched files, the old fn renamed `__rusta_old_<name>` (a method in an `impl` of its own) and
    `harness_of(old item, new item, old name)` appended to its file, then `run(scratch root, old
    item, new item, where the old copy lies)`. One harness at a time, so one that cannot compile
    spoils no other."""
    home = sandbox_home(root)
    home.mkdir(parents=True, exist_ok=True)
    proofs: list[Proof] = []
    with snaps.file_lock(home / f"{scratch}-lock"):  # one scratch copy per crate and kind: runs take turns
        ws = Workspace(root, scratch=home / scratch)
        ws.sync()
        for path, data in new.items():
            if data is not None:
                ws.write(path, data)
        for path, pairs in plan.items():
            for prev, it in pairs:
                old_name = f"__rusta_old_{it.name}"
                old_fn = rename_calls(prev.text, it.name, old_name, method=bool(it.owner))
                head = (new[path] or b"") + b"\n#[cfg(test)]\n#[allow(dead_code, unused, clippy::all)]\n"
                if it.owner:
                    head += f"impl {it.owner} {{\n".encode()
                    tail = "\n}\n"
                else:
                    tail = "\n"
                ws.write(path, head + f"{old_fn}{tail}".encode() + harness_of(prev, it, old_name).encode())
                at = OldCopy(path=path, start=len(head), end=len(head) + len(old_fn.encode()))
                proofs.append(run(ws.root, prev, it, at))
            ws.write(path, new[path] or b"")
    return proofs


def fuzz_targets(
    old: bytes, new: bytes, path: str = "src/lib.rs"
) -> tuple[list[tuple[Item, Item]], list[str]]:
    """One file's changed fns and methods that can be fuzzed (old, new), and one line for each
    changed fn that cannot; the structs Rusta can build are the new file's own."""
    res = resolver(struct_defs(path, new), path)
    ok, skipped = [], []
    for prev, it in changed_items(old, new) + changed_methods(old, new):
        why = resolve(prev, it, res)
        if isinstance(why, str):
            if it.kind == "function_item":
                skipped.append(f"{label(it)}: {why}")
        elif prev is not None:
            ok.append((prev, it))
    return ok, skipped
