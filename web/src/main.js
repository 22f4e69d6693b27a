// The coordinators' and communes' page: loads the base plan, draws the map and the
// weekly grid, shows a commune's sheet, and runs what-if scenarios.
import "./style.css";
import * as api from "./api.js";
import { TourMap } from "./map.js";
import { renderGrid } from "./grid.js";
import { renderCommune } from "./commune.js";
import { initWhatIf } from "./whatif.js";
import { escape, n0, n1 } from "./format.js";

const state = {
  base: null, // {id, planned, calendars, gap_percent}
  variant: null, // {id, planned, comparison, gap_percent}
  showing: "base",
  week: 0,
  places: null,
  map: null,
};

const $ = (id) => document.getElementById(id);

function current() {
  return state.showing === "variant" && state.variant ? state.variant : state.base;
}

/// Weeks in which each place (by OSM ref) is reached.
function reachedWeeks(plan) {
  const weeks = new Map();
  for (const r of plan.routes) {
    for (const v of r.visits) {
      for (const p of v.reaches) {
        if (!weeks.has(p.osm)) weeks.set(p.osm, new Set());
        weeks.get(p.osm).add(r.week);
      }
    }
  }
  return new Map([...weeks].map(([k, s]) => [k, s.size]));
}

function stopsOf(plan) {
  const stops = new Map();
  for (const r of plan.routes) {
    for (const v of r.visits) {
      const s = stops.get(v.site) ?? { site: v.site, name: v.site_name, commune: v.commune, lon: v.location.lon, lat: v.location.lat, count: 0, route: r, visit: v };
      s.count += 1;
      stops.set(v.site, s);
    }
  }
  return [...stops.values()];
}

function renderFigures() {
  const c = current();
  const s = c.planned.plan.summary;
  $("status").textContent =
    c === state.base
      ? `Plan de base : ${s.visits} passages sur ${c.planned.plan.cycle_weeks} semaine(s).`
      : `Scénario « et si » : ${s.visits} passages sur ${c.planned.plan.cycle_weeks} semaine(s) (comparaison à droite).`;
  const items = [
    ["Population atteinte par semaine", n0(s.reachable_population_per_week)],
    ["Lieux habités atteints", `${s.places_reached} / ${s.places_total}`],
    ["Passages", n0(s.visits)],
    ["Kilomètres", n0(s.distance / 1000)],
    ["Écart à l'optimum", c.gap_percent == null ? "—" : `≤ ${n1(c.gap_percent)} %`],
    ["Contrôle indépendant", c.planned.check.violations.length === 0 ? "conforme" : `${c.planned.check.violations.length} problème(s)`],
  ];
  $("figures").innerHTML = items.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("");
  $("scenario-name").textContent = `— ${c.planned.scenario.name}`;
}

function changedCommunes() {
  if (state.showing !== "variant" || !state.variant) return new Set();
  return new Set(state.variant.comparison.communes.map((c) => c.commune));
}

function renderMap() {
  const c = current();
  const plan = c.planned.plan;
  state.map.setPlaces(state.places, reachedWeeks(plan), plan.cycle_weeks, changedCommunes());
  const depots = c.planned.scenario.depots.map((d) => ({ name: d.name, lon: d.lon, lat: d.lat }));
  state.map.setStops(stopsOf(plan), depots, (s) => selectVisit(s.route, s.visit));
  state.map.route.clearLayers();
  state.map.reach.clearLayers();
}

function renderAll() {
  renderFigures();
  renderMap();
  renderWeekTabs();
  renderGrid($("grid"), current(), state.week, state.showing === "variant" ? state.base : null, selectVisit);
  renderCommune($("commune-body"), $("commune-select").value, current(), state.base.calendars);
  $("show-base").setAttribute("aria-pressed", String(state.showing === "base"));
  $("show-variant").setAttribute("aria-pressed", String(state.showing === "variant"));
}

function renderWeekTabs() {
  const weeks = current().planned.plan.cycle_weeks;
  const tabs = $("week-tabs");
  tabs.innerHTML = "";
  for (let w = 0; w < weeks; w++) {
    const b = document.createElement("button");
    b.type = "button";
    b.role = "tab";
    b.id = `week-tab-${w}`;
    b.setAttribute("aria-selected", String(w === state.week));
    b.textContent = `Semaine ${w + 1}`;
    b.addEventListener("click", () => {
      state.week = w;
      renderAll();
    });
    tabs.append(b);
  }
}

/// Shows a visit's day route and its stop's reach area on the map.
async function selectVisit(route, visit) {
  const id = current().id;
  state.map.focus(visit.location.lon, visit.location.lat);
  $("map-caption").textContent = `${route.vehicle}, ${route.date} : trajet du jour et zone desservie par « ${visit.site_name} » (${visit.commune}).`;
  try {
    const [geo, reach] = await Promise.all([
      api.getRoute(id, route.vehicle, route.date),
      api.getReach(id, visit.site),
    ]);
    state.map.showRoute(geo);
    state.map.showReach(reach);
  } catch (e) {
    $("map-caption").textContent = `Trajet indisponible : ${e.message}`;
  }
  const select = $("commune-select");
  if ([...select.options].some((o) => o.value === visit.commune)) {
    select.value = visit.commune;
    renderCommune($("commune-body"), visit.commune, current(), state.base.calendars);
  }
}

function fillCommuneSelect() {
  const names = new Set(state.base.calendars.map((c) => c.commune));
  for (const f of state.places.features) names.add(f.properties.name);
  const select = $("commune-select");
  select.innerHTML = [...names]
    .sort((a, b) => a.localeCompare(b, "fr"))
    .map((n) => `<option value="${escape(n)}">${escape(n)}</option>`)
    .join("");
  if (state.base.calendars.length) select.value = state.base.calendars[0].commune;
  select.addEventListener("change", () => renderCommune($("commune-body"), select.value, current(), state.base.calendars));
}

async function main() {
  state.map = new TourMap($("map"));
  try {
    const [base, roads, places] = await Promise.all([api.getBase(), api.getRoads(), api.getPlaces()]);
    state.base = base;
    state.places = places;
    state.map.setRoads(roads);
  } catch (e) {
    $("status").textContent = `Le plan n'a pas pu être chargé : ${e.message}`;
    $("status").classList.add("error");
    return;
  }
  fillCommuneSelect();
  initWhatIf(state.base, (variant) => {
    state.variant = variant;
    state.showing = "variant";
    $("show-variant").disabled = false;
    renderAll();
  });
  $("show-base").addEventListener("click", () => {
    state.showing = "base";
    renderAll();
  });
  $("show-variant").addEventListener("click", () => {
    if (state.variant) state.showing = "variant";
    renderAll();
  });
  $("print-grid").addEventListener("click", () => {
    document.body.dataset.print = "grid";
    window.print();
  });
  window.addEventListener("afterprint", () => delete document.body.dataset.print);
  renderAll();
  document.body.dataset.ready = "true";
}

main();
