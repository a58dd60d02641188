pub fn total(v: Vec<u32>) -> u32 {
    let w = v;
    v.iter().sum()
}
// 29
