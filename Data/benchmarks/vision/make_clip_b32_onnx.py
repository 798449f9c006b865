#!/usr/bin/env python3
"""Writes a CLIP ViT-B/32-sized model with random weights straight to ONNX with the `onnx`
package (no torch, no transformers, nothing downloaded), in the Hugging Face signature:
vision_model.onnx (pixel_values → image_embeds) and text_model.onnx (input_ids, attention_mask
→ text_embeds). Same shapes and arithmetic as openai/clip-vit-base-patch32: image tower 32 px
patches, width 768, 12 layers, 12 heads, MLP 3072, projection 512 (~4.4 G multiply-adds, 8.8 GFLOP, per image); text
tower width 512, 12 layers, 8 heads, causal mask, pooled at the highest token id (the EOS), as
Hugging Face's CLIP does. quick_gelu activations; weights N(0, 0.02), LayerNorm 1 / 0; seed 0.

  python3 Data/benchmarks/vision/make_clip_b32_onnx.py --out .deps/bench/clip-b32
Needs `pip install onnx numpy`. Writes ~600 MB. (export_clip_b32.py makes the same sizes via
torch.onnx.export when torch and transformers are installed.)
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Builder:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, base):
        self.n += 1
        return f"{base}_{self.n}"

    def const(self, base, array):
        name = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, base, shape):
        return self.const(base, (self.rng.standard_normal(shape) * 0.02).astype(np.float32))

    def op(self, op, inputs, **attrs):
        out = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def linear(self, x, n_in, n_out, bias=True):
        y = self.op("MatMul", [x, self.weight("w", (n_in, n_out))])
        return self.op("Add", [y, self.const("b", np.zeros(n_out, np.float32))]) if bias else y

    def layer_norm(self, x, width):
        return self.op("LayerNormalization", [x, self.const("ln_w", np.ones(width, np.float32)),
                                              self.const("ln_b", np.zeros(width, np.float32))], axis=-1, epsilon=1e-5)

    def block(self, x, width, heads, mlp, mask=None):
        head = width // heads
        h = self.layer_norm(x, width)
        q = self.op("Mul", [self.linear(h, width, width), self.const("scale", np.float32(head ** -0.5))])
        k, v = self.linear(h, width, width), self.linear(h, width, width)
        split = self.const("shape", np.array([0, -1, heads, head], np.int64))
        q, k, v = (self.op("Reshape", [t, split]) for t in (q, k, v))
        q = self.op("Transpose", [q], perm=[0, 2, 1, 3])
        k = self.op("Transpose", [k], perm=[0, 2, 3, 1])
        v = self.op("Transpose", [v], perm=[0, 2, 1, 3])
        s = self.op("MatMul", [q, k])
        if mask is not None:
            s = self.op("Add", [s, mask])
        p = self.op("Softmax", [s], axis=-1)
        o = self.op("Transpose", [self.op("MatMul", [p, v])], perm=[0, 2, 1, 3])
        o = self.op("Reshape", [o, self.const("shape", np.array([0, -1, width], np.int64))])
        x = self.op("Add", [x, self.linear(o, width, width)])
        h = self.linear(self.layer_norm(x, width), width, mlp)
        h = self.op("Mul", [h, self.op("Sigmoid", [self.op("Mul", [h, self.const("k", np.float32(1.702))])])])
        return self.op("Add", [x, self.linear(h, mlp, width)])

    def save(self, path, inputs, output, out_name, dim):
        self.nodes[-1].output[0] = out_name
        graph = helper.make_graph(self.nodes, "clip", inputs,
                                  [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["batch_size", dim])],
                                  self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="descry-bench")
        onnx.save(model, path)


def vision(path):
    b = Builder(0)
    width, patches = 768, 49
    x = b.op("Conv", ["pixel_values", b.weight("patch", (width, 3, 32, 32))], kernel_shape=[32, 32], strides=[32, 32])
    x = b.op("Transpose", [b.op("Reshape", [x, b.const("shape", np.array([0, width, -1], np.int64))])], perm=[0, 2, 1])
    batch = b.op("Unsqueeze", [b.op("Gather", [b.op("Shape", ["pixel_values"]), b.const("i", np.int64(0))]),
                               b.const("axes", np.array([0], np.int64))])
    cls_shape = b.op("Concat", [batch, b.const("shape", np.array([1, width], np.int64))], axis=0)
    cls = b.op("Expand", [b.weight("class", (1, 1, width)), cls_shape])
    x = b.op("Add", [b.op("Concat", [cls, x], axis=1), b.weight("pos", (patches + 1, width))])
    x = b.layer_norm(x, width)
    for _ in range(12):
        x = b.block(x, width, 12, 3072)
    x = b.op("Gather", [x, b.const("i", np.int64(0))], axis=1)
    x = b.linear(b.layer_norm(x, width), width, 512, bias=False)
    b.save(path, [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch_size", 3, 224, 224])],
           x, "image_embeds", 512)


def text(path):
    b = Builder(1)
    width, context = 512, 77
    x = b.op("Gather", [b.weight("tokens", (49408, width)), "input_ids"])
    x = b.op("Add", [x, b.weight("pos", (context, width))])
    causal = np.triu(np.full((context, context), -1e9, np.float32), 1)[None, None]
    pad = b.op("Mul", [b.op("Sub", [b.const("one", np.float32(1)), b.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)]),
                       b.const("neg", np.float32(-1e9))])
    pad = b.op("Unsqueeze", [pad, b.const("axes", np.array([1, 2], np.int64))])
    mask = b.op("Add", [pad, b.const("causal", causal)])
    for _ in range(12):
        x = b.block(x, width, 8, 2048, mask)
    x = b.layer_norm(x, width)
    eos = b.op("Unsqueeze", [b.op("ArgMax", ["input_ids"], axis=1, keepdims=0), b.const("axes", np.array([1, 2], np.int64))])
    shape = b.op("Concat", [b.op("Slice", [b.op("Shape", ["input_ids"]), b.const("s", np.array([0], np.int64)),
                                           b.const("e", np.array([1], np.int64))]),
                            b.const("shape", np.array([1, width], np.int64))], axis=0)
    x = b.op("GatherElements", [x, b.op("Expand", [eos, shape])], axis=1)
    x = b.op("Squeeze", [x, b.const("axes", np.array([1], np.int64))])
    x = b.linear(x, width, 512, bias=False)
    b.save(path, [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", context]),
                  helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", context])],
           x, "text_embeds", 512)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    vision(os.path.join(a.out, "vision_model.onnx"))
    text(os.path.join(a.out, "text_model.onnx"))
    print("wrote", a.out)


if __name__ == "__main__":
    main()
