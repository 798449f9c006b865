#!/usr/bin/env python3
"""The Python side of the vision benchmark: what a user would run instead of Descry.

- tokenizer: open_clip's SimpleTokenizer (read from the open_clip_torch wheel in .deps/wheels)
  over the given texts (default: every text of ../shared/corpora/fudd);
- decode+preprocess: PIL open → RGB → resize shortest side 224 (BICUBIC) → center crop →
  float CHW normalized with CLIP's mean/std (numpy), one image at a time, one thread;
- encoders (with --model DIR): onnxruntime-python on the same ONNX files, same thread count.

  python3 Data/benchmarks/vision/baseline.py --images .deps/bench/images [--model DIR --threads 2]
Needs `pip install ftfy regex pillow numpy` (+ onnxruntime for --model).
"""
import argparse
import glob
import json
import os
import sys
import time

import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Tests", "DescryVisionTests", "Fixtures"))
from make_tokenizer_fixture import fudd_texts, load_open_clip  # noqa: E402

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)[:, None, None]
STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)[:, None, None]


def preprocess(path, size=224):
    img = Image.open(path).convert("RGB")
    w, h = img.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    img = img.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - size) / 2.0)), int(round((nw - size) / 2.0))
    img = img.crop((left, top, left + size, top + size))
    arr = np.asarray(img, np.float32).transpose(2, 0, 1) / np.float32(255)
    return (arr - MEAN) / STD


RESULTS = []
AS_JSON = "--json" in sys.argv


def report(name, items, seconds, best=None):
    RESULTS.append({"name": name, "items": items, "seconds": seconds, "rate": items / seconds,
                    "best_rate": best if best else items / seconds})
    line = "%s: %d items in %.3f s = %.1f/s" % (name, items, seconds, items / seconds)
    if not AS_JSON:
        print(line + (" (best repetition %.1f/s)" % best if best else ""))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--fudd", default=os.path.join(ROOT, "..", "shared", "corpora", "fudd"))
    p.add_argument("--images", default=None)
    p.add_argument("--model", default=None, help="folder with text_model.onnx / vision_model.onnx")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--batches", type=int, default=3)
    p.add_argument("--json", action="store_true", help="print the results as one JSON list (for `descry bench report`)")
    a = p.parse_args()

    wheel = sorted(glob.glob(os.path.join(ROOT, ".deps/wheels/open_clip_torch-*.whl")))[-1]
    tok = load_open_clip(wheel)
    texts = fudd_texts(a.fudd)
    tok.encode(texts[0])
    times = []
    for _ in range(3):
        t = time.perf_counter()
        for s in texts:
            [tok.sot_token_id] + tok.encode(s) + [tok.eot_token_id]
        times.append(time.perf_counter() - t)
    report("python open_clip tokenizer (1 thread)", 3 * len(texts), sum(times), len(texts) / min(times))

    try:  # Hugging Face's tokenizer (Rust), when transformers is installed; same vocabulary

        import tempfile
        from transformers import CLIPTokenizer
        import gzip
        merges = gzip.open(os.path.join(ROOT, ".deps/clip/bpe_simple_vocab_16e6.txt.gz")).read().decode().split("\n")[1:48895]
        bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
        cs, n = bs[:], 0
        for b in range(256):
            if b not in bs:
                bs.append(b)
                cs.append(256 + n)
                n += 1
        vocab = [chr(c) for c in cs]
        vocab = vocab + [v + "</w>" for v in vocab] + ["".join(m.split()) for m in merges] + ["<|startoftext|>", "<|endoftext|>"]
        folder = tempfile.mkdtemp()
        json.dump({t: i for i, t in enumerate(vocab)}, open(os.path.join(folder, "vocab.json"), "w"))
        open(os.path.join(folder, "merges.txt"), "w").write("#version: 0.2\n" + "\n".join(merges) + "\n")
        hf = CLIPTokenizer.from_pretrained(folder)
        hf(texts[:100])
        times = []
        for _ in range(3):
            t = time.perf_counter()
            hf(texts, padding="max_length", max_length=77, truncation=True)
            times.append(time.perf_counter() - t)
        report("python Hugging Face tokenizer (batch call, Rust threads)", 3 * len(texts), sum(times), len(texts) / min(times))
    except ImportError:
        pass

    if a.images:
        files = sorted(glob.glob(os.path.join(a.images, "*.jpg")))
        preprocess(files[0])
        times = []
        for _ in range(2):
            t = time.perf_counter()
            for f in files:
                preprocess(f)
            times.append(time.perf_counter() - t)
        report("python PIL decode+preprocess (1 thread)", 2 * len(files), sum(times), len(files) / min(times))

    if a.model:
        import onnxruntime as ort
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = a.threads
        opts.inter_op_num_threads = 1
        vis = ort.InferenceSession(os.path.join(a.model, "vision_model.onnx"), opts, providers=["CPUExecutionProvider"])
        txt = ort.InferenceSession(os.path.join(a.model, "text_model.onnx"), opts, providers=["CPUExecutionProvider"])
        size = vis.get_inputs()[0].shape[2] if isinstance(vis.get_inputs()[0].shape[2], int) else 224
        n = a.batch * 3 * size * size
        px = ((np.arange(n) * 31 % 255).astype(np.float32) / 128 - 1).reshape(a.batch, 3, size, size)
        vis.run(None, {"pixel_values": px})
        times = []
        for _ in range(a.batches):
            t = time.perf_counter()
            vis.run(None, {"pixel_values": px})
            times.append(time.perf_counter() - t)
        report("python onnxruntime image encoder (batch %d, %d threads)" % (a.batch, a.threads), a.batch * a.batches, sum(times), a.batch / min(times))
        batch = [texts[i % len(texts)] for i in range(a.batch)]

        def run_text():
            ids = np.zeros((a.batch, 77), np.int64)
            for i, s in enumerate(batch):
                toks = ([tok.sot_token_id] + tok.encode(s) + [tok.eot_token_id])[:77]
                ids[i, :len(toks)] = toks
            feeds = {"input_ids": ids}
            if any(i.name == "attention_mask" for i in txt.get_inputs()):
                feeds["attention_mask"] = (ids != 0).astype(np.int64)
            txt.run(None, feeds)
        run_text()
        times = []
        for _ in range(a.batches):
            t = time.perf_counter()
            run_text()
            times.append(time.perf_counter() - t)
        report("python onnxruntime text encoder (batch %d, %d threads)" % (a.batch, a.threads), a.batch * a.batches, sum(times), a.batch / min(times))


if __name__ == "__main__":
    main()
    if AS_JSON:
        print(json.dumps(RESULTS, indent=1))
