//! Price statistics for the pantry: totals and averages in cents.

/// The sum of all prices, in cents.
pub fn total(prices: &[u64]) -> u64 {
    let mut sum = 0;
    for price in prices {
        sum += price;
    }
    sum
}

/// The average price in cents, or `None` for an empty list.
pub fn average(prices: &[u64]) -> Option<u64> {
    if prices.is_empty() {
        return None;
    }
    Some(total(prices) / prices.len() as u64)
}

/// The lowest price, or `None` for an empty list.
pub fn cheapest(prices: &[u64]) -> Option<u64> {
    prices.iter().copied().min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_adds_everything() {
        assert_eq!(total(&[150, 250, 99]), 499);
    }

    #[test]
    fn average_of_nothing_is_none() {
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[100, 300]), Some(200));
    }

    #[test]
    fn cheapest_finds_the_minimum() {
        assert_eq!(cheapest(&[250, 99, 150]), Some(99));
        assert_eq!(cheapest(&[]), None);
    }
}
