"""Regenerate captured.json: real rustc JSON for small programs, one crate each (run by hand, needs cargo).

    python tests/facts/capture.py

Written for this test suite (no reserved corpus): each program shows one general shape of mistake.
"""

import json
import pathlib
import subprocess
import tempfile

HERE = pathlib.Path(__file__).parent
cases = {
    "move_for": 'fn main(){ let v = vec![String::new()]; for s in v { drop(s); } println!("{}", v.len()); }',
    "move_self": 'struct S{v:Vec<u8>} impl S{ fn consume(self)->usize{self.v.len()} } fn main(){ let s=S{v:vec![]}; let a=s.consume(); let b=s.consume(); println!("{a}{b}"); }',
    "move_closure": 'fn main(){ let s=String::from("a"); let f=move || s.len(); println!("{}", s); f(); }',
    "e0507_fn": "fn call<F: Fn()>(f: F){f()} fn main(){ let s=String::new(); call(|| drop(s)); }",
    "e0507_idx": "fn main(){ let v=vec![String::new()]; let s: String = v[0]; drop(s); }",
    "e0507_self": "struct S{name:String} impl S{ fn take(&self)->String{ self.name } } fn main(){}",
    "e0277_bound": 'use std::fmt::Display; fn show<T: Display>(t:T){println!("{t}")} struct P; fn main(){ show(P); }',
    "e0308_ifelse": "fn f(x:bool)->i32{ if x { 1 } } fn main(){ f(true); }",
    "e0308_semi": "fn f()->i32{ 1; } fn main(){ f(); }",
    "e0308_let": 'fn main(){ let x: i32 = "a"; }',
    "e0308_arg": "fn g(s:&str){} fn main(){ let s=String::new(); g(s); }",
    "e0596_iter": "fn main(){ let v=vec![1]; for x in v.iter() { *x += 1; } }",
    "e0596_decl": "fn main(){ let v=Vec::new(); v.push(1); }",
    "e0599": "struct P; fn main(){ let p=P; p.nope(); }",
    "e0599_bound": "fn f<T>(t:T)->T{ t.clone() } fn main(){}",
    "e0502": 'fn main(){ let mut v=vec![1]; let first=&v[0]; v.push(2); println!("{first}"); }',
    "cast": "fn f(x: i32) -> f64 { x } fn main() { f(1); }",
    "cast_binary": "fn f(a: i32, b: i32) -> f64 { a + b } fn main() { f(1, 2); }",
    "cast_arg": "fn half(x: f64) -> f64 { x / 2.0 } fn main() { let n: usize = 3; half(n); }",
    "to_path_buf": "use std::path::{Path, PathBuf}; fn f(p: &Path) -> PathBuf { p } fn main() {}",
    "to_string": 'fn name() -> String { "rusta" } fn main() { name(); }',
    "as_str": "fn shout(s: &str) -> usize { s.len() } fn main() { let s = String::new(); shout(s); }",
    "as_ref": "fn first(o: &Option<String>) -> Option<&String> { o } fn main() {}",
    "question": "fn p(s: &str) -> Result<i32, std::num::ParseIntError> { let n: i32 = s.parse::<i32>(); Ok(n) } fn main() {}",
    "some": "fn f(x: i32) -> Option<i32> { x } fn main() {}",
    "deref": "fn f(x: &i32) -> i32 { x } fn main() {}",
    "to_vec": "fn f(v: &[u8]) -> Vec<u8> { v } fn main() {}",
    "trait_mut_self": "trait T { fn inc(&mut self); } struct S(u8); impl T for S { fn inc(&self) {} } fn main() {}",
    "param_mut": "fn push(v: &Vec<i32>) { v.push(1); } fn main() {}",
    "move_idx_match": "enum E { A(String) } fn f(v: &Vec<E>) -> usize { match v[0] { E::A(s) => s.len() } } fn main() {}",
    "question_use": "use std::io::{self, BufRead}; pub fn first(r: &mut dyn BufRead) -> io::Result<usize> { let buf = r.fill_buf(); if buf.is_empty() { return Ok(0); } Ok(buf.len()) } fn main() {}",
    "to_string_use": 'fn keep(s: String) -> usize { s.len() } fn main() { let name = "rusta"; keep(name); }',
    "method_move": '#[derive(Clone)] struct C { n: String } impl C { fn into_s(self) -> String { self.n } } fn main() { let c = C { n: String::new() }; let s = c.into_s(); println!("{s}{}", c.n); }',
    "stray_semi_type": "fn avg(xs: &[f64]) -> f64 { let s: f64 = xs.iter().sum(); s / xs.len() as f64; } fn main() {}",
    "fn_item": "fn double(x: i32) -> i32 { x * 2 } fn square(x: i32) -> i32 { x * x } fn main() { let mut op = double; op = square; op(1); }",
    "option_ref": 'use std::collections::HashMap; fn main() { let m: HashMap<&str, u32> = HashMap::new(); let a: u32 = m.get("a"); println!("{a}"); }',
    "copy_point": '#[derive(Debug)]\nstruct Pt { x: i32, y: i32 }\nfn show(p: Pt) -> i32 { p.x + p.y }\nfn main() { let p = Pt { x: 1, y: 2 }; show(p); println!("{:?}", p); }',
    "copy_string": '#[derive(Debug)]\nstruct Named { name: String }\nfn show(n: Named) -> usize { n.name.len() }\nfn main() { let n = Named { name: String::new() }; show(n); println!("{:?}", n); }',
    "str_field": 'pub struct User {\n    pub name: &str,\n    pub age: u32,\n}\nfn main() { let u = User { name: "a", age: 1 }; println!("{}", u.age); }',
    "await_missing": "async fn count() -> u32 { 42 } async fn twice() -> u32 { let n: u32 = count(); n * 2 } fn main() {}",
    "bound_generic": 'use std::fmt::Display;\nfn render<T: Display>(x: T) -> String { format!("<{x}>") }\npub fn all<T>(items: Vec<T>) -> Vec<String> { items.into_iter().map(|x| render(x)).collect() }\nfn main() {}',
    "return_local": 'pub fn greeting(name: &str) -> &str {\n    let s = format!("Hello, {name}!");\n    &s\n}\nfn main() { greeting("a"); }',
    "twin_iter": 'fn main(){ let scores = vec![1, 2]; let d: Vec<i32> = scores.into_iter().map(|s| s * 2).collect(); let t: i32 = scores.iter().sum(); println!("{d:?}{t}"); }',
    "twin_keys": 'use std::collections::HashMap; fn main(){ let m: HashMap<String, u8> = HashMap::new(); let n = m.into_keys().count(); println!("{n} {}", m.len()); }',
    "e0382_field": '#[derive(Debug)] struct A{n:String} fn main(){ let a=A{n:String::new()}; let b=a; println!("{:?}",a); drop(b); }',
}
out = {}
tmp = pathlib.Path(tempfile.mkdtemp())
for name, src in cases.items():
    d = tmp / name
    (d / "src").mkdir(parents=True, exist_ok=True)
    (d / "Cargo.toml").write_text(f'[package]\nname="{name}"\nversion="0.1.0"\nedition="2021"\n')
    (d / "src/main.rs").write_text(src + "\n")
    p = subprocess.run(
        ["cargo", "check", "--message-format=json", "-q"], cwd=d, capture_output=True, text=True
    )
    msgs = [
        json.loads(line)["message"]
        for line in p.stdout.splitlines()
        if line.startswith("{") and json.loads(line).get("reason") == "compiler-message"
    ]
    out[name] = {"source": src + "\n", "diagnostics": [m for m in msgs if m["level"] == "error"]}
(HERE / "captured.json").write_text(json.dumps(out, indent=0))
