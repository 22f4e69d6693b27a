//! The cost every search compares and adds ([`Packed`]): restricted entries, then
//! weight, then time, then length, in one 96-bit number whose integer order is that
//! lexicographic order, so that every engine returns the same time *and* distance
//! for every cell ([`crate::table`]).

use std::ops::{Add, Sub};

/// A cost: `entries << 88 | weight_ds << 64 | time_ds << 32 | dist_dm`, 96 bits
/// kept in 12 bytes (4-byte aligned: a `(u32, Packed)` list entry takes 16).
///
/// - **entries** (8 bits): entries into restricted segments ([`crate::turns`]);
/// - **weight** (24 bits, deciseconds — 466 hours): OSRM's routability, the time as
///   the route choice sees it ([`crate::profile::routability`]);
/// - **time** (32 bits, deciseconds; each piece below 2²⁴) and **length** (32 bits,
///   decimetres): what a table reports.
///
/// Sums saturate at [`INF`] (a path forced through more than 255 restricted areas
/// counts as unreachable rather than overflowing).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(C, packed(4))]
pub(crate) struct Packed {
    hi: u64,
    lo: u32,
}

/// The largest cost: unreachable.
pub(crate) const INF: Packed = Packed {
    hi: u64::MAX,
    lo: u32::MAX,
};

/// No cost.
pub(crate) const ZERO: Packed = Packed { hi: 0, lo: 0 };

/// One entry into a restricted segment, as a cost: above any weight.
pub(crate) const ENTRY: Packed = Packed { hi: 1 << 56, lo: 0 };

/// The largest weight or time one piece of a cost may carry (466 hours).
const PIECE_MAX: u32 = (1 << 24) - 1;

const WIDE_MAX: u128 = (1 << 96) - 1;

impl Packed {
    fn wide(self) -> u128 {
        ((self.hi as u128) << 32) | self.lo as u128
    }

    fn narrow(w: u128) -> Packed {
        if w >= WIDE_MAX {
            return INF;
        }
        Packed {
            hi: (w >> 32) as u64,
            lo: w as u32,
        }
    }

    /// The sum, [`INF`] when it does not fit.
    #[inline]
    pub(crate) fn saturating_add(self, other: Packed) -> Packed {
        let lo = u64::from(self.lo) + u64::from(other.lo);
        match self
            .hi
            .checked_add(other.hi)
            .and_then(|h| h.checked_add(lo >> 32))
        {
            Some(hi) => Packed { hi, lo: lo as u32 },
            None => INF,
        }
    }

    /// `n` entries.
    pub(crate) const fn entries(n: u8) -> Packed {
        Packed {
            hi: (n as u64) << 56,
            lo: 0,
        }
    }
}

impl Add for Packed {
    type Output = Packed;
    /// Saturating, as [`Packed::saturating_add`].
    fn add(self, other: Packed) -> Packed {
        self.saturating_add(other)
    }
}

impl std::ops::AddAssign for Packed {
    fn add_assign(&mut self, other: Packed) {
        *self = *self + other;
    }
}

impl Sub for Packed {
    type Output = Packed;
    /// The difference of two sums along one path (never negative).
    fn sub(self, other: Packed) -> Packed {
        Packed::narrow(self.wide() - other.wide())
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == INF {
            return write!(f, "INF");
        }
        let (t, d) = unpack(*self);
        write!(f, "{}e/{}w/{}t/{}d", self.hi >> 56, weight_of(*self), t, d)
    }
}

/// The cost of weight `weight_ds`, time `time_ds` and length `dist_dm`.
pub(crate) fn pack(weight_ds: u32, time_ds: u32, dist_dm: u32) -> Packed {
    Packed {
        hi: ((weight_ds.min(PIECE_MAX) as u64) << 32) | time_ds.min(PIECE_MAX) as u64,
        lo: dist_dm,
    }
}

/// The time (ds) and length (dm) of a cost; its entries and weight do not count.
pub(crate) fn unpack(w: Packed) -> (u32, u32) {
    (time_of(w) as u32, w.lo)
}

/// The time of a cost, in deciseconds.
pub(crate) fn time_of(w: Packed) -> u64 {
    w.hi as u32 as u64
}

/// The weight of a cost, in deciseconds.
fn weight_of(w: Packed) -> u32 {
    ((w.hi >> 32) as u32) & PIECE_MAX
}

/// The part `f` (0 to 1) of a segment's cost `c` (no entry): each of its weight, time
/// and length scaled and rounded.
pub(crate) fn part(c: Packed, f: f64) -> Packed {
    let scale = |x: u32| (x as f64 * f).round() as u32;
    let (t, d) = unpack(c);
    pack(scale(weight_of(c)), scale(t), scale(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_entries_then_weight_then_time_then_length() {
        let ordered = [
            ZERO,
            pack(0, 0, 5),
            pack(0, 1, 0),
            pack(1, 0, 0),
            pack(1, 0, u32::MAX),
            pack(PIECE_MAX, PIECE_MAX, u32::MAX),
            ENTRY,
            ENTRY + pack(1, 1, 1),
            Packed::entries(255) + pack(PIECE_MAX, PIECE_MAX, 0),
            INF,
        ];
        for w in ordered.windows(2) {
            assert!(w[0] < w[1], "{:?} < {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn sums_carry_and_saturate() {
        let a = pack(10, 20, u32::MAX);
        // The length's carry goes into the time, as in one 96-bit number.
        assert_eq!(unpack(a + pack(0, 0, 1)), (21, 0));
        assert_eq!(unpack(a + pack(5, 5, 5)), (26, 4));
        assert_eq!(Packed::entries(255) + ENTRY, INF);
        assert_eq!(INF + ZERO, INF);
        assert_eq!((a + pack(1, 2, 3)) - a, pack(1, 2, 3));
        assert_eq!(part(pack(10, 20, 30), 0.5), pack(5, 10, 15));
    }
}
