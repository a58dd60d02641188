//! A small pantry: items on shelves, restocking, and shelf labels.

pub mod inventory;

pub use inventory::Item;

/// All the items in the pantry, in the order they were added.
#[derive(Debug, Default)]
pub struct Pantry {
    items: Vec<Item>,
}

impl Pantry {
    pub fn new() -> Pantry {
        Pantry { items: Vec::new() }
    }

    pub fn add(&mut self, item: Item) {
        self.items.push(item);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds a whole delivery and says how many items it brought.
    pub fn restock(&mut self, delivery: Vec<Item>) -> usize {
        self.items.extend(delivery.clone());
        delivery.len()
    }

    /// Whether exactly this item (same name, same quantity) is on a shelf.
    pub fn contains(&self, wanted: &Item) -> bool {
        self.items.iter().any(|item| item == wanted)
    }

    pub fn names(&self) -> Vec<String> {
        self.items.iter().map(|item| item.name.clone()).collect()
    }
}

/// A pantry with the basics every kitchen needs.
pub fn starter_pantry() -> Pantry {
    let mut pantry = Pantry::new();
    pantry.add(Item::new("salt", 1));
    pantry.add(Item::new("rice", 2));
    pantry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restock_counts_the_delivery() {
        let mut pantry = Pantry::new();
        let added = pantry.restock(vec![Item::new("flour", 1), Item::new("sugar", 3)]);
        assert_eq!(added, 2);
        assert_eq!(pantry.len(), 2);
    }

    #[test]
    fn starter_pantry_has_salt_and_rice() {
        let pantry = starter_pantry();
        assert_eq!(pantry.names(), vec!["salt", "rice"]);
        assert!(pantry.contains(&Item::new("salt", 1)));
        assert!(!pantry.contains(&Item::new("salt", 5)));
    }
}
