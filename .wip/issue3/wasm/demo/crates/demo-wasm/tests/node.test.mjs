// The nodejs-target bindings must reproduce the host build bit for bit.
// Run by `nox -s wasm`, or by hand after it has built once:
//   node --test crates/demo-wasm/tests/node.test.mjs
// DEMO_WASM_OUT overrides where the bindings and fixture.json were written.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const out = process.env.DEMO_WASM_OUT ?? fileURLToPath(new URL("../../../target/wasm", import.meta.url));
// `--target nodejs` emits CommonJS.
const { KMeans, StandardScaler } = createRequire(import.meta.url)(`${out}/node/demo_wasm.js`);
const expected = JSON.parse(readFileSync(`${out}/fixture.json`, "utf8"));

// The fixture holds the shortest decimals of f32 values; fround restores them exactly.
const f32 = (values) => values.map(Math.fround);
const x = new Float32Array(expected.x);
const d = expected.n_features;

test("KMeans matches the host build", () => {
  const model = new KMeans(expected.n_clusters, expected.seed);
  model.fit(x, d);
  assert.ok(model.centroids instanceof Float32Array);
  assert.deepEqual(Array.from(model.centroids), f32(expected.centroids));
  assert.deepEqual(Array.from(model.predict(x)), expected.labels);
  assert.equal(model.inertia, expected.inertia);
  assert.equal(model.nIter, expected.n_iter);
  assert.deepEqual(Array.from(model.predict(new Float32Array(expected.probe))), expected.probe_labels);
  model.free();
});

test("StandardScaler matches the host build", () => {
  const scaler = new StandardScaler(d);
  scaler.fit(x);
  assert.deepEqual(Array.from(scaler.mean), expected.mean);
  assert.deepEqual(Array.from(scaler.scale), expected.scale);
  assert.equal(scaler.nSamplesSeen, x.length / d);
  const scaled = scaler.transform(x);
  assert.deepEqual(Array.from(scaled), f32(expected.scaled));
  const restored = scaler.inverseTransform(scaled);
  restored.forEach((v, i) => assert.ok(Math.abs(v - x[i]) < 1e-5, `value ${i}: ${v} != ${x[i]}`));

  // partialFit over two batches gives the same statistics up to rounding.
  const streamed = new StandardScaler(d);
  streamed.partialFit(x.subarray(0, 100));
  streamed.partialFit(x.subarray(100));
  streamed.mean.forEach((m, i) => assert.ok(Math.abs(m - expected.mean[i]) < 1e-12));
  scaler.free();
  streamed.free();
});

test("core errors become JS exceptions with the core message", () => {
  const model = new KMeans(expected.n_clusters, expected.seed);
  assert.throws(() => model.fit(x.subarray(0, 4), d), { name: "Error", message: expected.error_too_few });
  assert.throws(() => model.fit(x.subarray(0, 3), d), { name: "Error", message: expected.error_shape });
  assert.throws(() => model.predict(x), /not fitted/);
  assert.throws(() => model.centroids, /not fitted/);
  assert.throws(() => new KMeans(2, 0, 0).fit(x, d), { message: "invalid parameter max_iter: must be at least 1" });

  const scaler = new StandardScaler(d);
  assert.throws(() => scaler.fit(new Float32Array([1, NaN])), { name: "Error", message: expected.error_non_finite });
  assert.equal(scaler.nSamplesSeen, 0, "a failed fit leaves the scaler unchanged");
  // Still usable after an exception (a panic would have poisoned the module).
  model.fit(x, d);
  assert.equal(model.inertia, expected.inertia);
});
