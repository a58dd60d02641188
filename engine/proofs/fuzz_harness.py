"""The Rust text of a differential-fuzzing harness: old and new version on the same inputs.

Rusta's own generator (engine.proofs.fuzz_prelude), not libFuzzer: edge cases first, then random
values; both sides run under `catch_unwind`, an outcome is the `Debug` text of the result (for a
`&mut self` method, and the receiver after the call when it has Debug) or "panic: <message>"; two
panics count as the same behaviour. When what is compared holds a HashMap or HashSet, the entries of
its `{...}` groups are sorted first (`unordered` in the prelude): their Debug order is the map's
RandomState, so comparing raw text calls two equal maps different. A differing input is run up to
three times more on each side; an outcome that changes between calls on the same input (iteration
order the types did not reveal, a clock) is not a difference: it is counted apart (UNSTABLE), and
engine.proofs.fuzz then calls no difference evidence. Fuzzing goes on after the first difference, within the budget:
it counts the inputs that differ and keeps the first input of each class (sign, boundary,
emptiness...); it reports up to 3 of them, as far apart in kind as it can, each shrunk within its class and written to RUSTA_FUZZ_OUT with what each
side gave. A watchdog thread reports a call that has not returned within RUSTA_FUZZ_HANG_MS (which
side, on what) and ends the run.
"""

from __future__ import annotations

from typing import NamedTuple

from engine.proofs.fuzz_prelude import PRELUDE
from engine.proofs.fuzz_shapes import Shape, build, show

MAX_CASES = 3  # distinct differing inputs reported


class Target(NamedTuple):
    """What one harness calls: `name` shown ("half", "Counter::bump"), its inputs (shape, "val" or
    "ref"; the receiver first for a method), and the Rust expression each side evaluates to a String."""

    name: str
    module: str
    inputs: tuple[tuple[Shape, str], ...]
    call_new: str
    call_old: str
    show: str
    dictionary: tuple[int, ...] = ()  # the integers the changed code names (engine.proofs.fuzz_plan)
    unordered: bool = False  # what is compared holds a HashMap or HashSet: its `{...}` entries are sorted


def _args(inputs: tuple[tuple[Shape, str], ...], start: int) -> str:
    return ", ".join(
        f"{'&' if how == 'ref' else ''}{build(s, f'a.{i}')}"
        for i, (s, how) in enumerate(inputs)
        if i >= start
    )


def target(
    name: str,
    old_name: str,
    inputs: tuple[tuple[Shape, str], ...],
    module: str,
    *,
    owner: str = "",
    self_kind: str = "",
    self_debug: bool = False,
    dictionary: tuple[int, ...] = (),
    unordered: bool = False,
) -> Target:
    """The target for a free fn (`owner` ""), an associated fn (`owner`, no `self_kind`) or a method."""
    # a borrowed input is shown borrowed, as the call is written (a string literal is already a &str)
    shows = [
        (
            f'format!("&{{}}", {show(s, f"a.{i}")})'
            if how == "ref" and s.raw != "String"
            else show(s, f"a.{i}")
        )
        for i, (s, how) in enumerate(inputs)
    ]
    if not self_kind:
        path = f"{owner}::" if owner else ""
        holes = ", ".join("{}" for _ in shows)
        text = f'format!("{path}{name}({holes})"{"".join(", " + x for x in shows)})'

        def call(fn: str) -> str:
            return f'format!("{{:?}}", {path}{fn}({_args(inputs, 0)}))'

        shown = f"{owner}::{name}" if owner else name
        return Target(shown, module, inputs, call(name), call(old_name), text, dictionary, unordered)
    holes = ", ".join("{}" for _ in shows[1:])
    text = f'format!("{{}}.{name}({holes})"{"".join(", " + x for x in shows)})'
    recv = build(inputs[0][0], "a.0")

    def mcall(fn: str) -> str:
        if self_kind != "&mut self":
            return f'format!("{{:?}}", {recv}.{fn}({_args(inputs, 1)}))'
        after = 'format!("{:?}; self after: {:?}", out, r)' if self_debug else 'format!("{:?}", out)'
        return f"{{ let mut r = {recv}; let out = r.{fn}({_args(inputs, 1)}); {after} }}"

    return Target(
        f"{owner}::{name}", module, inputs, mcall(name), mcall(old_name), text, dictionary, unordered
    )


def harness(t: Target) -> str:
    """A `#[cfg(test)] mod` calling both versions (in scope via `super::*`) on the same inputs."""
    n = len(t.inputs)
    raws = [s.raw for s, _ in t.inputs]
    tup = "(" + "".join(f"{r}, " for r in raws) + ")"
    edges = "\n".join(f"        let e{i} = <{r}>::edges();" for i, r in enumerate(raws))
    pick_edge = ", ".join(
        f"e{i}[((k as usize) / ({'*'.join(['1'] + [f'e{j}.len()' for j in range(i)])})) % e{i}.len()].clone()"
        for i in range(n)
    )
    total = " * ".join(f"e{i}.len()" for i in range(n))
    rand = ", ".join(f"<{r}>::random(&mut rng)" for r in raws)
    new, old = (f"unordered({c})" if t.unordered else c for c in (t.call_new, t.call_old))
    return f"""
#[cfg(test)]
#[allow(unused, non_snake_case, clippy::all)]
mod {t.module} {{
    use super::*;
    const DICT: &[i128] = &[{", ".join(str(d) for d in t.dictionary)}];
{PRELUDE}
    type Args = {tup};
    fn show(a: &Args) -> String {{ clean({t.show}) }}
    // the call in progress, for the watchdog: which side, on what, since when
    static CUR: std::sync::Mutex<Option<(Args, &'static str, std::time::Instant)>> = std::sync::Mutex::new(None);
    // with RUSTA_FUZZ_TRACE, each call is written down first: a crash (unsafe code) leaves its input
    static TRACE: std::sync::Mutex<Option<std::fs::File>> = std::sync::Mutex::new(None);
    // inputs whose outcome changed between two calls on the same input (see `differs`)
    static UNSTABLE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    fn mark(a: &Args, side: &'static str) {{
        if let Some(f) = TRACE.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {{
            let _ = writeln!(f, "TRY\\t{{}}\\t{{}}", side, show(a));
        }}
        *CUR.lock().unwrap_or_else(|e| e.into_inner()) = Some((a.clone(), side, std::time::Instant::now()));
    }}
    fn run_new(a: &Args) -> String {{ mark(a, "new"); outcome(|| {new}) }}
    fn run_old(a: &Args) -> String {{ mark(a, "old"); outcome(|| {old}) }}
    fn watchdog(out: String, hang_ms: u128) {{
        std::thread::spawn(move || loop {{
            std::thread::sleep(std::time::Duration::from_millis(20));
            let cur = CUR.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some((a, side, t)) = cur {{
                if t.elapsed().as_millis() > hang_ms {{
                    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&out).unwrap();
                    writeln!(f, "HANG\\t{{}}\\t{{}}\\t{{}}", side, show(&a), hang_ms).unwrap();
                    std::process::exit(0);
                }}
            }}
        }});
    }}
    /// The class of a differing input: its kind of input, and which side panics.
    fn differs(a: &Args) -> Option<String> {{
        // a panic on both sides is the same behaviour, whatever each message says
        let (n, o) = (run_new(a), run_old(a));
        let (pn, po) = (n.starts_with("panic: "), o.starts_with("panic: "));
        if n == o || (pn && po) {{ return None; }}
        // an outcome that changes from one call to the next on the same input is no evidence
        if (0..3).any(|_| run_old(a) != o || run_new(a) != n) {{
            UNSTABLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return None;
        }}
        Some(format!("{{}}|{{}}{{}}", a.class(), po as u8, pn as u8))
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
        let mut found: Vec<(String, Args)> = Vec::new();
        let mut ndiff: u64 = 0;
        let mut k: u64 = 0;
        while k < max && t0.elapsed().as_millis() < ms {{
            let a: Args = if (k as usize) < total.min(2000) {{ ({pick_edge},) }} else {{ ({rand},) }};
            k += 1;
            if let Some(c) = differs(&a) {{
                ndiff += 1;
                if found.len() < 64 && !found.iter().any(|(x, _)| *x == c) {{ found.push((c, a)); }}
            }}
        }}
        // of the classes seen, the first, then each time the one farthest from those already taken
        // (the most parts of the input in another class), so the report spans the kinds that differ
        let dist = |x: &str, y: &str| -> usize {{
            let (p, q): (Vec<&str>, Vec<&str>) = (x.split([',', '|']).collect(), y.split([',', '|']).collect());
            p.iter().zip(q.iter()).filter(|(u, v)| u != v).count() + p.len().abs_diff(q.len())
        }};
        let mut found = found;
        let mut picked: Vec<(String, Args)> = Vec::new();
        while picked.len() < {MAX_CASES} && !found.is_empty() {{
            let best = (0..found.len())
                .max_by_key(|&i| (picked.iter().map(|(c, _)| dist(c, &found[i].0)).min().unwrap_or(0), std::cmp::Reverse(i)))
                .unwrap();
            picked.push(found.remove(best));
        }}
        let found = picked;
        *CUR.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let mut f = std::fs::File::create(&out).unwrap();
        let unstable = UNSTABLE.load(std::sync::atomic::Ordering::Relaxed);
        writeln!(f, "DONE\\t{{}}\\t{{}}\\t{{}}\\t{{}}", k, t0.elapsed().as_millis(), ndiff, unstable).unwrap();
        let mut shown: Vec<String> = Vec::new();
        for (c, mut a) in found {{
            // shrink within the class, so each reported input stays a different kind of input
            let mut steps = 0;
            loop {{
                let next = a.shrink().into_iter().find(|b| differs(b).as_deref() == Some(c.as_str()));
                steps += 1;
                match next {{ Some(b) if steps <= 500 => a = b, _ => break }}
            }}
            let s = show(&a);
            if !shown.contains(&s) {{
                writeln!(f, "DIFF\\t{{}}\\t{{}}\\t{{}}", s, run_old(&a), run_new(&a)).unwrap();
                shown.push(s);
            }}
        }}
        *CUR.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }}
}}
"""
