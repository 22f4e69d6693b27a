#!/usr/bin/env python3
"""Helpers of bench/reach-default.sh.

variant SCENARIO before|after ROOT: the scenario's text with its [reach] table and
    repeat_factors replaced (before: a hard 15-minute radius, no value for repeat
    visits; after: nothing, i.e. today's defaults), relative paths made absolute.
report WORK COMMAND SCENARIO...: the Markdown table from the plans in WORK.
"""
import json
import re
import sys
from pathlib import Path


def variant(path: str, which: str, root: str) -> str:
    out, skip = [], False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        header = re.match(r"^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$", line)
        if header:
            skip = header.group(1).strip() == "reach"
            if skip:
                continue
        if skip:
            continue
        if re.match(r"^\s*repeat_factors\s*=", line):
            continue
        # Paths relative to scenarios/: absolute from the clone.
        line = re.sub(r'= "\.\./', f'= "{root}/', line)
        out.append(line)
    text = "\n".join(out) + "\n"
    if which == "before":
        text += "\n[reach]\nradius_minutes = 15\n"
        if re.search(r"^\[objective\]", text, re.M):
            text = re.sub(r"^\[objective\]\s*$", "[objective]\nrepeat_factors = []", text, count=1, flags=re.M)
        else:
            text += "\n[objective]\nrepeat_factors = []\n"
    return text


def figures(plan_dir: Path) -> dict:
    plan = json.loads((plan_dir / "plan.json").read_text(encoding="utf-8"))
    routes = [r for r in plan["routes"] if r["visits"]]
    idle = [u for u in plan.get("unplaced", []) if u.get("vehicle") and u.get("date") and not u.get("commune")]
    communes = {v["commune"] for r in routes for v in r["visits"]}
    within = {}
    for r in routes:
        for v in r["visits"]:
            for p in v.get("reaches", []):
                if p["drive"] <= 15 * 60:
                    within[str(p["osm"])] = p["population"]
    s = plan["summary"]
    return {
        "visits": s["visits"],
        "communes": len(communes),
        "days": len(routes),
        "available": len(routes) + len(idle),
        "places15": len(within),
        "people15": sum(within.values()),
        "objective": s["reachable_population_per_week"],
        "bound": s.get("upper_bound"),
        "weeks": plan["cycle_weeks"],
        "idle_reasons": sorted({u["reason"] for u in idle}),
    }


def report(work: str, command: str, scenarios: list) -> str:
    rows = [
        "# Reach model: the old default (15-minute radius) against today's (own commune, decay, repeat visits)",
        "",
        f"Command: `{command.strip()}` — each scenario planned twice by the same binary in the same run, "
        "its own `[reach]` and `repeat_factors` replaced in both (see the script's header). "
        "No time limit: the plans depend only on the inputs. Both plans of every row passed the checker.",
        "",
        "*Communes*: communes with at least one stop in the cycle. *Days*: vehicle-days with a stop, of those "
        "available (the others are listed in the plan with their reason). *Within 15 min*: places (and their "
        "inhabitants) within 15 minutes' drive of some stop in the cycle — the old objective's own measure. "
        "*Objective*: each plan's own objective per week (not comparable across models).",
        "",
        "| scenario | model | visits | communes | days used | within 15 min: places / inhabitants | objective / bound |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for s in scenarios:
        for which in ("before", "after"):
            f = figures(Path(work) / f"{s}-{which}")
            bound = f"{f['bound']:,.0f}" if f["bound"] is not None else "—"
            label = "15 min radius" if which == "before" else "default (decay)"
            rows.append(
                f"| `{s}` | {label} | {f['visits']} | {f['communes']} | {f['days']} / {f['available']} "
                f"| {f['places15']} / {f['people15']:,} | {f['objective']:,.0f} / {bound} |"
            )
            for r in f["idle_reasons"]:
                notes.append(f"- `{s}`, {label}: idle day — {r}")
    rows.append("")
    if notes:
        rows.append("Reasons given for the idle vehicle-days:")
        rows.append("")
        rows.extend(sorted(set(notes)))
        rows.append("")
    return "\n".join(rows)


if __name__ == "__main__":
    if sys.argv[1] == "variant":
        sys.stdout.write(variant(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif sys.argv[1] == "report":
        sys.stdout.write(report(sys.argv[2], sys.argv[3], sys.argv[4:]))
    else:
        sys.exit(f"usage: {__doc__}")
