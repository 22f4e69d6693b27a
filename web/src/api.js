// Calls to the server's API. Every URL is relative: the page talks only to the
// server it came from.

async function json(url, options) {
  const res = await fetch(url, options);
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const message = body?.error?.message ?? `${res.status} ${res.statusText}`;
    const field = body?.error?.field ? ` (${body.error.field})` : "";
    throw new Error(message + field);
  }
  return body;
}

export const getBase = () => json("/api/base");
export const getRoads = () => json("/api/map/roads.geojson");
export const getPlaces = () => json("/api/map/places.geojson");
export const getRoute = (planId, vehicle, date) =>
  json(`/api/plans/${encodeURIComponent(planId)}/route?vehicle=${encodeURIComponent(vehicle)}&date=${date}`);
export const getReach = (planId, site) =>
  json(`/api/plans/${encodeURIComponent(planId)}/reach?site=${encodeURIComponent(site)}`);
export const startWhatIf = (changes) =>
  json("/api/whatif", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ changes }),
  });

/// Follows a job by server-sent events; calls onProgress(status) and resolves with
/// the final status (or rejects with the job's error).
export function followJob(job, onProgress) {
  return new Promise((resolve, reject) => {
    const source = new EventSource(job.events);
    source.addEventListener("progress", (e) => onProgress(JSON.parse(e.data)));
    source.addEventListener("done", (e) => {
      source.close();
      resolve(JSON.parse(e.data));
    });
    source.addEventListener("failed", (e) => {
      source.close();
      const status = JSON.parse(e.data || "{}");
      reject(new Error(status.error?.message ?? "le calcul a échoué"));
    });
    source.onerror = () => {
      source.close();
      // The stream broke: fall back to one poll.
      json(job.status).then((s) => {
        if (s.state === "done") resolve(s);
        else if (s.state === "failed") reject(new Error(s.error?.message ?? "le calcul a échoué"));
        else reject(new Error("la connexion au serveur a été perdue"));
      }, reject);
    };
  });
}
