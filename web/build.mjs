// Builds the web page into dist/: one JavaScript bundle (with Leaflet), one
// stylesheet, and index.html. Everything the page loads comes from the server.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const here = new URL(".", import.meta.url).pathname;
await rm(here + "dist", { recursive: true, force: true });
await mkdir(here + "dist", { recursive: true });
await build({
  entryPoints: { app: here + "src/main.js" },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2020"],
  outdir: here + "dist",
  // Leaflet's stylesheet names marker images; the page draws only vector layers.
  loader: { ".png": "file", ".svg": "file" },
  logLevel: "warning",
});
await copyFile(here + "src/index.html", here + "dist/index.html");
console.log("web page built in dist/");
