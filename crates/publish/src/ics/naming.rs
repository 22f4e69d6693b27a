//! Names that must stay the same from one plan to the next: the calendar file
//! name of a commune and the `UID` of a stop series.

use std::collections::{BTreeMap, BTreeSet};

use tournee_model::{OsmRef, Plan, TimeOfDay, Weekday};

/// A file-name-safe version of a commune name: lowercase ASCII, accents stripped,
/// anything else becomes `-` ("Saint-Aubin-sur-Lize" → "saint-aubin-sur-lize",
/// "L'Île-d'Olonne" → "l-ile-d-olonne").
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let ascii = ascii_of(c);
        let chars = if ascii.is_empty() { "-" } else { ascii };
        for a in chars.chars() {
            if a != '-' || !(out.is_empty() || out.ends_with('-')) {
                out.push(a);
            }
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "commune".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The file stem of every commune that hosts a visit: its [`slug`], made unique
/// among the plan's communes (taken in name order) by a `-2`, `-3`… suffix. Every
/// per-commune output (calendar, sheet, panel text) uses the same stem.
pub fn commune_stems(plan: &Plan) -> BTreeMap<String, String> {
    let communes: BTreeSet<&str> = plan.visits().map(|(_, v)| v.commune.as_str()).collect();
    let mut used = BTreeSet::new();
    communes
        .into_iter()
        .map(|c| (c.to_string(), unique_stem(slug(c), &mut used)))
        .collect()
}

fn unique_stem(base: String, used: &mut BTreeSet<String>) -> String {
    let mut stem = base.clone();
    let mut n = 2;
    while used.contains(&stem) {
        stem = format!("{base}-{n}");
        n += 1;
    }
    used.insert(stem.clone());
    stem
}

/// The ASCII letters of a lowercase character, or "" when it has none.
pub(crate) fn ascii_of(c: char) -> &'static str {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    if c.is_ascii_alphanumeric() {
        let i = LETTERS.find(c).expect("lowercase ASCII alphanumeric");
        return &LETTERS[i..i + 1];
    }
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'ø' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ç' => "c",
        'ñ' => "n",
        'ÿ' | 'ý' => "y",
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        _ => "",
    }
}

/// 64-bit FNV-1a: a hash fixed by its definition, the same on every platform and
/// Rust version (unlike `std`'s hashers).
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The `UID` of the series of visits at one site, weekday and slot of a commune.
/// It depends on nothing else, so a re-plan that keeps the stop keeps the UID and
/// subscribed calendars update the event in place.
pub fn stop_uid(commune: &str, site: OsmRef, weekday: Weekday, slot: &str) -> String {
    let key = format!("{commune}\u{1f}{site}\u{1f}{weekday}\u{1f}{slot}");
    format!("{:016x}-{}@tournee", fnv1a(&key), weekday)
}

/// The `UID` of visits of a stop at other hours than most of its visits (a
/// hand-edited plan): the stop's key and the hours.
pub fn stop_uid_at(
    commune: &str,
    site: OsmRef,
    weekday: Weekday,
    slot: &str,
    start: TimeOfDay,
    end: TimeOfDay,
) -> String {
    let key = format!("{commune}\u{1f}{site}\u{1f}{weekday}\u{1f}{slot}\u{1f}{start}\u{1f}{end}");
    format!("{:016x}-{}@tournee", fnv1a(&key), weekday)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(slug("Saint-Aubin-sur-Lize"), "saint-aubin-sur-lize");
        assert_eq!(slug("Écœuré l'Été"), "ecoeure-l-ete");
        assert_eq!(slug("L'Île-d'Olonne"), "l-ile-d-olonne");
        assert_eq!(slug("  Œuilly  "), "oeuilly");
        assert_eq!(slug("///"), "commune");
    }

    #[test]
    fn communes_with_the_same_slug_get_distinct_files() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_stem(slug("Saint-Éloi"), &mut used), "saint-eloi");
        assert_eq!(unique_stem(slug("Saint Eloi"), &mut used), "saint-eloi-2");
        assert_eq!(unique_stem(slug("SAINT-ÉLOI"), &mut used), "saint-eloi-3");
    }

    #[test]
    fn fnv1a_matches_its_reference_values() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn uid_depends_on_every_part_of_the_stop() {
        let site = OsmRef::node(1);
        let base = stop_uid("Aubeterre", site, Weekday::Tue, "matin");
        assert_eq!(base, stop_uid("Aubeterre", site, Weekday::Tue, "matin"));
        assert_ne!(
            base,
            stop_uid("Aubeterre", OsmRef::node(2), Weekday::Tue, "matin")
        );
        assert_ne!(base, stop_uid("Aubeterre", site, Weekday::Wed, "matin"));
        assert_ne!(
            base,
            stop_uid("Aubeterre", site, Weekday::Tue, "après-midi")
        );
        assert_ne!(base, stop_uid("Bors", site, Weekday::Tue, "matin"));
    }
}
