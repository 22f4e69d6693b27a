// The what-if panel: a few changes to the base scenario, run on the server as a
// job whose progress is followed live, then the comparison with the base plan.
import * as api from "./api.js";
import { escape, n0, n1, weekdayName, dateShort } from "./format.js";

const $ = (id) => document.getElementById(id);

function options(select, items) {
  for (const [value, label] of items) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.append(o);
  }
}

/// The changes the form asks for, in the API's format.
export function changesFromForm(scenario) {
  const changes = [];
  const v = (id) => $(id).value.trim();
  if (v("wi-add-vehicle")) {
    let n = scenario.vehicles.length + 1;
    while (scenario.vehicles.some((x) => x.id === `bus-${n}`)) n++;
    changes.push({ kind: "add_vehicle", like: v("wi-add-vehicle"), id: `bus-${n}` });
  }
  if (v("wi-remove-vehicle")) changes.push({ kind: "remove_vehicle", id: v("wi-remove-vehicle") });
  if (v("wi-add-mediator")) {
    // Several people at once (a second bus needs its crew of two).
    const count = Math.min(8, Math.max(1, Math.round(Number(v("wi-add-mediator-count")) || 1)));
    for (let k = 1; k <= count; k++) {
      changes.push({ kind: "add_mediator", like: v("wi-add-mediator"), id: `renfort-${scenario.mediators.length + k}` });
    }
  }
  if (v("wi-remove-mediator")) changes.push({ kind: "remove_mediator", id: v("wi-remove-mediator") });
  if (v("wi-holiday")) changes.push({ kind: "add_holiday", date: v("wi-holiday") });
  if (v("wi-drop-day")) changes.push({ kind: "drop_weekday", day: v("wi-drop-day") });
  if (v("wi-close-site")) changes.push({ kind: "close_site", site: v("wi-close-site") });
  const reach = Number(v("wi-reach"));
  if (reach && reach !== scenario.reach.radius_minutes) changes.push({ kind: "set_reach_minutes", minutes: reach });
  if (v("wi-weight-commune")) changes.push({ kind: "set_weight", commune: v("wi-weight-commune"), weight: Number(v("wi-weight")) });
  if (v("wi-promise-commune")) {
    const commune = v("wi-promise-commune");
    const frequency = v("wi-promise-frequency");
    changes.push(frequency === "none" ? { kind: "remove_promise", commune } : { kind: "set_promise", commune, frequency });
  }
  return changes;
}

/// Why the variant's vehicle-days went unused: each reason the plan gives, with how
/// many vehicle-days it holds for (a figure that does not move has its reason here).
function reasonsHtml(plan) {
  const counts = new Map();
  for (const u of plan.unplaced ?? []) {
    if (!u.vehicle || u.commune) continue;
    const key = `${u.vehicle} : ${u.reason}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (!counts.size) return `<h4>Journées de véhicule non utilisées</h4><p id="whatif-reasons">aucune : chaque journée de véhicule a des passages.</p>`;
  const items = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `<li>${escape(k)} (${n} journée${n > 1 ? "s" : ""})</li>`)
    .join("");
  return `<h4>Journées de véhicule non utilisées, et pourquoi</h4><ul id="whatif-reasons">${items}</ul>`;
}

function comparisonHtml(cmp, changes) {
  const rows = [
    ["Population atteinte par semaine", "reachable_population_per_week", n0],
    ["Lieux habités atteints", "places_reached", n0],
    ["Communes visitées", "communes_visited", n0],
    ["Passages", "visits", n0],
    ["Kilomètres", "kilometres", n0],
    ["Heures de médiation", "mediator_hours", n1],
  ];
  const sign = (x, f) => (x > 0 ? "+" : x < 0 ? "−" : "") + f(Math.abs(x));
  const table = rows
    .map(([label, key, f]) => {
      const a = cmp.base[key];
      const b = cmp.variant[key];
      // A change smaller than the figures' unit is shown with a decimal, never "+0".
      const d = b - a;
      const fd = d !== 0 && Math.abs(d) < 1 ? n1 : f;
      return `<tr><th scope="row">${label}</th><td data-key="${key}-base">${f(a)}</td><td data-key="${key}-variant">${f(b)}</td><td>${sign(d, fd)}</td></tr>`;
    })
    .join("");
  const fmtVisit = (k) => `${escape(dateShort(k.date))} ${escape(k.slot)}, ${escape(k.site_name)}`;
  const communes = cmp.communes
    .map((c) => {
      const parts = [
        ...c.added.map((k) => `ajout ${fmtVisit(k)}`),
        ...c.moved.map(([a, b]) => `déplacé de ${fmtVisit(a)} à ${fmtVisit(b)}`),
        ...c.cancelled.map((k) => `annulé ${fmtVisit(k)}`),
      ];
      return `<li><strong>${escape(c.commune)}</strong> (${c.base_visits} → ${c.variant_visits}) : ${parts.join(" ; ")}</li>`;
    })
    .join("");
  return `<h3>Comparaison avec le plan de base</h3>
    <p class="muted">${changes.map((c) => escape(describe(c))).join(" ; ")}</p>
    <table class="comparison"><thead><tr><th scope="col">Indicateur</th><th scope="col">Base</th><th scope="col">Scénario</th><th scope="col">Écart</th></tr></thead><tbody>${table}</tbody></table>
    <h4>Communes dont les passages changent (${cmp.communes.length})</h4>
    <ul class="commune-changes">${communes || "<li>aucune</li>"}</ul>`;
}

const FREQUENCIES = {
  weekly: "chaque semaine",
  two_in_three: "deux semaines sur trois",
  fortnightly: "une semaine sur deux",
  monthly: "toutes les quatre semaines",
  every_5_weeks: "toutes les cinq semaines",
};

function describe(c) {
  switch (c.kind) {
    case "add_vehicle": return `un véhicule de plus (comme ${c.like})`;
    case "remove_vehicle": return `sans le véhicule ${c.id}`;
    case "add_mediator": return `une personne de plus (comme ${c.like}, ${c.id})`;
    case "remove_mediator": return `sans ${c.id}`;
    case "add_holiday": return `pas de tournée le ${c.date}`;
    case "drop_weekday": return `plus de tournée le ${weekdayName(c.day)}`;
    case "close_site": return `site ${c.site} fermé`;
    case "set_reach_minutes": return `rayon d'accès ${c.minutes} min`;
    case "set_weight": return `poids ${c.weight} pour ${c.commune}`;
    case "set_promise": return `${c.commune} : passage promis ${FREQUENCIES[c.frequency] ?? c.frequency}, même jour et même créneau`;
    case "remove_promise": return `plus de promesse à ${c.commune}`;
    default: return c.kind;
  }
}

export function initWhatIf(base, onResult) {
  const sc = base.planned.scenario;
  const vehicles = sc.vehicles.map((v) => [v.id, v.name]);
  options($("wi-add-vehicle"), vehicles);
  options($("wi-remove-vehicle"), vehicles);
  const people = sc.mediators.map((m) => [m.id, m.name]);
  options($("wi-add-mediator"), people);
  options($("wi-remove-mediator"), people);
  options($("wi-drop-day"), sc.days.map((d) => [d, weekdayName(d)]));
  const used = new Map();
  for (const r of base.planned.plan.routes) for (const v of r.visits) used.set(v.site, `${v.site_name} (${v.commune})`);
  options($("wi-close-site"), [...used].sort((a, b) => a[1].localeCompare(b[1], "fr")));
  const communes = [...new Set(base.calendars.map((c) => c.commune))];
  options($("wi-weight-commune"), communes.map((c) => [c, c]));
  const promised = new Set((sc.promises ?? []).map((p) => p.commune));
  options($("wi-promise-commune"), communes.map((c) => [c, promised.has(c) ? `${c} (déjà promise)` : c]));
  $("wi-reach").value = sc.reach.radius_minutes;
  const start = sc.start_date;
  const end = new Date(start + "T12:00:00Z");
  end.setUTCDate(end.getUTCDate() + sc.cycle_weeks * 7 - 1);
  $("wi-holiday").min = start;
  $("wi-holiday").max = end.toISOString().slice(0, 10);

  $("whatif-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const changes = changesFromForm(sc);
    const error = $("whatif-error");
    error.hidden = true;
    if (!changes.length) {
      error.textContent = "Choisissez au moins un changement.";
      error.hidden = false;
      return;
    }
    const run = $("whatif-run");
    run.disabled = true;
    $("whatif-progress").hidden = false;
    $("comparison").hidden = true;
    try {
      const job = await api.startWhatIf(changes);
      const status = await api.followJob(job, (s) => {
        $("whatif-phase").textContent = `${s.phase}…`;
        const bar = $("whatif-bar");
        if (s.total > 0) {
          bar.max = s.total;
          bar.value = Math.min(s.done, s.total);
        } else bar.removeAttribute("value");
      });
      const r = status.result;
      $("comparison").innerHTML = comparisonHtml(r.comparison, changes) + reasonsHtml(r.planned.plan);
      $("comparison").hidden = false;
      $("whatif-phase").textContent = "Calcul terminé.";
      onResult({ id: status.id, planned: r.planned, comparison: r.comparison, gap_percent: r.gap_percent });
    } catch (err) {
      error.textContent = `Le scénario n'a pas pu être calculé : ${err.message}`;
      error.hidden = false;
    } finally {
      run.disabled = false;
      $("whatif-progress").hidden = true;
    }
  });
}
