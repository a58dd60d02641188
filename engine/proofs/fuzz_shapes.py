"""What Rusta can generate for a fuzzed fn's parameter, and the Rust text that builds and shows it.

A parameter's type becomes a `Shape`: a primitive the harness generates directly (integers, bool,
char, String, `&str`, vectors and slices of integers), a tuple, `Option`, vector or slice of
generatable shapes,
or a struct of the crate built from generated parts: a literal when every field is visible from
the harness and generatable, else its `new` when that takes generatable inputs, else its
`Default`. The harness generates a *raw* value (the parts as plain tuples), so inputs shrink and
print without the struct deriving anything; `build` turns raw into the value, `show` into Rust text.
Why a type cannot be generated is a sentence, never a guess.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from engine.repair.containers import split_top
from engine.syntax.types import StructDef

INTS = ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize")
MAX_DEPTH = 4  # a struct that holds itself (through Option) stops here


class Shape(NamedTuple):
    kind: Literal["prim", "struct", "new", "default", "option", "tuple", "vec"]
    raw: str  # the Rust type of the generated raw value
    name: str = ""  # the struct's name (struct, new, default)
    parts: tuple[tuple[str, Shape], ...] = ()  # (field name, "" in a tuple struct; or "&" to pass by ref)
    tuple_struct: bool = False


def owned_type(ty: str) -> tuple[str, str] | None:
    """(the owned type to generate, how to pass it: "val" or "ref"), None when it is not a primitive."""
    t = "".join(ty.split())
    if t in INTS or t in ("bool", "char", "String"):
        return t, "val"
    if t == "&str":
        return "String", "ref"
    for pre, how in (("&[", "ref"), ("Vec<", "val"), ("&Vec<", "ref")):
        if t.startswith(pre) and t[len(pre) : -1] in INTS:
            return f"Vec<{t[len(pre) : -1]}>", how
    return None


def _tuple_raw(parts: list[Shape]) -> str:
    return "(" + "".join(f"{p.raw}, " for p in parts) + ")"


class Resolver:
    """Shapes for types, from the crate's structs; `here` is the file the harness goes into."""

    def __init__(self, structs: dict[str, StructDef], here: str) -> None:
        self.structs, self.here = structs, here

    def param(self, ty: str, self_name: str = "") -> tuple[Shape, str] | str:
        """(shape, "val" or "ref") for a parameter's type, or why Rusta cannot generate it."""
        t = " ".join(ty.split())
        prim = owned_type(t)
        if prim is not None:
            return Shape("prim", prim[0], prim[0]), prim[1]
        if t.startswith("&mut"):
            return f"Rusta cannot generate {t} (a mutable borrow)"
        how = "ref" if t.startswith("&") else "val"
        got = self.shape(t.lstrip("&").strip(), self_name)
        return got if isinstance(got, str) else (got, how)

    def shape(self, ty: str, self_name: str = "", depth: int = 0) -> Shape | str:
        t = "".join(ty.split())
        if t == "Self" and self_name:
            t = self_name
        prim = owned_type(t)
        if prim is not None and prim[1] == "val":
            return Shape("prim", prim[0], prim[0])
        if depth > MAX_DEPTH:
            return f"Rusta cannot generate {ty} (nested too deep)"
        if t.startswith("Option<") and t.endswith(">"):
            inner = self.shape(t[7:-1], self_name, depth + 1)
            return (
                inner
                if isinstance(inner, str)
                else Shape("option", f"Option<{inner.raw}>", parts=(("", inner),))
            )
        for open_, close in (("Vec<", ">"), ("[", "]")):  # a vector or slice of what Rusta can build
            if t.startswith(open_) and t.endswith(close) and ";" not in t:
                item = self.shape(t[len(open_) : -len(close)], self_name, depth + 1)
                return (
                    item if isinstance(item, str) else Shape("vec", f"Vec<{item.raw}>", parts=(("", item),))
                )
        if t.startswith("(") and t.endswith(")") and t != "()":
            parts = []
            for p in split_top(t[1:-1]):
                s = self.shape(p, self_name, depth + 1)
                if isinstance(s, str):
                    return s
                parts.append(s)
            return Shape("tuple", _tuple_raw(parts), parts=tuple(("", p) for p in parts))
        sd = self.structs.get(t)
        if sd is None:
            return f"Rusta cannot generate {ty}"
        return self._struct(sd, depth)

    def _struct(self, sd: StructDef, depth: int) -> Shape | str:
        if sd.generic:
            return f"Rusta cannot build {sd.name} (a generic struct)"
        why_lit = ""
        parts: list[tuple[str, Shape]] = []
        for f in sd.fields:
            if sd.file != self.here and not f.public:
                why_lit = f"field {f.name or '0'} is private to {sd.file}"
                break
            s = self.shape(f.type_text, sd.name, depth + 1)
            if isinstance(s, str):
                why_lit = f"field {f.name or '0'}: {s}"
                break
            parts.append((f.name, s))
        if not why_lit:
            raw = _tuple_raw([p for _, p in parts])
            return Shape("struct", raw, sd.name, tuple(parts), tuple_struct=sd.tuple_struct)
        if sd.new_params is not None:
            news: list[tuple[str, Shape]] = []
            for ty in sd.new_params:
                r = self.param(ty, sd.name) if depth < MAX_DEPTH else "nested too deep"
                if isinstance(r, str):
                    break
                news.append(("&" if r[1] == "ref" else "", r[0]))
            else:
                return Shape("new", _tuple_raw([p for _, p in news]), sd.name, tuple(news))
        if sd.has_default:
            return Shape("default", "()", sd.name)
        return f"Rusta cannot build {sd.name}: {why_lit}, and it has no new taking generatable inputs nor Default"


def build(s: Shape, place: str) -> str:
    """Rust text that makes the value of shape `s` from the raw value at `place` (a place expression)."""
    if s.kind == "prim":
        return f"{place}.clone()"
    if s.kind == "default":
        return f"<{s.name}>::default()"
    if s.kind == "option":
        return f"{place}.as_ref().map(|x| {build(s.parts[0][1], 'x')})"
    if s.kind == "vec":
        return f"{place}.iter().map(|x| {build(s.parts[0][1], 'x')}).collect::<Vec<_>>()"
    args = [f"{'&' if f == '&' else ''}{build(p, f'{place}.{i}')}" for i, (f, p) in enumerate(s.parts)]
    if s.kind == "tuple":
        return "(" + "".join(f"{a}, " for a in args) + ")"
    if s.kind == "new":
        return f"{s.name}::new({', '.join(args)})"
    if not s.parts:
        return s.name
    if s.tuple_struct:
        return f"{s.name}({', '.join(args)})"
    return f"{s.name} {{ " + ", ".join(f"{f}: {a}" for (f, _), a in zip(s.parts, args, strict=True)) + " }"


def show(s: Shape, place: str) -> str:
    """Rust text of a `String` that shows the value built from `place` as Rust source would write it."""
    if s.kind == "prim":
        return f'format!("{{:?}}", {place})'
    if s.kind == "default":
        return f'"{s.name}::default()".to_string()'
    if s.kind == "option":
        return f'match &{place} {{ None => "None".to_string(), Some(x) => format!("Some({{}})", {show(s.parts[0][1], "x")}) }}'
    if s.kind == "vec":
        each = show(s.parts[0][1], "x")
        return f'format!("vec![{{}}]", {place}.iter().map(|x| {each}).collect::<Vec<String>>().join(", "))'
    shows = [show(p, f"{place}.{i}") for i, (_, p) in enumerate(s.parts)]
    holes = ", ".join("{}" for _ in shows)
    if s.kind == "tuple":
        fmt = f"({holes}{',' if len(shows) == 1 else ''})"
    elif s.kind == "new":
        amp = ["&" if f == "&" and p.raw != "String" else "" for f, p in s.parts]  # "a" is already a &str
        fmt = f"{s.name}::new({', '.join(a + '{}' for a in amp)})"
    elif not s.parts:
        fmt = s.name
    elif s.tuple_struct:
        fmt = f"{s.name}({holes})"
    else:
        fmt = f"{s.name} {{{{ " + ", ".join(f"{f}: {{}}" for f, _ in s.parts) + " }}"
    return f'format!("{fmt}"{"".join(", " + x for x in shows)})'
