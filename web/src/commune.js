// A commune's sheet: its next visits, its calendar subscription link and a
// printable page.
import { dateLong, escape, hour, n0 } from "./format.js";

export function renderCommune(el, commune, shown, calendars) {
  if (!commune) {
    el.innerHTML = "";
    return;
  }
  const plan = shown.planned.plan;
  const visits = [];
  for (const r of plan.routes) for (const v of r.visits) if (v.commune === commune) visits.push({ r, v });
  visits.sort((a, b) => (a.r.date + a.v.start).localeCompare(b.r.date + b.v.start));
  const reached = new Set();
  let population = 0;
  for (const r of plan.routes)
    for (const v of r.visits)
      for (const p of v.reaches)
        if (p.place === commune && !reached.has(p.osm)) {
          reached.add(p.osm);
          population += p.population;
        }
  const calendar = calendars.find((c) => c.commune === commune);
  const absolute = calendar ? new URL(calendar.url, window.location.href).href : null;
  const list = visits.length
    ? `<ol class="next-visits">${visits
        .map(({ r, v }) => `<li><strong>${escape(dateLong(r.date))}</strong>, ${hour(v.start)} – ${hour(v.end)} : ${escape(v.site_name)}</li>`)
        .join("")}</ol>`
    : `<p>Aucun passage du bus prévu dans ce cycle.</p>`;
  el.innerHTML = `
    <article class="sheet" aria-label="Fiche de la commune ${escape(commune)}">
      <h3>${escape(commune)}</h3>
      <p class="muted">${population ? `${n0(population)} habitants à portée d'un arrêt` : "Pas à portée d'un arrêt dans ce plan"}</p>
      <h4>Prochains passages</h4>
      ${list}
      <p>Apportez une pièce d'identité, vos identifiants (France Connect, impots.gouv, Ameli…) et vos justificatifs.</p>
      ${
        calendar
          ? `<p><a id="sheet-link" href="${escape(calendar.sheet)}" target="_blank">Affiche A4 à imprimer pour ${escape(commune)}</a></p>
             <p><a id="calendar-link" href="${escape(calendar.url)}">S'abonner au calendrier de ${escape(commune)}</a>
             <br><span class="muted">Adresse à coller dans votre agenda : <code>${escape(absolute)}</code></span></p>`
          : ""
      }
      <button type="button" id="print-sheet">Imprimer la fiche</button>
    </article>`;
  el.querySelector("#print-sheet").addEventListener("click", () => {
    document.body.dataset.print = "sheet";
    window.print();
  });
}
