"""The Rust text of a differential-fuzzing harness: old and new fn on the same inputs, diffs minimised.

Rusta's own generator, not libFuzzer: seeded splitmix64, edge cases first (0, 1, -1, MIN, MAX,
empty, unicode), then random values; both sides run under `catch_unwind`, an outcome is the `Debug`
text of the result or "panic: <message>" (two panics count as the same behaviour). The first differing input is shrunk (numbers toward 0,
strings and vectors by halving) and written to the file named by RUSTA_FUZZ_OUT. A watchdog thread
reports a call that has not returned within RUSTA_FUZZ_HANG_MS (which side, on what) and ends the run.
"""

from __future__ import annotations

INTS = ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize")


def owned_type(ty: str) -> tuple[str, str] | None:
    """(the owned type to generate, how to pass it: "val" or "ref"), None when Rusta cannot generate it."""
    t = "".join(ty.split())
    if t in INTS or t in ("bool", "char", "String"):
        return t, "val"
    if t == "&str":
        return "String", "ref"
    for pre, how in (("&[", "ref"), ("Vec<", "val"), ("&Vec<", "ref")):
        if t.startswith(pre) and t[len(pre) : -1] in INTS:
            return f"Vec<{t[len(pre) : -1]}>", how
    return None


def call_args(kinds: list[tuple[str, str]]) -> str:
    """The call's argument list from a tuple `a` of owned values: borrowed where the fn takes a reference."""
    return ", ".join(f"&a.{i}" if how == "ref" else f"a.{i}.clone()" for i, (_, how) in enumerate(kinds))


PRELUDE = r"""
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
    }
    macro_rules! ints { ($($t:ty),*) => {$(
        impl Gen for $t {
            fn edges() -> Vec<Self> {
                let mut v: Vec<$t> = vec![0, 1, <$t>::MAX, <$t>::MIN, 2];
                v.push((0 as $t).wrapping_sub(1)); v.push((0 as $t).wrapping_sub(2));
                v.push(<$t>::MAX - 1); v.push(<$t>::MIN.wrapping_add(1));
                v.dedup(); v
            }
            fn random(r: &mut Rng) -> Self {
                match r.next() % 3 { 0 => (r.next() % 201) as i64 as $t, 1 => ((r.next() % 201) as i64 - 100) as $t, _ => r.next() as $t }
            }
            fn shrink(&self) -> Vec<Self> {
                let x = *self; if x == 0 { return vec![]; }
                let mut v = vec![0 as $t, x / 2];
                if x > (0 as $t) { v.push(x - 1) } else { v.push(x.wrapping_add(1)) }
                v.retain(|c| *c != x); v
            }
        })*
    }}
    ints!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
    impl Gen for bool {
        fn edges() -> Vec<Self> { vec![false, true] }
        fn random(r: &mut Rng) -> Self { r.next() % 2 == 1 }
        fn shrink(&self) -> Vec<Self> { if *self { vec![false] } else { vec![] } }
    }
    impl Gen for char {
        fn edges() -> Vec<Self> { vec!['a', '\0', ' ', 'Z', '0', 'é', '€', '😀', char::MAX] }
        fn random(r: &mut Rng) -> Self {
            if r.next() % 2 == 0 { (b' ' + (r.next() % 95) as u8) as char } else { char::from_u32((r.next() % 0x11000) as u32).unwrap_or('?') }
        }
        fn shrink(&self) -> Vec<Self> { if *self == 'a' { vec![] } else { vec!['a'] } }
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
    }
    fn outcome<R: std::fmt::Debug>(f: impl FnOnce() -> R) -> String {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(r) => format!("{:?}", r),
            Err(p) => format!("panic: {}", p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default()),
        }
    }
"""


def harness(fn: str, old_fn: str, params: list[tuple[str, str]], module: str) -> str:
    """A `#[cfg(test)] mod` calling `fn` and `old_fn` (both in scope via `super::*`)."""
    kinds = [owned_type(t) for _, t in params]
    assert all(k is not None for k in kinds)
    n = len(params)
    tys = ", ".join(k[0] for k in kinds)  # type: ignore[index]
    tup = f"({tys},)"
    args = call_args(kinds)  # type: ignore[arg-type]
    edges = "\n".join(f"        let e{i} = <{k[0]}>::edges();" for i, k in enumerate(kinds))  # type: ignore[index]
    pick_edge = ", ".join(
        f"e{i}[((k as usize) / {'*'.join(['1'] + [f'e{j}.len()' for j in range(i)])}) % e{i}.len()].clone()"
        for i in range(n)
    )
    total = " * ".join(f"e{i}.len()" for i in range(n))
    rand = ", ".join(f"<{k[0]}>::random(&mut rng)" for k in kinds)  # type: ignore[index]
    shrink_arms = "\n".join(
        f"                for s in a.{i}.shrink() {{ let mut b = a.clone(); b.{i} = s; if differs(&b) {{ a = b; improved = true; break; }} }}"
        for i in range(n)
    )
    return f"""
#[cfg(test)]
#[allow(unused, clippy::all)]
mod {module} {{
    use super::*;
{PRELUDE}
    type Args = {tup};
    // the call in progress, for the watchdog: which side, on what, since when
    static CUR: std::sync::Mutex<Option<(Args, &'static str, std::time::Instant)>> = std::sync::Mutex::new(None);
    // with RUSTA_FUZZ_TRACE, each call is written down first: a crash (unsafe code) leaves its input
    static TRACE: std::sync::Mutex<Option<std::fs::File>> = std::sync::Mutex::new(None);
    fn mark(a: &Args, side: &'static str) {{
        if let Some(f) = TRACE.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {{
            let _ = writeln!(f, "TRY\t{{}}\t{{:?}}", side, a);
        }}
        *CUR.lock().unwrap_or_else(|e| e.into_inner()) = Some((a.clone(), side, std::time::Instant::now()));
    }}
    fn run_new(a: &Args) -> String {{ mark(a, "new"); outcome(|| {fn}({args})) }}
    fn run_old(a: &Args) -> String {{ mark(a, "old"); outcome(|| {old_fn}({args})) }}
    fn watchdog(out: String, hang_ms: u128) {{
        std::thread::spawn(move || loop {{
            std::thread::sleep(std::time::Duration::from_millis(20));
            let cur = CUR.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some((a, side, t)) = cur {{
                if t.elapsed().as_millis() > hang_ms {{
                    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&out).unwrap();
                    writeln!(f, "HANG\t{{}}\t{{:?}}\t{{}}", side, a, hang_ms).unwrap();
                    std::process::exit(0);
                }}
            }}
        }});
    }}
    fn differs(a: &Args) -> bool {{
        // a panic on both sides is the same behaviour, whatever each message says
        let (n, o) = (run_new(a), run_old(a));
        n != o && !(n.starts_with("panic") && o.starts_with("panic"))
    }}
    #[test]
    fn differential() {{
        std::panic::set_hook(Box::new(|_| {{}}));
        let max: u64 = std::env::var("RUSTA_FUZZ_N").ok().and_then(|s| s.parse().ok()).unwrap_or(10000);
        let ms: u128 = std::env::var("RUSTA_FUZZ_MS").ok().and_then(|s| s.parse().ok()).unwrap_or(5000);
        let seed: u64 = std::env::var("RUSTA_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
        let out = std::env::var("RUSTA_FUZZ_OUT").unwrap();
        let hang_ms: u128 = std::env::var("RUSTA_FUZZ_HANG_MS").ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
        watchdog(out.clone(), hang_ms);
        if let Ok(t) = std::env::var("RUSTA_FUZZ_TRACE") {{
            *TRACE.lock().unwrap() = std::fs::File::create(t).ok();
        }}
        let t0 = std::time::Instant::now();
        let mut rng = Rng(seed);
{edges}
        let total = {total};
        let mut found: Option<Args> = None;
        let mut k: u64 = 0;
        while k < max && t0.elapsed().as_millis() < ms {{
            let a: Args = if (k as usize) < total.min(2000) {{ ({pick_edge},) }} else {{ ({rand},) }};
            k += 1;
            if differs(&a) {{ found = Some(a); break; }}
        }}
        let mut f = std::fs::File::create(&out).unwrap();
        if let Some(mut a) = found {{
            let mut steps = 0;
            loop {{
                let mut improved = false;
{shrink_arms}
                steps += 1;
                if !improved || steps > 500 {{ break; }}
            }}
            writeln!(f, "DIFF\\t{{:?}}\\t{{}}\\t{{}}", a, run_old(&a), run_new(&a)).unwrap();
        }}
        *CUR.lock().unwrap_or_else(|e| e.into_inner()) = None;
        writeln!(f, "DONE\\t{{}}\\t{{}}", k, t0.elapsed().as_millis()).unwrap();
    }}
}}
"""
