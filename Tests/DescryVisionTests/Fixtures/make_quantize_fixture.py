#!/usr/bin/env python3
"""Writes models/quantize/mlp.onnx, the fixture of ONNXQuantizerTests: a small float32 graph with
every case the int8 quantizer meets:
  - two MatMuls reading the same input x with their own 2-D weights (one DynamicQuantizeLinear);
  - a MatMul whose weight W3 is also read by another node (W3's float copy must stay);
  - a MatMul whose second input is computed (Identity of an initializer): left in float32;
  - a Gemm: left in float32, as onnxruntime's quantize_dynamic does;
  - a doc string and metadata, which must come through byte for byte.
  python3 Tests/DescryVisionTests/Fixtures/make_quantize_fixture.py   (needs onnx, numpy)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rng = np.random.default_rng(5)

    def w(name, *shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.5).astype(np.float32), name)

    inits = [w("W1", 16, 32), w("b1", 32), w("W2", 16, 32), w("W3", 32, 8), w("G", 32, 8), w("W4", 8, 8),
             numpy_helper.from_array(np.array([0], np.int64), "axis0")]
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["h1"], name="fc1"),
        helper.make_node("Add", ["h1", "b1"], ["a1"], name="bias1"),
        helper.make_node("Relu", ["a1"], ["r1"], name="relu1"),
        helper.make_node("MatMul", ["x", "W2"], ["h2"], name="fc2"),
        helper.make_node("Add", ["r1", "h2"], ["s"], name="sum"),
        helper.make_node("MatMul", ["s", "W3"], ["h3"], name="fc3"),
        helper.make_node("ReduceSum", ["W3", "axis0"], ["w3_sum"], name="w3_sum", keepdims=0),
        helper.make_node("Gemm", ["s", "G"], ["g"], name="gemm"),
        helper.make_node("Identity", ["W4"], ["W4_copy"], name="copy"),
        helper.make_node("MatMul", ["h3", "W4_copy"], ["m"], name="computed_b"),
        helper.make_node("Add", ["m", "g"], ["mg"], name="add_mg"),
        helper.make_node("Add", ["mg", "h3"], ["y"], name="out"),
    ]
    graph = helper.make_graph(
        nodes, "quantize_fixture",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 8]),
         helper.make_tensor_value_info("w3_sum", TensorProto.FLOAT, [8])],
        inits, doc_string="Descry quantizer fixture")
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="descry-fixture")
    model.ir_version = 8
    helper.set_model_props(model, {"purpose": "ONNXQuantizerTests"})
    onnx.checker.check_model(model)
    out = os.path.join(HERE, "models", "quantize")
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, "mlp.onnx"))


if __name__ == "__main__":
    main()
