#!/usr/bin/env python3
"""Tiny ONNX models with Hugging Face CLIP export signatures, and reference outputs from
onnxruntime-python, for DescryVision's model tests. Needs `pip install onnx onnxruntime numpy pillow`
and `make deps` (for open_clip's tokenizer, read from the wheel).

  python3 Tests/DescryVisionTests/Fixtures/make_onnx_fixtures.py

Writes models/tiny-clip/{text_model,vision_model}.onnx (inputs input_ids+attention_mask →
text_embeds; pixel_values[batch,3,32,32] → image_embeds), models/wrong-inputs/*.onnx (inputs
named differently), models/fp16.onnx (float16 in and out), models/not-onnx/*.onnx (text), and
models/reference.json with the L2-normalized embeddings of a few texts and images.

Export layouts (models/layouts/, references in models/layouts.json, each from onnxruntime-python
on the same files):
  int32-openclip/        textual.onnx + visual.onnx taking int32 input_ids/attention_mask
  optimum-combined/      one model.onnx (input_ids, attention_mask, pixel_values → text_embeds,
                         image_embeds, logits) + preprocessor_config.json
  xenova/                vocab.json, merges.txt, tokenizer.json, preprocessor_config.json,
                         config.json at the root (our own BPE of 60 merges, so its ids differ
                         from open_clip's); onnx/{text,vision}_model{,_fp16,_quantized}.onnx
  two-checkpoints/       ViT-B-32-{laion,openai}-{textual,visual}.onnx (different weights)
  mispaired/             ViT-B-32-laion-textual.onnx + ViT-B-32-openai-visual.onnx
  dynamic-336/           vision graph with free height/width that only runs at 336 px (a
                         positional table), config.json with vision_config.image_size = 336
  dynamic-free/          vision graph with free height/width that runs at any size, no config
  external-data/         text_model.onnx + text_model.onnx.data, vision_model.onnx +
                         vision_model.onnx_data (weights stored outside the graphs)
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


def save(model, path, external=None):
    model.opset_import[0].version = 17
    model.ir_version = 8
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if external:
        if os.path.exists(os.path.join(os.path.dirname(path), external)):
            os.remove(os.path.join(os.path.dirname(path), external))
        onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                  location=external, size_threshold=64)  # small int constants stay inline (shape inference reads them)
    else:
        onnx.save(model, path)


def text_model(ids_name="input_ids", mask_name="attention_mask", out_name="text_embeds", batch="batch_size",
               seed=11, int_type=TensorProto.INT64):
    rng = np.random.default_rng(seed)  # same weights in every variant of one seed
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
    if int_type != TensorProto.INT64:  # int32 ids: Mod and Gather take them as they are
        modulus = numpy_helper.from_array(np.array(97, np.int32), "modulus")
    graph = helper.make_graph(
        nodes, "tiny_text",
        [helper.make_tensor_value_info(ids_name, int_type, [batch, "sequence_length"]),
         helper.make_tensor_value_info(mask_name, int_type, [batch, "sequence_length"])],
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, [batch, DIM])],
        [table, proj, modulus, axis1, axis2])
    return helper.make_model(graph)


def vision_model(in_name="pixel_values", out_name="image_embeds", batch="batch_size", seed=12):
    rng = np.random.default_rng(seed)  # same weights in every variant of one seed
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


def fp16_variant(model):
    """The graph with float16 weights, float16 float inputs and float16 outputs (same names),
    computing in float32 inside through Casts, as ORT's CPU provider lacks float16 kernels
    for some ops."""
    graph = model.graph
    floats_in = {i.name for i in graph.input if i.type.tensor_type.elem_type == TensorProto.FLOAT}
    outs = {o.name for o in graph.output}
    nodes, inits = [], []
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype == np.float32:
            inits.append(numpy_helper.from_array(arr.astype(np.float16), init.name + "__h"))
            nodes.append(helper.make_node("Cast", [init.name + "__h"], [init.name], to=TensorProto.FLOAT))
        else:
            inits.append(init)
    for name in floats_in:
        nodes.append(helper.make_node("Cast", [name], [name + "__f32"], to=TensorProto.FLOAT))
    for node in graph.node:
        node = onnx.NodeProto.FromString(node.SerializeToString())
        node.input[:] = [n + "__f32" if n in floats_in else n for n in node.input]
        node.output[:] = [n + "__f32" if n in outs else n for n in node.output]
        nodes.append(node)
    for name in outs:
        nodes.append(helper.make_node("Cast", [name + "__f32"], [name], to=TensorProto.FLOAT16))

    def retyped(v):
        dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
        t = v.type.tensor_type.elem_type
        return helper.make_tensor_value_info(v.name, TensorProto.FLOAT16 if t == TensorProto.FLOAT else t, dims)

    g = helper.make_graph(nodes, graph.name + "_fp16", [retyped(i) for i in graph.input],
                          [retyped(o) for o in graph.output], inits)
    return helper.make_model(g)


def combined_model(scale=100.0):
    """optimum's combined CLIP: both towers in one graph, normalized embeds and logits."""
    t, v = text_model(), vision_model()
    nodes = list(t.graph.node) + list(v.graph.node)
    for node in nodes:
        node.output[:] = [{"text_embeds": "text_raw", "image_embeds": "image_raw"}.get(n, n) for n in node.output]
    inits = list(t.graph.initializer) + list(v.graph.initializer)
    inits.append(numpy_helper.from_array(np.array(scale, np.float32), "logit_scale"))
    for which in ("text", "image"):
        nodes += [
            helper.make_node("ReduceL2", [which + "_raw"], [which + "_norm"], axes=[1], keepdims=1),
            helper.make_node("Div", [which + "_raw", which + "_norm"], [which + "_embeds"]),
        ]
    nodes += [
        helper.make_node("Transpose", ["text_embeds"], ["text_t"], perm=[1, 0]),
        helper.make_node("MatMul", ["image_embeds", "text_t"], ["sims"]),
        helper.make_node("Mul", ["sims", "logit_scale"], ["logits_per_image"]),
        helper.make_node("Transpose", ["logits_per_image"], ["logits_per_text"], perm=[1, 0]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_combined",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["text_batch_size", "sequence_length"]),
         helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["image_batch_size", 3, SIZE, SIZE]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["text_batch_size", "sequence_length"])],
        [helper.make_tensor_value_info("logits_per_image", TensorProto.FLOAT, ["image_batch_size", "text_batch_size"]),
         helper.make_tensor_value_info("logits_per_text", TensorProto.FLOAT, ["text_batch_size", "image_batch_size"]),
         helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["text_batch_size", DIM]),
         helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["image_batch_size", DIM])],
        inits)
    return helper.make_model(graph)


def dynamic_vision_model(size=336, patch=16):
    """A vision graph with free height and width that runs only at `size` px: a positional
    table added after the patch convolution, as ViTs add position embeddings."""
    rng = np.random.default_rng(13)
    grid = size // patch
    w = numpy_helper.from_array(rng.normal(size=(DIM, 3, 1, 1)).astype(np.float32), "w")
    pos = numpy_helper.from_array(rng.normal(size=(1, DIM, grid, grid)).astype(np.float32), "pos")
    nodes = [
        helper.make_node("AveragePool", ["pixel_values"], ["patches"], kernel_shape=[patch, patch], strides=[patch, patch]),
        helper.make_node("Conv", ["patches", "w"], ["conv"], kernel_shape=[1, 1]),
        helper.make_node("Add", ["conv", "pos"], ["placed"]),
        helper.make_node("Relu", ["placed"], ["act"]),
        helper.make_node("ReduceMean", ["act"], ["image_embeds"], axes=[2, 3], keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "tiny_vision_dynamic",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch_size", 3, "height", "width"])],
        [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch_size", DIM])],
        [w, pos])
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
        "outputs_normalized": False, "text_input_type": "int64",
    }
    for folder in (tiny, os.path.join(OUT, "fixed-batch")):
        with open(os.path.join(folder, "descry-model.json"), "w") as f:
            json.dump(manifest, f, indent=2, sort_keys=True)
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump({"texts": texts, "text_embeds": t_emb.tolist(), "images": images,
                   "image_embeds": i_emb.tolist(), "dimension": DIM, "image_size": SIZE,
                   "onnxruntime": ort.__version__}, f, indent=1)
    make_layouts(tok, texts, images)
    print("wrote models to", OUT)


CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)


def token_ids(tok, texts, sot=49406, eot=49407):
    ids = np.zeros((len(texts), 77), np.int64)
    for i, t in enumerate(texts):
        tokens = [sot] + tok.encode(t) + [eot]
        if len(tokens) > 77:
            tokens = tokens[:77]
            tokens[-1] = eot
        ids[i, :len(tokens)] = tokens
    return ids


def pixels(images, size, rounding, mean=CLIP_MEAN, std=CLIP_STD):
    from make_image_fixtures import preprocess  # noqa: E402
    from PIL import Image
    m = np.array(mean, np.float32)[:, None, None]
    s = np.array(std, np.float32)[:, None, None]
    out = []
    for name in images:
        img = Image.open(os.path.join(HERE, "images", name))
        arr = np.asarray(preprocess(img, size, rounding), np.float32).transpose(2, 0, 1) / np.float32(255)
        out.append((arr - m) / s)
    return np.stack(out)


def run(path, outputs, feeds):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    out = sess.run(outputs, feeds)[0].astype(np.float32)
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).tolist()


TRAINING_TEXT = """a photo of a dog. a photo of a cat. the coat is spotted and marbled.
a small photo of the dog on the grass. a cat on a mat. the bengal's coat is spotted."""


def tiny_bpe(tokenizer_module):
    """Our own tiny BPE (60 merges learnt from TRAINING_TEXT, nothing copied from CLIP's
    vocabulary) as a gzipped open_clip-format file (temporary, read by open_clip's own
    tokenizer code for the reference ids) and as Hugging Face vocab.json / merges.txt (committed)."""
    import collections
    import gzip
    import re
    import tempfile
    words = collections.Counter(re.findall(r"[a-z]+|[^\sa-z]", TRAINING_TEXT.lower()))
    split = {w: tuple(w[:-1]) + (w[-1] + "</w>",) for w in words}
    merges = []
    for _ in range(60):
        pairs = collections.Counter()
        for w, n in words.items():
            for a, b in zip(split[w], split[w][1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        merges.append(a + " " + b)
        for w in split:
            sym, out, i = split[w], [], 0
            while i < len(sym):
                if i + 1 < len(sym) and sym[i] == a and sym[i + 1] == b:
                    out.append(a + b); i += 2
                else:
                    out.append(sym[i]); i += 1
            split[w] = tuple(out)
    header = "#version: 0.2 - Descry test fixture"
    tmp = os.path.join(tempfile.mkdtemp(prefix="descry-bpe-"), "tiny_bpe.txt.gz")
    with gzip.open(tmp, "wb") as f:
        f.write("\n".join([header] + merges).encode("utf-8"))  # no trailing newline: open_clip keeps every line
    byte_symbols = list(tokenizer_module.bytes_to_unicode().values())
    vocab = byte_symbols + [v + "</w>" for v in byte_symbols] + ["".join(m.split()) for m in merges]
    hf_vocab = {v: i for i, v in enumerate(vocab)}
    hf_vocab["<|startoftext|>"] = len(vocab)
    hf_vocab["<|endoftext|>"] = len(vocab) + 1
    tok = tokenizer_module.SimpleTokenizer(bpe_path=tmp)
    return tok, hf_vocab, header + "\n" + "\n".join(merges) + "\n", len(vocab), len(vocab) + 1


def make_layouts(tok, texts, images):
    import shutil
    from onnxruntime.quantization import QuantType, quantize_dynamic
    import tokenizer as tokenizer_module  # the wheel's, imported by load_open_clip
    root = os.path.join(OUT, "layouts")
    if os.path.exists(root):
        shutil.rmtree(root)
    ref = {"texts": texts, "images": images, "onnxruntime": ort.__version__}
    ids = token_ids(tok, texts)
    mask = (ids != 0).astype(np.int64)
    px32 = pixels(images, SIZE, "round")

    # clip-as-service / open_clip-style: int32 token inputs, other output names.
    d = os.path.join(root, "int32-openclip")
    save(text_model(out_name="output", int_type=TensorProto.INT32), os.path.join(d, "textual.onnx"))
    save(vision_model(out_name="output"), os.path.join(d, "visual.onnx"))
    ref["int32-openclip"] = {
        "text_embeds": run(os.path.join(d, "textual.onnx"), ["output"],
                           {"input_ids": ids.astype(np.int32), "attention_mask": mask.astype(np.int32)}),
        "image_embeds": run(os.path.join(d, "visual.onnx"), ["output"], {"pixel_values": px32})}

    # optimum's combined model.onnx, with Hugging Face preprocessing (floor crop rounding).
    d = os.path.join(root, "optimum-combined")
    save(combined_model(), os.path.join(d, "model.onnx"))
    write_json(os.path.join(d, "preprocessor_config.json"),
               {"crop_size": {"height": SIZE, "width": SIZE}, "image_mean": CLIP_MEAN, "image_std": CLIP_STD,
                "size": {"shortest_edge": SIZE}, "do_center_crop": True})
    px_floor = pixels(images, SIZE, "floor")
    sess = ort.InferenceSession(os.path.join(d, "model.onnx"), providers=["CPUExecutionProvider"])
    t, i = sess.run(["text_embeds", "image_embeds"], {"input_ids": ids, "attention_mask": mask, "pixel_values": px_floor})
    ref["optimum-combined"] = {"text_embeds": t.tolist(), "image_embeds": i.tolist()}

    # transformers.js / Xenova repository: files at the root, graphs and variants in onnx/.
    d = os.path.join(root, "xenova")
    small, hf_vocab, merges, sot, eot = tiny_bpe(tokenizer_module)
    write_json(os.path.join(d, "vocab.json"), hf_vocab)
    with open(os.path.join(d, "merges.txt"), "w") as f:
        f.write(merges)
    write_json(os.path.join(d, "tokenizer.json"), {"version": "1.0", "model": {"type": "BPE", "note": "stub; Descry reads vocab.json + merges.txt"}})
    half = [0.5, 0.5, 0.5]
    write_json(os.path.join(d, "preprocessor_config.json"),
               {"crop_size": SIZE, "image_mean": half, "image_std": half, "size": SIZE, "do_center_crop": True})
    write_json(os.path.join(d, "config.json"), {"model_type": "clip", "vision_config": {"image_size": SIZE}})
    onnx_dir = os.path.join(d, "onnx")
    save(text_model(), os.path.join(onnx_dir, "text_model.onnx"))
    save(vision_model(), os.path.join(onnx_dir, "vision_model.onnx"))
    save(fp16_variant(text_model()), os.path.join(onnx_dir, "text_model_fp16.onnx"))
    save(fp16_variant(vision_model()), os.path.join(onnx_dir, "vision_model_fp16.onnx"))
    for name in ("text_model", "vision_model"):
        quantize_dynamic(os.path.join(onnx_dir, name + ".onnx"), os.path.join(onnx_dir, name + "_quantized.onnx"),
                         weight_type=QuantType.QUInt8)
    save(combined_model(), os.path.join(onnx_dir, "model.onnx"))  # present in such repositories; split graphs win
    xids = token_ids(small, texts, sot, eot)
    xmask = (xids != 0).astype(np.int64)
    xpx = pixels(images, SIZE, "floor", half, half)
    for variant, suffix in (("fp32", ""), ("fp16", "_fp16"), ("quantized", "_quantized")):
        feed_px = xpx.astype(np.float16) if variant == "fp16" else xpx
        ref["xenova-" + variant] = {
            "text_embeds": run(os.path.join(onnx_dir, "text_model%s.onnx" % suffix), ["text_embeds"],
                               {"input_ids": xids, "attention_mask": xmask}),
            "image_embeds": run(os.path.join(onnx_dir, "vision_model%s.onnx" % suffix), ["image_embeds"],
                                {"pixel_values": feed_px})}
    ref["xenova-token-ids"] = xids[:, :12].tolist()

    # Two checkpoints in one folder (different weights), and a folder whose stems do not pair.
    d = os.path.join(root, "two-checkpoints")
    for stem, seed in (("ViT-B-32-laion", 21), ("ViT-B-32-openai", 11)):
        save(text_model(seed=seed), os.path.join(d, stem + "-textual.onnx"))
        save(vision_model(seed=seed + 1), os.path.join(d, stem + "-visual.onnx"))
        ref["two-checkpoints-" + stem] = {
            "text_embeds": run(os.path.join(d, stem + "-textual.onnx"), ["text_embeds"], {"input_ids": ids, "attention_mask": mask}),
            "image_embeds": run(os.path.join(d, stem + "-visual.onnx"), ["image_embeds"], {"pixel_values": px32})}
    d = os.path.join(root, "mispaired")
    save(text_model(seed=21), os.path.join(d, "ViT-B-32-laion-textual.onnx"))
    save(vision_model(), os.path.join(d, "ViT-B-32-openai-visual.onnx"))

    # A 336 px tower with free height/width; only config.json knows the size.
    d = os.path.join(root, "dynamic-336")
    save(text_model(), os.path.join(d, "text_model.onnx"))
    save(dynamic_vision_model(336), os.path.join(d, "vision_model.onnx"))
    write_json(os.path.join(d, "config.json"), {"model_type": "clip", "vision_config": {"image_size": 336, "patch_size": 16}})
    ref["dynamic-336"] = {"image_embeds": run(os.path.join(d, "vision_model.onnx"), ["image_embeds"],
                                              {"pixel_values": pixels(images, 336, "round")})}

    # Free height/width that any size fits, and nothing that names a size: 224 with a note.
    d = os.path.join(root, "dynamic-free")
    save(text_model(), os.path.join(d, "text_model.onnx"))
    free = dynamic_vision_model(336)
    free.graph.node.remove(free.graph.node[2])  # no positional table: any size runs
    free.graph.node[2].input[0] = "conv"
    free.graph.initializer.remove(free.graph.initializer[1])
    save(free, os.path.join(d, "vision_model.onnx"))

    # Weights in external data files beside the graphs (the same weights as tiny-clip).
    d = os.path.join(root, "external-data")
    save(text_model(), os.path.join(d, "text_model.onnx"), external="text_model.onnx.data")
    save(vision_model(), os.path.join(d, "vision_model.onnx"), external="vision_model.onnx_data")
    ref["external-data"] = {
        "text_embeds": run(os.path.join(d, "text_model.onnx"), ["text_embeds"], {"input_ids": ids, "attention_mask": mask}),
        "image_embeds": run(os.path.join(d, "vision_model.onnx"), ["image_embeds"], {"pixel_values": px32})}
    write_json(os.path.join(OUT, "layouts.json"), ref)


if __name__ == "__main__":
    main()
