#!/usr/bin/env python3
"""Draws the demo images and writes the demo's text files.

    python3 Data/models/recipe/generate_data.py --out Data/demo [--per-class 12]

writes, deterministically (fixed seeds, numpy + Pillow only):
  Data/demo/demo_class_names.json   class names (index = class id)
  Data/demo/demo_prompt_pairs.json  differential descriptions, FuDD layout
  Data/demo/demo_descriptions.json  per-class descriptions, CuPL/DCLIP layout
  Data/demo/demo_attributes.json    the attribute table the texts and images come from
  Data/demo/classes.txt             one class name per line
  Data/demo/images/<name_with_underscores>/NNN.png|jpg   held-out evaluation images

Training images are drawn on the fly by train.py with `draw()` from this file, from seeds that
never overlap the held-out ones (see `HELD_OUT_SEED` / `TRAIN_SEED`).
"""

import argparse
import io
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_spec as spec  # noqa: E402

W, H = 84, 70          # size of a drawn image (resize 70 -> 64 and a 6-pixel crop each side)
SS = 2                 # supersampling factor for smooth edges
HELD_OUT_SEED = 7_000_000
TRAIN_SEED = 100_000_000

COLOURS = {
    "red": (205, 40, 40), "orange": (240, 135, 30), "yellow": (240, 210, 45),
    "blue": (40, 80, 210), "purple": (140, 60, 190), "green": (40, 165, 75),
    "white": (240, 240, 238), "grey": (128, 128, 134),
}
RADIUS = {"small": (0.15, 0.19), "medium": (0.25, 0.29), "large": (0.36, 0.41)}


def _lowfreq(rng, h, w, cells, amp):
    g = rng.uniform(-amp, amp, size=(cells, cells)).astype(np.float32)
    im = Image.fromarray(g, mode="F").resize((w, h), Image.BILINEAR)
    return np.asarray(im)


def _background(kind, rng, h, w):
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    if kind == "sky":
        top = np.array([115, 175, 232], np.float32) + rng.uniform(-10, 10, 3)
        bot = np.array([190, 220, 245], np.float32) + rng.uniform(-8, 8, 3)
        img = top * (1 - y) + bot * y
        img = np.broadcast_to(img, (h, w, 3)).copy()
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        for _ in range(rng.integers(1, 3)):
            cx, cy = rng.uniform(0, w), rng.uniform(0, h * 0.6)
            sx, sy = rng.uniform(w * 0.08, w * 0.18), rng.uniform(h * 0.04, h * 0.08)
            a = 0.55 * np.exp(-(((xx - cx) / sx) ** 2 + ((yy - cy) / sy) ** 2))
            img = img * (1 - a[..., None]) + 250 * a[..., None]
    elif kind == "grass":
        base = np.array([62, 128, 50], np.float32) + rng.uniform(-10, 10, 3)
        img = np.broadcast_to(base, (h, w, 3)).copy()
        img += _lowfreq(rng, h, w, 5, 14)[..., None]
        streak = rng.uniform(-22, 22, size=(max(2, h // 10), w)).astype(np.float32)
        streak = np.asarray(Image.fromarray(streak, mode="F").resize((w, h), Image.BILINEAR))
        img += streak[..., None] * np.array([0.6, 1.0, 0.5], np.float32)
    elif kind == "sand":
        base = np.array([216, 190, 138], np.float32) + rng.uniform(-8, 8, 3)
        img = np.broadcast_to(base, (h, w, 3)).copy()
        img += _lowfreq(rng, h, w, 4, 10)[..., None]
        speck = (rng.random((h, w)) < 0.04).astype(np.float32) * rng.uniform(-30, -10)
        img += speck[..., None]
    elif kind == "night":
        top = np.array([14, 18, 42], np.float32) + rng.uniform(-5, 5, 3)
        bot = np.array([36, 40, 78], np.float32) + rng.uniform(-6, 6, 3)
        img = top * (1 - y) + bot * y
        img = np.broadcast_to(img, (h, w, 3)).copy()
        img += _lowfreq(rng, h, w, 4, 5)[..., None]
    else:
        raise ValueError(kind)
    return img


def _polygon(cx, cy, r, n, rot, aspect=1.0, inner=None):
    pts = []
    k = n * 2 if inner else n
    for i in range(k):
        a = rot + 2 * np.pi * i / k
        rr = r if (not inner or i % 2 == 0) else r * inner
        pts.append((cx + rr * np.sin(a) * aspect, cy - rr * np.cos(a)))
    return pts


def _mask(shape, cx, cy, r, rot, h, w):
    m = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(m)
    if shape == "circle":
        e = 1.0 + 0.06 * np.sin(rot * 3)
        d.ellipse([cx - r * e, cy - r / e, cx + r * e, cy + r / e], fill=255)
    elif shape == "ring":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
        ri = r * 0.55
        d.ellipse([cx - ri, cy - ri, cx + ri, cy + ri], fill=0)
    elif shape == "triangle":
        d.polygon(_polygon(cx, cy + r * 0.15, r * 1.1, 3, rot * 0.35), fill=255)
    elif shape == "square":
        d.polygon(_polygon(cx, cy, r * 1.15, 4, np.pi / 4 + rot * 0.17), fill=255)
    elif shape == "diamond":
        d.polygon(_polygon(cx, cy, r * 1.1, 4, rot * 0.17, aspect=0.72), fill=255)
    elif shape == "star":
        d.polygon(_polygon(cx, cy, r * 1.1, 5, rot * 0.5, inner=0.45), fill=255)
    elif shape == "hexagon":
        d.polygon(_polygon(cx, cy, r, 6, rot * 0.5), fill=255)
    else:
        raise ValueError(shape)
    return np.asarray(m, dtype=np.float32) / 255.0


def _pattern(kind, rng, cx, cy, r, h, w):
    """1 where the contrast colour goes, 0 elsewhere."""
    if kind == "plain":
        return np.zeros((h, w), np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    phi = rng.uniform(-0.6, 0.6) + (np.pi / 4 if kind == "striped" else 0.0)
    u = (xx - cx) * np.cos(phi) + (yy - cy) * np.sin(phi)
    v = -(xx - cx) * np.sin(phi) + (yy - cy) * np.cos(phi)
    if kind == "striped":
        period = max(r / 2.2, 3.0 * SS) * rng.uniform(0.9, 1.1)
        return ((np.floor(u / period + rng.uniform(0, 1)) % 2) == 0).astype(np.float32)
    if kind == "checkered":
        c = max(r / 2.3, 3.0 * SS) * rng.uniform(0.9, 1.1)
        return (((np.floor(u / c) + np.floor(v / c)) % 2) == 0).astype(np.float32)
    if kind == "dotted":
        s = max(r / 2.2, 3.5 * SS) * rng.uniform(0.9, 1.1)
        ou, ov = rng.uniform(0, s, 2)
        du = (u + ou) % s - s / 2
        dv = (v + ov) % s - s / 2
        return ((du ** 2 + dv ** 2) < (0.3 * s) ** 2).astype(np.float32)
    raise ValueError(kind)


def draw(class_idx, rng, background=None):
    """One image of class `class_idx` as an RGB PIL image of W x H pixels.

    `background` (one of spec.BACKGROUNDS) replaces the class's own background; None keeps it,
    which is how every held-out image and demo-clip's training images are drawn."""
    a = spec.attrs(class_idx)
    if background is not None:
        a["background"] = background
    h, w = H * SS, W * SS
    img = _background(a["background"], rng, h, w)

    lo, hi = RADIUS[a["size"]]
    r = rng.uniform(lo, hi) * H * SS
    free = max(0.0, (H * SS) / 2 - r - 2 * SS)
    cx = w / 2 + rng.uniform(-0.8, 0.8) * free
    cy = h / 2 + rng.uniform(-0.8, 0.8) * free
    rot = rng.uniform(-1.0, 1.0)

    mask = _mask(a["shape"], cx, cy, r, rot, h, w)
    col = np.array(COLOURS[a["colour"]], np.float32)
    col = np.clip(col * rng.uniform(0.88, 1.08) + rng.uniform(-12, 12, 3), 0, 255)
    lum = 0.3 * col[0] + 0.59 * col[1] + 0.11 * col[2]
    contrast = col * 0.35 if lum > 110 else col + (255 - col) * 0.6
    pat = _pattern(a["pattern"], rng, cx, cy, r, h, w)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    shade = 1.0 + 0.12 * ((xx - cx) * np.cos(rot) + (yy - cy) * np.sin(rot)) / max(r, 1.0)
    obj = (col * (1 - pat[..., None]) + contrast * pat[..., None]) * np.clip(shade, 0.85, 1.15)[..., None]
    img = img * (1 - mask[..., None]) + obj * mask[..., None]

    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB").resize((W, H), Image.LANCZOS)
    arr = np.asarray(out, dtype=np.float32) + rng.normal(0, 2.0, (H, W, 3))
    return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), "RGB")


def jpeg_roundtrip(img, quality):
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=int(quality))
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def folder_name(name):
    return name.replace(" ", "_")


def write_texts(out):
    os.makedirs(out, exist_ok=True)
    spec.dump(spec.CLASS_NAMES, os.path.join(out, "demo_class_names.json"))
    spec.dump(spec.prompt_pairs(), os.path.join(out, "demo_prompt_pairs.json"))
    spec.dump(spec.class_descriptions(), os.path.join(out, "demo_descriptions.json"))
    spec.dump(spec.attribute_table(), os.path.join(out, "demo_attributes.json"))
    with open(os.path.join(out, "classes.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(spec.CLASS_NAMES) + "\n")


def write_images(out, per_class):
    root = os.path.join(out, "images")
    for c, name in enumerate(spec.CLASS_NAMES):
        d = os.path.join(root, folder_name(name))
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            os.remove(os.path.join(d, old))
        for i in range(per_class):
            rng = np.random.default_rng(HELD_OUT_SEED + 1000 * c + i)
            img = draw(c, rng)
            if i % 2 == 0:
                img.save(os.path.join(d, f"{i:03d}.png"), optimize=True)
            else:
                img.save(os.path.join(d, f"{i:03d}.jpg"), quality=88)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="Data/demo")
    ap.add_argument("--per-class", type=int, default=12)
    ap.add_argument("--texts-only", action="store_true")
    args = ap.parse_args()
    write_texts(args.out)
    if not args.texts_only:
        write_images(args.out, args.per_class)


if __name__ == "__main__":
    main()
