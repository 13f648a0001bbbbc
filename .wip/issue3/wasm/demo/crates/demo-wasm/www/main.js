// Clusters 2-D points with the wasm module and draws them. No bundler: the
// `--target web` bindings are plain ES modules loaded from ./pkg/.
// `?fixture=URL` clusters the points of a JSON fixture instead of random ones.
import init, { KMeans } from "./pkg/demo_wasm.js";

const COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"];
const result = document.getElementById("result");

/** `n` random points around `k` random centres, row-major. */
function randomBlobs(n, k) {
  const centres = Array.from({ length: k }, () => [Math.random() * 20 - 10, Math.random() * 20 - 10]);
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = centres[i % k];
    x[2 * i] = cx + (Math.random() + Math.random() + Math.random() - 1.5) * 2;
    x[2 * i + 1] = cy + (Math.random() + Math.random() + Math.random() - 1.5) * 2;
  }
  return x;
}

function draw(canvas, x, labels, centroids) {
  const ctx = canvas.getContext("2d");
  let [xmin, xmax, ymin, ymax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < x.length; i += 2) {
    [xmin, xmax] = [Math.min(xmin, x[i]), Math.max(xmax, x[i])];
    [ymin, ymax] = [Math.min(ymin, x[i + 1]), Math.max(ymax, x[i + 1])];
  }
  const pad = 20;
  const sx = (v) => pad + ((v - xmin) / (xmax - xmin || 1)) * (canvas.width - 2 * pad);
  const sy = (v) => canvas.height - pad - ((v - ymin) / (ymax - ymin || 1)) * (canvas.height - 2 * pad);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < labels.length; i++) {
    ctx.fillStyle = COLORS[labels[i] % COLORS.length];
    ctx.beginPath();
    ctx.arc(sx(x[2 * i]), sy(x[2 * i + 1]), 3, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.strokeStyle = "#000";
  ctx.lineWidth = 3;
  for (let c = 0; c < centroids.length; c += 2) {
    const [px, py] = [sx(centroids[c]), sy(centroids[c + 1])];
    ctx.beginPath();
    ctx.moveTo(px - 8, py - 8); ctx.lineTo(px + 8, py + 8);
    ctx.moveTo(px - 8, py + 8); ctx.lineTo(px + 8, py - 8);
    ctx.stroke();
  }
}

async function main() {
  await init(); // fetches and instantiates pkg/demo_wasm_bg.wasm
  const fixtureUrl = new URLSearchParams(location.search).get("fixture");
  let x, k, seed;
  if (fixtureUrl) {
    const fixture = await (await fetch(fixtureUrl)).json();
    [x, k, seed] = [new Float32Array(fixture.x), fixture.n_clusters, fixture.seed];
  } else {
    [x, k, seed] = [randomBlobs(300, 3), 3, 0];
  }
  const model = new KMeans(k, seed);
  const start = performance.now();
  model.fit(x, 2);
  const ms = performance.now() - start;
  const labels = model.predict(x);
  const centroids = model.centroids;
  draw(document.getElementById("plot"), x, labels, centroids);
  document.getElementById("summary").textContent =
    `${labels.length} points, ${k} clusters, inertia ${model.inertia.toFixed(2)}, ` +
    `${model.nIter} iterations, ${ms.toFixed(2)} ms`;
  result.textContent = JSON.stringify({
    centroids: Array.from(centroids),
    labels: Array.from(labels),
    inertia: model.inertia,
    nIter: model.nIter,
  });
  model.free();
  result.dataset.status = "ok";
}

main().catch((err) => {
  result.textContent = String(err);
  result.dataset.status = "error";
});
