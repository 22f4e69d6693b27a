// The map: the territory's own roads (no tile server), communes sized by
// population and coloured by how often they are reached, the plan's stops, the
// route of a chosen day and the reach area of a chosen stop.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { escape, n0 } from "./format.js";

const ROAD_STYLE = {
  motorway: [3.5, "#8a8a8a"], trunk: [3.5, "#8a8a8a"], primary: [3, "#9a9a9a"],
  secondary: [2.5, "#a8a8a8"], tertiary: [2, "#b4b4b4"],
};
const roadStyle = (f) => {
  const [weight, color] = ROAD_STYLE[f.properties.highway] ?? [1.2, "#c4c4c4"];
  return { weight, color, opacity: 1, interactive: false };
};

/// Colour for the share of the cycle's weeks in which a place is reached.
export function reachColour(share) {
  if (share <= 0) return "#9e9e9e";
  if (share < 0.5) return "#e6a700";
  if (share < 1) return "#4f9d2d";
  return "#1b5e20";
}

export class TourMap {
  constructor(element) {
    this.map = L.map(element, { zoomSnap: 0.25, attributionControl: true, preferCanvas: false });
    this.map.attributionControl.setPrefix("");
    this.map.attributionControl.addAttribution("Données © contributeurs OpenStreetMap (ODbL)");
    this.roads = L.geoJSON(null, { style: roadStyle }).addTo(this.map);
    this.reach = L.layerGroup().addTo(this.map);
    this.places = L.layerGroup().addTo(this.map);
    this.route = L.layerGroup().addTo(this.map);
    this.stops = L.layerGroup().addTo(this.map);
    this.addLegend();
  }

  setRoads(geojson) {
    this.roads.clearLayers();
    this.roads.addData(geojson);
    const bounds = this.roads.getBounds();
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [10, 10] });
  }

  /// places: GeoJSON points; reached: Map osm → weeks reached; cycleWeeks.
  setPlaces(places, reached, cycleWeeks, changed = new Set()) {
    this.places.clearLayers();
    for (const f of places.features) {
      const p = f.properties;
      const weeks = reached.get(p.osm) ?? 0;
      const share = weeks / cycleWeeks;
      const [lon, lat] = f.geometry.coordinates;
      const radius = 3 + Math.sqrt(p.population) / 4;
      const marker = L.circleMarker([lat, lon], {
        radius,
        color: changed.has(p.name) ? "#c62828" : "#333",
        weight: changed.has(p.name) ? 3 : 1,
        fillColor: reachColour(share),
        fillOpacity: 0.75,
        className: "place",
      });
      const estimate =
        p.population_source === "estimated"
          ? " (estimation)"
          : p.population_source === "buildings"
            ? " (estimation d’après les bâtiments)"
            : "";
      marker.bindTooltip(
        `<strong>${escape(p.name)}</strong><br>${n0(p.population)} habitants${estimate}<br>` +
          `atteinte ${weeks} semaine${weeks > 1 ? "s" : ""} sur ${cycleWeeks}`,
      );
      marker.addTo(this.places);
    }
  }

  /// stops: [{site, name, commune, lon, lat, count}]; depots: [{name, lon, lat}].
  setStops(stops, depots, onClick) {
    this.stops.clearLayers();
    for (const s of stops) {
      const m = L.circleMarker([s.lat, s.lon], {
        radius: 5, color: "#fff", weight: 2, fillColor: "#0d47a1", fillOpacity: 1, className: "stop",
      });
      m.bindTooltip(`<strong>${escape(s.name)}</strong><br>${escape(s.commune)} — ${s.count} passage${s.count > 1 ? "s" : ""}`);
      m.on("click", () => onClick(s));
      m.addTo(this.stops);
    }
    for (const d of depots) {
      const m = L.circleMarker([d.lat, d.lon], {
        radius: 8, color: "#000", weight: 2, fillColor: "#ffeb3b", fillOpacity: 1, className: "depot",
      });
      m.bindTooltip(`Dépôt : ${escape(d.name)}`);
      m.addTo(this.stops);
    }
  }

  showRoute(geojson) {
    this.route.clearLayers();
    L.geoJSON(geojson, {
      style: { color: "#1565c0", weight: 5, opacity: 0.85, className: "route" },
      onEachFeature: (f, layer) =>
        layer.bindTooltip(`${escape(f.properties.from)} → ${escape(f.properties.to)} : ${Math.round(f.properties.drive_seconds / 60)} min`),
    }).addTo(this.route);
  }

  showReach(geojson) {
    this.reach.clearLayers();
    L.geoJSON(geojson, {
      style: { color: "#6a1b9a", weight: 2, fillColor: "#ce93d8", fillOpacity: 0.25, className: "reach" },
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 3, color: "#6a1b9a", className: "reach-place" }),
    }).addTo(this.reach);
  }

  focus(lon, lat) {
    this.map.setView([lat, lon], Math.max(this.map.getZoom(), 12));
  }

  addLegend() {
    const legend = L.control({ position: "bottomright" });
    legend.onAdd = () => {
      const div = L.DomUtil.create("div", "legend");
      div.innerHTML =
        "<strong>Communes atteintes</strong><br>" +
        [[1, "chaque semaine"], [0.75, "souvent"], [0.25, "parfois"], [0, "jamais"]]
          .map(([s, t]) => `<span class="swatch" style="background:${reachColour(s)}"></span> ${t}`)
          .join("<br>") +
        '<br><span class="swatch" style="background:#0d47a1"></span> arrêt' +
        '<br><span class="swatch" style="background:#ffeb3b"></span> dépôt';
      return div;
    };
    legend.addTo(this.map);
  }
}
