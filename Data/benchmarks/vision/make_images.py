#!/usr/bin/env python3
"""Writes N synthetic photo-like 500x375 JPEGs (quality 90, 4:2:0) for the vision benchmark.
  python3 Data/benchmarks/vision/make_images.py --count 500 --out .deps/bench/images
Needs `pip install pillow numpy`. The images are generated, never downloaded.
"""
import argparse
import os

import numpy as np
from PIL import Image


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=500)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(0)
    h, w = 375, 500
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    for i in range(a.count):
        fx, fy, phase = rng.uniform(3, 20), rng.uniform(3, 20), rng.uniform(0, 6.3)
        r = 128 + 90 * np.sin(x / fx + phase) * np.cos(y / fy)
        g = 255 * (x / w) * rng.uniform(0.3, 1)
        b = 255 * (y / h) * rng.uniform(0.3, 1)
        cx, cy, rad = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(30, 120)
        disc = (x - cx) ** 2 + (y - cy) ** 2 < rad ** 2
        img = np.stack([r, g, b], -1)
        img[disc] = rng.uniform(0, 255, 3)
        img += rng.normal(0, 10, img.shape)
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(os.path.join(a.out, "img%04d.jpg" % i), quality=90)
    print("wrote", a.count, "images to", a.out)


if __name__ == "__main__":
    main()
