// The weekly grid: vehicles × days × slots for one week of the cycle, each stop
// with its commune, site, crew and drive time; a click shows it on the map.
import { dateShort, escape, hour, minutes, weekdayName } from "./format.js";

function addDays(iso, n) {
  const d = new Date(iso + "T12:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const DAY_INDEX = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

/// Key of a visit for comparing plans: date, slot and site.
export const visitKey = (date, v) => `${date}|${v.slot}|${v.site}`;

/// Renders week `week` of `shown` ({id, planned}) into `el`. When `base` is given
/// (a variant is shown), visits absent from the base are marked new.
export function renderGrid(el, shown, week, base, onSelect) {
  const { scenario, plan } = shown.planned;
  const baseKeys = new Set();
  if (base) for (const r of base.planned.plan.routes) for (const v of r.visits) baseKeys.add(visitKey(r.date, v));
  const mediatorName = new Map(scenario.mediators.map((m) => [m.id, m.name]));
  const days = scenario.days.map((d) => ({ day: d, date: addDays(plan.start_date, week * 7 + DAY_INDEX[d]) }));
  const slots = scenario.slots.map((s) => s.name);

  const head1 = days.map((d) => `<th scope="colgroup" colspan="${slots.length}">${escape(dateShort(d.date))}</th>`).join("");
  const head2 = days.map(() => slots.map((s) => `<th scope="col">${escape(s)}</th>`).join("")).join("");
  const table = document.createElement("table");
  table.className = "week-grid";
  table.innerHTML = `<caption>Semaine ${week + 1} du cycle — ${escape(scenario.name)}</caption>
    <thead><tr><th scope="col" rowspan="2">Véhicule</th>${head1}</tr><tr>${head2}</tr></thead><tbody></tbody>`;
  const tbody = table.querySelector("tbody");
  for (const vehicle of scenario.vehicles) {
    const tr = document.createElement("tr");
    tr.innerHTML = `<th scope="row">${escape(vehicle.name)}</th>`;
    for (const d of days) {
      const route = plan.routes.find((r) => r.vehicle === vehicle.id && r.date === d.date);
      const why = plan.unplaced.find((u) => u.vehicle === vehicle.id && u.date === d.date && !u.commune);
      const holiday = scenario.holidays.includes(d.date);
      for (const slot of slots) {
        const td = document.createElement("td");
        const visit = route?.visits.find((v) => v.slot === slot);
        if (visit) {
          const isNew = base && !baseKeys.has(visitKey(d.date, visit));
          const crew = route.crew.map((m) => mediatorName.get(m) ?? m).join(", ");
          const btn = document.createElement("button");
          btn.type = "button";
          btn.className = "visit" + (isNew ? " new" : "");
          btn.dataset.site = visit.site;
          btn.dataset.date = d.date;
          btn.dataset.vehicle = vehicle.id;
          btn.setAttribute("aria-label", `${vehicle.name}, ${weekdayName(d.day)} ${d.date}, ${slot} : ${visit.commune}, ${visit.site_name}`);
          btn.innerHTML =
            `<strong>${escape(visit.commune)}</strong>` +
            `<span class="site">${escape(visit.site_name)}</span>` +
            `<span class="time">${hour(visit.start)} – ${hour(visit.end)}</span>` +
            `<span class="crew">${escape(crew)}</span>` +
            `<span class="drive">${minutes(visit.drive_from_previous)} de route</span>` +
            (isNew ? '<span class="tag">nouveau</span>' : "");
          btn.addEventListener("click", () => onSelect(route, visit));
          td.append(btn);
        } else {
          td.className = "empty";
          td.textContent = holiday ? "férié" : why ? "—" : "";
          if (why) td.title = why.reason;
        }
        tr.append(td);
      }
    }
    tbody.append(tr);
  }
  el.innerHTML = "";
  el.append(table);
  const cancelled = plan.unplaced.filter((u) => u.commune);
  if (cancelled.length) {
    const p = document.createElement("details");
    p.innerHTML = `<summary>${cancelled.length} passage(s) annulé(s) ou non placé(s), avec la raison</summary><ul>${cancelled
      .map((u) => `<li>${escape(u.date ?? "")} ${escape(u.commune)} : ${escape(u.reason)}</li>`)
      .join("")}</ul>`;
    el.append(p);
  }
  const notes = plan.notes ?? [];
  if (notes.length) {
    const p = document.createElement("details");
    p.className = "notes";
    p.innerHTML = `<summary>${notes.length} remarque(s) : préférences non respectées</summary><ul>${notes
      .map((n) => `<li>${escape(n.message)}</li>`)
      .join("")}</ul>`;
    el.append(p);
  }
}
