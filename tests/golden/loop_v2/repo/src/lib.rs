pub fn sum_all(v: Vec<u32>) -> u32 {
    let w = v.clone();
    v.iter().sum()
}
