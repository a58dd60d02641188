"""The Rust prelude of every fuzz harness: a seeded generator, `Gen` for the shapes Rusta generates.

`Gen` gives each type its edge cases (0, 1, -1, MIN, MAX, empty, unicode, None, and the integers the
changed code itself names, each give or take one: `DICT`, which every harness defines), random values
(splitmix64: small, every magnitude alike, the code's numbers again, or any), shrink steps (numbers toward 0, strings and vectors by halving, Some toward None) and
a class: which kind of input it is (sign, boundary, emptiness, ASCII or not, None or Some), so
the differing inputs Rusta reports are distinct in kind, not ten neighbours of one witness.
"""

from __future__ import annotations

MAX_ARITY = 8  # tuples (and so a fn's inputs, receiver included) up to this many


def _tuples() -> str:
    rows = []
    for n in range(1, MAX_ARITY + 1):
        rows.append("(" + ", ".join(f"T{i} {i}" for i in range(n)) + ")")
    return "tuples!(" + " ".join(rows) + ");"


PRELUDE = (
    r"""
    use std::io::Write;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
            z ^ (z >> 31)
        }
    }
    trait Gen: Sized + Clone + std::fmt::Debug {
        fn edges() -> Vec<Self>;
        fn random(r: &mut Rng) -> Self;
        fn shrink(&self) -> Vec<Self>;
        fn class(&self) -> String;
    }
    macro_rules! ints { ($($t:ty),*) => {$(
        impl Gen for $t {
            fn edges() -> Vec<Self> {
                let mut v: Vec<$t> = vec![0, 1, <$t>::MAX, <$t>::MIN, 2];
                v.push((0 as $t).wrapping_sub(1)); v.push((0 as $t).wrapping_sub(2));
                v.push(<$t>::MAX - 1); v.push(<$t>::MIN.wrapping_add(1));
                // the code's own numbers and their neighbours: where its comparisons turn
                for d in DICT { for x in [*d, d.wrapping_sub(1), d.wrapping_add(1)] { if x as $t as i128 == x { v.push(x as $t) } } }
                let mut seen = Vec::new(); v.retain(|x| if seen.contains(x) { false } else { seen.push(*x); true }); v
            }
            fn random(r: &mut Rng) -> Self {
                match r.next() % 5 {
                    0 => (r.next() % 201) as i64 as $t,
                    1 => ((r.next() % 201) as i64 - 100) as $t,
                    // a number of the code, give or take one
                    2 if !DICT.is_empty() => (DICT[(r.next() % DICT.len() as u64) as usize].wrapping_add((r.next() % 3) as i128 - 1)) as $t,
                    // every magnitude alike: as many 4-digit numbers as 18-digit ones
                    3 => { let m = (r.next() >> (r.next() % 64)) as i128; (if r.next() % 4 == 0 { m.wrapping_neg() } else { m }) as $t }
                    _ => r.next() as $t,
                }
            }
            fn shrink(&self) -> Vec<Self> {
                let x = *self; if x == 0 { return vec![]; }
                let mut v = vec![0 as $t, x / 2];
                if x > (0 as $t) { v.push(x - 1) } else { v.push(x.wrapping_add(1)) }
                v.retain(|c| *c != x); v
            }
            fn class(&self) -> String {
                let x = *self;
                (if x == 0 { "0" } else if x == <$t>::MAX { "max" } else if x == <$t>::MIN { "min" } else if x < (0 as $t) { "-" } else { "+" }).to_string()
            }
        })*
    }}
    ints!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
    impl Gen for bool {
        fn edges() -> Vec<Self> { vec![false, true] }
        fn random(r: &mut Rng) -> Self { r.next() % 2 == 1 }
        fn shrink(&self) -> Vec<Self> { if *self { vec![false] } else { vec![] } }
        fn class(&self) -> String { self.to_string() }
    }
    impl Gen for char {
        fn edges() -> Vec<Self> { vec!['a', '\0', ' ', 'Z', '0', 'é', '€', '😀', char::MAX] }
        fn random(r: &mut Rng) -> Self {
            if r.next() % 2 == 0 { (b' ' + (r.next() % 95) as u8) as char } else { char::from_u32((r.next() % 0x11000) as u32).unwrap_or('?') }
        }
        fn shrink(&self) -> Vec<Self> { if *self == 'a' { vec![] } else { vec!['a'] } }
        fn class(&self) -> String { (if self.is_ascii() { "ascii" } else { "non-ascii" }).to_string() }
    }
    impl Gen for String {
        fn edges() -> Vec<Self> {
            ["", "a", " ", "0", "-1", "abc", "é", "日本語", "😀x", "a b", "\n", "AbC"].iter().map(|s| s.to_string()).collect()
        }
        fn random(r: &mut Rng) -> Self { let n = (r.next() % 12) as usize; (0..n).map(|_| char::random(r)).collect() }
        fn shrink(&self) -> Vec<Self> {
            let c: Vec<char> = self.chars().collect(); if c.is_empty() { return vec![]; }
            let h = c.len() / 2;
            vec![String::new(), c[..h].iter().collect(), c[h..].iter().collect(), c[1..].iter().collect()]
        }
        fn class(&self) -> String { (if self.is_empty() { "empty" } else if self.is_ascii() { "ascii" } else { "non-ascii" }).to_string() }
    }
    impl<T: Gen + PartialEq> Gen for Vec<T> {
        fn edges() -> Vec<Self> {
            let e = T::edges();
            vec![vec![], vec![e[0].clone()], vec![e[1 % e.len()].clone()], e.clone(), vec![e[2 % e.len()].clone(); 3]]
        }
        fn random(r: &mut Rng) -> Self { let n = (r.next() % 9) as usize; (0..n).map(|_| T::random(r)).collect() }
        fn shrink(&self) -> Vec<Self> {
            if self.is_empty() { return vec![]; }
            let h = self.len() / 2;
            let mut v = vec![vec![], self[..h].to_vec(), self[h..].to_vec(), self[1..].to_vec()];
            for (i, x) in self.iter().enumerate() {
                for s in x.shrink().into_iter().take(1) { let mut y = self.clone(); y[i] = s; v.push(y); }
            }
            v
        }
        fn class(&self) -> String { (match self.len() { 0 => "empty", 1 => "one", _ => "many" }).to_string() }
    }
    impl<T: Gen> Gen for Option<T> {
        fn edges() -> Vec<Self> { std::iter::once(None).chain(T::edges().into_iter().map(Some)).collect() }
        fn random(r: &mut Rng) -> Self { if r.next() % 4 == 0 { None } else { Some(T::random(r)) } }
        fn shrink(&self) -> Vec<Self> {
            match self { None => vec![], Some(x) => std::iter::once(None).chain(x.shrink().into_iter().map(Some)).collect() }
        }
        fn class(&self) -> String { match self { None => "None".to_string(), Some(x) => format!("Some({})", x.class()) } }
    }
    impl Gen for () {
        fn edges() -> Vec<Self> { vec![()] }
        fn random(_: &mut Rng) -> Self {}
        fn shrink(&self) -> Vec<Self> { vec![] }
        fn class(&self) -> String { String::new() }
    }
    macro_rules! tuples { ($(($($T:ident $i:tt),+))*) => {$(
        impl<$($T: Gen),+> Gen for ($($T,)+) {
            fn edges() -> Vec<Self> {
                let e = ($($T::edges(),)+);
                let n = [$(e.$i.len()),+].iter().copied().max().unwrap_or(1);
                let mut v = Vec::new();
                for k in 0..n { v.push(($(e.$i[k % e.$i.len()].clone(),)+)); }
                for k in 0..n { v.push(($(e.$i[(k + $i) % e.$i.len()].clone(),)+)); }
                v
            }
            fn random(r: &mut Rng) -> Self { ($($T::random(r),)+) }
            fn shrink(&self) -> Vec<Self> {
                let mut v = Vec::new();
                $( for s in self.$i.shrink() { let mut b = self.clone(); b.$i = s; v.push(b); } )+
                v
            }
            fn class(&self) -> String { let v: Vec<String> = vec![$(self.$i.class()),+]; v.join(",") }
        })*
    }}
"""
    + "    "
    + _tuples()
    + r"""
    fn clean(s: String) -> String { s.replace('\t', "\\t").replace('\n', "\\n") }
    // Debug text with the entries of every `{...}` group sorted: a HashMap's or HashSet's Debug lists
    // them in its RandomState's order, which differs from map to map, so two equal maps can print
    // differently. `[...]` and `(...)` keep their order; string and char literals are copied whole.
    fn unordered(s: String) -> String {
        fn group(c: &[char], i: &mut usize, close: char, split: bool) -> Vec<String> {
            let (mut items, mut cur) = (Vec::new(), String::new());
            while *i < c.len() {
                let ch = c[*i];
                *i += 1;
                if ch == close { break; }
                match ch {
                    '"' | '\'' => {
                        cur.push(ch);
                        while *i < c.len() {
                            let d = c[*i];
                            *i += 1;
                            cur.push(d);
                            if d == '\\' && *i < c.len() { cur.push(c[*i]); *i += 1; } else if d == ch { break; }
                        }
                    }
                    '{' | '[' | '(' => {
                        let end = match ch { '{' => '}', '[' => ']', _ => ')' };
                        let spaced = c.get(*i) == Some(&' ');
                        let mut inner = group(c, i, end, true);
                        if ch == '{' { inner.sort(); }
                        let pad = if spaced && !inner.is_empty() { " " } else { "" };
                        cur.push_str(&format!("{}{}{}{}{}", ch, pad, inner.join(", "), pad, end));
                    }
                    ',' if split => { items.push(cur.trim().to_string()); cur.clear(); }
                    _ => cur.push(ch),
                }
            }
            if split { let t = cur.trim(); if !t.is_empty() || !items.is_empty() { items.push(t.to_string()); } } else { items.push(cur); }
            items
        }
        let c: Vec<char> = s.chars().collect();
        group(&c, &mut 0, '\u{0}', false).concat()
    }
    fn outcome(f: impl FnOnce() -> String) -> String {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(r) => clean(r),
            Err(p) => clean(format!("panic: {}", p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default())),
        }
    }
"""
)
