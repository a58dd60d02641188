"""Fixture programs that several test files run, each written once.

A program lives here only when two tests need the very same crate; one that differs in what it tests
(another test, another shape of the mistake) stays in its test file.
"""

from __future__ import annotations

# a cursor moves a non-`Copy` song out of `self.songs[self.cur]` (E0507) and then advances past it:
# `remove(self.cur)` compiles but skips the next song, which the crate's test sees
PLAYLIST = """\
#[derive(Debug, Clone, PartialEq)]
pub struct Song {
    pub title: String,
}

pub struct Playlist {
    songs: Vec<Song>,
    cur: usize,
}

impl Playlist {
    pub fn new(titles: &[&str]) -> Self {
        let songs = titles.iter().map(|t| Song { title: t.to_string() }).collect();
        Playlist { songs, cur: 0 }
    }

    pub fn next(&mut self) -> Option<Song> {
        if self.cur >= self.songs.len() {
            return None;
        }
        let song = self.songs[self.cur];
        self.cur += 1;
        Some(song)
    }

    pub fn len(&self) -> usize {
        self.songs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_all_and_keeps_them() {
        let mut p = Playlist::new(&["a", "b", "c"]);
        let mut played = Vec::new();
        while let Some(s) = p.next() {
            played.push(s.title);
        }
        assert_eq!(played, vec!["a", "b", "c"]);
        assert_eq!(p.len(), 3);
    }
}
"""


# a closure handed to `find_map` returns a method's result, borrowed (by elision from `&self`) from a
# local (E0373, "closure is returned here"); no thread is anywhere
SHELF = """pub struct Shelf<'d> {
    names: &'d [String],
}

impl<'d> Shelf<'d> {
    pub fn name(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(|s| s.as_str())
    }
}

pub fn first_named<'d>(names: &'d [String], slots: &[usize]) -> Option<&'d str> {
    let shelf = Shelf { names };
    slots.iter().find_map(|i| shelf.name(*i))
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds() {
        let names = vec!["a".to_string(), "b".to_string()];
        assert_eq!(super::first_named(&names, &[7, 1]), Some("b"));
    }
}
"""

# a private field read four times (two of them on one line) and a private fn called three times from
# outside their module: the groups of E0616/E0603 stories, and fixes that only type-check while the
# other errors stand
SHOP = """\
pub mod shop {
    pub struct Cart {
        total: u32,
    }

    impl Cart {
        pub fn empty() -> Cart {
            Cart { total: 0 }
        }
    }

    fn tax(n: u32) -> u32 {
        n / 10
    }
}

pub fn report(c: &shop::Cart) -> u32 {
    let a = c.total + 1;
    let b = c.total * 2;
    let t = shop::tax(a) + shop::tax(b);
    a + b + c.total + t + shop::tax(c.total)
}
"""

# a loop spawning threads over a `Vec<&str>`: a fix clones the vector of references, and `move` plus
# that clone still borrows `text` (E0521 stays on the `spawn` the fix rewrote)
LENGTHS = """use std::thread;

pub fn lengths(text: &str) -> Vec<usize> {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = Vec::new();
    for i in 0..words.len() {
        out.push(thread::spawn(|| words[i].len()).join().unwrap());
    }
    out
}
"""
