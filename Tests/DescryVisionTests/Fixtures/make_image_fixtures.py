#!/usr/bin/env python3
"""Small test images and PIL's CLIP preprocessing of them, for DescryVision's parity tests.

Writes images/*.jpg|png and, for each case, the 8-bit pixels PIL produces after
convert("RGB") → resize(shortest side, BICUBIC) → center crop, as raw RGB (`*.rgb`), plus
images/cases.json describing the cases. Needs `pip install pillow numpy`.
  python3 Tests/DescryVisionTests/Fixtures/make_image_fixtures.py
"""
import json
import math
import os

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "images")
rng = np.random.default_rng(7)


def scene(w, h):
    """A smooth colourful picture with some edges: gradients, a disc, noise."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 100 * np.sin(x / 7.0) * np.cos(y / 11.0)
    g = 255 * x / max(w - 1, 1)
    b = 255 * y / max(h - 1, 1)
    disc = (x - w * 0.6) ** 2 + (y - h * 0.4) ** 2 < (min(w, h) * 0.25) ** 2
    r[disc], g[disc], b[disc] = 240, 30, 60
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def torchvision_resize_size(w, h, size):
    if w <= h:
        return size, int(size * h / w)
    return int(size * w / h), size


def preprocess(img, size, rounding):
    img = img.convert("RGB")
    w, h = torchvision_resize_size(img.width, img.height, size)
    img = img.resize((w, h), Image.BICUBIC)
    if rounding == "round":
        top, left = int(round((h - size) / 2.0)), int(round((w - size) / 2.0))
    else:
        top, left = (h - size) // 2, (w - size) // 2
    return img.crop((left, top, left + size, top + size))


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []

    def add(name, img, size, rounding="round", **save):
        img.save(os.path.join(OUT, name), **save)
        decoded = Image.open(os.path.join(OUT, name))
        decoded.load()
        ref = preprocess(decoded, size, rounding)
        ref_name = "%s.%d.%s.rgb" % (name, size, rounding)
        with open(os.path.join(OUT, ref_name), "wb") as f:
            f.write(np.asarray(ref, dtype=np.uint8).tobytes())
        full = np.asarray(decoded.convert("RGB"), dtype=np.uint8)
        cases.append({"file": name, "size": size, "rounding": rounding, "reference": ref_name,
                      "width": decoded.width, "height": decoded.height, "mode": decoded.mode,
                      "decoded_sum": int(full.astype(np.int64).sum())})

    rgb = scene(160, 120)
    add("photo.jpg", Image.fromarray(rgb), 48, quality=90)                       # downscale, 4:2:0
    add("photo444.jpg", Image.fromarray(scene(75, 131)), 40, quality=85, subsampling=0)
    add("gray.jpg", Image.fromarray(scene(90, 64)[:, :, 1]), 32, quality=90)
    add("rgb.png", Image.fromarray(scene(50, 70)), 64)                            # upscale
    add("odd-crop.png", Image.fromarray(scene(67, 40)), 40, "round")             # (67-64... half offsets
    add("odd-crop-floor.png", Image.fromarray(scene(67, 40)), 40, "floor")
    add("gray.png", Image.fromarray(scene(37, 53)[:, :, 0]), 32)
    pal = Image.fromarray(scene(40, 30)).convert("P", palette=Image.ADAPTIVE, colors=16)
    add("palette.png", pal, 24)
    rgba = np.concatenate([scene(48, 48), rng.integers(0, 256, (48, 48, 1), dtype=np.uint8)], axis=-1)
    add("rgba.png", Image.fromarray(rgba, "RGBA"), 32)
    rgb16 = (scene(30, 20).astype(np.uint16) * 257 + rng.integers(0, 200, (20, 30, 3))).astype(">u2")
    # PIL cannot build a 16-bit RGB image from an array; write it with a minimal PNG encoder.
    write_png16(os.path.join(OUT, "rgb16.png"), rgb16)
    decoded = Image.open(os.path.join(OUT, "rgb16.png"))
    decoded.load()
    ref = preprocess(decoded, 16, "round")
    with open(os.path.join(OUT, "rgb16.png.16.round.rgb"), "wb") as f:
        f.write(np.asarray(ref, dtype=np.uint8).tobytes())
    cases.append({"file": "rgb16.png", "size": 16, "rounding": "round", "reference": "rgb16.png.16.round.rgb",
                  "width": decoded.width, "height": decoded.height, "mode": decoded.mode,
                  "decoded_sum": int(np.asarray(decoded.convert("RGB"), dtype=np.int64).sum())})
    add("gray-alpha.png", Image.fromarray(np.stack([scene(20, 20)[:, :, 2], scene(20, 20)[:, :, 0]], -1), "LA"), 16)

    # 16-bit grayscale: PIL opens it as "I;16" and its convert("RGB") clips values above 255
    # (nearly white images); Descry keeps the high byte instead, as both do for 16-bit RGB. Not a
    # parity case: the test checks the high bytes of this known ramp, value = (16y + x) * 250.
    write_png16(os.path.join(OUT, "gray16.png"),
                ((np.arange(256).reshape(16, 16, 1) * 250)).astype(">u2"), color_type=0)

    # Broken files: a truncated JPEG and PNG, and a file that is not an image.
    data = open(os.path.join(OUT, "photo.jpg"), "rb").read()
    open(os.path.join(OUT, "truncated.jpg"), "wb").write(data[: len(data) // 2])
    data = open(os.path.join(OUT, "rgb.png"), "rb").read()
    open(os.path.join(OUT, "truncated.png"), "wb").write(data[: len(data) // 2])
    open(os.path.join(OUT, "not-an-image.jpg"), "wb").write(b"GIF89a this is not a jpeg at all")

    # The normalized tensor of one case, as open_clip's ToTensor + Normalize compute it.
    ref = np.frombuffer(open(os.path.join(OUT, cases[0]["reference"]), "rb").read(), np.uint8)
    t = ref.reshape(48, 48, 3).astype(np.float32).transpose(2, 0, 1) / np.float32(255)
    mean = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)[:, None, None]
    std = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)[:, None, None]
    t = (t - mean) / std
    tensor = {"file": "photo.jpg", "size": 48, "sum": float(t.astype(np.float64).sum()),
              "samples": [[i, float(t.flat[i])] for i in range(0, t.size, 397)]}
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"cases": cases, "tensor": tensor}, f, indent=1)
    print("wrote", len(cases), "cases to", OUT)


def write_png16(path, arr, color_type=2):
    import struct
    import zlib
    h, w, _ = arr.shape
    raw = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))

    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    open(path, "wb").write(png)


if __name__ == "__main__":
    main()
