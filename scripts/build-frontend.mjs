// Builds mobility/static/dist/ from the pinned npm packages and our own sources.
// Run with `npm run build`; collectstatic then picks the files up.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "mobility", "static", "src");
const dist = join(root, "mobility", "static", "dist");
const modules = join(root, "node_modules");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// GOV.UK Frontend compiled with our settings: system fonts, no crown, no GOV.UK assets.
const css = sass.compile(join(src, "scss", "mobility.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(dist, "mobility.css"), css.css);

const copies = [
  [join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), "govuk-frontend.min.js"],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), "htmx.min.js"],
];
for (const [from, to] of copies) copyFileSync(from, join(dist, to));
for (const name of readdirSync(join(src, "js"))) copyFileSync(join(src, "js", name), join(dist, name));
for (const name of readdirSync(join(src, "images"))) copyFileSync(join(src, "images", name), join(dist, name));

console.log(`Built ${readdirSync(dist).length} files into ${dist}`);
