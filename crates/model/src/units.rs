//! Units as newtypes. Travel times are whole seconds and distances whole metres, as
//! in OSRM's tables; populations are whole inhabitants.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

macro_rules! unit {
    ($name:ident, $suffix:literal) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            Default,
            Serialize,
            Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            pub const ZERO: $name = $name(0);
            pub const MAX: $name = $name(u32::MAX);
            pub fn saturating_add(self, other: $name) -> $name {
                $name(self.0.saturating_add(other.0))
            }
        }
        impl Add for $name {
            type Output = $name;
            fn add(self, o: $name) -> $name {
                $name(self.0 + o.0)
            }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, o: $name) {
                self.0 += o.0;
            }
        }
        impl Sub for $name {
            type Output = $name;
            fn sub(self, o: $name) -> $name {
                $name(self.0 - o.0)
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}{}", self.0, $suffix)
            }
        }
    };
}

unit!(Seconds, " s");
unit!(Meters, " m");
unit!(Population, " inhabitants");

impl Seconds {
    pub fn from_minutes(m: u32) -> Seconds {
        Seconds(m * 60)
    }
    pub fn as_minutes_f64(self) -> f64 {
        self.0 as f64 / 60.0
    }
    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / 3600.0
    }
}

impl Meters {
    pub fn as_km_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}
