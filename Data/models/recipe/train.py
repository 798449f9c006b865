#!/usr/bin/env python3
"""Trains the demo CLIP contrastively (symmetric InfoNCE) on drawn images and attribute captions.

    python3 Data/models/recipe/train.py --batch 128 --steps 900 --stop-at 178 --eval-every 100 \
            --pool-per-class 800 --out .deps/demo-clip-train/run3b.pt      # demo-clip
    python3 Data/models/recipe/train.py --batch 128 --steps 900 --stop-at 178 --eval-every 100 \
            --pool-per-class 800 --background random --background-captions 0.1 \
            --out .deps/demo-clip-train/randbg.pt                          # demo-clip-randbg

The run is deterministic (numpy and torch seeds, 2 threads): on one machine a command gives the
same weights bit for bit; another CPU or library build may change the last digits (see
Data/models/README.md). --cpu-minutes (default 15) and --minutes (40) cap a run and save what it has.

Training images are drawn with generate_data.draw() from seeds that never overlap the held-out
images, preprocessed exactly as at inference (PIL shortest-side bicubic resize + center crop), and
kept in memory (cached under .deps/demo-clip-train/). Captions are drawn fresh for every sample
(captions.py). A development step only: never part of `make test` or `make demo`.
"""

import argparse
import io
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import captions as cap  # noqa: E402
import common  # noqa: E402
import demo_spec as spec  # noqa: E402
import generate_data as gen  # noqa: E402

BACKGROUND_SEED = 123_456_789  # --background random: the generator of the drawn backgrounds
TRAIN_CTX = 40  # captions are short; causal masking makes positions after EOT irrelevant

CFG = dict(image_size=64, patch=8, vision_width=96, vision_layers=4, vision_heads=4,
           text_width=96, text_layers=3, text_heads=4, dim=64)


def build_pool(n_per_class, cache_dir, background="class"):
    """Training images, labels and the background drawn in each (indices into spec.BACKGROUNDS).

    background "class": every image on its class's own background (demo-clip).
    background "random": the background of each image drawn uniformly from spec.BACKGROUNDS by a
    separate generator, independent of the class; the image seeds are the same as for "class"."""
    suffix = "" if background == "class" else f"_{background}bg"
    path = os.path.join(cache_dir, f"pool_{n_per_class}{suffix}.npz")
    if os.path.exists(path):
        z = np.load(path)
        if "backgrounds" in z:
            return z["images"], z["labels"], z["backgrounds"]
        if background == "class":  # a cache written before --background existed
            own = np.array([spec.BACKGROUNDS.index(spec.attrs(int(c))["background"]) for c in z["labels"]])
            return z["images"], z["labels"], own
    t = time.time()
    n = len(spec.CLASS_NAMES)
    images = np.zeros((n * n_per_class, 64, 64, 3), np.uint8)
    labels = np.zeros(n * n_per_class, np.int64)
    backgrounds = np.zeros(n * n_per_class, np.int64)
    bg_rng = np.random.default_rng(BACKGROUND_SEED)
    k = 0
    for c in range(n):
        for i in range(n_per_class):
            rng = np.random.default_rng(gen.TRAIN_SEED + 100_000 * c + i)
            if background == "random":
                bg = spec.BACKGROUNDS[int(bg_rng.integers(len(spec.BACKGROUNDS)))]
                img = gen.draw(c, rng, background=bg)
            else:
                bg = spec.attrs(c)["background"]
                img = gen.draw(c, rng)
            if rng.random() < 0.4:
                img = gen.jpeg_roundtrip(img, rng.integers(70, 96))
            images[k] = common.preprocess(img)
            labels[k] = c
            backgrounds[k] = spec.BACKGROUNDS.index(bg)
            k += 1
    os.makedirs(cache_dir, exist_ok=True)
    np.savez(path, images=images, labels=labels, backgrounds=backgrounds)
    print(f"pool: {k} images drawn in {time.time() - t:.0f}s", flush=True)
    return images, labels, backgrounds


def build_vocab(tok, n_samples=40000, seed=1):
    rng = np.random.default_rng(seed)
    texts = set()
    for _ in range(n_samples):
        texts.add(cap.caption(int(rng.integers(len(spec.CLASS_NAMES))), rng))
    for c in spec.CLASS_NAMES:  # the bare templates with every name
        for t in cap.TEMPLATES:
            texts.add(t.format(c))
    ids = tok(sorted(texts), context_length=common.CONTEXT).numpy()
    assert (ids[:, -1] == 0).all(), "a caption longer than the context"
    used = sorted(set(int(x) for x in np.unique(ids)) - {0})
    remap = np.zeros(common.VOCAB_SIZE, np.int32)      # row 0 = UNK (also padding)
    for r, t in enumerate(used, start=1):
        remap[t] = r
    return remap, len(used) + 1


class Captioner:
    def __init__(self, tok, remap):
        self.tok, self.remap, self.cache = tok, remap, {}

    def ids(self, text):
        v = self.cache.get(text)
        if v is None:
            v = self.tok([text], context_length=TRAIN_CTX)[0].numpy()
            assert v[-1] == 0, text
            self.cache[text] = v
        return v


def evaluate_template(model, tok, images, labels):
    names = spec.CLASS_NAMES
    ids, mask = common.tokenize(tok, [spec.TEMPLATE.format(c) for c in names])
    with torch.no_grad():
        t = F.normalize(model.text(torch.from_numpy(ids), torch.from_numpy(mask)), dim=-1)
        v = F.normalize(model.visual(torch.from_numpy(common.normalize(images))), dim=-1)
    pred = (v @ t.T).argmax(-1).numpy()
    return float((pred == labels).mean())


def load_heldout(root):
    imgs, labels = [], []
    for c, name in enumerate(spec.CLASS_NAMES):
        d = os.path.join(root, gen.folder_name(name))
        for f in sorted(os.listdir(d)):
            imgs.append(common.preprocess(Image.open(os.path.join(d, f))))
            labels.append(c)
    return np.stack(imgs), np.array(labels)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(common.DEPS, "demo-clip-train", "ckpt.pt"))
    ap.add_argument("--pool-per-class", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=300, help="length of the learning-rate schedule")
    ap.add_argument("--stop-at", type=int, default=None,
                    help="stop after this many steps (the schedule still spans --steps)")
    ap.add_argument("--minutes", type=float, default=40.0, help="stop (and save) after this much wall time")
    ap.add_argument("--cpu-minutes", type=float, default=15.0,
                    help="stop (and save) after this much CPU time of this process (all threads)")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name-swap", type=float, default=cap.NAME_SWAP,
                    help="probability that a name caption of a class with twins uses a twin's name")
    ap.add_argument("--background", choices=["class", "random"], default="class",
                    help="class: each class on its own background, so background co-occurs with class "
                         "(demo-clip); random: background drawn independently of the class, captions "
                         "naming the background drawn (demo-clip-randbg)")
    ap.add_argument("--background-captions", type=float, default=cap.BACKGROUND_MENTION,
                    help="probability that a caption which would name the background keeps it "
                         "(1.0: always, demo-clip); a dropped one names another attribute instead")
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--heldout", default=os.path.join(common.ROOT, "Data", "demo", "images"))
    args = ap.parse_args()

    cap.NAME_SWAP = args.name_swap
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    tok = common.load_tokenizer()
    remap, n_compact = build_vocab(tok)  # from the default captions: the same token table for every model
    cap.BACKGROUND_MENTION = args.background_captions
    print(f"compact vocabulary: {n_compact} rows (incl. UNK)", flush=True)
    images, labels, backgrounds = build_pool(args.pool_per_class, os.path.dirname(args.out), args.background)
    # None = the class's own background: caption() then draws exactly what it drew before the option.
    drawn_bg = [None if args.background == "class" else spec.BACKGROUNDS[int(b)] for b in backgrounds]
    ho_images, ho_labels = load_heldout(args.heldout)

    model = common.DemoCLIP(remap, n_compact, CFG)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params}", flush=True)
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (decay if p.ndim >= 2 and "pos" not in n and "tok" not in n else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.98))
    warm = max(1, args.steps // 20)

    def lr_at(s):
        if s < warm:
            return args.lr * (s + 1) / warm
        return args.lr * 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, args.steps - warm)))

    capt = Captioner(tok, remap)
    mean = torch.tensor(common.MEAN).view(1, 3, 1, 1)
    std = torch.tensor(common.STD).view(1, 3, 1, 1)
    t0 = time.time()
    c0 = time.process_time()
    log = []
    step = 0
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        idx = rng.integers(len(labels), size=args.batch)
        x = torch.from_numpy(images[idx]).permute(0, 3, 1, 2).float() / 255.0
        if rng.random() < 0.5:
            x = torch.flip(x, dims=[3])  # mirror: no class depends on left/right
        x = (x - mean) / std
        ids = np.stack([capt.ids(cap.caption(int(labels[i]), rng, drawn_bg[i])) for i in idx])
        L = int((ids != 0).sum(1).max())
        ids = ids[:, :L]
        compact = remap[ids].astype(np.int64)
        drop = rng.random(len(idx)) < 0.1            # teach the UNK row to mean "nothing"
        for r in np.nonzero(drop)[0]:
            n_tok = int(np.argmax(ids[r]))
            if n_tok > 2:
                compact[r, rng.integers(1, n_tok)] = 0
        ids_t = torch.from_numpy(ids.astype(np.int64))
        mask_t = (torch.arange(L)[None] <= ids_t.argmax(-1)[:, None]).long()
        img_f = F.normalize(model.visual(x), dim=-1)
        txt_f = F.normalize(model.text(ids_t, mask_t, compact_ids=torch.from_numpy(compact)), dim=-1)
        scale = model.logit_scale.exp().clamp(max=100)
        logits = scale * img_f @ txt_f.T
        target = torch.arange(len(idx))
        loss = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        el = time.time() - t0
        if step % 20 == 0:
            print(f"step {step} loss {loss.item():.3f} scale {scale.item():.1f} {el:.0f}s", flush=True)
        if (step + 1) % args.eval_every == 0:
            model.eval()
            acc = evaluate_template(model, tok, ho_images, ho_labels)
            model.train()
            log.append({"step": step + 1, "loss": loss.item(), "heldout_template_acc": acc, "seconds": el})
            print(f"  held-out template accuracy {acc:.3f}", flush=True)
        if args.stop_at is not None and step + 1 >= args.stop_at:
            print(f"stopping at step {step + 1} as asked (--stop-at)", flush=True)
            break
        if el > args.minutes * 60 or time.process_time() - c0 > args.cpu_minutes * 60:
            print(f"time cap reached at step {step + 1}", flush=True)
            break

    model.eval()
    acc = evaluate_template(model, tok, ho_images, ho_labels)
    secs = time.time() - t0
    cpu = time.process_time() - c0
    print(f"done: {step + 1} steps in {secs:.0f}s wall, {cpu:.0f}s CPU, held-out template accuracy {acc:.3f}",
          flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save({"state": model.state_dict(), "remap": remap, "n_compact": n_compact, "cfg": CFG,
                "steps": step + 1, "planned_steps": args.steps, "batch": args.batch, "seconds": secs,
                "cpu_seconds": cpu,
                "args": vars(args), "log": log, "name_swap": cap.NAME_SWAP, "background": args.background,
                "background_captions": cap.BACKGROUND_MENTION,
                "heldout_template_acc": acc}, args.out)
    with open(os.path.splitext(args.out)[0] + "_log.json", "w") as f:
        json.dump({"steps": step + 1, "seconds": secs, "cpu_seconds": cpu, "log": log, "args": vars(args)}, f, indent=1)


if __name__ == "__main__":
    main()
