//! A way's tags as a [`super::RoadFilter`] sees them: from osmpbfreader's map, or
//! straight from a block's string table (the roads-only first pass).

use std::borrow::Cow;

use osmpbfreader::Tags;

/// A way's tags, as a [`super::RoadFilter`] sees them.
pub struct WayTags<'a>(TagSource<'a>);

enum TagSource<'a> {
    Tags(&'a Tags),
    /// Straight from a block: the way's key and value indices into the block's
    /// strings, checked to be in range (the first of a repeated key counts, as
    /// osmpbfreader reads it).
    Block {
        keys: &'a [u32],
        vals: &'a [u32],
        strings: &'a [Cow<'a, str>],
    },
}

impl<'a> WayTags<'a> {
    pub(crate) fn of(tags: &'a Tags) -> WayTags<'a> {
        WayTags(TagSource::Tags(tags))
    }

    /// The way's tags in a block; `None` when an index is out of the string table.
    pub(crate) fn in_block(
        keys: &'a [u32],
        vals: &'a [u32],
        strings: &'a [Cow<'a, str>],
    ) -> Option<WayTags<'a>> {
        let n = keys.len().min(vals.len());
        let fits = |i: &[u32]| i[..n].iter().all(|&x| (x as usize) < strings.len());
        (fits(keys) && fits(vals)).then_some(WayTags(TagSource::Block {
            keys: &keys[..n],
            vals: &vals[..n],
            strings,
        }))
    }

    /// The key and value pairs, in the block's order (a repeated key repeats).
    pub(crate) fn pairs(&self) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        match &self.0 {
            TagSource::Tags(t) => Box::new(t.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            TagSource::Block {
                keys,
                vals,
                strings,
            } => Box::new(
                keys.iter()
                    .zip(vals.iter())
                    .map(|(&k, &v)| (strings[k as usize].as_ref(), strings[v as usize].as_ref())),
            ),
        }
    }

    /// The value of `key`, if the way has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        match &self.0 {
            TagSource::Tags(t) => t.get(key).map(|v| v.as_str()),
            TagSource::Block {
                keys,
                vals,
                strings,
            } => keys
                .iter()
                .position(|&k| strings[k as usize] == key)
                .map(|i| strings[vals[i] as usize].as_ref()),
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}
