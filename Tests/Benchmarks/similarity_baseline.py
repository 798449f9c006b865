"""numpy float32 matmul on the matrices `descry bench analysis` wrote (a.f32: rows x dim,
b.f32: classes x dim), best of 5, and the largest difference from Descry's product (c.f32).
Prints JSON. Thread count follows OPENBLAS_NUM_THREADS / OMP_NUM_THREADS as set by the caller."""
import argparse, json, time
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--rows", type=int, required=True)
ap.add_argument("--classes", type=int, required=True)
ap.add_argument("--dim", type=int, required=True)
args = ap.parse_args()
a = np.fromfile(f"{args.dir}/a.f32", dtype="<f4").reshape(args.rows, args.dim)
b = np.fromfile(f"{args.dir}/b.f32", dtype="<f4").reshape(args.classes, args.dim)
c = np.fromfile(f"{args.dir}/c.f32", dtype="<f4").reshape(args.rows, args.classes)
best = float("inf")
for _ in range(5):
    t = time.perf_counter()
    out = a @ b.T
    best = min(best, time.perf_counter() - t)
print(json.dumps({"numpy_ms": best * 1000, "numpy_gflops": 2 * args.rows * args.classes * args.dim / best / 1e9,
                  "max_abs_diff": float(np.abs(out - c).max()), "numpy": np.__version__}))
