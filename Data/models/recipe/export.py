#!/usr/bin/env python3
"""Exports a trained demo CLIP to ONNX with the signature of Hugging Face's CLIP exports.

    python3 Data/models/recipe/export.py --ckpt .deps/demo-clip-train/ckpt.pt --out Data/models/demo-clip

writes text_model.onnx (input_ids, attention_mask -> text_embeds), vision_model.onnx
(pixel_values -> image_embeds), descry-model.json, and reference.json (token ids and the first
values of normalized embeddings for 3 texts and 3 committed images, for Swift parity tests).
Outputs are the projections, not normalized, like Hugging Face's text_embeds / image_embeds.
Checks that onnxruntime reproduces torch (max abs difference printed and stored).
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import demo_spec as spec  # noqa: E402
import generate_data as gen  # noqa: E402

OPSET = 17
REF_TEXTS = ["a photo of a crimson sailfin.",
             "a photo of a crimson sawfin, which is dotted.",
             "click to enlarge photo of a violet kitewing."]
REF_IMAGES = ["crimson_sailfin/000.png", "crimson_sawfin/001.jpg", "violet_kitewing/002.png"]


def export(model, out):
    text_path = os.path.join(out, "text_model.onnx")
    vision_path = os.path.join(out, "vision_model.onnx")
    tok = common.load_tokenizer()
    ids, mask = common.tokenize(tok, ["a photo of a crimson sailfin.", "a coral sawfin."])
    with torch.no_grad():
        torch.onnx.export(common.TextExport(model), (torch.from_numpy(ids), torch.from_numpy(mask)),
                          text_path, input_names=["input_ids", "attention_mask"],
                          output_names=["text_embeds"], opset_version=OPSET, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch"}, "attention_mask": {0: "batch"},
                                        "text_embeds": {0: "batch"}})
        px = torch.randn(2, 3, model.cfg["image_size"], model.cfg["image_size"])
        torch.onnx.export(common.VisionExport(model), (px,), vision_path,
                          input_names=["pixel_values"], output_names=["image_embeds"],
                          opset_version=OPSET, dynamo=False,
                          dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})
    for p in (text_path, vision_path):
        onnx.checker.check_model(onnx.load(p))
    return text_path, vision_path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(common.DEPS, "demo-clip-train", "ckpt.pt"))
    ap.add_argument("--out", default=os.path.join(common.ROOT, "Data", "models", "demo-clip"))
    ap.add_argument("--images", default=os.path.join(common.ROOT, "Data", "demo", "images"))
    args = ap.parse_args()
    torch.set_num_threads(2)

    model, ck = common.load_checkpoint(args.ckpt)
    os.makedirs(args.out, exist_ok=True)
    text_path, vision_path = export(model, args.out)

    # --- parity: torch vs onnxruntime on every description text and every held-out image
    tok = common.load_tokenizer()
    texts = list(spec.CLASS_NAMES) + [spec.TEMPLATE.format(c) for c in spec.CLASS_NAMES]
    for v in spec.class_descriptions().values():
        texts += v
    for v in spec.prompt_pairs().values():
        for pp in v["prompt_pairs"]:
            texts += pp["prompt_pair"]
    texts = sorted(set(texts))
    ids, mask = common.tokenize(tok, texts)
    files = []
    for name in spec.CLASS_NAMES:
        d = os.path.join(args.images, gen.folder_name(name))
        files += [os.path.join(d, f) for f in sorted(os.listdir(d))]
    px = common.normalize(np.stack([common.preprocess(Image.open(f)) for f in files]))

    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    ts = ort.InferenceSession(text_path, so, providers=["CPUExecutionProvider"])
    vs = ort.InferenceSession(vision_path, so, providers=["CPUExecutionProvider"])
    t_ort = ts.run(["text_embeds"], {"input_ids": ids, "attention_mask": mask})[0]
    v_ort = vs.run(["image_embeds"], {"pixel_values": px})[0]
    with torch.no_grad():
        t_pt = model.text(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
        v_pt = model.visual(torch.from_numpy(px)).numpy()
    d_text = float(np.abs(t_ort - t_pt).max())
    d_vision = float(np.abs(v_ort - v_pt).max())
    # padding must not matter: the same text with attention over padding masked or not
    t_nomask = ts.run(["text_embeds"], {"input_ids": ids[:4], "attention_mask": np.ones_like(ids[:4])})[0]
    d_mask = float(np.abs(t_nomask - t_ort[:4]).max())
    print(f"max |onnxruntime - torch|: text {d_text:.2e} ({len(texts)} texts), "
          f"vision {d_vision:.2e} ({len(files)} images); all-ones mask vs real mask {d_mask:.2e}")

    dim = int(t_ort.shape[1])
    logit_scale = float(np.exp(model.logit_scale.item()))
    # The manifest in DescryVision's format (what `descry models add` reads and writes).
    manifest = {
        "format_version": 1,
        "text_model": "text_model.onnx",
        "image_model": "vision_model.onnx",
        "tokenizer": {"kind": "open_clip"},
        "context_length": common.CONTEXT,
        "image_size": model.cfg["image_size"],
        "resize_mode": "shortest",
        "crop_rounding": "round",
        "mean": list(common.MEAN),
        "std": list(common.STD),
        "text_input_ids": "input_ids",
        "text_attention_mask": "attention_mask",
        "text_output": "text_embeds",
        "image_input": "pixel_values",
        "image_output": "image_embeds",
        "embedding_dim": dim,
        "outputs_normalized": False,
        "logit_scale": round(logit_scale, 4),
    }
    with open(os.path.join(args.out, "descry-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")

    # --- reference fixture for the Swift side
    def unit(x):
        return x / np.linalg.norm(x, axis=-1, keepdims=True)

    rids, rmask = common.tokenize(tok, REF_TEXTS)
    rt = unit(ts.run(["text_embeds"], {"input_ids": rids, "attention_mask": rmask})[0])
    rpx = common.normalize(np.stack([common.preprocess(Image.open(os.path.join(args.images, p)))
                                     for p in REF_IMAGES]))
    ri = unit(vs.run(["image_embeds"], {"pixel_values": rpx})[0])
    ref = {
        "model": os.path.basename(os.path.normpath(args.out)),
        "note": "onnxruntime-python on the committed ONNX files; open_clip SimpleTokenizer ids; "
                "PIL preprocessing (shortest side -> 64 bicubic, center crop, CLIP mean/std). "
                "Embeddings are L2-normalized; only the first 8 values are listed.",
        "texts": [{"text": t, "token_ids": [int(x) for x in rids[i][: int(rmask[i].sum())]],
                   "embedding_first8": [round(float(x), 6) for x in rt[i][:8]]}
                  for i, t in enumerate(REF_TEXTS)],
        "images": [{"path": "Data/demo/images/" + p,
                    "pixel_values_first8": [round(float(x), 6) for x in rpx[i, 0, 0, :8]],
                    "pixel_values_mean_per_channel": [round(float(rpx[i, c].mean()), 6) for c in range(3)],
                    "embedding_first8": [round(float(x), 6) for x in ri[i][:8]]}
                   for i, p in enumerate(REF_IMAGES)],
        "cosine_text_image": [[round(float(x), 6) for x in row] for row in (ri @ rt.T)],
        "parity": {"max_abs_diff_text_embeds": d_text, "max_abs_diff_image_embeds": d_vision,
                   "n_texts": len(texts), "n_images": len(files)},
    }
    with open(os.path.join(args.out, "reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    n_params = sum(p.numel() for p in model.parameters())
    training = {k: ck.get(k) for k in ("steps", "planned_steps", "batch", "seconds", "cpu_seconds", "name_swap",
                                       "heldout_template_acc", "log")}
    training.update({"config": model.cfg, "parameters": n_params, "compact_vocabulary_rows": int(ck["n_compact"]),
                     "args": {k: v for k, v in (ck.get("args") or {}).items() if k not in ("out", "heldout")}})
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(training, f, indent=1)
        f.write("\n")
    for p in (text_path, vision_path):
        print(f"{os.path.relpath(p, common.ROOT)}: {os.path.getsize(p) / 1e6:.2f} MB")
    print(f"logit_scale {logit_scale:.3f}, dim {dim}")


if __name__ == "__main__":
    main()
