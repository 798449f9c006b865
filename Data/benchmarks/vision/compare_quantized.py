#!/usr/bin/env python3
"""Development check of `descry models quantize` against ONNX Runtime's own quantizer.

  python3 Data/benchmarks/vision/compare_quantized.py FLOAT.onnx DESCRY_INT8.onnx

Runs `onnxruntime.quantization.quantize_dynamic(FLOAT, op_types_to_quantize=["MatMul"])` (its
defaults otherwise: per-tensor, int8 weights) into a temporary file, then prints: the op types of
both graphs, whether every int8 weight and scale is identical, and, on random inputs (image
graphs: normal pixels; text graphs: random token ids), the largest difference between the two
quantized graphs' outputs and each one's mean cosine to the float32 graph.
Needs `pip install onnx onnxruntime numpy`; never used by descry at run time.
"""
import collections
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import quantize_dynamic


def feeds(session, batch=8, seed=0):
    rng = np.random.default_rng(seed)
    out = {}
    for i in session.get_inputs():
        shape = [d if isinstance(d, int) and d > 0 else batch for d in i.shape]
        if "int" in i.type:
            dtype = np.int64 if "int64" in i.type else np.int32
            if "mask" in i.name:
                out[i.name] = np.ones(shape, dtype=dtype)
            else:
                ids = rng.integers(1, 49000, size=shape).astype(dtype)
                ids[:, 0], ids[:, -1] = 49406, 49407
                out[i.name] = ids
        else:
            out[i.name] = rng.standard_normal(shape).astype(np.float32)
    return out


def cosine(a, b):
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    return float(np.mean(np.sum(a * b, 1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))))


def main():
    src, mine = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        theirs = f"{tmp}/ort.onnx"
        quantize_dynamic(src, theirs, op_types_to_quantize=["MatMul"])
        a, b = onnx.load(mine), onnx.load(theirs)
        ca = collections.Counter(n.op_type for n in a.graph.node)
        cb = collections.Counter(n.op_type for n in b.graph.node)
        print("op types, descry:", dict(sorted(ca.items())))
        print("op types, ORT:   ", dict(sorted(cb.items())))
        print("same op counts:", ca == cb)
        ia = {i.name: numpy_helper.to_array(i) for i in a.graph.initializer}
        ib = {i.name: numpy_helper.to_array(i) for i in b.graph.initializer}
        q = [n for n in ib if n.endswith("_quantized") or n.endswith("_scale") or n.endswith("_zero_point")]
        missing = [n for n in q if n not in ia]
        differ = [n for n in q if n in ia and not (ia[n].dtype == ib[n].dtype and np.array_equal(ia[n], ib[n]))]
        print(f"quantized initializers: {len(q)} in ORT's graph; missing in descry's: {len(missing)}; "
              f"differing: {len(differ)}")
        for n in differ[:5]:
            d = np.abs(ia[n].astype(np.float64) - ib[n].astype(np.float64))
            print(f"  {n}: {ia[n].dtype} vs {ib[n].dtype}, max |diff| {d.max()}, {int((d > 0).sum())} of {d.size} differ")
        print("float initializers, descry / ORT:", sum(1 for v in ia.values() if v.dtype == np.float32),
              "/", sum(1 for v in ib.values() if v.dtype == np.float32))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        sf, sa, sb = (ort.InferenceSession(p, opts, providers=["CPUExecutionProvider"]) for p in (src, mine, theirs))
        f = feeds(sf)
        of, oa, ob = (s.run(None, f)[0] for s in (sf, sa, sb))
        print(f"outputs: max |descry - ORT| {np.abs(oa - ob).max():.3g}; mean cosine to float32: "
              f"descry {cosine(oa, of):.6f}, ORT {cosine(ob, of):.6f}")


if __name__ == "__main__":
    main()
