//! `tournee --help` in the user's language: each command's description and each
//! argument's help come from the catalogue (`cli-help-…` keys in `cli-help.ftl`),
//! in place of the doc comments, which stay for developers. Keys follow the command
//! path: `cli-help` for the program, `cli-help-plan` for `tournee plan`,
//! `cli-help-plan-out` for its `--out`, `cli-help-peers-export-scenario`… Clap's own
//! error messages stay in English.

use clap::{Arg, ArgAction, Command};
use tournee_i18n::{message, tr};

/// The catalogue key of the command at `path` (subcommand names from the program
/// down), or of its argument `arg`.
pub fn key(path: &[String], arg: Option<&str>) -> String {
    let mut key = String::from("cli-help");
    for part in path.iter().map(String::as_str).chain(arg) {
        key.push('-');
        key.push_str(&part.replace('_', "-"));
    }
    key
}

/// `cmd` with its texts in the current language ([`tournee_i18n::lang`]).
pub fn localized(cmd: Command) -> Command {
    let mut cmd = localize(cmd, &mut Vec::new());
    // Clap adds a `help` command to each command with subcommands when it builds
    // them: built first, then those are described too.
    cmd.build();
    describe_help_commands(cmd)
}

fn describe_help_commands(mut cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = if name == "help" {
            cmd.mut_subcommand(name, |h| {
                h.about(message("cli-help-help", &[]))
                    .help_template(format!(
                        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}",
                        message("cli-help-usage", &[])
                    ))
            })
        } else {
            cmd.mut_subcommand(name, describe_help_commands)
        };
    }
    cmd
}

/// Clap's `--help` or `--version`, described in the current language.
fn flag(name: &'static str, short: char, action: ArgAction) -> Arg {
    Arg::new(name)
        .short(short)
        .long(name)
        .action(action)
        .help(message(&format!("cli-help-flag-{name}"), &[]))
        .help_heading(message("cli-help-options", &[]))
}

fn localize(mut cmd: Command, path: &mut Vec<String>) -> Command {
    let text = |key: &str| message(key, &[]);
    cmd = cmd
        .about(text(&key(path, None)))
        .long_about(None)
        .disable_help_flag(true)
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            text("cli-help-usage")
        ))
        .subcommand_help_heading(text("cli-help-commands"))
        .arg(flag("help", 'h', ArgAction::Help));
    if path.is_empty() {
        cmd = cmd
            .disable_version_flag(true)
            .arg(flag("version", 'V', ArgAction::Version));
    }
    for arg in localized_args(&cmd, path) {
        cmd = cmd.mut_arg(arg.id, |a| {
            a.help(arg.help)
                .long_help(None)
                .help_heading(arg.heading)
                .hide_possible_values(arg.values_described)
                .hide_default_value(arg.takes_values)
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        path.push(name.clone());
        cmd = cmd.mut_subcommand(name, |s| localize(s, path));
        path.pop();
    }
    cmd
}

/// What [`localize`] gives an argument.
struct LocalizedArg {
    id: String,
    help: String,
    heading: String,
    /// Not a flag: clap's own "[default: …]" is hidden (it may only be hidden on
    /// arguments that take values).
    takes_values: bool,
    /// Its values have help of their own (in English, from their doc comments):
    /// hidden, the argument's help names them instead.
    values_described: bool,
}

/// The help of each argument of `cmd` (at `path`), in the current language, with its
/// default value (clap writes "[default: …]" in English).
fn localized_args(cmd: &Command, path: &[String]) -> Vec<LocalizedArg> {
    let text = |key: &str| message(key, &[]);
    cmd.get_arguments()
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .map(|a| {
            let id = a.get_id().to_string();
            let mut help = text(&key(path, Some(&id)));
            let default: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            // A flag's default ("false") says nothing.
            let takes_values = a.get_action().takes_values();
            if !default.is_empty() && takes_values {
                let value = default.join(", ");
                help = format!("{help} [{}]", tr!("cli-help-default", value = value));
            }
            LocalizedArg {
                id,
                help,
                heading: text(if a.is_positional() {
                    "cli-help-arguments"
                } else {
                    "cli-help-options"
                }),
                takes_values,
                values_described: a
                    .get_possible_values()
                    .iter()
                    .any(|v| v.get_help().is_some()),
            }
        })
        .collect()
}

/// Every key [`localized`] reads for `cmd` (its test checks them all).
#[cfg(test)]
pub fn keys(cmd: &Command) -> Vec<String> {
    fn walk(cmd: &Command, path: &mut Vec<String>, out: &mut Vec<String>) {
        out.push(key(path, None));
        for a in cmd.get_arguments() {
            if !matches!(a.get_id().as_str(), "help" | "version") {
                out.push(key(path, Some(a.get_id().as_str())));
            }
        }
        for s in cmd.get_subcommands() {
            path.push(s.get_name().to_string());
            walk(s, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(cmd, &mut Vec::new(), &mut out);
    out
}
