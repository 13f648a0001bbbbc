// Opens the static demo page (`--target web` bindings, no bundler) in headless
// Chromium, checks that the clustering it reports equals the host build's,
// and saves a screenshot next to the bindings (demo.png).
// CHROME names the browser binary (default: chromium); DEMO_WASM_OUT as in node.test.mjs.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const out = process.env.DEMO_WASM_OUT ?? fileURLToPath(new URL("../../../target/wasm", import.meta.url));
const chrome = process.env.CHROME ?? "chromium";
const expected = JSON.parse(readFileSync(`${out}/fixture.json`, "utf8"));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

let server;
let base;

before(async () => {
  // Minimal static server: ES modules and wasm streaming need http, not file://.
  const files = { "/fixture.json": `${out}/fixture.json` };
  server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost").pathname;
    const file = files[url] ?? path.join(`${out}/site`, path.normalize(url === "/" ? "/index.html" : url));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

/** Runs headless Chromium on `url` with extra flags, in a throwaway profile. */
async function chromium(url, ...flags) {
  const profile = mkdtempSync(path.join(tmpdir(), "demo-wasm-chrome-"));
  try {
    const { stdout } = await promisify(execFile)(
      chrome,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        `--user-data-dir=${profile}`,
        // Lets the page finish loading and running its module before output.
        "--virtual-time-budget=10000",
        ...flags, url,
      ],
      { timeout: 60_000, maxBuffer: 16 << 20 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

test("demo page clusters the fixture like the host build", async () => {
  const dom = await chromium(`${base}/?fixture=/fixture.json`, "--dump-dom");
  const match = dom.match(/<pre id="result" data-status="(\w+)">([^<]*)<\/pre>/);
  assert.ok(match, `no result element in the page:\n${dom.slice(0, 2000)}`);
  assert.equal(match[1], "ok", `page reported: ${match[2]}`);
  const page = JSON.parse(match[2]);
  assert.deepEqual(page.centroids, expected.centroids.map(Math.fround));
  assert.deepEqual(page.labels, expected.labels);
  assert.equal(page.inertia, expected.inertia);
  assert.equal(page.nIter, expected.n_iter);
  console.log(`chromium: ${page.labels.length} points, inertia ${page.inertia} == host`);
});

test("demo page renders to a screenshot", async () => {
  const png = `${out}/demo.png`;
  await chromium(`${base}/?fixture=/fixture.json`, `--screenshot=${png}`, "--window-size=560,720");
  const bytes = readFileSync(png);
  assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from("PNG")]);
  assert.ok(bytes.length > 5000, `screenshot suspiciously small: ${bytes.length} bytes`);
  console.log(`screenshot: ${png} (${bytes.length} bytes)`);
});
