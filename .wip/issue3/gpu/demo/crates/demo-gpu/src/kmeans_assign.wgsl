// k-means assignment step: nearest centroid (ties -> lowest index) and its
// squared distance for every sample.
//
// The distance is accumulated exactly like demo-core's CPU kernel
// (`float::squared_distance`): eight interleaved partial sums over full
// 8-column blocks, a sequential tail, then the fixed pairwise combination
// ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + tail. Mirroring the
// order keeps labels and distances bit-identical to the CPU wherever the
// driver does not contract `a * b + c` into a fused multiply-add.

struct Params {
    n_samples: u32,
    n_features: u32,
    n_clusters: u32,
    _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> centroids: array<f32>;
@group(0) @binding(3) var<storage, read_write> labels: array<u32>;
@group(0) @binding(4) var<storage, read_write> distances: array<f32>;

const WORKGROUP_SIZE: u32 = 256u;

fn squared_distance(row: u32, centroid: u32) -> f32 {
    let d = params.n_features;
    let blocks = d / 8u;
    var acc = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (var b = 0u; b < blocks; b++) {
        for (var l = 0u; l < 8u; l++) {
            let j = b * 8u + l;
            let diff = x[row + j] - centroids[centroid + j];
            acc[l] = acc[l] + diff * diff;
        }
    }
    var tail = 0.0;
    for (var j = blocks * 8u; j < d; j++) {
        let diff = x[row + j] - centroids[centroid + j];
        tail = tail + diff * diff;
    }
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
}

@compute @workgroup_size(256)
fn assign(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    // 2-D dispatch so more than 65535 * 256 samples fit in one call.
    let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
    if i >= params.n_samples {
        return;
    }
    let row = i * params.n_features;
    var best = 0u;
    var best_dist = squared_distance(row, 0u);
    for (var c = 1u; c < params.n_clusters; c++) {
        let dist = squared_distance(row, c * params.n_features);
        if dist < best_dist {
            best = c;
            best_dist = dist;
        }
    }
    labels[i] = best;
    distances[i] = best_dist;
}
