//! The one catalogue of every message Tournée shows its users, in Fluent's format
//! (`locales/<lang>/*.ftl`, read with the `fluent-bundle` crate), French by default.
//!
//! - [`tr!`]`("key", name = value, …)` formats a message in the current language;
//! - the language is chosen once, at start-up ([`set_lang`], e.g. from `--lang` or
//!   [`Lang::from_env`]); [`with_lang`] overrides it on one thread (tests, a request);
//! - numbers that users read with decimals go through [`decimal`] (`12,5` in French).
//!
//! Keys are grouped by area, one file per area and language (`cli.ftl`, `check.ftl`,
//! `pipeline.ftl`…), all loaded into one bundle per language: a key is unique across
//! the files, and every key exists in every language with the same arguments (tested).
//! A message missing from English falls back to French; a key missing everywhere is
//! shown as itself (and fails the catalogue test).

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language Tournée speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The language of a tag such as `fr`, `en`, `en_GB.UTF-8`, `fr-FR`; `None` for
    /// any other.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        let base = t.split(['_', '-', '.', '@']).next().unwrap_or("");
        match base {
            "fr" | "french" | "français" | "francais" => Some(Lang::Fr),
            "en" | "english" | "anglais" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the environment: `TOURNEE_LANG`, then `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` as POSIX orders them (the first one set decides);
    /// English when it is English, French otherwise (`C`, `POSIX`, unset, any other
    /// language).
    pub fn from_env() -> Lang {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] over any source of variables.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(l) = var("TOURNEE_LANG").and_then(|v| Lang::from_tag(&v)) {
            return l;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .and_then(|v| Lang::from_tag(&v))
            .unwrap_or(Lang::Fr)
    }

    /// `fr` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    fn index(self) -> u8 {
        match self {
            Lang::Fr => 0,
            Lang::En => 1,
        }
    }

    fn from_index(i: u8) -> Lang {
        if i == 1 {
            Lang::En
        } else {
            Lang::Fr
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::from_tag(s).ok_or_else(|| format!("{s}: fr | en"))
    }
}

static GLOBAL: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Chooses the language of every message of the process (once, at start-up).
pub fn set_lang(lang: Lang) {
    GLOBAL.store(lang.index(), Ordering::Relaxed);
}

/// The language messages are formatted in on this thread.
pub fn lang() -> Lang {
    OVERRIDE
        .with(Cell::get)
        .unwrap_or_else(|| Lang::from_index(GLOBAL.load(Ordering::Relaxed)))
}

/// Runs `f` with messages in `lang` on this thread (the previous choice is restored
/// after, even on panic).
pub fn with_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|c| c.replace(Some(lang))));
    f()
}

/// The catalogue files, per language, in load order.
macro_rules! catalogue {
    ($($area:literal),* $(,)?) => {
        /// (area, French text, English text) of every catalogue file.
        pub const FILES: &[(&str, &str, &str)] = &[$(
            (
                $area,
                include_str!(concat!("../locales/fr/", $area, ".ftl")),
                include_str!(concat!("../locales/en/", $area, ".ftl")),
            ),
        )*];
    };
}

catalogue!(
    "common", "cli", "cli-help", "matrix", "check", "pipeline", "scenario", "osm", "server",
    "solver", "rules"
);

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| Lang::ALL.map(build))
}

/// One language's bundle. Errors in the files are the catalogue test's to report;
/// here a message that does not parse is left out (and falls back).
fn build(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for (_, fr, en) in FILES {
        let text = if lang == Lang::Fr { fr } else { en };
        let resource = match FluentResource::try_new(text.to_string()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// A value given to a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Str(s.clone())
    }
}
impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Arg {
        Arg::Str(s.into_owned())
    }
}
impl From<&std::path::Path> for Arg {
    fn from(p: &std::path::Path) -> Arg {
        Arg::Str(p.display().to_string())
    }
}
impl From<&std::path::PathBuf> for Arg {
    fn from(p: &std::path::PathBuf) -> Arg {
        Arg::Str(p.display().to_string())
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Num(n as f64)
            }
        }
        impl From<&$t> for Arg {
            fn from(n: &$t) -> Arg {
                Arg::Num(*n as f64)
            }
        }
    )*};
}
num_arg!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, f32);

impl From<f64> for Arg {
    fn from(n: f64) -> Arg {
        Arg::Num(n)
    }
}
impl From<&f64> for Arg {
    fn from(n: &f64) -> Arg {
        Arg::Num(*n)
    }
}

/// The message `key` with `args`, in the current language ([`lang`]).
pub fn message(key: &str, args: &[(&str, Arg)]) -> String {
    message_in(lang(), key, args)
}

/// The message `key` with `args`, in `lang`; in French when English lacks it; the
/// key itself when no language has it.
pub fn message_in(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let all = bundles();
    let order = [lang, Lang::Fr];
    for l in order {
        let bundle = &all[l.index() as usize];
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fargs.set(*name, FluentValue::from(s.as_str())),
                Arg::Num(n) => fargs.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        return text.into_owned();
    }
    key.to_string()
}

/// Whether the catalogue has `key` in `lang` (for tests of dynamic keys).
pub fn has(lang: Lang, key: &str) -> bool {
    bundles()[lang.index() as usize].has_message(key)
}

/// `x` with `places` decimals, with the current language's decimal separator
/// (`12,5` in French, `12.5` in English).
pub fn decimal(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match lang() {
        Lang::Fr => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Why a file operation failed, in the user's language (the system's own text, in
/// English, only for kinds the catalogue does not name).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let key = match e.kind() {
        K::NotFound => "io-not-found",
        K::PermissionDenied => "io-permission-denied",
        K::AlreadyExists => "io-already-exists",
        K::InvalidData => "io-invalid-data",
        K::UnexpectedEof => "io-unexpected-eof",
        K::IsADirectory => "io-is-a-directory",
        K::NotADirectory => "io-not-a-directory",
        K::StorageFull => "io-storage-full",
        K::ReadOnlyFilesystem => "io-read-only",
        _ => return e.to_string(),
    };
    message(key, &[])
}

/// A message of serde (the TOML and JSON readers: unknown or missing field, invalid
/// type or value…) in the user's language; other messages as they are.
pub fn serde_message(msg: &str) -> String {
    let msg = msg.trim();
    let tail = |prefix: &str| msg.strip_prefix(prefix);
    // "unknown field `x`, expected one of `a`, `b`" / "…, expected `a`" /
    // "…, there are no fields"; the same for variants.
    for (prefix, kind) in [("unknown field ", "field"), ("unknown variant ", "variant")] {
        if let Some(rest) = tail(prefix) {
            let (name, expected) = match rest.split_once(", expected one of ") {
                Some((n, e)) => (n, Some(e)),
                None => match rest.split_once(", expected ") {
                    Some((n, e)) => (n, Some(e)),
                    None => (rest.split(", ").next().unwrap_or(rest), None),
                },
            };
            let args = [
                ("name", Arg::from(name)),
                ("expected", Arg::from(expected.unwrap_or(""))),
            ];
            return match (kind, expected) {
                ("field", Some(_)) => message("serde-unknown-field", &args),
                ("field", None) => message("serde-no-fields", &args),
                (_, Some(_)) => message("serde-unknown-variant", &args),
                _ => message("serde-unknown-variant-none", &args),
            };
        }
    }
    if let Some(name) = tail("missing field ") {
        return message("serde-missing-field", &[("name", Arg::from(name))]);
    }
    if let Some(name) = tail("duplicate field ") {
        return message("serde-duplicate-field", &[("name", Arg::from(name))]);
    }
    for (prefix, key) in [
        ("invalid type: ", "serde-invalid-type"),
        ("invalid value: ", "serde-invalid-value"),
        ("invalid length ", "serde-invalid-length"),
    ] {
        if let Some(rest) = tail(prefix) {
            if let Some((found, expected)) = rest.split_once(", expected ") {
                return message(
                    key,
                    &[
                        ("found", Arg::from(found)),
                        ("expected", Arg::from(expected)),
                    ],
                );
            }
        }
    }
    msg.to_string()
}

/// Formats a message of the catalogue in the current language:
/// `tr!("cli-wrote", files = n, folder = out.display().to_string())`.
/// Arguments are strings or numbers (numbers select plural forms).
#[macro_export]
macro_rules! tr {
    ($key:expr $(,)?) => {
        $crate::message($key, &[])
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::message($key, &[$((stringify!($name), $crate::Arg::from($value))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_by_default_english_on_request() {
        assert_eq!(with_lang(Lang::Fr, || tr!("common-yes")), "oui");
        assert_eq!(with_lang(Lang::En, || tr!("common-yes")), "yes");
        // An override ends with its closure.
        with_lang(Lang::En, || {
            with_lang(Lang::Fr, || assert_eq!(lang(), Lang::Fr));
            assert_eq!(lang(), Lang::En);
        });
    }

    #[test]
    fn environment_picks_english_only_when_asked() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_vars(vars(&[])), Lang::Fr);
        assert_eq!(Lang::from_vars(vars(&[("LANG", "C.UTF-8")])), Lang::Fr);
        assert_eq!(Lang::from_vars(vars(&[("LANG", "fr_FR.UTF-8")])), Lang::Fr);
        assert_eq!(Lang::from_vars(vars(&[("LANG", "en_GB.UTF-8")])), Lang::En);
        assert_eq!(
            Lang::from_vars(vars(&[("LANG", "en_GB.UTF-8"), ("LC_ALL", "fr_FR")])),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_vars(vars(&[("LANG", "fr_FR"), ("TOURNEE_LANG", "en")])),
            Lang::En
        );
        assert_eq!(Lang::from_tag("de_DE"), None);
    }

    #[test]
    fn plurals_and_decimals_follow_the_language() {
        let n = |lang, n: usize| with_lang(lang, || tr!("common-violations", count = n));
        assert_eq!(n(Lang::Fr, 1), "1 anomalie");
        assert_eq!(n(Lang::Fr, 0), "0 anomalie");
        assert_eq!(n(Lang::Fr, 2), "2 anomalies");
        assert_eq!(n(Lang::En, 1), "1 violation");
        assert_eq!(n(Lang::En, 0), "0 violations");
        assert_eq!(with_lang(Lang::Fr, || decimal(12.46, 1)), "12,5");
        assert_eq!(with_lang(Lang::En, || decimal(12.46, 1)), "12.5");
    }

    #[test]
    fn serde_messages_are_translated() {
        let fr = |m: &str| with_lang(Lang::Fr, || serde_message(m));
        assert_eq!(
            fr("unknown field `cylce`, expected one of `name`, `cycle_weeks`"),
            "champ inconnu `cylce` ; les champs possibles ici : `name`, `cycle_weeks`"
        );
        assert_eq!(
            fr("missing field `name`"),
            "champ obligatoire manquant : `name`"
        );
        assert!(fr("invalid type: string \"x\", expected u32").starts_with("type invalide"));
        assert_eq!(fr("something else"), "something else");
        assert_eq!(
            with_lang(Lang::En, || serde_message("missing field `name`")),
            "missing field `name`"
        );
    }

    #[test]
    fn a_missing_key_shows_itself() {
        assert_eq!(tr!("no-such-key"), "no-such-key");
    }
}
