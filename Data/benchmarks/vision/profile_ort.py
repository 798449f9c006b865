#!/usr/bin/env python3
"""Development only: per-op-type time of one ONNX graph in onnxruntime-python's own profiler, and
the op types of the graph ORT optimised (which fusions fired). Same settings as `descry bench
vision`: CPU provider, 2 intra-op threads, ORT_ENABLE_ALL, a float32 batch of random pixels.

  python3 Data/benchmarks/vision/profile_ort.py .deps/bench/clip-b32/vision_model.onnx --batch 32 --runs 3
Prints JSON: images/s of the timed runs, op-type totals of kernel time (ms per batch, share, nodes)
and the op-type counts of the graph ORT optimised (which fusions fired). The profiler itself
adds some overhead; --no-profile times only.
"""
import argparse
import collections
import json
import os
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--no-profile", action="store_true", help="time only (the profiler adds overhead)")
    p.add_argument("--no-spin", action="store_true", help="intra-op threads sleep instead of spinning between ops")
    a = p.parse_args()
    tmp = tempfile.mkdtemp()
    so = ort.SessionOptions()
    so.intra_op_num_threads = a.threads
    so.inter_op_num_threads = 1
    if a.no_spin:
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.optimized_model_filepath = os.path.join(tmp, "optimised.onnx")
    if not a.no_profile:
        so.enable_profiling = True
        so.profile_file_prefix = os.path.join(tmp, "prof")
    sess = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    x = np.random.default_rng(0).standard_normal((a.batch, 3, a.size, a.size)).astype(np.float32)
    sess.run(None, {name: x})  # warm-up
    times = []
    for _ in range(a.runs):
        t = time.perf_counter()
        sess.run(None, {name: x})
        times.append(time.perf_counter() - t)
    out = {"model": a.model, "batch": a.batch, "threads": a.threads,
           "images_per_s": [round(a.batch / t, 2) for t in times]}
    optimised = onnx.load(so.optimized_model_filepath, load_external_data=False)
    out["optimised_op_types"] = dict(collections.Counter(
        (n.domain + "." if n.domain else "") + n.op_type for n in optimised.graph.node).most_common())
    if not a.no_profile:
        path = sess.end_profiling()
        events = json.load(open(path))
        per_type = collections.defaultdict(float)
        count = collections.Counter()
        nodes = 0
        for e in events:
            if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
                op = e["args"]["op_name"]
                per_type[op] += e["dur"]
                count[op] += 1
        total = sum(per_type.values())
        runs = a.runs + 1
        out["kernel_ms_per_batch"] = round(total / 1000 / runs, 1)
        out["op_types"] = [{"op": k, "ms_per_batch": round(v / 1000 / runs, 2), "share": round(v / total, 4),
                            "nodes_per_run": count[k] // runs}
                           for k, v in sorted(per_type.items(), key=lambda kv: -kv[1])]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
