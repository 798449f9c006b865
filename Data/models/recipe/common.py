"""Shared pieces of the demo-CLIP recipe: tokenizer loading, image preprocessing, the model.

The model is a small CLIP with the usual architecture:
  image tower  patch-embedding conv (no bias) -> class token + positional embeddings -> LN ->
               pre-LN transformer blocks -> LN on the class token -> linear projection (no bias)
  text tower   token embedding + positional embeddings -> pre-LN transformer blocks with a causal
               mask (and the attention mask) -> final LN -> features at the end-of-text token
               (argmax of input_ids, as CLIP does) -> linear projection (no bias)
  logit scale  learned, stored as log, clamped to 100 like CLIP

The one departure is the token embedding: CLIP's 49408 x width table is replaced by an int32 remap
table (49408 entries, CLIP token id -> row) and a compact table holding only the tokens that occur
in the training captions plus one UNK row. Both lookups happen inside the graph, so the exported
model takes real CLIP token ids.
"""

import glob
import math
import os
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DEPS = os.path.join(ROOT, ".deps")

VOCAB_SIZE = 49408
SOT, EOT = 49406, 49407
CONTEXT = 77
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
IMAGE_SIZE = 64


def load_tokenizer():
    """open_clip's SimpleTokenizer, taken from the open_clip_torch wheel that `make deps` fetched."""
    d = os.path.join(DEPS, "openclip")
    tok_py = os.path.join(d, "tokenizer.py")
    bpe = os.path.join(d, "bpe_simple_vocab_16e6.txt.gz")
    if not (os.path.exists(tok_py) and os.path.exists(bpe)):
        wheels = sorted(glob.glob(os.path.join(DEPS, "wheels", "open_clip_torch-3.3.0-*.whl")))
        if not wheels:
            sys.exit("open_clip_torch wheel not found under .deps/wheels: run `make deps` first")
        os.makedirs(d, exist_ok=True)
        with zipfile.ZipFile(wheels[0]) as z:
            for name, dst in (("open_clip/tokenizer.py", tok_py),
                              ("open_clip/bpe_simple_vocab_16e6.txt.gz", bpe)):
                with z.open(name) as src, open(dst, "wb") as out:
                    out.write(src.read())
    if d not in sys.path:
        sys.path.insert(0, d)
    import tokenizer as oc_tokenizer  # noqa: E402  (open_clip/tokenizer.py)
    return oc_tokenizer.SimpleTokenizer(bpe_path=bpe)


def preprocess(img, size=IMAGE_SIZE):
    """CLIP preprocessing with PIL: RGB, shortest side -> size (bicubic), center crop, uint8 HWC.

    Matches torchvision's Resize(size) + CenterCrop(size): the long side becomes
    int(size * long / short) and the crop offset is round((dim - size) / 2)."""
    img = img.convert("RGB")
    w, h = img.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    img = img.resize((nw, nh), Image.BICUBIC)
    left = int(round((nw - size) / 2.0))
    top = int(round((nh - size) / 2.0))
    img = img.crop((left, top, left + size, top + size))
    return np.asarray(img, dtype=np.uint8)


def normalize(batch_uint8):
    """uint8 [N, H, W, 3] -> float32 [N, 3, H, W] normalized with CLIP's mean and std."""
    x = batch_uint8.astype(np.float32) / 255.0
    x = (x - np.array(MEAN, np.float32)) / np.array(STD, np.float32)
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x, mask=None):
        b, n, w = x.shape
        hd = w // self.heads
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        if mask is not None:
            att = att + mask
        att = att.softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, n, w)
        return self.out(y)


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, mask=None):
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


class VisionTower(nn.Module):
    def __init__(self, image_size, patch, width, layers, heads, dim):
        super().__init__()
        self.conv = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        n = (image_size // patch) ** 2
        self.cls = nn.Parameter(torch.randn(width) * width ** -0.5)
        self.pos = nn.Parameter(torch.randn(n + 1, width) * 0.02)
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim, bias=False)

    def forward(self, pixel_values):
        x = self.conv(pixel_values)                       # [B, W, g, g]
        x = x.flatten(2).transpose(1, 2)                  # [B, g*g, W]
        cls = self.cls.reshape(1, 1, -1).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.pos
        x = self.ln_pre(x)
        for blk in self.blocks:
            x = blk(x)
        return self.proj(self.ln_post(x[:, 0]))


class TextTower(nn.Module):
    def __init__(self, remap, n_compact, width, layers, heads, dim, context=CONTEXT):
        super().__init__()
        self.register_buffer("remap", torch.as_tensor(remap, dtype=torch.int32))
        self.tok = nn.Embedding(n_compact, width)
        nn.init.normal_(self.tok.weight, std=0.02)
        self.pos = nn.Parameter(torch.randn(context, width) * 0.01)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim, bias=False)

    def forward(self, input_ids, attention_mask=None, compact_ids=None):
        if compact_ids is None:
            compact_ids = self.remap[input_ids]           # Gather on the remap table (int32)
        n = input_ids.shape[1]
        x = self.tok(compact_ids) + self.pos[:n]
        big = torch.tensor(-1e9, dtype=x.dtype)
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        mask = torch.where(causal, big, torch.tensor(0.0, dtype=x.dtype))[None, None]
        if attention_mask is not None:
            mask = mask + (1.0 - attention_mask.to(x.dtype))[:, None, None, :] * big
        for blk in self.blocks:
            x = blk(x, mask)
        x = self.ln_final(x)
        eot = input_ids.argmax(dim=-1)                    # EOT has the largest id, as in CLIP
        x = x[torch.arange(x.shape[0]), eot]
        return self.proj(x)


class DemoCLIP(nn.Module):
    def __init__(self, remap, n_compact, cfg):
        super().__init__()
        self.cfg = dict(cfg)
        self.visual = VisionTower(cfg["image_size"], cfg["patch"], cfg["vision_width"],
                                  cfg["vision_layers"], cfg["vision_heads"], cfg["dim"])
        self.text = TextTower(remap, n_compact, cfg["text_width"], cfg["text_layers"],
                              cfg["text_heads"], cfg["dim"])
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


class TextExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.text = m.text

    def forward(self, input_ids, attention_mask):
        return self.text(input_ids, attention_mask)


class VisionExport(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.visual = m.visual

    def forward(self, pixel_values):
        return self.visual(pixel_values)


def tokenize(tok, texts, context=CONTEXT):
    """open_clip-style ids and the matching attention mask (int64, [N, context])."""
    ids = tok(texts, context_length=context).numpy().astype(np.int64)
    mask = np.zeros_like(ids)
    for i, row in enumerate(ids):
        mask[i, : int(np.argmax(row)) + 1] = 1
    return ids, mask


def load_checkpoint(path):
    ck = torch.load(path, map_location="cpu", weights_only=False)
    m = DemoCLIP(ck["remap"], ck["n_compact"], ck["cfg"])
    m.load_state_dict(ck["state"])
    m.eval()
    return m, ck
