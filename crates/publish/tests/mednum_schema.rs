//! The Table Schema validator of the test support, checked on the MedNum standard's
//! own files before it judges ours: it accepts the official valid sample and the 35
//! France Services converted to the standard (both valid with frictionless), and
//! rejects mutated records, naming the field. Also: the closed lists the scenario
//! accepts (`model::organisation::vocabulary`) are the schema's.

use tournee_model::organisation::vocabulary;
use tournee_test_support::shared_data;
use tournee_test_support::table_schema::Schema;

const SCHEMA: &str = "data/standards/schema-lieux-mediation-numerique-v1.0.2.json";

fn schema() -> Schema {
    Schema::from_file(&shared_data(SCHEMA)).expect("the MedNum schema is read")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(shared_data(relative)).unwrap()
}

#[test]
fn the_official_sample_and_the_converted_france_services_are_valid() {
    let schema = schema();
    assert_eq!(schema.fields.len(), 32);
    for file in [
        "data/standards/exemple-valide.csv",
        "data/standards/france-services-17-au-standard-mednum.csv",
    ] {
        let text = read(file);
        let violations = schema.validate_csv(&text);
        assert!(violations.is_empty(), "{file}: {violations:#?}");
    }
    let rows = read("data/standards/france-services-17-au-standard-mednum.csv")
        .lines()
        .count()
        - 1;
    assert_eq!(rows, 35);
}

/// The sample's header and record, as cells.
fn sample() -> (Vec<String>, Vec<String>) {
    let text = read("data/standards/exemple-valide.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let record = r.records().next().unwrap().unwrap();
    (header, record.iter().map(String::from).collect())
}

fn to_csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn mutated_records_are_rejected_naming_the_field() {
    let schema = schema();
    let (header, record) = sample();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("id", "", "constraint-error/required"),
        ("pivot", "123", "constraint-error/pattern"),
        ("pivot", "4349331230002X9", "constraint-error/pattern"),
        ("nom", "", "constraint-error/required"),
        ("commune", "", "constraint-error/required"),
        ("code_postal", "5110", "constraint-error/pattern"),
        ("code_postal", "", "constraint-error/required"),
        ("code_insee", "20123", "constraint-error/pattern"),
        ("adresse", "", "constraint-error/required"),
        ("latitude", "43,52609", "type-error"),
        ("longitude", "est", "type-error"),
        ("telephone", "0180059880", "constraint-error/pattern"),
        (
            "presentation_resume",
            &"x".repeat(281),
            "constraint-error/maxLength",
        ),
        ("itinerance", "Mobile", "constraint-error/pattern"),
        ("itinerance", "Itinérant;Fixe", "constraint-error/pattern"),
        ("date_maj", "02/04/2024", "type-error"),
        ("date_maj", "2024-02-30", "type-error"),
        ("date_maj", "", "constraint-error/required"),
        (
            "services",
            "Aide aux demarches administratives",
            "constraint-error/pattern",
        ),
        (
            "frais_a_charge",
            "Gratuit|gratuit",
            "constraint-error/pattern",
        ),
        (
            "dispositif_programmes_nationaux",
            "France services",
            "constraint-error/pattern",
        ),
        (
            "modalites_acces",
            "Sur rendez-vous",
            "constraint-error/pattern",
        ),
        (
            "publics_specifiquement_adresses",
            "Seniors|",
            "constraint-error/pattern",
        ),
    ];
    for (field, value, rule) in cases {
        let mut bad = record.clone();
        bad[at(field)] = value.to_string();
        let violations = schema.validate_csv(&to_csv(&header, &[bad]));
        assert!(
            violations
                .iter()
                .any(|v| v.field == *field && v.rule == *rule && v.row == 1),
            "{field} = {value:?} should break {rule}: {violations:#?}"
        );
        assert!(
            violations.iter().all(|v| v.field == *field),
            "only {field} is wrong: {violations:#?}"
        );
    }
    // Two records with one id.
    let violations = schema.validate_csv(&to_csv(&header, &[record.clone(), record.clone()]));
    assert!(
        violations.iter().any(|v| v.field == "id" && v.row == 2),
        "{violations:#?}"
    );
    // A column missing or out of order.
    let mut swapped = header.clone();
    swapped.swap(0, 1);
    let violations = schema.validate_csv(&to_csv(&swapped, std::slice::from_ref(&record)));
    assert!(violations.iter().any(|v| v.row == 0 && v.field == "id"));
}

#[test]
fn the_closed_lists_of_the_scenario_are_the_schemas() {
    let schema = schema();
    let lists: [(&str, &[&str]); 6] = [
        ("services", vocabulary::SERVICES),
        ("frais_a_charge", vocabulary::FRAIS),
        ("modalites_acces", vocabulary::MODALITES_ACCES),
        (
            "modalites_accompagnement",
            vocabulary::MODALITES_ACCOMPAGNEMENT,
        ),
        ("publics_specifiquement_adresses", vocabulary::PUBLICS),
        ("dispositif_programmes_nationaux", vocabulary::DISPOSITIFS),
    ];
    let (header, record) = sample();
    let text = read(SCHEMA);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (field, values) in lists {
        // Every value, alone and all together, passes the field's pattern.
        for v in values.iter().copied().chain([values.join("|").as_str()]) {
            let mut r = record.clone();
            r[header.iter().position(|h| h == field).unwrap()] = v.to_string();
            let violations = schema.validate_csv(&to_csv(&header, &[r]));
            assert!(violations.is_empty(), "{field} = {v}: {violations:#?}");
        }
        // And the pattern has no value the list lacks: as many alternatives.
        let pattern = json["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == field)
            .unwrap()["constraints"]["pattern"]
            .as_str()
            .unwrap()
            .to_string();
        let inner = pattern
            .strip_prefix("(?:(?:^|\\|)(")
            .and_then(|p| p.strip_suffix("))+$"))
            .unwrap_or_else(|| panic!("{field}: unexpected pattern {pattern}"));
        let alternatives = inner.replace("\\(", "").replace("\\)", "");
        assert_eq!(
            alternatives.split('|').count(),
            values.len(),
            "{field}: {inner}"
        );
    }
}

/// The reference validator (frictionless, installed by `scripts/setup.sh`) agrees:
/// the official files are valid, a mutated record is not, and the report names the
/// field.
#[test]
fn frictionless_agrees_on_the_official_files_and_a_mutated_one() {
    let schema_path = shared_data(SCHEMA);
    tournee_test_support::frictionless_validate(
        &schema_path,
        &shared_data("data/standards/exemple-valide.csv"),
    )
    .unwrap();
    let (header, mut record) = sample();
    let at = header.iter().position(|h| h == "code_postal").unwrap();
    record[at] = "5110".into();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("mute.csv");
    std::fs::write(&bad, to_csv(&header, &[record])).unwrap();
    let err = tournee_test_support::frictionless_validate(&schema_path, &bad).unwrap_err();
    assert!(err.contains("code_postal"), "{err}");
}
