// French formatting of numbers, dates and durations.

const DAYS = { mon: "lundi", tue: "mardi", wed: "mercredi", thu: "jeudi", fri: "vendredi", sat: "samedi", sun: "dimanche" };
export const weekdayName = (d) => DAYS[d] ?? d;
export const WEEKDAYS = Object.keys(DAYS);

const int = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
export const n0 = (x) => int.format(x);
export const n1 = (x) => one.format(x);

export function dateLong(iso) {
  const d = new Date(iso + "T12:00:00");
  return d.toLocaleDateString("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
export function dateShort(iso) {
  const d = new Date(iso + "T12:00:00");
  return d.toLocaleDateString("fr-FR", { weekday: "short", day: "numeric", month: "numeric" });
}
/// "09:30" → "9 h 30", "12:00" → "12 h".
export function hour(hm) {
  const [h, m] = hm.split(":").map(Number);
  return m ? `${h} h ${String(m).padStart(2, "0")}` : `${h} h`;
}
export const minutes = (seconds) => `${Math.round(seconds / 60)} min`;

export function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
