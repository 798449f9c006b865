#!/usr/bin/env python3
"""Compares Hugging Face's CLIP tokenizer with open_clip's (the reference Descry follows) on a few
strings and on the FuDD corpora; the result is quoted in Docs/tokenizer.md. Offline: HF's
vocab.json/merges.txt are written from open_clip's vocabulary (the same 49,408 tokens).
Needs `pip install transformers ftfy regex` and `make deps`.
  python3 Tests/DescryVisionTests/Fixtures/compare_hf_tokenizer.py [--fudd ../shared/corpora/fudd]
"""
import argparse
import glob
import gzip
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
from make_tokenizer_fixture import fudd_texts, load_open_clip  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--fudd", default=os.path.join(ROOT, "..", "shared", "corpora", "fudd"))
    a = p.parse_args()
    from transformers import CLIPTokenizer
    import transformers

    lines = gzip.open(os.path.join(ROOT, ".deps/clip/bpe_simple_vocab_16e6.txt.gz")).read().decode("utf-8")
    merges = lines.split("\n")[1:49152 - 256 - 2 + 1]
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    vocab = [chr(c) for c in cs]
    vocab = vocab + [v + "</w>" for v in vocab] + ["".join(m.split()) for m in merges] + ["<|startoftext|>", "<|endoftext|>"]
    folder = tempfile.mkdtemp(prefix="descry-hfclip-")
    json.dump({t: i for i, t in enumerate(vocab)}, open(os.path.join(folder, "vocab.json"), "w"))
    open(os.path.join(folder, "merges.txt"), "w").write("#version: 0.2\n" + "\n".join(merges) + "\n")
    hf = CLIPTokenizer.from_pretrained(folder)
    oc = load_open_clip(sorted(glob.glob(os.path.join(ROOT, ".deps/wheels/open_clip_torch-*.whl")))[-1])
    print("transformers", transformers.__version__, type(hf).__name__)
    for t in ["fish &amp; chips", "it&#39;s", "\ufb01sh", "\uff21\uff22\uff23", "it\u2019s", "caf\u00e9",
              "cafe\u0301", "a photo of a beagle.", "<start_of_text>x", "<|endoftext|>x"]:
        o, h = oc.encode(t), hf(t, add_special_tokens=False)["input_ids"]
        print("%-22r %s open_clip %s hf %s" % (t, "same" if o == h else "DIFF", o, h))
    print("padding:", hf(["a dog"], padding="max_length", max_length=8)["input_ids"][0])
    if os.path.isdir(a.fudd):
        texts = fudd_texts(a.fudd)
        ids = hf(texts, add_special_tokens=False)["input_ids"]
        print("FuDD texts that differ: %d of %d" % (sum(oc.encode(t) != x for t, x in zip(texts, ids)), len(texts)))


if __name__ == "__main__":
    main()
