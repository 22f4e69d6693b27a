//! A road's tags in one allocation: an import holds hundreds of thousands of
//! roads with a few tags each, and two `String`s a tag cost four times the text.

use std::fmt;

/// The separator between keys and values in [`RoadTags`]' text; a NUL inside a key
/// or a value (never meaningful in OSM) is replaced by U+FFFD.
const SEP: char = '\0';

/// Key-value pairs sorted by key, a repeated key keeping its first value, stored as
/// `key\0value\0key\0value\0…`.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct RoadTags(Box<str>);

impl RoadTags {
    /// The value of `key`, if the road has it. A profile asks a road for dozens of
    /// keys: the text is walked byte by byte (its parts are a few bytes long) and
    /// the walk stops at the first key past `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        let text = self.0.as_bytes();
        let end_of = |from: usize| {
            text[from..]
                .iter()
                .position(|&c| c == SEP as u8)
                .map(|k| from + k)
        };
        let mut at = 0;
        while at < text.len() {
            let key_end = end_of(at)?;
            let value_end = end_of(key_end + 1)?;
            match text[at..key_end].cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => at = value_end + 1,
                // NUL is one byte: both ends are on character boundaries.
                std::cmp::Ordering::Equal => return Some(&self.0[key_end + 1..value_end]),
                std::cmp::Ordering::Greater => return None,
            }
        }
        None
    }

    /// The pairs, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut parts = self.0.split_terminator(SEP);
        std::iter::from_fn(move || Some((parts.next()?, parts.next()?)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.iter().count()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for RoadTags {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let pairs: Vec<(K, V)> = pairs.into_iter().collect();
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        // Stable: of a repeated key, the first value comes first and stays.
        order.sort_by(|&a, &b| pairs[a].0.as_ref().cmp(pairs[b].0.as_ref()));
        order.dedup_by(|b, a| pairs[*a].0.as_ref() == pairs[*b].0.as_ref());
        let mut text = String::new();
        for i in order {
            for part in [pairs[i].0.as_ref(), pairs[i].1.as_ref()] {
                if part.contains(SEP) {
                    text.push_str(&part.replace(SEP, "\u{fffd}"));
                } else {
                    text.push_str(part);
                }
                text.push(SEP);
            }
        }
        RoadTags(text.into_boxed_str())
    }
}

impl From<Vec<(String, String)>> for RoadTags {
    fn from(pairs: Vec<(String, String)>) -> Self {
        pairs.into_iter().collect()
    }
}

impl fmt::Debug for RoadTags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_come_back_sorted_and_a_repeated_key_keeps_its_first_value() {
        let t: RoadTags = [
            ("oneway", "yes"),
            ("highway", "primary"),
            ("oneway", "no"),
            ("name", ""),
        ]
        .into_iter()
        .collect();
        let pairs: Vec<(&str, &str)> = t.iter().collect();
        assert_eq!(
            pairs,
            [("highway", "primary"), ("name", ""), ("oneway", "yes")]
        );
        assert_eq!(t.get("oneway"), Some("yes"));
        assert_eq!(t.get("name"), Some(""));
        assert_eq!(t.get("maxspeed"), None);
        // Absent keys sorting before, between and after the road's.
        assert_eq!(t.get("access"), None);
        assert_eq!(t.get("highwayx"), None);
        assert_eq!(t.get("zzz"), None);
        assert_eq!(t.get("highwa"), None);
        assert_eq!(t.len(), 3);
        assert!(RoadTags::default().is_empty());
        assert_eq!(RoadTags::default().iter().count(), 0);
    }

    proptest::proptest! {
        /// `get` finds what a plain search of the pairs finds, whatever the keys.
        #[test]
        fn get_agrees_with_the_pairs(
            pairs in proptest::collection::vec(("[a-c:]{0,3}", "[a-z\\x00]{0,3}"), 0..8),
            key in "[a-c:]{0,3}",
        ) {
            let t: RoadTags = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let expected = t.iter().find(|(k, _)| *k == key).map(|(_, v)| v);
            proptest::prop_assert_eq!(t.get(&key), expected);
            let first = pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.replace('\0', "\u{fffd}"));
            proptest::prop_assert_eq!(t.get(&key).map(str::to_string), first);
        }
    }

    #[test]
    fn a_nul_in_a_value_does_not_shift_the_pairs() {
        let t: RoadTags = [("highway", "res\0idential"), ("oneway", "yes")]
            .into_iter()
            .collect();
        assert_eq!(t.get("highway"), Some("res\u{fffd}idential"));
        assert_eq!(t.get("oneway"), Some("yes"));
    }
}
