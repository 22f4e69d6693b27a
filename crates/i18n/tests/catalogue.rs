//! The catalogue is whole: every file parses, no key is defined twice, French and
//! English have the same keys with the same arguments, and every key the code asks
//! for with `tr!("…")` exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
use tournee_i18n::{Lang, FILES};

/// key → the variables its text uses, of one language's files.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (area, fr, en) in FILES {
        let text = if lang == Lang::Fr { fr } else { en };
        let mut current: Option<String> = None;
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !line.starts_with(' ') && !line.starts_with('}') {
                let (key, _) = line
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{lang}/{area}.ftl: not a message: {line}"));
                let key = key.trim().to_string();
                assert!(
                    out.insert(key.clone(), BTreeSet::new()).is_none(),
                    "{lang}/{area}.ftl: {key} is defined twice"
                );
                current = Some(key);
            }
            let key = current.as_ref().expect("a message first");
            let vars = out.get_mut(key).expect("inserted");
            let mut rest = line;
            while let Some(i) = rest.find('$') {
                let name: String = rest[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                vars.insert(name);
                rest = &rest[i + 1..];
            }
        }
    }
    out
}

#[test]
fn every_file_parses_into_one_bundle_per_language() {
    for lang in Lang::ALL {
        let mut bundle = FluentBundle::new_concurrent(vec![lang
            .code()
            .parse::<unic_langid::LanguageIdentifier>()
            .expect("a language tag")]);
        for (area, fr, en) in FILES {
            let text = if lang == Lang::Fr { fr } else { en };
            let resource = FluentResource::try_new(text.to_string())
                .unwrap_or_else(|(_, e)| panic!("{lang}/{area}.ftl does not parse: {e:?}"));
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("{lang}/{area}.ftl: {e:?}"));
        }
    }
}

#[test]
fn french_and_english_have_the_same_keys_and_arguments() {
    let fr = messages(Lang::Fr);
    let en = messages(Lang::En);
    let only_fr: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
    assert!(only_fr.is_empty(), "only in French: {only_fr:?}");
    assert!(only_en.is_empty(), "only in English: {only_en:?}");
    for (key, vars) in &fr {
        assert_eq!(vars, &en[key], "{key}: the languages use other arguments");
    }
    // And every message formats in both languages.
    for key in fr.keys() {
        for lang in Lang::ALL {
            assert!(tournee_i18n::has(lang, key), "{lang}: {key} not loaded");
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_key_the_code_asks_for_exists() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&crates, &mut files);
    assert!(files.len() > 20, "no sources under {}", crates.display());
    let fr = messages(Lang::Fr);
    let mut asked = 0;
    let mut missing = Vec::new();
    for f in files {
        if f.ends_with("i18n/src/lib.rs") || f.ends_with("i18n/tests/catalogue.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("readable source");
        for (i, _) in text.match_indices("tr!(") {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // include_str!( and the like
            }
            let rest = text[i + 4..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue; // a key computed at run time
            };
            let key = &rest[..rest.find('"').unwrap_or(0)];
            asked += 1;
            if !fr.contains_key(key) {
                missing.push(format!("{}: {key}", f.display()));
            }
        }
    }
    assert!(asked > 50, "only {asked} tr! calls found");
    assert!(
        missing.is_empty(),
        "keys not in the catalogue: {missing:#?}"
    );
}
