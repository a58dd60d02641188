"""E0515 where the returned value borrows from a local (a slice of a `String` read in the function,
an element of a `Vec` built there): the function returns the owned value instead.

`fn longest(path: &str) -> &str { let text = read(path); ...; best }` cannot hand out `best`, a
`&str` into `text`, which dies at the closing brace. The signature becomes `-> String` and every
place the function returns from converts its value: `best.to_string()` (`&[T]` -> `Vec<T>` with
`.to_vec()`, `&Path` -> `PathBuf` with `.to_path_buf()`). The grammar's `op:owned-return` covers the
other shape, `&local` returned, where the `&` goes; here too, a local that already holds the owned
type (its annotation, or a constructor or std method that makes that type: `.join(..)`, `format!`,
`.collect::<Vec<_>>()`) is returned itself, never copied again with `.to_string()`. Pure; the sandbox
says whether callers still compile with the owned value.

The same mistake behind an `Option`: `fn longest_line(&self) -> Option<&str>` whose tail finds a line
of a `String` made in the function (`normalized.lines().fold(..)`) returns `Option<String>`: a
returned `Option` is converted with `.map(str::to_string)`, `Some(x)` converts `x`, and `None`
stays. Callers that compare with `Some("..")` then change too; the sandbox and the tests say so.
Any other named type `&T` (`&Doc`, `&u32`) returns `T`, a `.clone()` (`Option<&T>`: `.cloned()`);
whether `T` is `Clone` is the sandbox's to say, and what it costs is the type's.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, binding_of, let_initializer, node_at, preorder
from toolbelt.types import Diagnostic

_OWNED = {
    "str": ("String", "to_string"),
    "Path": ("PathBuf", "to_path_buf"),
    "OsStr": ("OsString", "to_os_string"),
}
_ATOMIC = ("identifier", "field_expression", "call_expression", "index_expression", "string_literal", "self")
_NESTED = ("closure_expression", "function_item", "async_block")


# the owned counterpart's conversion as a path, for `Option::map`: by the borrowed type
_MAP_PATHS = {"str": "str::to_string", "Path": "Path::to_path_buf", "OsStr": "OsStr::to_os_string"}
_NAMED = re.compile(r"(?:[A-Za-z_]\w*::)*[A-Z]\w*(?:<.+>)?")
_OPTION = re.compile(r"^Option\s*<\s*(?P<inner>&(?!\s*mut\b).+)>$", re.S)


def _owned_option(ret: str) -> tuple[str, str, str] | None:
    """`Option<&str>` -> (`Option<String>`, `to_string`, `str::to_string`); None for other types."""
    m = _OPTION.match(ret.strip())
    owned = _owned(m["inner"].strip()) if m is not None else None
    if m is None or owned is None:
        return None
    borrowed = re.sub(r"^&\s*(?:'\w+\s+)?", "", m["inner"].strip()).strip()
    if owned[1] == "clone":
        return f"Option<{owned[0]}>", "clone", ""  # `Option<&T>::cloned()`
    path = _MAP_PATHS.get(borrowed, f"<{borrowed}>::to_vec")
    return f"Option<{owned[0]}>", owned[1], path


def _option_site(
    source: bytes, n: tree_sitter.Node, method: str, typ: str, path: str
) -> tuple[int, int, str] | None:
    """The edit that makes one returned `Option<&T>` an `Option` of the owned type; None for `None`."""
    if n.type == "identifier" and _decoded(n) == "None":
        return None
    f = n.child_by_field_name("function") if n.type == "call_expression" else None
    args = n.child_by_field_name("arguments") if f is not None else None
    if f is not None and _decoded(f) == "Some" and args is not None and args.named_child_count == 1:
        return _converted(source, args.named_children[0], method, typ)
    tail = f".map({path})" if path else ".cloned()"
    if n.type in _ATOMIC:
        return n.end_byte, n.end_byte, tail
    return n.start_byte, n.end_byte, f"({_decoded(n)}){tail}"


def _owned(ret: str) -> tuple[str, str] | None:
    inner = (
        re.sub(r"^&\s*(?:'\w+\s+)?", "", ret).strip()
        if ret.startswith("&") and not ret.startswith("&mut")
        else None
    )
    if inner is None:
        return None
    if inner in _OWNED:
        return _OWNED[inner]
    if inner.startswith("[") and inner.endswith("]") and ";" not in inner:
        return f"Vec<{inner[1:-1]}>", "to_vec"
    if _NAMED.fullmatch(inner) and not inner.startswith(("dyn ", "impl ")):
        return inner, "clone"  # `&Doc` -> `Doc`, a clone: the sandbox says whether `Doc: Clone`
    return None


def _returns(body: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Every value the fn body returns: its tail and each `return e`, not inside a nested closure."""
    out = tails(body)
    for n in preorder(body):
        if n.type == "return_expression" and n.named_children:
            if not any(a.type in _NESTED for a in ancestors(n) if a.start_byte > body.start_byte):
                out += tails(n.named_children[0])
    return out


# methods and constructors whose value is the owned type itself (`.to_string()` on a `String` read
# from one would copy it again): by the owned type's name
_MAKES = {
    "String": (
        "to_string to_owned into_owned to_uppercase to_lowercase replace repeat join concat",
        "String format",
    ),
    "PathBuf": ("to_path_buf to_owned join with_extension with_file_name", "PathBuf"),
    "OsString": ("to_os_string to_owned into_os_string", "OsString"),
    "Vec": ("to_vec to_owned into_vec concat", "Vec vec"),
}


def _already_owned(source: bytes, name: str, at: int, typ: str) -> bool:
    """The local `name` returned as `&name` holds the owned type already: its annotation says so, or
    its initializer is a constructor or a std method that makes that type."""
    b = binding_of(source, name, at)
    if b is None or b.kind != "let":
        return False
    if b.type_text is not None:
        return b.type_text.replace(" ", "") == typ.replace(" ", "")
    r = let_initializer(source, name, at)
    return r is not None and _makes(node_at(source, r.start, r.end), typ)


def _makes(value: tree_sitter.Node, typ: str) -> bool:
    """`value` is a constructor, macro or std method call whose value is the owned type `typ` itself
    (`format!(..)`, `s.to_uppercase()`, `it.collect::<String>()`): borrowing it to return it was the
    mistake, and the fix drops the `&` instead of copying it again."""
    base = typ.split("<")[0]
    if base not in _MAKES:
        return False
    methods, heads = (set(w.split()) for w in _MAKES[base])
    if value.type == "macro_invocation":
        return _decoded(value.child_by_field_name("macro")) in heads
    if value.type != "call_expression" or (f := value.child_by_field_name("function")) is None:
        return False
    if f.type == "field_expression":
        return _decoded(f.child_by_field_name("field")) in methods
    if f.type == "generic_function":  # `iter.collect::<String>()`
        args = f.child_by_field_name("type_arguments")
        return (args.text or b"").decode().strip("<>").split("<")[0] == base if args is not None else False
    return f.type == "scoped_identifier" and _decoded(f.child_by_field_name("path")) in heads


def _decoded(node: tree_sitter.Node | None) -> str:
    """A node's text; "" for a field the tree lacks."""
    return (node.text or b"").decode() if node is not None else ""


def _converted(source: bytes, n: tree_sitter.Node, method: str, typ: str) -> tuple[int, int, str]:
    text = (n.text or b"").decode("utf-8", "replace")
    if n.type == "reference_expression" and (v := n.child_by_field_name("value")) is not None:
        name = (v.text or b"").decode("utf-8", "replace")
        if v.type == "identifier" and _already_owned(source, name, v.start_byte, typ):
            return n.start_byte, n.end_byte, name  # `&first` -> `first`: it is the owned value
        if _makes(v, typ):  # `&format!(..)` -> `format!(..)`: the temporary is the owned value
            return n.start_byte, n.end_byte, name
        if v.type in _ATOMIC:  # `&text[a..b]` -> `text[a..b].to_string()`
            return n.start_byte, n.end_byte, f"{(v.text or b'').decode('utf-8', 'replace')}.{method}()"
    if n.type in _ATOMIC:
        return n.end_byte, n.end_byte, f".{method}()"
    return n.start_byte, n.end_byte, f"({text}).{method}()"


def return_owned(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    source = read(prim.file_name) if prim is not None else None
    if prim is None or source is None:
        return []
    node = node_at(source, prim.byte_start, prim.byte_end)
    fn = next((a for a in (node, *ancestors(node)) if a.type in _NESTED), None)
    ret = fn.child_by_field_name("return_type") if fn is not None and fn.type == "function_item" else None
    body = fn.child_by_field_name("body") if fn is not None else None
    written = (ret.text or b"").decode("utf-8", "replace") if ret is not None else ""
    owned = _owned(written)
    option = _owned_option(written) if owned is None else None
    if fn is None or ret is None or body is None or (owned is None and option is None):
        return []
    sites = _returns(body)
    if not sites or not any(s.start_byte <= prim.byte_start and prim.byte_end <= s.end_byte for s in sites):
        return []
    if option is not None:
        return _option_returned(d, ret, sites, source, option)
    assert owned is not None
    typ, method = owned
    edits = [Edit(file=prim.file_name, start=ret.start_byte, end=ret.end_byte, replacement=typ)]
    moved: list[str] = []
    for s in sites:
        start, end, text = _converted(source, s, method, typ)
        edits.append(Edit(file=prim.file_name, start=start, end=end, replacement=text))
        # a site that was already the owned value (`&x`/`&format!(..)` lose the `&`) is named as such;
        # only a site given `.method()` is a conversion: the title says what each edit does
        moved += [text] if not text.endswith(f".{method}()") else []
    if moved and len(moved) == len(sites):
        names = ", ".join(f"`{m}`" for m in moved)
        desc = f"return {names} itself as the `{typ}` it already is, instead of a reference to it"
    else:
        desc = f"return an owned `{typ}`: `.{method}()` where the function returns"
    return [_make(edits, desc, "owned-return", d.code_str or "E0515", 0.7)]


def _option_returned(
    d: Diagnostic,
    ret: tree_sitter.Node,
    sites: list[tree_sitter.Node],
    source: bytes,
    option: tuple[str, str, str],
) -> list[Candidate]:
    """`-> Option<&T>` becomes `-> Option<Owned>`, each returned `Option` converted (see the module)."""
    prim = d.primary
    assert prim is not None
    typ, method, path = option
    inner = typ[len("Option<") : -1]
    edits = [Edit(file=prim.file_name, start=ret.start_byte, end=ret.end_byte, replacement=typ)]
    for s in sites:
        if (site := _option_site(source, s, method, inner, path)) is not None:
            edits.append(Edit(file=prim.file_name, start=site[0], end=site[1], replacement=site[2]))
    if len(edits) == 1:
        return []
    tail = f".map({path})" if path else ".cloned()"
    desc = f"return an owned `{typ}`: `{tail}` (or `.{method}()` in a `Some`) where the function returns"
    return [_make(edits, desc, "owned-return", d.code_str or "E0515", 0.7)]
