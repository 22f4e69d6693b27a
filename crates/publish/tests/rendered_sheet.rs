//! An announcement sheet rendered by a real browser engine: headless Chromium prints
//! it to PDF and takes a screenshot, which must not be blank. Chromium is required
//! (`scripts/setup.sh` installs it); without it this test fails, it does not skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use tournee_model::LonLat;
use tournee_publish::basemap::{RoadClass, RoadLine};
use tournee_publish::sheet::{announcement_sheets, announcement_sheets_to};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(profile: &Path, args: &[String]) {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: run scripts/setup.sh, which installs Chromium for this test"
    );
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// (non-white pixels, all pixels) of a PNG.
fn ink(png_path: &Path) -> (usize, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let pixels = &buf[..info.buffer_size()];
    let total = pixels.len() / channels;
    let colour = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 240))
        .count();
    (colour, total)
}

#[test]
fn a_sheet_renders_to_a_non_blank_pdf_and_screenshot() {
    let dir = tempfile::tempdir().unwrap();
    let sheets = announcement_sheets(&plan(), &scenario());
    let s = sheets.iter().find(|s| s.commune == SAINT_ELOI).unwrap();
    let html: PathBuf = dir.path().join(format!("{}.html", s.file_stem));
    std::fs::write(&html, &s.html).unwrap();
    let url = format!("file://{}", html.display());
    let (pdf, shot) = (
        dir.path().join("affiche.pdf"),
        dir.path().join("affiche.png"),
    );

    chromium(
        &dir.path().join("profile-pdf"),
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            url.clone(),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("a PDF is written");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(bytes.len() > 8_000, "{} bytes: too small", bytes.len());

    chromium(
        &dir.path().join("profile-png"),
        &[
            "--window-size=794,1123".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    let (colour, total) = ink(&shot);
    assert!(total >= 794 * 1000, "{total} pixels");
    // Text, table rules, the map's background and markers: well over 3 % of the
    // page, and not everything.
    let share = colour as f64 / total as f64;
    assert!(
        (0.03..0.9).contains(&share),
        "{colour} of {total} pixels inked"
    );
}

/// Pixels of a PNG close to `rgb` (each channel within 12).
fn pixels_like(png_path: &Path, rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= 12))
        .count()
}

/// Streets around Saint-Éloi's market square: a grid, one of them named, and a
/// main road across.
fn roads_around() -> Vec<RoadLine> {
    let (lon, lat) = (-0.25, 45.30);
    let mut roads = Vec::new();
    for i in -4..=4 {
        let d = f64::from(i) * 0.002;
        roads.push(RoadLine {
            points: vec![
                LonLat::new(lon - 0.01, lat + d),
                LonLat::new(lon + 0.01, lat + d),
            ],
            name: (i == 0).then(|| "Rue du Moulin".to_string()),
            class: RoadClass::Street,
        });
        roads.push(RoadLine {
            points: vec![
                LonLat::new(lon + d, lat - 0.01),
                LonLat::new(lon + d, lat + 0.01),
            ],
            name: None,
            class: RoadClass::Street,
        });
    }
    roads.push(RoadLine {
        points: vec![
            LonLat::new(lon - 0.02, lat - 0.02),
            LonLat::new(lon + 0.02, lat + 0.02),
        ],
        name: Some("Route de Bors".into()),
        class: RoadClass::Main,
    });
    roads
}

#[test]
fn a_sheet_with_roads_prints_on_one_a4_page_and_its_map_shows_them() {
    let sheets = announcement_sheets_to(&plan(), &scenario(), date("2027-01-17"), &roads_around());
    let s = sheets.iter().find(|s| s.commune == SAINT_ELOI).unwrap();
    assert!(
        s.html.contains("Rue du Moulin"),
        "the stop's street is named: {}",
        s.html
    );
    // Kept for people to look at: target/tmp/sheet-with-roads/.
    let keep = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sheet-with-roads");
    std::fs::create_dir_all(&keep).unwrap();
    let html = keep.join(format!("{}.html", s.file_stem));
    std::fs::write(&html, &s.html).unwrap();
    let url = format!("file://{}", html.display());
    let profile = tempfile::tempdir().unwrap();
    let (pdf, shot) = (keep.join("affiche.pdf"), keep.join("affiche.png"));
    chromium(
        &profile.path().join("pdf"),
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            url.clone(),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("a PDF is written");
    let text = String::from_utf8_lossy(&bytes);
    let pages = text
        .match_indices("/Type")
        .filter(|(i, _)| {
            let rest = text[i + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count();
    assert_eq!(pages, 1, "one A4 page");
    chromium(
        &profile.path().join("png"),
        &[
            "--window-size=794,1123".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    // The main road's orange and the streets' white over the map's beige.
    let orange = pixels_like(&shot, [0xe8, 0xa3, 0x3d]);
    assert!(
        orange > 200,
        "{orange} pixels of main road in {}",
        shot.display()
    );
    let beige = pixels_like(&shot, [0xf4, 0xf1, 0xe8]);
    assert!(beige > 5_000, "{beige} pixels of map ground");
}

/// The screenshot as grey levels, for the QR decoder.
fn grey(png_path: &Path) -> (usize, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let g = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| ((u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3) as u8)
        .collect();
    (info.width as usize, info.height as usize, g)
}

#[test]
fn the_sheet_names_the_service_and_its_qr_code_opens_the_communes_calendar() {
    let text = format!(
        "{SCENARIO}\n[service]\nname = \"Bus France Services\"\nlabel = \"France Services\"\n\
         calendars_url = \"https://cs-essai.example/calendriers/\"\n"
    );
    let sc = tournee_model::Scenario::parse(&text, None).unwrap();
    let sheets = announcement_sheets(&plan(), &sc);
    let s = sheets.iter().find(|s| s.commune == BORS).unwrap();
    assert!(
        s.html.contains("Le Bus France Services vient à Bors"),
        "{}",
        s.html
    );
    assert!(s.html.contains("France Services · "));
    // Nothing says "bus numérique" but the footer, which quotes the scenario's own
    // name ("Bus numérique du Pays d'Essai").
    let lower = s.html.to_lowercase();
    let lower = &lower[..lower.find("<footer>").unwrap_or(lower.len())];
    assert!(
        !lower.contains("bus numérique"),
        "{}",
        &lower[lower.find("bus numérique").unwrap_or(0).saturating_sub(300)..]
            .chars()
            .take(600)
            .collect::<String>()
    );
    let link = "https://cs-essai.example/calendriers/bors.ics";
    assert!(s.html.contains(link));
    let keep = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sheet-with-qr");
    std::fs::create_dir_all(&keep).unwrap();
    let html = keep.join("bors.html");
    std::fs::write(&html, &s.html).unwrap();
    let shot = keep.join("bors.png");
    let profile = tempfile::tempdir().unwrap();
    chromium(
        profile.path(),
        &[
            "--window-size=794,1123".into(),
            "--force-device-scale-factor=2".into(),
            format!("--screenshot={}", shot.display()),
            format!("file://{}", html.display()),
        ],
    );
    let (w, h, g) = grey(&shot);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| g[y * w + x]);
    let decoded: Vec<String> = img
        .detect_grids()
        .iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect();
    assert_eq!(decoded, vec![link.to_string()], "{}", shot.display());
}
