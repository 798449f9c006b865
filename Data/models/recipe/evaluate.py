#!/usr/bin/env python3
"""Zero-shot accuracy of the exported demo CLIP on the committed held-out images, with onnxruntime.

    python3 Data/models/recipe/evaluate.py [--model Data/models/demo-clip] [--json out.json]

Methods (all cosine similarities of L2-normalized embeddings, no logit scale):
  classname      the bare class name
  template       "a photo of a {c}."
  ensemble       mean of normalized embeddings over the 13 templates used in training (captions.py);
                 with --clip-templates also over CLIP's 80 templates (most of their words are UNK here)
  descriptions   mean of normalized embeddings of the class's sentences in demo_descriptions.json
  fudd k         top-k classes from the template; for each of them, the mean of its differential
                 descriptions against the other top-k classes (template when a pair has none);
                 re-rank the k by cosine ("similarity of mean"), as in the FuDD paper
Also: FuDD's gain over the template for each k, and the mean lift by attribute of the per-class
and of the differential descriptions (lift = mean cosine with the class's held-out images minus
that of "a photo of a {c}.", as `descry score` stores it) with the top attribute of each table.
Run it for each model:  --model Data/models/demo-clip-randbg --json Data/models/demo-clip-randbg/evaluation.json
Images: PIL preprocessing (shortest side -> 64 bicubic, center crop), texts: open_clip's tokenizer.
"""

import argparse
import json
import os
import sys
from collections import Counter

import numpy as np
import onnxruntime as ort
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import captions as cap  # noqa: E402
import common  # noqa: E402
import demo_spec as spec  # noqa: E402
import generate_data as gen  # noqa: E402


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


class Encoder:
    def __init__(self, model_dir):
        so = ort.SessionOptions()
        so.intra_op_num_threads = 2
        self.ts = ort.InferenceSession(os.path.join(model_dir, "text_model.onnx"), so,
                                       providers=["CPUExecutionProvider"])
        self.vs = ort.InferenceSession(os.path.join(model_dir, "vision_model.onnx"), so,
                                       providers=["CPUExecutionProvider"])
        self.tok = common.load_tokenizer()
        self.cache = {}

    def texts(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            ids, mask = common.tokenize(self.tok, todo)
            emb = unit(self.ts.run(["text_embeds"], {"input_ids": ids, "attention_mask": mask})[0])
            self.cache.update(zip(todo, emb))
        return np.stack([self.cache[t] for t in texts])

    def images(self, files):
        px = common.normalize(np.stack([common.preprocess(Image.open(f)) for f in files]))
        return unit(self.vs.run(["image_embeds"], {"pixel_values": px})[0])


def class_means(enc, lists):
    return unit(np.stack([enc.texts(l).mean(0) for l in lists]))


def fudd(enc, img, template_cls, pairs, k):
    """img [N, D], template_cls [C, D]; returns predictions [N] and how many top-k held the truth."""
    n_cls = template_cls.shape[0]
    k = min(k, n_cls)
    preds = []
    sims = img @ template_cls.T
    for i in range(img.shape[0]):
        top = list(np.argsort(-sims[i])[:k])
        embs = []
        for a in top:
            sents = []
            for b in top:
                if a == b:
                    continue
                lo, hi = min(a, b), max(a, b)
                entry = pairs.get(f"{lo}_{hi}")
                side = 0 if a == lo else 1
                got = [pp["prompt_pair"][side] for pp in (entry or {}).get("prompt_pairs", [])]
                sents += got if got else [spec.TEMPLATE.format(spec.CLASS_NAMES[a])]
            embs.append(enc.texts(sents).mean(0))
        embs = unit(np.stack(embs))
        preds.append(top[int(np.argmax(embs @ img[i]))])
    return np.array(preds)


# The attribute each per-class description was written for, by its position in
# demo_spec.class_descriptions(): five single-attribute sentences, one combining them, one
# spurious sentence, then the non-visual ones.
CLASS_DESCRIPTION_ATTRIBUTES = spec.ATTRIBUTES + ["combined", "spurious"]


def description_lifts(enc, img, labels, names, descs, pairs):
    """Lift of every description: mean cosine with its class's held-out images minus that of
    "a photo of a {c}." with the same images (what `descry score` stores as lift).

    Returns rows (kind, class, attribute, text, lift), one per distinct (class, text): a
    differential sentence shared by several pairs is one description, as in the store."""
    base = {}
    rows, seen = [], set()

    def add(kind, c, attr, text):
        if (c, text) in seen:
            return
        seen.add((c, text))
        own = img[labels == c]
        if c not in base:
            base[c] = float((own @ enc.texts([spec.TEMPLATE.format(names[c])])[0]).mean())
        lift = float((own @ enc.texts([text])[0]).mean()) - base[c]
        rows.append({"kind": kind, "class": names[c], "attribute": attr, "text": text, "lift": lift})

    for c, name in enumerate(names):
        for i, text in enumerate(descs[name]):
            attr = CLASS_DESCRIPTION_ATTRIBUTES[i] if i < len(CLASS_DESCRIPTION_ATTRIBUTES) else "non-visual"
            add("class", c, attr, text)
    for key in sorted(pairs, key=lambda k: tuple(int(x) for x in k.split("_"))):
        entry = pairs[key]
        for pp in entry["prompt_pairs"]:
            for side, c in enumerate(entry["classes"]):
                add("differential", c, pp["attr_type"], pp["prompt_pair"][side])
    return rows


def lift_by_attribute(rows):
    """{attribute: {"n", "lift"}} sorted by mean lift, highest first."""
    groups = {}
    for r in rows:
        groups.setdefault(r["attribute"], []).append(r["lift"])
    table = {a: {"n": len(v), "lift": round(float(np.mean(v)), 4)} for a, v in groups.items()}
    return dict(sorted(table.items(), key=lambda kv: -kv[1]["lift"]))


def topk_contains(sims, labels, k):
    top = np.argsort(-sims, axis=1)[:, :k]
    return float(np.mean([labels[i] in top[i] for i in range(len(labels))]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(common.ROOT, "Data", "models", "demo-clip"))
    ap.add_argument("--data", default=os.path.join(common.ROOT, "Data", "demo"))
    ap.add_argument("--json", default=None, help="write the numbers here")
    ap.add_argument("--clip-templates", default=None,
                    help="optional JSON list of CLIP's 80 templates ('a bad photo of a {}.', ...), e.g. "
                         "../shared/corpora/fudd/clip_templates.json; adds an 'ensemble (CLIP templates)' row")
    args = ap.parse_args()

    names = json.load(open(os.path.join(args.data, "demo_class_names.json")))
    pairs = json.load(open(os.path.join(args.data, "demo_prompt_pairs.json")))
    descs = json.load(open(os.path.join(args.data, "demo_descriptions.json")))
    files, labels = [], []
    for c, name in enumerate(names):
        d = os.path.join(args.data, "images", gen.folder_name(name))
        for f in sorted(os.listdir(d)):
            files.append(os.path.join(d, f))
            labels.append(c)
    labels = np.array(labels)

    enc = Encoder(args.model)
    img = enc.images(files)
    template = class_means(enc, [[spec.TEMPLATE.format(c)] for c in names])
    results = {}

    def record(method, k, pred):
        acc = float((pred == labels).mean())
        recall = float(np.mean([(pred[labels == c] == c).mean() for c in range(len(names))]))
        results[f"{method}" + (f" k={k}" if k else "")] = {"top1": round(acc, 4),
                                                           "mean_per_class_recall": round(recall, 4)}
        return acc

    cls_name = class_means(enc, [[c] for c in names])
    record("classname", None, (img @ cls_name.T).argmax(1))
    tsims = img @ template.T
    record("template", None, tsims.argmax(1))
    ens = class_means(enc, [[t.format(c) for t in cap.TEMPLATES] for c in names])
    record("ensemble", None, (img @ ens.T).argmax(1))
    if args.clip_templates:
        clip_t = json.load(open(args.clip_templates))
        ens80 = class_means(enc, [[t.format(c) for t in clip_t] for c in names])
        record(f"ensemble ({len(clip_t)} CLIP templates)", None, (img @ ens80.T).argmax(1))
    dsc = class_means(enc, [descs[c] for c in names])
    record("descriptions", None, (img @ dsc.T).argmax(1))
    visual = class_means(enc, [descs[c][:6] for c in names])
    record("descriptions (visual only)", None, (img @ visual.T).argmax(1))
    for k in (2, 3, 5, len(names)):
        record("fudd", k, fudd(enc, img, template, pairs, k))

    rows = description_lifts(enc, img, labels, names, descs, pairs)
    lifts = {"class": lift_by_attribute([r for r in rows if r["kind"] == "class"]),
             "differential": lift_by_attribute([r for r in rows if r["kind"] == "differential"]),
             "all": lift_by_attribute(rows)}
    fudd_rows = {m: r["top1"] for m, r in results.items() if m.startswith("fudd")}
    best_fudd = max(fudd_rows, key=lambda m: fudd_rows[m])

    pred_t = tsims.argmax(1)
    conf = Counter((names[a], names[b]) for a, b in zip(labels, pred_t) if a != b)
    out = {
        "model": os.path.relpath(args.model, common.ROOT),
        "images": len(files), "classes": len(names), "chance": round(1 / len(names), 4),
        "template_topk_contains_truth": {k: round(topk_contains(tsims, labels, k), 4) for k in (2, 3, 5)},
        "accuracy": results,
        "template_confusions": [{"true": a, "predicted": b, "count": n} for (a, b), n in conf.most_common(10)],
        "fudd_gain_over_template": {"best": best_fudd,
                                    "points": round(100 * (fudd_rows[best_fudd] - results["template"]["top1"]), 1),
                                    "by_k": {m: round(100 * (v - results["template"]["top1"]), 1)
                                             for m, v in fudd_rows.items()}},
        "lift_by_attribute": lifts,
        # Highest mean lift per table; "single_attribute": of the five attributes (not the combined,
        # spurious or non-visual sentences) over all descriptions, the model's preferred attribute.
        "top_attribute": {**{kind: next(iter(t)) for kind, t in lifts.items()},
                          "single_attribute": next(a for a in lifts["all"] if a in spec.ATTRIBUTES)},
        "lift_note": "lift = mean cosine of a description with its class's held-out images minus that of "
                     "'a photo of a {c}.'; attributes as written by demo_spec.py (per-class sentences by "
                     "position: colour, shape, pattern, size, background, combined, spurious, non-visual; "
                     "differential sentences by attr_type); one row per distinct (class, text)",
    }
    print(f"{len(files)} held-out images, {len(names)} classes (chance {1 / len(names):.3f})")
    print(f"{'method':34s} {'top-1':>7s} {'recall':>7s}")
    for m, r in results.items():
        print(f"{m:34s} {r['top1']:7.3f} {r['mean_per_class_recall']:7.3f}")
    print("template top-k contains the true class:", out["template_topk_contains_truth"])
    print("most confused (true -> predicted) with the template:")
    for c in out["template_confusions"][:8]:
        print(f"  {c['true']} -> {c['predicted']}: {c['count']}")
    print(f"best FuDD {best_fudd}: {out['fudd_gain_over_template']['points']:+.1f} points over the template")
    print(f"top attribute by mean lift: {out['top_attribute']}")
    for kind, table in lifts.items():
        print(f"mean lift by attribute ({kind} descriptions):")
        for a, v in table.items():
            print(f"  {a:12s} n={v['n']:3d} {v['lift']:+.4f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
