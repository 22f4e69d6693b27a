//! An announcement sheet rendered by a real browser engine: headless Chromium prints
//! it to PDF and takes a screenshot, which must not be blank. Chromium is required
//! (`scripts/setup.sh` installs it); without it this test fails, it does not skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use tournee_publish::sheet::announcement_sheets;

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
