//! `tournee publish`: a checked plan's documents for the communes, and their PDF
//! copies printed by headless Chromium.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use tournee_i18n::tr;
use tournee_model::Scenario;
use tournee_pipeline::Territory;

use crate::progress::Bars;
use crate::{print_written, read_plan, road_lines};

/// `tournee publish`'s switches.
pub(crate) struct PublishFlags {
    pub(crate) force: bool,
    pub(crate) until: Option<chrono::NaiveDate>,
    pub(crate) pdf: bool,
}

/// Prints `html` to `pdf` with headless Chromium.
pub(crate) fn print_pdf(chromium: &Path, html: &Path, pdf: &Path, profile: &Path) -> Result<()> {
    let html = std::fs::canonicalize(html).with_context(|| tr!("cli-cannot-read", path = html))?;
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .with_context(|| {
            format!(
                "cannot run {} (install Chromium, or set CHROMIUM)",
                chromium.display()
            )
        })?;
    anyhow::ensure!(
        out.status.success() && pdf.is_file(),
        "Chromium could not print {}: {}",
        html.display(),
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .unwrap_or("")
    );
    Ok(())
}

/// The sheets and the grid of `out` as PDF files beside them; returns how many.
pub(crate) fn write_pdfs(out: &Path) -> Result<usize> {
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let profile = tempfile_dir()?;
    let mut pages = vec![(out.join("plan.html"), out.join("plan.pdf"))];
    let sheets = out.join(tournee_publish::SHEETS_DIR);
    let mut htmls: Vec<PathBuf> = std::fs::read_dir(&sheets)
        .with_context(|| tr!("cli-cannot-read", path = &sheets))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    htmls.sort();
    pages.extend(htmls.into_iter().map(|h| {
        let pdf = h.with_extension("pdf");
        (h, pdf)
    }));
    for (html, pdf) in &pages {
        print_pdf(&chromium, html, pdf, &profile)?;
    }
    let _ = std::fs::remove_dir_all(&profile);
    Ok(pages.len())
}

/// A fresh folder for Chromium's profile.
fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("tournee-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| tr!("cli-cannot-create", path = &dir))?;
    Ok(dir)
}

pub(crate) fn publish(
    plan_path: &Path,
    scenario_path: &Path,
    out: &Path,
    previous_path: Option<&Path>,
    PublishFlags { force, until, pdf }: PublishFlags,
    bars: &Bars,
) -> Result<ExitCode> {
    let scenario = Scenario::load(scenario_path)?;
    let plan = read_plan(plan_path)?;
    let previous = match previous_path {
        Some(path) => {
            let old = read_plan(path)?;
            anyhow::ensure!(
                old.scenario == plan.scenario,
                tr!(
                    "cli-previous-other-scenario",
                    path = path,
                    previous = &old.scenario,
                    current = &plan.scenario
                )
            );
            let sequences_path = path
                .parent()
                .unwrap_or(Path::new("."))
                .join(tournee_publish::CALENDARS_DIR)
                .join(tournee_publish::SEQUENCES_FILE);
            let sequences = match std::fs::read_to_string(&sequences_path) {
                Ok(text) => Some(
                    tournee_publish::Sequences::from_json(&text)
                        .with_context(|| tr!("cli-not-sequences", path = &sequences_path))?,
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(e).with_context(|| tr!("cli-cannot-read", path = &sequences_path))
                }
            };
            Some(tournee_publish::Previous {
                plan: old,
                sequences,
            })
        }
        None => None,
    };
    // A plan is published only as the checker accepts it (it may have been edited).
    let territory = Territory::load(&scenario.pbf_path(), bars)?;
    let report = tournee_pipeline::check_with(&plan, &territory, &scenario);
    let violations: Vec<String> = report
        .violations
        .iter()
        .map(|v| format!("[{}] {} : {}", v.rule, v.at, v.message))
        .collect();
    if !violations.is_empty() && !force {
        eprintln!(
            "Publication refusée : la vérification relève {} anomalie(s) dans {} :",
            violations.len(),
            plan_path.display()
        );
        for v in &violations {
            eprintln!("  {v}");
        }
        eprintln!(
            "Corrigez le plan (ou refaites-le avec `tournee plan`), ou publiez-le malgré tout \
             avec --force : les anomalies seront alors écrites dans changements.md, pour vous seul."
        );
        return Ok(ExitCode::from(2));
    }
    let options = tournee_publish::PublishOptions {
        previous,
        forced_violations: violations,
        until: until.or(scenario.publish_until),
        roads: road_lines(&territory.map),
    };
    if let Some(until) = options.until {
        anyhow::ensure!(
            until >= plan.start_date,
            "--until {until} is before the plan's first day {}",
            plan.start_date
        );
    }
    let written = tournee_publish::write_all_opts(out, &plan, &scenario, &options)
        .with_context(|| tr!("cli-writing-outputs", folder = out))?;
    if pdf {
        let n = write_pdfs(out)?;
        println!("{n} PDF file(s) printed (plan.pdf, affiches/*.pdf).");
    }
    if !options.forced_violations.is_empty() {
        println!(
            "Publié malgré {} anomalie(s) (--force) : elles sont listées en tête de changements.md.",
            options.forced_violations.len()
        );
    }
    if let Some(p) = &options.previous {
        let changes = tournee_publish::notices::changes(&p.plan, &plan);
        if changes.is_empty() {
            println!("{}", tr!("cli-no-change"));
        } else {
            let names: Vec<&str> = changes.iter().map(|c| c.commune.as_str()).collect();
            println!(
                "{}",
                tr!(
                    "cli-communes-to-notify",
                    count = changes.len(),
                    names = names.join(", ")
                )
            );
        }
    }
    print_written(&written, out);
    Ok(ExitCode::SUCCESS)
}
