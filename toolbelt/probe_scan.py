"""Find the Rust expression at a (line, column): a small Rust-aware lexer and a postfix-chain scanner.

Not a parser: it knows tokens (strings, raw strings, chars vs lifetimes, nested comments), bracket
matching and the shapes of postfix chains, which is what picking "the expression under the cursor"
needs. The rule: the expression *ends* with the segment under the cursor, so on `v.iter().map(f)`
the cursor on `v` means `v`, on `iter` means `v.iter()`, on `map` means the whole chain. On a
prefix operator (`&`, `*`, `!`, `-`), an opening bracket, a closure, a block, `if` or `match`, it
is the expression that starts there. Anything else (a comment, whitespace, a keyword in a pattern)
is a ProbeError, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolbelt.errors import ToolbeltError


class ProbeError(ToolbeltError):
    """The type probe cannot answer: no expression there, or the compiler gave no type for it."""


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # ident, lifetime, lit, punct
    text: str
    start: int  # char offsets into the source
    end: int


@dataclass(frozen=True, slots=True)
class ExprSpan:
    start: int
    end: int
    text: str


_IDENT = re.compile(r"(?:r#)?[^\W\d]\w*")  # Rust identifiers may be Unicode (XID)
_NUM = re.compile(
    r"(?:0[xob][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9_]+)?)(?:[a-z][a-z0-9]*)?"
)
_INT = re.compile(r"[0-9][0-9_]*")
_PUNCT3 = ("..=", "...", "<<=", ">>=")
_PUNCT2 = (
    "::",
    "->",
    "=>",
    "..",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "^=",
    "&=",
    "|=",
)
_CHAR = re.compile(r"b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,6}\}|.)|[^\\'\n])'")
KEYWORDS = frozenset(
    "as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref "
    "return self Self static struct super trait true type unsafe use where while async await dyn".split()
)
_PATH_KEYWORDS = frozenset({"self", "Self", "crate", "super", "true", "false"})
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


def lex(src: str) -> tuple[list[Tok], list[tuple[int, int]]]:
    """Tokens, and the (start, end) char ranges of comments (so a cursor there gets a clear error)."""
    toks: list[Tok] = []
    comments: list[tuple[int, int]] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c.isspace():
            i += 1
            continue
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            comments.append((i, j))
            i = j
            continue
        if src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            comments.append((i, j))
            i = j
            continue
        m = re.compile(r'(?:b|c)?r(#*)"').match(src, i)
        if m:
            close = '"' + m.group(1)
            j = src.find(close, m.end())
            j = n if j < 0 else j + len(close)
            toks.append(Tok("lit", src[i:j], i, j))
            i = j
            continue
        if c == '"' or (c in "bc" and src.startswith('"', i + 1)):
            j = i + (2 if c != '"' else 1)
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            toks.append(Tok("lit", src[i:j], i, j))
            i = j
            continue
        if c == "'" or (c == "b" and src.startswith("'", i + 1)):
            m = _CHAR.match(src, i)
            if m:
                toks.append(Tok("lit", m.group(), i, m.end()))
                i = m.end()
                continue
            m = _IDENT.match(src, i + 1)
            j = m.end() if m else i + 1
            toks.append(Tok("lifetime", src[i:j], i, j))
            i = j
            continue
        m = _IDENT.match(src, i)
        if m:
            toks.append(Tok("ident", m.group(), i, m.end()))
            i = m.end()
            continue
        if c in "0123456789":
            # After `.` a number is a tuple index: `t.0.1` is two fields, not the float 0.1.
            after_dot = bool(toks) and toks[-1].text == "."
            m = (_INT if after_dot else _NUM).match(src, i)
            assert m is not None
            toks.append(Tok("lit", m.group(), i, m.end()))
            i = m.end()
            continue
        for p in (*_PUNCT3, *_PUNCT2):
            if src.startswith(p, i):
                toks.append(Tok("punct", p, i, i + len(p)))
                i += len(p)
                break
        else:
            toks.append(Tok("punct", c, i, i + 1))
            i += 1
    return toks, comments


def offset_of(src: str, line: int, col: int) -> int:
    """Char offset of a 1-based (line, column in characters), or a ProbeError naming the bounds."""
    lines = src.split("\n")
    if not 1 <= line <= len(lines):
        raise ProbeError(f"line {line} is outside the file (it has {len(lines)} lines).")
    if not 1 <= col <= len(lines[line - 1]):
        raise ProbeError(f"column {col} is outside line {line} (it has {len(lines[line - 1])} characters).")
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def line_col(src: str, offset: int) -> tuple[int, int]:
    before = src[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _Scanner:
    def __init__(self, src: str) -> None:
        self.src = src
        self.toks, self.comments = lex(src)
        self.match: dict[int, int] = {}
        stack: list[int] = []
        for k, t in enumerate(self.toks):
            if t.kind != "punct":
                continue
            if t.text in _OPEN:
                stack.append(k)
            elif t.text in _CLOSE and stack and self.toks[stack[-1]].text == _CLOSE[t.text]:
                o = stack.pop()
                self.match[o], self.match[k] = k, o

    def text(self, k: int) -> str:
        return self.toks[k].text if 0 <= k < len(self.toks) else ""

    def is_atom(self, k: int) -> bool:
        t = self.toks[k] if 0 <= k < len(self.toks) else None
        if t is None:
            return False
        if t.kind == "lit":
            return True
        return t.kind == "ident" and (t.text not in KEYWORDS or t.text in _PATH_KEYWORDS)

    def _angle_match(self, k: int, step: int) -> int:
        """Index of the angle bracket matching the one at k, walking back (`step` -1, from a `>`) or
        forward (+1, from a `<`); -1 when a `;`, `{` or `}` comes first (generics never span one)."""
        opening, closing = (">", "<") if step < 0 else ("<", ">")
        depth = 0
        for j in range(k, -1 if step < 0 else len(self.toks), step):
            s = self.text(j)
            if s == opening:
                depth += 1
            elif s == closing:
                depth -= 1
                if depth == 0:
                    return j
            elif s in (";", "{", "}"):
                return -1
        return -1

    def angle_back(self, k: int) -> int:
        """Index of the `<` matching the `>` at k, or -1."""
        return self._angle_match(k, -1)

    def angle_fwd(self, k: int) -> int:
        """Index of the `>` matching the `<` at k, or -1."""
        return self._angle_match(k, 1)

    def is_turbofish_close(self, k: int) -> bool:
        o = self.angle_back(k) if self.text(k) == ">" else -1
        return o > 0 and self.text(o - 1) == "::"

    def ends_expr(self, k: int) -> bool:
        """Whether token k can be the last token of an operand (so a following `(`/`[` is a call/index)."""
        s = self.text(k)
        return (
            self.is_atom(k)
            or s in (")", "]", "?")
            or (s == "await" and self.text(k - 1) == ".")
            or (s == ">" and self.is_turbofish_close(k))
            or (s == "}" and self.closes_struct_literal(k))
        )

    def closes_struct_literal(self, k: int) -> bool:
        o = self.match.get(k, -1)
        return o > 0 and self.is_atom(o - 1) and self.struct_literal(o - 1) == k

    def path_start(self, k: int) -> int:
        """Walk back over `a::b::<T>::c` from the segment at k."""
        while self.text(k - 1) == "::":
            j = k - 2
            if self.text(j) == ">" and self.is_turbofish_close(j):
                j = self.angle_back(j) - 2
            if j >= 0 and self.toks[j].kind == "ident":
                k = j
            else:
                return k - 1 if j < 0 or self.text(j) in ("(", ",", "=", "{", ";") else k
        return k

    def path_end(self, k: int) -> int:
        while self.text(k + 1) == "::":
            if self.text(k + 2) == "<":
                c = self.angle_fwd(k + 2)
                if c < 0:
                    return k
                k = c
            elif self.toks[k + 2].kind == "ident" if k + 2 < len(self.toks) else False:
                k += 2
            else:
                return k
        return k

    def chain_start(self, k: int) -> int:
        """First token of the postfix expression whose last token is k."""
        while True:
            s = self.text(k)
            if s in (")", "]") and k in self.match:
                o = self.match[k]
                if self.text(o - 1) == "!" and self.is_atom(o - 2):
                    k = o - 2
                elif self.ends_expr(o - 1):
                    k = o - 1
                    continue
                else:
                    return o
            elif s == "?":
                k -= 1
                continue
            elif s == "}" and self.closes_struct_literal(k):
                k = self.match[k] - 1
            elif s == ">" and self.is_turbofish_close(k):
                k = self.angle_back(k) - 2
                continue
            elif not (self.is_atom(k) or s == "await"):
                raise ProbeError(f"cannot find where the expression ending in `{s}` starts.")
            k = self.path_start(k)
            if self.text(k - 1) == "." and self.ends_expr(k - 2):
                k -= 2
                continue
            return k

    def call_suffix(self, k: int) -> int:
        """After a path or method name at k: its turbofish, macro bang and argument group, if any."""
        if self.text(k + 1) == "::" and self.text(k + 2) == "<":
            c = self.angle_fwd(k + 2)
            k = c if c > 0 else k
        if self.text(k + 1) == "!" and self.text(k + 2) in _OPEN and k + 2 in self.match:
            return self.match[k + 2]
        if self.text(k + 1) in ("(",) and k + 1 in self.match:
            return self.match[k + 1]
        return k

    def struct_literal(self, k: int) -> int:
        """`Point { x: 1, ..p }` after the path ending at k: include the braces when they read as fields."""
        o = k + 1
        if self.text(o) != "{" or o not in self.match or not self.text(k)[:1].isupper():
            return k
        a, b = self.text(o + 1), self.text(o + 2)
        looks = a in ("}", "..") or (_IDENT.fullmatch(a) is not None and b in (":", ",", "}"))
        return self.match[o] if looks else k

    def chain_end(self, k: int) -> int:
        """Extend the operand ending at k over every postfix: `.f`, `.m(..)`, `(..)`, `[..]`, `?`."""
        while True:
            s = self.text(k + 1)
            if s == "." and k + 2 < len(self.toks) and self.toks[k + 2].kind in ("ident", "lit"):
                k = self.call_suffix(k + 2)
            elif s in ("(", "[") and k + 1 in self.match:
                k = self.match[k + 1]
            elif s == "?":
                k += 1
            else:
                return k

    def operand_end(self, k: int) -> int:
        """Last token of the whole operand starting at k (for prefix operators)."""
        while self.text(k) in ("&", "&&", "*", "!", "-"):
            k += 1 + (self.text(k + 1) == "mut")
        return self.chain_end(self.primary_end(k))

    def block_after(self, k: int) -> int:
        """End of the first `{...}` at bracket depth 0 from k (the body after a condition)."""
        j = k
        while j < len(self.toks):
            s = self.text(j)
            if s == "{" and j in self.match:
                return self.match[j]
            if s in _OPEN and j in self.match:
                j = self.match[j] + 1
                continue
            if s in (";", "}", ")", "]"):
                break
            j += 1
        raise ProbeError(f"no block follows `{self.text(k - 1)}`.")

    def closure_end(self, k: int) -> int:
        if self.text(k) == "move":
            k += 1
        if self.text(k) == "|":
            j = k + 1
            while j < len(self.toks) and self.text(j) != "|":
                j = self.match.get(j, j) + 1
            k = j
        j = k + 1
        if self.text(j) == "->":
            return self.block_after(j)
        start = j
        while j < len(self.toks):
            s = self.text(j)
            if (
                s in (",", ";")
                or (s in _CLOSE and j not in self.match)
                or (s in _CLOSE and self.match[j] < start)
            ):
                return j - 1
            j = self.match[j] + 1 if s in _OPEN and j in self.match else j + 1
        return len(self.toks) - 1

    def primary_end(self, k: int) -> int:
        if not 0 <= k < len(self.toks):
            raise ProbeError("the expression is cut off by the end of the file.")
        s, t = self.text(k), self.toks[k]
        if s in ("(", "[", "{") and k in self.match:
            return self.match[k]
        if s in ("|", "||", "move"):
            return self.closure_end(k)
        if s == "if":
            end = self.block_after(k + 1)
            while self.text(end + 1) == "else":
                end = self.block_after(end + 2) if self.text(end + 2) == "if" else self.block_after(end + 1)
            return end
        if s in ("match", "while", "for", "loop", "unsafe", "async"):
            return self.block_after(k + 1)
        if t.kind == "lit":
            return k
        if self.is_atom(k):
            return self.call_suffix(self.path_end(k))
        raise ProbeError(f"`{s}` does not start an expression.")


def find_expression(src: str, line: int, col: int) -> ExprSpan:
    """The expression at (line, col); ProbeError with a plain reason when there is none."""
    off = offset_of(src, line, col)
    sc = _Scanner(src)
    for a, b in sc.comments:
        if a <= off < b:
            raise ProbeError(f"{line}:{col} is inside a comment.")
    k = next((j for j, t in enumerate(sc.toks) if t.start <= off < t.end), None)
    if k is None:
        raise ProbeError(f"{line}:{col} is whitespace; point at the first character of an expression.")
    s, t = sc.text(k), sc.toks[k]
    if s == "." and k + 1 < len(sc.toks):
        k, s, t = k + 1, sc.text(k + 1), sc.toks[k + 1]
    if s in (")", "]", "}") and k in sc.match:
        k = sc.match[k]
        s = sc.text(k)
    if s in _OPEN and k not in sc.match:
        raise ProbeError(f"`{s}` at {line}:{col} has no matching `{_OPEN[s]}`.")
    prev_ends = sc.ends_expr(k - 1)
    if s in ("(", "[") and prev_ends:  # a call or an index: the chain up to its closing bracket
        first, last = sc.chain_start(k - 1), sc.match[k]
    elif s == "?" or (s == "await" and sc.text(k - 1) == "."):
        first, last = sc.chain_start(k - 1 if s == "?" else k - 2), k
    elif s in ("&", "&&", "*", "!", "-") and not prev_ends:
        first, last = k, sc.operand_end(k)
    elif t.kind == "lit" and sc.text(k - 1) != ".":
        first, last = k, k
    elif sc.is_atom(k) or s == "await":
        first = sc.path_start(k)
        if sc.text(first - 1) == "." and sc.ends_expr(first - 2):
            last = sc.call_suffix(k)
            first = sc.chain_start(first - 2)
        else:
            last = sc.struct_literal(sc.call_suffix(sc.path_end(k)))
    elif s in ("(", "[", "{", "|", "||", "move", "if", "match", "while", "for", "loop", "unsafe", "async"):
        first, last = k, sc.primary_end(k)
    else:
        raise ProbeError(f"no expression starts at {line}:{col} (`{s}` is not part of one).")
    a, b = sc.toks[first].start, sc.toks[last].end
    return ExprSpan(start=a, end=b, text=src[a:b])


def binding_at(src: str, line: int, col: int) -> ExprSpan | None:
    """The name in `let NAME` / `let mut NAME` under the cursor: probed as the value it binds."""
    off = offset_of(src, line, col)
    sc = _Scanner(src)
    for k, t in enumerate(sc.toks):
        if t.start <= off < t.end:
            before = sc.text(k - 1)
            if (
                t.kind == "ident"
                and t.text not in KEYWORDS
                and (before == "let" or (before in ("mut", "ref") and sc.text(k - 2) == "let"))
            ):
                return ExprSpan(start=t.start, end=t.end, text=t.text)
            return None
    return None


def enclosing_statement(src: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of the `;`-terminated statement holding [start, end) in its innermost block, if any.

    Used to check the expression's type after the whole statement was type-checked, so inference
    from the context (`let v: Vec<u8> = it.collect();`) is complete. None for a tail expression.
    """
    sc = _Scanner(src)
    toks = sc.toks
    inner = -1
    for k, t in enumerate(toks):
        if t.text == "{" and k in sc.match and t.start < start and toks[sc.match[k]].start >= end:
            inner = k  # later opens are nested deeper
    if inner < 0:
        return None
    close = sc.match[inner]
    stmt_first, k = inner + 1, inner + 1
    while k < close:
        tk = toks[k]
        if tk.start >= end:
            break
        if tk.text == ";":
            stmt_first = k + 1
        k = sc.match[k] + 1 if tk.text in _OPEN and k in sc.match else k + 1
    while k < close:
        if toks[k].text == ";":
            return toks[stmt_first].start, toks[k].end
        k = sc.match[k] + 1 if toks[k].text in _OPEN and k in sc.match else k + 1
    return None
