#!/usr/bin/env python3
"""Exports a CLIP ViT-B/32-sized model with random weights (same architecture and cost as
openai/clip-vit-base-patch32) to the Hugging Face ONNX signature, for the encoder benchmarks:
text_model.onnx (input_ids, attention_mask → text_embeds) and vision_model.onnx
(pixel_values → image_embeds). Nothing is downloaded: the config is written out here.

  python3 Data/benchmarks/vision/export_clip_b32.py --out .deps/bench/clip-b32
Needs `pip install torch transformers onnx` (CPU torch is enough). Writes ~600 MB.
"""
import argparse
import os

import torch
from transformers import CLIPConfig, CLIPTextModelWithProjection, CLIPVisionModelWithProjection


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(0)
    # openai/clip-vit-base-patch32's published configuration.
    config = CLIPConfig(
        text_config=dict(vocab_size=49408, hidden_size=512, intermediate_size=2048, num_attention_heads=8,
                         num_hidden_layers=12, max_position_embeddings=77, projection_dim=512,
                         bos_token_id=49406, eos_token_id=49407, pad_token_id=1),
        vision_config=dict(hidden_size=768, intermediate_size=3072, num_attention_heads=12, num_hidden_layers=12,
                           image_size=224, patch_size=32, projection_dim=512),
        projection_dim=512)
    text = CLIPTextModelWithProjection(config.text_config).eval()
    vision = CLIPVisionModelWithProjection(config.vision_config).eval()

    class Text(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):
            return self.m(input_ids=input_ids, attention_mask=attention_mask).text_embeds

    class Vision(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, pixel_values):
            return self.m(pixel_values=pixel_values).image_embeds

    ids = torch.full((2, 77), 0, dtype=torch.long)
    ids[:, 0], ids[:, 1], ids[:, 2] = 49406, 320, 49407
    mask = (torch.arange(77)[None, :] < 3).long().repeat(2, 1)
    with torch.no_grad():
        torch.onnx.export(Text(text), (ids, mask), os.path.join(a.out, "text_model.onnx"),
                          input_names=["input_ids", "attention_mask"], output_names=["text_embeds"],
                          dynamic_axes={"input_ids": {0: "batch_size"}, "attention_mask": {0: "batch_size"},
                                        "text_embeds": {0: "batch_size"}}, opset_version=17, dynamo=False)
        torch.onnx.export(Vision(vision), (torch.randn(2, 3, 224, 224),), os.path.join(a.out, "vision_model.onnx"),
                          input_names=["pixel_values"], output_names=["image_embeds"],
                          dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}},
                          opset_version=17, dynamo=False)
    print("exported to", a.out)


if __name__ == "__main__":
    main()
