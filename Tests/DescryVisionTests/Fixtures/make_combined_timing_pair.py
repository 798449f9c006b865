#!/usr/bin/env python3
"""A medium random-weight CLIP-shaped model (not a ViT, but real per-item cost in each tower:
a 32 px patch convolution and 4 MLP blocks of 512→2048→512 per tower, a 49,408-token table),
written both split and combined from the same weights, to time what the combined layout
(optimum's model.onnx) costs against the split one; and a check, with onnxruntime-python,
of whether ORT skips the nodes an unrequested output needs. Nothing it writes is committed.

  python3 Tests/DescryVisionTests/Fixtures/make_combined_timing_pair.py --out /tmp/pair
  .build/debug/descry bench vision --model /tmp/pair/split --texts-from /nonexistent --threads 1 --batch 32
  .build/debug/descry bench vision --model /tmp/pair/combined --texts-from /nonexistent --threads 1 --batch 32
"""
import argparse
import os
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

D, H, L = 512, 2048, 4


def build(out):
    rng = np.random.default_rng(0)

    def w(name, shape, s=0.02):
        return numpy_helper.from_array((rng.normal(size=shape) * s).astype(np.float32), name)

    tinit = [w("tab", (49408, D), 0.5), numpy_helper.from_array(np.array([2], np.int64), "ax2")]
    tnodes = [helper.make_node("Gather", ["tab", "input_ids"], ["x0"])]
    for k in range(L):
        tinit += [w("ta%d" % k, (D, H)), w("tb%d" % k, (H, D))]
        tnodes += [helper.make_node("MatMul", ["x%d" % k, "ta%d" % k], ["h%d" % k]),
                   helper.make_node("Relu", ["h%d" % k], ["r%d" % k]),
                   helper.make_node("MatMul", ["r%d" % k, "tb%d" % k], ["m%d" % k]),
                   helper.make_node("Add", ["x%d" % k, "m%d" % k], ["x%d" % (k + 1)])]
    tnodes += [helper.make_node("Cast", ["attention_mask"], ["mf"], to=TensorProto.FLOAT),
               helper.make_node("Unsqueeze", ["mf", "ax2"], ["mask3"]),
               helper.make_node("Mul", ["x%d" % L, "mask3"], ["xm"]),
               helper.make_node("ReduceMean", ["xm"], ["text_embeds"], axes=[1], keepdims=0)]
    vinit = [w("patch", (D, 3, 32, 32)), numpy_helper.from_array(np.array([0, D, -1], np.int64), "shape")]
    vnodes = [helper.make_node("Conv", ["pixel_values", "patch"], ["p"], kernel_shape=[32, 32], strides=[32, 32]),
              helper.make_node("Reshape", ["p", "shape"], ["pr"]),
              helper.make_node("Transpose", ["pr"], ["y0"], perm=[0, 2, 1])]
    for k in range(L):
        vinit += [w("va%d" % k, (D, H)), w("vb%d" % k, (H, D))]
        vnodes += [helper.make_node("MatMul", ["y%d" % k, "va%d" % k], ["g%d" % k]),
                   helper.make_node("Relu", ["g%d" % k], ["q%d" % k]),
                   helper.make_node("MatMul", ["q%d" % k, "vb%d" % k], ["n%d" % k]),
                   helper.make_node("Add", ["y%d" % k, "n%d" % k], ["y%d" % (k + 1)])]
    vnodes.append(helper.make_node("ReduceMean", ["y%d" % L], ["image_embeds"], axes=[1], keepdims=0))
    ti = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["tb", 77]),
          helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["tb", 77])]
    vi = [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["ib", 3, 224, 224])]
    to = [helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["tb", D])]
    vo = [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["ib", D])]

    def save(nodes, inits, ins, outs, path):
        m = helper.make_model(helper.make_graph(nodes, "m", ins, outs, inits))
        m.opset_import[0].version = 17
        m.ir_version = 8
        os.makedirs(os.path.dirname(path), exist_ok=True)
        onnx.save(m, path)

    save(tnodes, tinit, ti, to, os.path.join(out, "split", "text_model.onnx"))
    save(vnodes, vinit, vi, vo, os.path.join(out, "split", "vision_model.onnx"))
    save(tnodes + vnodes, tinit + vinit, ti + vi, to + vo, os.path.join(out, "combined", "model.onnx"))


def pruning_check(out):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    s = ort.InferenceSession(os.path.join(out, "combined", "model.onnx"), so, providers=["CPUExecutionProvider"])
    ids = np.zeros((1, 77), np.int64)

    def ms(outputs, px, n=5):
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "pixel_values": px}
        s.run(outputs, feeds)
        start = time.perf_counter()
        for _ in range(n):
            s.run(outputs, feeds)
        return (time.perf_counter() - start) / n * 1000

    big = np.zeros((32, 3, 224, 224), np.float32)
    one = np.zeros((1, 3, 224, 224), np.float32)
    print("text_embeds only, 32 images fed:  %.1f ms" % ms(["text_embeds"], big))
    print("text_embeds only, 1 image fed:    %.1f ms" % ms(["text_embeds"], one))
    print("image_embeds only, 32 images fed: %.1f ms" % ms(["image_embeds"], big))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    build(args.out)
    pruning_check(args.out)
