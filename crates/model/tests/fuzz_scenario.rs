//! Fuzzing the scenario parser (in CI, bounded): 1,000 damaged copies of the
//! commented demo scenario — bytes overwritten, lines dropped or repeated, numbers
//! replaced by absurd ones, the text cut — are parsed. None may panic, and every
//! error says something.

use proptest::prelude::*;
use tournee_model::Scenario;

fn demo() -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/demo.toml");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[derive(Debug, Clone)]
enum Damage {
    /// Replace one number of the text by this one.
    Number(usize, String),
    DropLine(usize),
    RepeatLine(usize),
    Bytes(usize, Vec<u8>),
    Cut(usize),
}

fn absurd_number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-0".to_string()),
        Just("99999999999999999999".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
    ]
}

fn damage() -> impl Strategy<Value = Vec<Damage>> {
    let one = prop_oneof![
        (any::<usize>(), absurd_number()).prop_map(|(i, n)| Damage::Number(i, n)),
        any::<usize>().prop_map(Damage::DropLine),
        any::<usize>().prop_map(Damage::RepeatLine),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(i, b)| Damage::Bytes(i, b)),
        any::<usize>().prop_map(Damage::Cut),
    ];
    proptest::collection::vec(one, 1..4)
}

fn apply(text: &str, damages: &[Damage]) -> String {
    let mut text = text.to_string();
    for d in damages {
        match d {
            Damage::Number(i, n) => {
                let spans: Vec<(usize, usize)> = {
                    let b = text.as_bytes();
                    let mut v = Vec::new();
                    let mut k = 0;
                    while k < b.len() {
                        if b[k].is_ascii_digit() && (k == 0 || !b[k - 1].is_ascii_alphanumeric()) {
                            let s = k;
                            while k < b.len() && (b[k].is_ascii_digit() || b[k] == b'.') {
                                k += 1;
                            }
                            v.push((s, k));
                        } else {
                            k += 1;
                        }
                    }
                    v
                };
                if !spans.is_empty() {
                    let (s, e) = spans[i % spans.len()];
                    text.replace_range(s..e, n);
                }
            }
            Damage::DropLine(i) | Damage::RepeatLine(i) => {
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let k = i % lines.len();
                    if matches!(d, Damage::DropLine(_)) {
                        lines.remove(k);
                    } else {
                        lines.insert(k, lines[k]);
                    }
                }
                text = lines.join("\n");
            }
            Damage::Bytes(i, b) => {
                let mut bytes = text.into_bytes();
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
            Damage::Cut(i) => {
                let mut at = i % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
        }
    }
    text
}

#[test]
fn a_thousand_damaged_scenarios_parse_or_say_where() {
    let demo = demo();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&damage(), |damages| {
            let text = apply(&demo, &damages);
            let parsed = std::panic::catch_unwind(|| Scenario::parse(&text, None));
            prop_assert!(parsed.is_ok(), "the parser panicked on {damages:?}");
            if let Ok(Err(e)) = parsed {
                prop_assert!(
                    !e.message.trim().is_empty(),
                    "empty message for {damages:?}"
                );
            }
            Ok(())
        })
        .unwrap();
}

/// Inputs once found to slip through (kept as regressions).
#[test]
fn absurd_weights_found_by_fuzzing_are_refused() {
    let text = demo().replace("default_weight = 1.0", "default_weight = 1e308");
    let e = Scenario::parse(&text, None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("objective.default_weight"));
}
