"""The Rust text of a before/after timing harness: the old and the new fn on the same inputs, interleaved.

Inputs come from the fuzz generator (edge cases, then seeded random values); an input on which either
side panics is left out, so both sides time the same, successful work. Each call goes through an
`#[inline(never)]` wrapper with `black_box` on the arguments and the result, so neither side is folded
away or inlined into the loop differently. Method: warm-up for RUSTA_BENCH_WARM_MS, then a batch size
(repetitions of the whole input pool) calibrated so one sample lasts about RUSTA_BENCH_SAMPLE_MS, then
RUSTA_BENCH_SAMPLES rounds of samples of three sides (old, new, and a second copy of old as an A/A
control), the order inside a round rotating so load that drifts over the run hits all sides alike.
Each round is written as `S<TAB>old<TAB>new<TAB>control` in ns per call; the statistics are Python's
(engine.proofs.bench_stats). A call that does not return within
RUSTA_BENCH_HANG_MS while the pool is built ends the run with a HANG line, as in fuzzing.
"""

from __future__ import annotations

from engine.proofs.fuzz_prelude import PRELUDE
from engine.proofs.fuzz_shapes import owned_type


def call_args(kinds: list[tuple[str, str]]) -> str:
    """The call's argument list from a tuple `a` of owned values: borrowed where the fn takes a reference."""
    return ", ".join(f"&a.{i}" if how == "ref" else f"a.{i}.clone()" for i, (_, how) in enumerate(kinds))


def bench_harness(fn: str, old_fn: str, control_fn: str, params: list[tuple[str, str]], module: str) -> str:
    """A `#[cfg(test)] mod` timing `fn` against `old_fn`, and `control_fn` (a second copy of the old
    fn, placed elsewhere in the binary) against `old_fn`: the A/A ratio shows how far code placement
    and the machine move the same code, which no threshold chosen in advance can know."""
    kinds = [owned_type(t) for _, t in params]
    assert all(k is not None for k in kinds)
    tup = "(" + ", ".join(k[0] for k in kinds) + ",)"  # type: ignore[index]
    args = call_args(kinds)  # type: ignore[arg-type]
    n = len(params)
    edges = "\n".join(f"        let e{i} = <{k[0]}>::edges();" for i, k in enumerate(kinds))  # type: ignore[index]
    pick_edge = ", ".join(
        f"e{i}[(k / ({'*'.join(['1'] + [f'e{j}.len()' for j in range(i)])})) % e{i}.len()].clone()"
        for i in range(n)
    )
    total = " * ".join(f"e{i}.len()" for i in range(n))
    rand = ", ".join(f"<{k[0]}>::random(&mut rng)" for k in kinds)  # type: ignore[index]
    return f"""
#[cfg(test)]
#[allow(unused, clippy::all)]
mod {module} {{
    use super::*;
    const DICT: &[i128] = &[]; // timing keeps to the generator's own inputs
{PRELUDE}
    type Args = {tup};
    use std::hint::black_box;
    use std::time::{{Duration, Instant}};
    #[inline(never)]
    fn call_new(a: &Args) {{ let a = black_box(a); black_box({fn}({args})); }}
    #[inline(never)]
    fn call_old(a: &Args) {{ let a = black_box(a); black_box({old_fn}({args})); }}
    #[inline(never)]
    fn call_control(a: &Args) {{ let a = black_box(a); black_box({control_fn}({args})); }}
    static CUR: std::sync::Mutex<Option<(Args, &'static str, Instant)>> = std::sync::Mutex::new(None);
    fn ok(a: &Args, side: &'static str, f: fn(&Args)) -> bool {{
        *CUR.lock().unwrap_or_else(|e| e.into_inner()) = Some((a.clone(), side, Instant::now()));
        let r = catch_unwind(AssertUnwindSafe(|| f(a))).is_ok();
        *CUR.lock().unwrap_or_else(|e| e.into_inner()) = None;
        r
    }}
    fn watchdog(out: String, hang_ms: u128) {{
        std::thread::spawn(move || loop {{
            std::thread::sleep(Duration::from_millis(20));
            let cur = CUR.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some((a, side, t)) = cur {{
                if t.elapsed().as_millis() > hang_ms {{
                    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&out).unwrap();
                    writeln!(f, "HANG\\t{{}}\\t{{:?}}\\t{{}}", side, a, hang_ms).unwrap();
                    std::process::exit(0);
                }}
            }}
        }});
    }}
    fn sample(f: fn(&Args), pool: &[Args], reps: u64) -> f64 {{
        let t = Instant::now();
        for _ in 0..reps {{
            for a in pool {{ f(a) }}
        }}
        t.elapsed().as_nanos() as f64 / (reps as f64 * pool.len() as f64)
    }}
    fn env(k: &str, d: u64) -> u64 {{ std::env::var(k).ok().and_then(|s| s.parse().ok()).unwrap_or(d) }}
    #[test]
    fn timing() {{
        std::panic::set_hook(Box::new(|_| {{}}));
        let out = std::env::var("RUSTA_BENCH_OUT").unwrap();
        let (samples, sample_ms, warm_ms) = (env("RUSTA_BENCH_SAMPLES", 31), env("RUSTA_BENCH_SAMPLE_MS", 10), env("RUSTA_BENCH_WARM_MS", 300));
        let budget_ms = env("RUSTA_BENCH_MS", 10000) as u128;
        let mut rng = Rng(env("RUSTA_BENCH_SEED", 1));
        watchdog(out.clone(), env("RUSTA_BENCH_HANG_MS", 2000) as u128);
        let t0 = Instant::now();
{edges}
        let total = {total};
        let (mut pool, mut dropped, mut k) = (Vec::<Args>::new(), 0usize, 0usize);
        while pool.len() < 64 && k < 512 {{
            let a: Args = if k < total.min(128) {{ ({pick_edge},) }} else {{ ({rand},) }};
            k += 1;
            if ok(&a, "old", call_old) && ok(&a, "new", call_new) {{ pool.push(a) }} else {{ dropped += 1 }}
        }}
        let mut f = std::fs::File::create(&out).unwrap();
        if pool.is_empty() {{
            writeln!(f, "EMPTY\\t{{}}", dropped).unwrap();
            return;
        }}
        let w = Instant::now();
        while w.elapsed().as_millis() < warm_ms as u128 {{
            sample(call_old, &pool, 1);
            sample(call_new, &pool, 1);
            sample(call_control, &pool, 1);
        }}
        let mut reps: u64 = 1;
        loop {{
            let t = Instant::now();
            sample(call_old, &pool, reps);
            sample(call_new, &pool, reps);
            if t.elapsed().as_millis() >= 2 * sample_ms as u128 || reps >= 1 << 30 {{ break; }}
            reps *= 2;
        }}
        let mut done = 0;
        for i in 0..samples {{
            if t0.elapsed().as_millis() > budget_ms && done >= 5 {{ break; }}
            // three sides, each order of the three in turn: no side is always first or last
            let order: [usize; 3] = [[0, 1, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0], [1, 0, 2], [0, 2, 1]][(i % 6) as usize];
            let mut t = [0f64; 3];
            for side in order {{
                t[side] = sample([call_old, call_new, call_control][side], &pool, reps);
            }}
            writeln!(f, "S\\t{{}}\\t{{}}\\t{{}}", t[0], t[1], t[2]).unwrap();
            done += 1;
        }}
        writeln!(f, "DONE\\t{{}}\\t{{}}\\t{{}}\\t{{}}", pool.len(), dropped, reps, t0.elapsed().as_millis()).unwrap();
    }}
}}
"""
