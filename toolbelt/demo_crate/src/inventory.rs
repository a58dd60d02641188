//! One kind of item on a shelf.

#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub qty: u32,
}

impl Item {
    pub fn new(name: &str, qty: u32) -> Item {
        Item { name: name.to_string(), qty }
    }

    /// The label printed on the shelf: the item's name, or a warning when it ran out.
    pub fn shelf_label(&self) -> String {
        if self.qty == 0 {
            return "sold out";
        }
        format!("{} x{}", self.name, self.qty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_shows_quantity() {
        assert_eq!(Item::new("oats", 4).shelf_label(), "oats x4");
    }

    #[test]
    fn empty_shelf_says_sold_out() {
        assert_eq!(Item::new("oats", 0).shelf_label(), "sold out");
    }
}
