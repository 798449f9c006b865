#!/usr/bin/env python3
"""Tiny ONNX models with Hugging Face CLIP export signatures, and reference outputs from
onnxruntime-python, for DescryVision's model tests. Needs `pip install onnx onnxruntime numpy pillow`
and `make deps` (for open_clip's tokenizer, read from the wheel).

  python3 Tests/DescryVisionTests/Fixtures/make_onnx_fixtures.py

Writes models/tiny-clip/{text_model,vision_model}.onnx (inputs input_ids+attention_mask →
text_embeds; pixel_values[batch,3,32,32] → image_embeds), models/wrong-inputs/*.onnx (inputs
named differently), models/fp16.onnx (float16 in and out), models/not-onnx/*.onnx (text), and
models/reference.json with the L2-normalized embeddings of a few texts and images.
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "models")
DIM = 8
SIZE = 32


def save(model, path):
    model.opset_import[0].version = 17
    model.ir_version = 8
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    onnx.save(model, path)


def text_model(ids_name="input_ids", mask_name="attention_mask", out_name="text_embeds", batch="batch_size"):
    rng = np.random.default_rng(11)  # same weights in every variant
    table = numpy_helper.from_array(rng.normal(size=(97, DIM)).astype(np.float32), "table")
    proj = numpy_helper.from_array(rng.normal(size=(DIM, DIM)).astype(np.float32), "proj")
    modulus = numpy_helper.from_array(np.array(97, np.int64), "modulus")
    axis1 = numpy_helper.from_array(np.array([1], np.int64), "axis1")
    axis2 = numpy_helper.from_array(np.array([2], np.int64), "axis2")
    nodes = [
        helper.make_node("Mod", [ids_name, "modulus"], ["small_ids"]),
        helper.make_node("Gather", ["table", "small_ids"], ["emb"]),                 # [b, s, D]
        helper.make_node("Cast", [mask_name], ["maskf"], to=TensorProto.FLOAT),      # [b, s]
        helper.make_node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),                # [b, s, 1]
        helper.make_node("Mul", ["emb", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis1"], ["summed"], keepdims=0),  # [b, D]
        helper.make_node("ReduceSum", ["mask3", "axis1"], ["count"], keepdims=0),    # [b, 1]
        helper.make_node("Div", ["summed", "count"], ["mean"]),
        helper.make_node("MatMul", ["mean", "proj"], [out_name]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_text",
        [helper.make_tensor_value_info(ids_name, TensorProto.INT64, [batch, "sequence_length"]),
         helper.make_tensor_value_info(mask_name, TensorProto.INT64, [batch, "sequence_length"])],
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, [batch, DIM])],
        [table, proj, modulus, axis1, axis2])
    return helper.make_model(graph)


def vision_model(in_name="pixel_values", out_name="image_embeds", batch="batch_size"):
    rng = np.random.default_rng(12)  # same weights in every variant
    w = numpy_helper.from_array(rng.normal(size=(DIM, 3, 8, 8)).astype(np.float32) * 0.1, "w")
    b = numpy_helper.from_array(rng.normal(size=(DIM,)).astype(np.float32), "b")
    nodes = [
        helper.make_node("Conv", [in_name, "w", "b"], ["conv"], kernel_shape=[8, 8], strides=[8, 8]),
        helper.make_node("Relu", ["conv"], ["act"]),
        helper.make_node("ReduceMean", ["act"], [out_name], axes=[2, 3], keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "tiny_vision",
        [helper.make_tensor_value_info(in_name, TensorProto.FLOAT, [batch, 3, SIZE, SIZE])],
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, [batch, DIM])],
        [w, b])
    return helper.make_model(graph)


def fp16_model():
    two = numpy_helper.from_array(np.array([2.0], np.float16), "two")
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["y"])], "fp16",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT16, ["n"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["n"])], [two])
    return helper.make_model(graph)


def main():
    sys.path.insert(0, HERE)
    from make_tokenizer_fixture import load_open_clip  # noqa: E402
    import glob
    root = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
    wheel = sorted(glob.glob(os.path.join(root, ".deps/wheels/open_clip_torch-*.whl")))[-1]
    tok = load_open_clip(wheel)
    from make_image_fixtures import preprocess  # noqa: E402
    from PIL import Image

    tiny = os.path.join(OUT, "tiny-clip")
    save(text_model(), os.path.join(tiny, "text_model.onnx"))
    save(vision_model(), os.path.join(tiny, "vision_model.onnx"))
    save(text_model(ids_name="tokens", mask_name="mask"), os.path.join(OUT, "wrong-inputs", "text_model.onnx"))
    save(vision_model(in_name="image"), os.path.join(OUT, "wrong-inputs", "vision_model.onnx"))
    save(fp16_model(), os.path.join(OUT, "fp16.onnx"))
    # The same weights exported with fixed batch sizes (3 texts, 2 images per run).
    save(text_model(batch=3), os.path.join(OUT, "fixed-batch", "text_model.onnx"))
    save(vision_model(batch=2), os.path.join(OUT, "fixed-batch", "vision_model.onnx"))
    os.makedirs(os.path.join(OUT, "not-onnx"), exist_ok=True)
    for name in ("text_model.onnx", "vision_model.onnx"):
        with open(os.path.join(OUT, "not-onnx", name), "w") as f:
            f.write("this is not an ONNX protobuf\n")

    texts = ["a photo of a dog.", "a photo of a cat.", "", "The Bengal's coat is spotted &amp; marbled. " * 8]
    ids = np.zeros((len(texts), 77), np.int64)
    for i, t in enumerate(texts):
        tokens = [49406] + tok.encode(t) + [49407]
        if len(tokens) > 77:
            tokens = tokens[:77]
            tokens[-1] = 49407
        ids[i, :len(tokens)] = tokens
    mask = (ids != 0).astype(np.int64)
    text_sess = ort.InferenceSession(os.path.join(tiny, "text_model.onnx"), providers=["CPUExecutionProvider"])
    t_emb = text_sess.run(["text_embeds"], {"input_ids": ids, "attention_mask": mask})[0]
    t_emb = t_emb / np.linalg.norm(t_emb, axis=1, keepdims=True)

    images = ["photo.jpg", "rgb.png", "gray.png"]
    mean = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)[:, None, None]
    std = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)[:, None, None]
    px = []
    for name in images:
        img = Image.open(os.path.join(HERE, "images", name))
        arr = np.asarray(preprocess(img, SIZE, "round"), np.float32).transpose(2, 0, 1) / np.float32(255)
        px.append((arr - mean) / std)
    vis_sess = ort.InferenceSession(os.path.join(tiny, "vision_model.onnx"), providers=["CPUExecutionProvider"])
    i_emb = vis_sess.run(["image_embeds"], {"pixel_values": np.stack(px)})[0]
    i_emb = i_emb / np.linalg.norm(i_emb, axis=1, keepdims=True)

    manifest = {
        "format_version": 1, "text_model": "text_model.onnx", "image_model": "vision_model.onnx",
        "tokenizer": {"kind": "open_clip"}, "context_length": 77, "image_size": SIZE,
        "resize_mode": "shortest", "crop_rounding": "round",
        "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711],
        "text_input_ids": "input_ids", "text_attention_mask": "attention_mask", "text_output": "text_embeds",
        "image_input": "pixel_values", "image_output": "image_embeds", "embedding_dim": DIM,
        "outputs_normalized": False,
    }
    for folder in (tiny, os.path.join(OUT, "fixed-batch")):
        with open(os.path.join(folder, "descry-model.json"), "w") as f:
            json.dump(manifest, f, indent=2, sort_keys=True)
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump({"texts": texts, "text_embeds": t_emb.tolist(), "images": images,
                   "image_embeds": i_emb.tolist(), "dimension": DIM, "image_size": SIZE,
                   "onnxruntime": ort.__version__}, f, indent=1)
    print("wrote models to", OUT)


if __name__ == "__main__":
    main()
