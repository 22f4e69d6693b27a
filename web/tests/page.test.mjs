// Browser tests of the web page in a real headless Chromium (Debian's, driven by
// playwright-core): the page loads the demo plan, draws the map and the weekly
// grid, shows a day's route, a commune's sheet with its calendar, runs a what-if
// and shows the comparison — without loading anything from outside the server.
// Screenshots go to web/test-output/ for a person to look at.
//
// Needs: the `tournee` binary (TOURNEE_BIN, default debug/tournee in $CARGO_TARGET_DIR
// or target), the built page (npm run build) and /usr/bin/chromium (CHROMIUM).
// scripts/test.sh provides all three.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { chromium } from "playwright-core";

const web = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const root = path.dirname(web);
const bin =
  process.env.TOURNEE_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "debug/tournee");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const shots = path.join(web, "test-output");

let server;
let origin;
let browser;
const outside = [];

function need(file, what) {
  if (!existsSync(file)) throw new Error(`${what} is missing (${file}): run scripts/test.sh, which builds and installs it`);
}

before(async () => {
  need(bin, "the tournee binary");
  need(path.join(web, "dist/index.html"), "the built web page");
  need(browserPath, "Chromium");
  mkdirSync(shots, { recursive: true });
  const db = path.join(mkdtempSync(path.join(os.tmpdir(), "tournee-web-")), "test.sqlite");
  server = spawn(bin, ["--quiet", "serve", "--addr", "127.0.0.1:0", "--scenario", "scenarios/demo.toml", "--web", "web/dist", "--db", db], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
  });
  origin = await new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start in 120 s:\n${err}`)), 120_000);
    server.stderr.on("data", (d) => {
      err += d;
      const m = /Tournée on (http:\/\/[0-9.]+:[0-9]+)[^0-9]/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${err}`)));
  });
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "fr-FR" });
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith("data:")) outside.push(url);
  });
  const errors = [];
  const log = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => log.push(`console: ${m.text()}`));
  page.on("requestfailed", (r) => log.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(origin + "/");
  try {
    await page.waitForSelector("body[data-ready=true]", { state: "attached", timeout: 30_000 });
  } catch (e) {
    const status = await page.evaluate(() => document.getElementById("status")?.textContent);
    throw new Error(`the page did not get ready (status: ${status}); errors: ${errors.join(" | ")}; ${log.join(" | ")}`);
  }
  assert.deepEqual(errors, [], "the page threw errors");
  return page;
}

test("the page shows the demo territory on a map and a filled weekly grid", async () => {
  const page = await openPage();
  const base = await (await fetch(origin + "/api/base")).json();
  const plan = base.planned.plan;

  // Map: every car road of the territory, every place, every stop.
  const roads = await (await fetch(origin + "/api/map/roads.geojson")).json();
  const places = await (await fetch(origin + "/api/map/places.geojson")).json();
  const drawnPlaces = await page.locator("#map path.place").count();
  assert.equal(drawnPlaces, places.features.length);
  const sites = new Set(plan.routes.flatMap((r) => r.visits.map((v) => v.site)));
  assert.equal(await page.locator("#map path.stop").count(), sites.size);
  const allPaths = await page.locator("#map .leaflet-overlay-pane path").count();
  assert.ok(allPaths >= roads.features.length + places.features.length, `${allPaths} paths drawn`);
  // The map is fitted to the territory on load: every place and stop is inside the
  // map's frame, and they spread over most of it (not a corner of an empty map).
  const frame = await page.locator("#map").boundingBox();
  const boxes = await page
    .locator("#map path.place, #map path.stop")
    .evaluateAll((ps) => ps.map((p) => { const b = p.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; }));
  const outside = boxes.filter(([x, y]) => x < frame.x || x > frame.x + frame.width || y < frame.y || y > frame.y + frame.height);
  assert.deepEqual(outside, [], "every place and stop is in the map's frame");
  const xs = boxes.map((b) => b[0]);
  const ys = boxes.map((b) => b[1]);
  const spread = Math.max((Math.max(...xs) - Math.min(...xs)) / frame.width, (Math.max(...ys) - Math.min(...ys)) / frame.height);
  assert.ok(spread > 0.6, `the territory fills ${Math.round(spread * 100)} % of the map`);

  // Grid: week 1 has exactly the plan's week-0 visits, each naming its commune.
  const week0 = plan.routes.filter((r) => r.week === 0).flatMap((r) => r.visits);
  assert.ok(week0.length > 0);
  const cells = page.locator("#grid button.visit");
  assert.equal(await cells.count(), week0.length);
  const texts = await cells.allInnerTexts();
  for (const v of week0) assert.ok(texts.some((t) => t.includes(v.commune) && t.includes(v.site_name)), `${v.commune} missing`);
  // The figures show the plan's objective.
  const shown = await page.locator("#figures").innerText();
  const objective = Math.round(plan.summary.reachable_population_per_week).toLocaleString("fr-FR");
  assert.ok(shown.replace(/\s/g, "").includes(objective.replace(/\s/g, "")), `${shown} lacks ${objective}`);
  await page.screenshot({ path: path.join(shots, "1-carte-et-grille.png"), fullPage: true });

  // Week 2 tab shows week 2's visits.
  await page.click("#week-tab-1");
  const week1 = plan.routes.filter((r) => r.week === 1).flatMap((r) => r.visits);
  assert.equal(await page.locator("#grid button.visit").count(), week1.length);
  await page.close();
});

test("clicking a stop draws its day's route and reach area, and opens its commune", async () => {
  const page = await openPage();
  const first = page.locator("#grid button.visit").first();
  const commune = (await first.locator("strong").innerText()).trim();
  await first.click();
  await page.waitForSelector("#map path.route");
  await page.waitForSelector("#map path.reach");
  assert.ok((await page.locator("#map path.route").count()) >= 2, "a day has at least two legs");
  assert.equal(await page.locator("#commune-select").inputValue(), commune);
  const sheet = await page.locator("#commune-body").innerText();
  assert.match(sheet, /Prochains passages/);
  assert.ok(sheet.includes(commune));
  // The calendar link serves the commune's iCalendar.
  const href = await page.locator("#calendar-link").getAttribute("href");
  const ics = await (await fetch(origin + href)).text();
  assert.match(ics, /^BEGIN:VCALENDAR/);
  assert.ok(ics.includes(commune.split(" ")[0]));
  // And the printable announcement sheet names the commune.
  const sheetHref = await page.locator("#sheet-link").getAttribute("href");
  const sheetPage = await (await fetch(origin + sheetHref)).text();
  assert.match(sheetPage, /<html/);
  assert.ok(sheetPage.includes(commune), "the sheet names its commune");
  await page.screenshot({ path: path.join(shots, "2-trajet-et-fiche-commune.png"), fullPage: true });
  await page.close();
});

test("a what-if run shows progress, the comparison and the variant's grid", async () => {
  const page = await openPage();
  const before = await (await fetch(origin + "/api/base")).json();
  await page.selectOption("#wi-add-vehicle", "bus-1");
  await page.selectOption("#wi-add-mediator", "amina");
  await page.fill("#wi-add-mediator-count", "2");
  await page.click("#whatif-run");
  await page.waitForSelector("#comparison:not([hidden])", { timeout: 120_000 });
  const comparison = await page.locator("#comparison").innerText();
  assert.match(comparison, /Comparaison avec le plan de base/);
  // The figures in the table are those of the two plans.
  const cell = async (key) => (await page.locator(`[data-key="${key}"]`).innerText()).replace(/\s/g, "");
  const fr = (x) => Math.round(x).toLocaleString("fr-FR").replace(/\s/g, "");
  assert.equal(await cell("visits-base"), fr(before.planned.plan.summary.visits));
  // The page now shows the variant: its figures and its grid.
  assert.equal(await page.locator("#show-variant").getAttribute("aria-pressed"), "true");
  const variantVisits = Number((await cell("visits-variant")).replace(/\D/g, ""));
  const gridVisits = await page.locator("#grid button.visit").count();
  assert.ok(gridVisits > 0 && gridVisits <= variantVisits);
  assert.match(await page.locator("#figures").innerText(), /conforme/, "the variant passed the checker");
  // Every unused vehicle-day of the variant is listed with its reason, as the plan
  // gives it.
  const reasons = await page.locator("#whatif-reasons").innerText();
  assert.ok(reasons.length > 0, "the reasons section is shown");
  const items = await page.locator("#whatif-reasons li").allInnerTexts();
  for (const item of items) assert.match(item, /^[^:]+ : .+\(\d+ journées?\)$/, item);
  // Two people added at once, each named in the comparison.
  assert.equal((comparison.match(/une personne de plus/g) ?? []).length, 2, comparison);
  await page.screenshot({ path: path.join(shots, "3-scenario-et-si.png"), fullPage: true });
  // Back to the base plan.
  await page.click("#show-base");
  assert.equal(await page.locator("#show-base").getAttribute("aria-pressed"), "true");
  await page.close();
});

test("a what-if promising a commune a weekly visit gives it one every week, on the same weekday and slot", async () => {
  const page = await openPage();
  const before = await (await fetch(origin + "/api/base")).json();
  const weeks = before.planned.plan.cycle_weeks;
  // A commune the base plan visits (so it has a usable site) but not every week:
  // the promise must add the missing weeks.
  const visits = before.planned.plan.routes.flatMap((r) => r.visits.map((v) => ({ ...v, week: r.week })));
  const offered = await page.locator("#wi-promise-commune option").evaluateAll((os) => os.map((o) => o.value));
  const commune = offered.find((c) => {
    const w = new Set(visits.filter((v) => v.commune === c).map((v) => v.week));
    return w.size > 0 && w.size < weeks;
  });
  assert.ok(commune, "no commune of the base plan is visited in some weeks only: the test would prove nothing");
  await page.selectOption("#wi-promise-commune", commune);
  await page.selectOption("#wi-promise-frequency", "weekly");
  await page.click("#whatif-run");
  await page.waitForSelector("#comparison:not([hidden])", { timeout: 120_000 });
  assert.ok(
    (await page.locator("#comparison").innerText()).includes(`${commune} : passage promis chaque semaine`),
    "the comparison names the promise",
  );
  assert.match(await page.locator("#figures").innerText(), /conforme/, "the variant passed the checker");
  // The variant's grid, week by week: the commune's visits.
  const seen = [];
  for (let w = 0; w < weeks; w++) {
    await page.click(`#week-tab-${w}`);
    const labels = await page.locator("#grid button.visit").evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
    // "Vehicle, weekday date, slot : commune, site"
    for (const label of labels) {
      const m = /^[^,]+, (\S+) (\d{4}-\d{2}-\d{2}), ([^:]+) : ([^,]+),/.exec(label);
      assert.ok(m, `unexpected grid label: ${label}`);
      if (m[4] === commune) seen.push({ week: w, weekday: m[1], slot: m[3].trim() });
    }
  }
  assert.deepEqual([...new Set(seen.map((v) => v.week))], [...Array(weeks).keys()], `${commune} every week: ${JSON.stringify(seen)}`);
  assert.equal(new Set(seen.map((v) => `${v.weekday} ${v.slot}`)).size, 1, `same weekday and slot: ${JSON.stringify(seen)}`);
  await page.close();
});

test("every form control has a label and the page is in French", async () => {
  const page = await openPage();
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((e) => e.labels.length === 0 && !e.getAttribute("aria-label"))
      .map((e) => e.id || e.outerHTML),
  );
  assert.deepEqual(unlabeled, []);
  // Keyboard: a grid stop can be reached with Tab and opened with Enter.
  await page.locator("#grid button.visit").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#map path.route");
  await page.close();
});

test("the page loaded nothing from outside the server", () => {
  assert.deepEqual(outside, [], `requests to other origins: ${outside.join(", ")}`);
});
