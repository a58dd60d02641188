"""Generic arithmetic whose result is the type parameter again: every operator bound at once.

`fn area<T: Mul>(w: T, h: T, border: T) -> T { w * h + border }` is rejected one operator at a
time: `T: Mul` brings "cannot add `<T as Mul>::Output` to `T`", for which rustc suggests the bound
`where <T as Mul>::Output: Add<T>` (with `Add` not imported), and the tail then returns
`<<T as Mul>::Output as Add<T>>::Output` where `T` is expected. What the function means is that
`T` is closed under the operators its body uses: `T: Add<Output = T> + Mul<Output = T>`, with
`Copy` when rustc reports a `T` value used after a move (E0382), moved out from behind a reference (E0507) or out of a slice (E0508), and `std::ops::{..}` imported once.

When `T` is an `impl` block's parameter (rustc points its help at `impl<T>`), a second candidate
puts the same bound in the method's own `where` clause, merged with the predicate on `T` already
there (`where T: Default` -> `where T: Default + Add<Output = T> + Copy`): a bound on the impl is a
condition of every method in it, so `Type<String>` would lose `new` for one method's arithmetic. A
later step (the `Copy` after E0507) goes where the operator bounds already are, never to both places.

Offered only when both operands of the reported operator are `T` (or an `Output` of `T`), and never
when the signature names an `Output` other than `T` (the result is another type by design) or an
operator in the body takes a literal. Pure; the sandbox says whether it compiles.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_BINARY = {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem"}
_ASSIGN = {"+=": "AddAssign", "-=": "SubAssign", "*=": "MulAssign", "/=": "DivAssign", "%=": "RemAssign"}
_OPS = {*_BINARY.values(), *_ASSIGN.values(), "Neg"}
_VERB = re.compile(
    r"cannot (?:add|subtract|multiply|divide|calculate the remainder|"
    r"(?:add|subtract|multiply|divide)-assign)[^`]*`(?P<a>[^`]+)`[^`]*`(?P<b>[^`]+)`"
)
_ASSOC = re.compile(r"expected type parameter `(?P<t>\w+)`,?\s*found associated type `<+(?P=t) as ")
_UNARY = re.compile(r"cannot apply unary operator `-` to type `(?P<t>\w+)`")
_TOKEN = re.compile(
    r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])'|[A-Za-z_]\w*|\d[\w.]*|"
    r"->|=>|::|\.\.=?|&&|\|\||[+\-*/%]=|==|!=|<=|>=|<<|>>|\S",
    re.S,
)


def _param_name(d: Diagnostic) -> tuple[str, bool] | None:
    """The type parameter the error is about, and whether it asks for `Copy` (E0382 on a `T`)."""
    text = " ".join([d.message, *(s.label or "" for s in d.spans), *(c.message for c in d.children)])
    if d.code_str in ("E0382", "E0507"):  # used after a move, or moved out from behind a reference
        m = re.search(r"has type `(?P<t>[A-Z]\w*)`, which does not implement the `Copy` trait", text)
        return (m.group("t"), True) if m else None
    if d.code_str == "E0508":  # `xs[i] * ws[i]`: a `T` moved out of a slice is the same want of `Copy`
        m = re.search(r"cannot move out of type `\[(?P<t>[A-Z]\w*)\]`, a non-copy slice", d.message)
        return (m.group("t"), True) if m else None
    if d.code_str in ("E0369", "E0277") and (m := _VERB.search(d.message)):
        names = {re.sub(r"^<(\w+) as [\w:]+(?:<\w+>)?>::Output$", r"\1", x) for x in (m["a"], m["b"])}
        return (
            (names.pop(), False) if len(names) == 1 and re.fullmatch(r"[A-Z]\w*", next(iter(names))) else None
        )
    if d.code_str == "E0308" and (m := _ASSOC.search(text)):
        return m["t"], False
    if d.code_str == "E0600" and (m := _UNARY.search(d.message)):
        return m["t"], False
    return None


def _close(text: str, i: int, open_: str, shut: str) -> int:
    """The index just past the bracket that closes the one at `i`; -1 when none does."""
    depth = 0
    for t in _TOKEN.finditer(text, i):
        tok = t.group()
        if tok == open_:
            depth += 1
        elif tok == shut or shut == ">" and tok == ">>":  # `Neg<Output = T>>` closes two
            depth -= len(tok)
            if depth <= 0:
                return t.end() + depth
    return -1


class _Fn:
    """The function around `at`: its parameters, body, signature after the parameters, and the
    generic list that declares `name` (its own, or its `impl` block's)."""

    def __init__(self, text: str, at: int, name: str) -> None:
        self.ok = False
        for m in reversed(list(re.finditer(r"\bfn\s+\w+\s*(?=[<(])", text[:at]))):
            gen = _generics(text, m.end())
            par = text.find("(", gen[1] if gen else m.end())
            par_end = _close(text, par, "(", ")") if par >= 0 else -1
            body = text.find("{", par_end) if par_end >= 0 else -1
            end = _close(text, body, "{", "}") if body >= 0 else -1
            if not (body <= at < end):
                continue
            self.params = text[par + 1 : par_end - 1]
            self.ret, self.ret_at = text[par_end:body], par_end
            self.name = m.group().split()[1].rstrip("<(")
            self.body = (body, end)
            if gen and _declares(text[gen[0] : gen[1]], name):
                self.generics, self.sig, self.ok = gen, self.ret, True
                return
            for im in reversed(list(re.finditer(r"\bimpl\s*(?=<)", text[: m.start()]))):
                gen = _generics(text, im.end())
                open_ = text.find("{", gen[1]) if gen else -1
                if gen and open_ >= 0 and _close(text, open_, "{", "}") > at:
                    if _declares(text[gen[0] : gen[1]], name):
                        self.generics, self.sig, self.ok = gen, text[gen[1] + 1 : open_], True
                    return
            return


def _generics(text: str, i: int) -> tuple[int, int] | None:
    """The inside of the `<..>` list at `i`, as (start, end) with `end` at its `>`."""
    if not text.startswith("<", i):
        return None
    end = _close(text, i, "<", ">")
    return (i + 1, end - 1) if end > 0 else None


def _declares(generics: str, name: str) -> bool:
    return any(re.match(rf"\s*{name}\s*(?::|$)", p) for p in _split_top(generics, ","))


def _split_top(s: str, sep: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in s:
        depth += ch == "<" or ch == "("
        depth -= ch == ">" or ch == ")"
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [*out, cur]


def _t_names(params: str, body: str, t: str) -> set[str]:
    """The bindings that hold `T` values: parameters and lets whose type names `T`, lets bound from
    them, and loop variables over them."""
    word = re.compile(rf"\b{t}\b")
    names = {
        m.group(1)
        for p in _split_top(params, ",")
        if (m := re.match(r"\s*(?:mut\s+)?(\w+)\s*:(.*)", p, re.S)) and word.search(m.group(2))
    }
    for m in re.finditer(
        r"\b(?:let\s+(?:mut\s+)?(\w+)\s*(?::([^=;]*))?=([^;]*);|for\s+&?(?:mut\s+)?(\w+)\s+in\s+([^{]*))",
        body,
    ):
        name, ty, init = (m[1], m[2] or "", m[3]) if m[1] else (m[4], "", m[5])
        if (
            word.search(ty)
            or re.search(rf"\b{t}::", init)
            or any(re.search(rf"(?<![.\w]){re.escape(n)}\b", init) for n in names)
        ):
            names.add(name)
    return names


def _operators(body: str, values: set[str]) -> list[str] | None:
    """The std::ops traits the body's operators on `T` values need; None when one takes a literal."""
    toks = [t.group() for t in _TOKEN.finditer(body) if not t.group().startswith(("//", "/*"))]
    ends = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|\)|\]")
    used: list[str] = []

    def group(i: int, step: int) -> int:
        """The index past the bracket group that starts at `i` (walking by `step`)."""
        depth = 0
        while 0 <= i < len(toks):
            depth += toks[i] in ("(", "[") if step > 0 else toks[i] in (")", "]")
            depth -= toks[i] in (")", "]") if step > 0 else toks[i] in ("(", "[")
            i += step
            if depth == 0:
                break
        return i

    def atom(i: int, step: int) -> int:
        """The index past the atom at `i` (a name, a number or a bracket group); `i` when none."""
        if not 0 <= i < len(toks):
            return i
        if toks[i] in (("(", "[") if step > 0 else (")", "]")):
            return group(i, step)
        return i + step if re.fullmatch(r"[A-Za-z_]\w*|\d[\w.]*", toks[i]) else i

    def operand(i: int, step: int) -> list[str]:
        """The postfix expression (`a`, `a[i]`, `r.w`, `(b - a)`, `x.f()`) next to an operator."""
        start, i = i, atom(i, step)
        while i != start and 0 <= i < len(toks):
            if toks[i] in (".", "::") and (j := atom(i + step, step)) != i + step:
                i = j
            elif toks[i] in ("(", "[", ")", "]") and (step > 0) == (toks[i] in ("(", "[")):
                i = group(i, step)
            elif step < 0 and toks[i + 1] in ("(", "[") and (j := atom(i, step)) != i:
                i = j
            else:
                break
        lo, hi = (start, i) if step > 0 else (i + 1, start + 1)
        return toks[lo:hi]

    for i, tok in enumerate(toks):
        if tok not in _BINARY and tok not in _ASSIGN:
            continue
        binary = i > 0 and ends.fullmatch(toks[i - 1]) is not None
        right = operand(i + 1, 1)
        left = operand(i - 1, -1) if binary else []
        sides = [s for s in (left, right) if s]
        roots = [
            (s[-1] != ")" or s[0] == "(")
            and any(x in values and (j == 0 or s[j - 1] != ".") for j, x in enumerate(s))
            for s in sides
        ]
        if not any(roots):
            continue
        if any(re.fullmatch(r"\d[\w.]*", s[0] if s is right else s[-1]) for s in sides):
            return None
        trait = _ASSIGN.get(tok) or (_BINARY[tok] if binary else "Neg" if tok == "-" else None)
        if trait and trait not in used:
            used.append(trait)
    return used


def _bound(trait: str, t: str) -> str:
    return trait if trait.endswith("Assign") else f"{trait}<Output = {t}>"


def _import(text: str, traits: list[str]) -> tuple[int, str] | None:
    """Where and what to insert so the traits are in scope, or None when all already are."""
    have = set()
    for m in re.finditer(r"^\s*use\s+std::ops::(?:\{([^}]*)\}|(\w+))\s*;", text, re.M):
        have |= {x.strip() for x in (m[1] or m[2]).split(",")}
    missing = [x for x in traits if x not in have]
    if not missing:
        return None
    line = (
        f"use std::ops::{missing[0]};\n"
        if len(missing) == 1
        else f"use std::ops::{{{', '.join(missing)}}};\n"
    )
    uses = list(re.finditer(r"^use\s[^;]*;[^\n]*\n", text, re.M))
    if uses:
        return uses[-1].end(), line
    head = re.match(r"(?:\s*(?://![^\n]*|#!\[[^\]]*\])\n)*", text)
    return (head.end() if head else 0), line + ("\n" if head and head.end() else "")


def closed_operators(d: Diagnostic, read: Reader) -> list[Candidate]:
    """Bound the type parameter with `Op<Output = T>` for every operator its body uses on it."""
    found = _param_name(d)
    prim = d.primary
    if found is None or prim is None:
        return []
    t, copy = found
    data = read(prim.file_name)
    if data is None:
        return []
    text = data.decode("utf-8", "replace")
    at = len(data[: prim.byte_start].decode("utf-8", "replace"))
    f = _Fn(text, at, t)
    if not f.ok:
        return []
    g0, g1 = f.generics
    parts = _split_top(text[g0:g1], ",")
    idx = next((i for i, p in enumerate(parts) if re.match(rf"\s*{t}\s*(?::|$)", p)), None)
    if idx is None or re.search(rf"Output\s*=\s*(?!\s|{t}\b)", text[g0:g1] + f.sig):
        return []
    ret = re.search(r"->(.*?)(?:\bwhere\b|$)", f.ret, re.S)
    if ret and "Output" in ret.group(1):
        return []
    b0, b1 = f.body
    ops = _operators(text[b0:b1], _t_names(f.params, text[b0:b1], t))
    if not ops:
        return []
    head, _, bounds = parts[idx].partition(":")
    narrow = _method_where(text, f, t, lambda had: _closed(had, ops, t, copy)) if f.sig is not f.ret else None
    impl_ops = any(_is_op(b) for b in _split_top(bounds, "+"))
    fn_ops = narrow is not None and narrow[3]
    names = " + ".join(_bound(x, t) for x in ops)
    out: list[Candidate] = []
    if narrow is not None and narrow[2] and not impl_ops:
        s, e, repl, _ = narrow
        enc = lambda i: len(text[:i].encode())  # noqa: E731
        edits = [Edit(file=prim.file_name, start=enc(s), end=enc(e), replacement=repl)]
        imp = _import(text, ops)
        if imp is not None:
            edits.append(Edit(file=prim.file_name, start=enc(imp[0]), end=enc(imp[0]), replacement=imp[1]))
        out.append(
            _make(
                sorted(edits, key=lambda e: e.start),
                f"bound `{t}: {names}{' + Copy' if copy else ''}` on `{f.name}` only: its operators give back a `{t}`",
                "closed-operators",
                d.code_str or "E0369",
                0.91,
            )
        )
    if fn_ops:
        return out
    kept = [
        b.strip()
        for b in _split_top(bounds, "+")
        if b.strip() and re.sub(r"<.*", "", b.strip()).split("::")[-1] not in _OPS
    ]
    if copy and "Copy" not in kept:
        kept.append("Copy")
    new = " + ".join([*(_bound(x, t) for x in ops), *kept])
    lead = parts[idx][: len(parts[idx]) - len(parts[idx].lstrip())]
    parts[idx] = f"{lead}{head.strip()}: {new}"
    enc = lambda i: len(text[:i].encode())  # noqa: E731
    edits = [Edit(file=prim.file_name, start=enc(g0), end=enc(g1), replacement=",".join(parts))]
    sig_at = g1 + 1 if f.sig is not f.ret else text.find(f.sig, g1)
    where = re.search(r"\bwhere\b(.*)$", f.sig, re.S)
    if where:
        preds = [p for p in _split_top(where.group(1), ",") if p.strip()]
        keep = [p for p in preds if not re.match(rf"\s*<{t} as ", p)]
        if len(keep) != len(preds):
            w0 = sig_at + where.start()
            repl = (" where" + ",".join(keep) + " ") if keep else " "
            start = enc(len(text[:w0].rstrip()))
            edits.append(
                Edit(file=prim.file_name, start=start, end=enc(sig_at + len(f.sig)), replacement=repl)
            )
    imp = _import(text, ops)
    if imp is not None:
        edits.append(Edit(file=prim.file_name, start=enc(imp[0]), end=enc(imp[0]), replacement=imp[1]))
    return [
        *out,
        _make(
            sorted(edits, key=lambda e: e.start),
            f"bound `{t}: {names}{' + Copy' if copy else ''}`: its operators give back a `{t}`",
            "closed-operators",
            d.code_str or "E0369",
            0.9,
        ),
    ]


def _is_op(bound: str) -> bool:
    return re.sub(r"<.*", "", bound.strip(), flags=re.S).split("::")[-1] in _OPS


def _closed(had: list[str], ops: list[str], t: str, copy: bool) -> list[str]:
    """A predicate's bounds with the operator bounds written afresh (and `Copy` when asked)."""
    kept = [b for b in had if not _is_op(b)]
    return [*kept, *(_bound(x, t) for x in ops), *(["Copy"] if copy and "Copy" not in kept else [])]


def _method_where(
    text: str, f: _Fn, t: str, merge: Callable[[list[str]], list[str]]
) -> tuple[int, int, str, bool] | None:
    """The edit (start, end, text, in character offsets) that writes `t`'s bounds, `merge`d from the
    ones the function's own `where` clause gives it, into that clause (a new one when it has none),
    and whether that predicate already had an operator bound; the text is "" when `merge` changes
    nothing. None when the clause has no predicate to put it beside."""
    r0, sig = f.ret_at, f.ret
    w = re.search(r"\bwhere\b", sig)
    if w is None:
        end = r0 + len(sig.rstrip())
        return end, end, f" where {t}: {' + '.join(merge([]))}", False
    pos = r0 + w.end()
    parts = _split_top(sig[w.end() :], ",")
    for p in parts:
        m = re.match(rf"(\s*){t}\s*:(.*)$", p, re.S)
        if m:
            had = [b.strip() for b in _split_top(m.group(2), "+") if b.strip()]
            new = merge(had)
            s, e = pos + len(m.group(1)), pos + len(p.rstrip())
            ops = any(_is_op(b) for b in had)
            if had and new[: len(had)] == had:  # only added to: an insertion, which restates nothing
                return e, e, "".join(f" + {b}" for b in new[len(had) :]), ops
            return s, e, f"{t}: {' + '.join(new)}" if new != had else "", ops
        pos += len(p) + 1
    last = max((i for i, p in enumerate(parts) if p.strip()), default=None)
    if last is None:
        return None
    end = r0 + w.end() + sum(len(p) + 1 for p in parts[:last]) + len(parts[last].rstrip())
    return end, end, f", {t}: {' + '.join(merge([]))}", False
