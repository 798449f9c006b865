#!/usr/bin/env python3
"""Reference token ids from open_clip's own SimpleTokenizer, for DescryVision's parity tests.

Reads open_clip/tokenizer.py and its vocabulary straight out of the open_clip_torch wheel that
`make deps` downloads (nothing is copied into the repository). Needs `pip install ftfy regex`;
torch is not needed (a stub stands in for the import, only `encode` is called).

  # the committed fixture of hard strings:
  python3 Tests/DescryVisionTests/Fixtures/make_tokenizer_fixture.py --out Tests/DescryVisionTests/Fixtures/tokenizer_hard_strings.json
  # every text of the FuDD corpora (the test runs this into a temporary directory):
  python3 Tests/DescryVisionTests/Fixtures/make_tokenizer_fixture.py --fudd ../shared/corpora/fudd --out /tmp/fudd_ids.json
"""
import argparse
import glob
import json
import os
import sys
import tempfile
import types
import zipfile

HARD_STRINGS = [
    "",
    " ",
    "a photo of a beagle.",
    "A Photo Of A BEAGLE!!!",
    "   leading and trailing   whitespace\t\n\r\n ",
    "it's the dog's bone, they'll say we've I'm you're he'd",
    "IT'S SHOUTED'S 'QUOTED' ''double''",
    "don't 'sup 'tis 'll 're",
    "café naïve résumé über Ångström façade",
    "cafe\u0301 decomposed accents nai\u0308ve",
    "Straße İstanbul ΣΟΦΟΣ ΟΔΥΣΣΕΥΣ",
    "東京タワー 北京 한국어 ภาษาไทย العربية עברית",
    "emoji 🐶🐱 👍🏽 👨‍👩‍👧 🏳️‍🌈 ❤️",
    "fish &amp; chips &lt;b&gt; it&#39;s &#x27;quoted&#x27; &quot;q&quot;",
    "&amp;amp; double &amp;lt; escaped &nbsp;space &copy; &COPY; &EACUTE;",
    "&notanentity; &ampersand &amplifier &#128; &#0; &#xD800; &#99999999; &#; &#x;",
    "<b>bold</b> &amp; tags stop ftfy's unescaping &eacute;",
    "line one &eacute;\nline two <i>&eacute;</i>\nline three &eacute;",
    "ligatures: ﬁsh ﬂower ﬀ ﬃ ﬄ ﬅ ﬆ Ĳssel ŉ",
    "full-width: ＡＢＣ　ｄｅｆ！ １２３ ﾊﾝｶｸ",
    "curly quotes ‘single’ “double” ‛odd‟ ʼapostrophe",
    "control\x00chars\x07here\x1b[31mred\x1b[0m\x7f done\ufeff",
    "c1 controls \x80 \x85 \x91quoted\x92 \x9d",
    "numbers 1234 3.14 ½ ² Ⅻ ٣ 10,000",
    "punctuation!!! ... ??? --- ((())) [x] {y} #hashtag @user",
    "under_score dash-dash slash/path back\\slash",
    "<start_of_text> literal special <end_of_text> <START_OF_TEXT>",
    "x<start_of_text>y !<end_of_text>",
    "tabs\tand\u00a0nbsp\u2003em\u3000ideographic\u2028ls",
    "zero\u200bwidth\u200djoiner",
    "long ſ s: it'ſ",
    "mixed CamelCaseWords and ALLCAPS and miXeD",
    "a " * 100,
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "The Abyssinian cat has a ruddy coat with ticked fur; the Bengal's coat is spotted or marbled. " * 6,
    "x" * 500,
    "🐶" * 40,
    "ẞ ǅ ǈ ﬀ ΐ Ω K Å ⅓",
]


def _torch_stub():
    """A stand-in for torch: tokenizer.py names torch types in annotations evaluated at import
    (`-> torch.LongTensor`), so every attribute must exist; none of them may be used, since only
    `encode` is called, which is plain Python."""
    stub = types.ModuleType("torch")

    class _Unavailable:
        def __init__(self, *args, **kwargs):
            raise RuntimeError("torch is not installed; the stub only satisfies annotations")

    def __getattr__(name):  # PEP 562: module-level attribute fallback
        if name.startswith("__"):
            raise AttributeError(name)
        return _Unavailable

    stub.__getattr__ = __getattr__
    return stub


def load_open_clip(wheel):
    """Imports tokenizer.py from the wheel without installing open_clip or torch."""
    tmp = tempfile.mkdtemp(prefix="descry-openclip-")
    with zipfile.ZipFile(wheel) as zf:
        for name in ("open_clip/tokenizer.py", "open_clip/bpe_simple_vocab_16e6.txt.gz"):
            zf.extract(name, tmp)
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.modules["torch"] = _torch_stub()
    sys.path.insert(0, os.path.join(tmp, "open_clip"))
    import tokenizer  # the wheel's open_clip/tokenizer.py

    return tokenizer.SimpleTokenizer()


def fudd_texts(folder):
    texts = []
    for path in sorted(glob.glob(os.path.join(folder, "*_prompt_pairs.json"))):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        for key in sorted(data):
            for pp in data[key]["prompt_pairs"]:
                texts.extend(pp["prompt_pair"])
    for path in sorted(glob.glob(os.path.join(folder, "*_class_names.json"))):
        with open(path, encoding="utf-8") as f:
            texts.extend("a photo of a %s." % n.replace("_", " ") for n in json.load(f))
    templates = os.path.join(folder, "clip_templates.json")
    if os.path.exists(templates):
        with open(templates, encoding="utf-8") as f:
            texts.extend(json.load(f))
    # unique, first occurrence order
    return list(dict.fromkeys(texts))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheel", default=None, help="open_clip_torch wheel (default: .deps/wheels/)")
    parser.add_argument("--fudd", default=None, help="folder of FuDD corpora instead of the hard strings")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    wheel = args.wheel or (sorted(glob.glob(os.path.join(root, ".deps/wheels/open_clip_torch-*.whl"))) or [None])[-1]
    if not wheel:
        sys.exit("no open_clip_torch wheel; run `make deps` first")
    tok = load_open_clip(wheel)
    texts = fudd_texts(args.fudd) if args.fudd else HARD_STRINGS
    ids = [tok.encode(t) for t in texts]
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"wheel": os.path.basename(wheel), "texts": texts, "ids": ids}, f, ensure_ascii=True)
    print("wrote %s: %d texts" % (args.out, len(texts)))


if __name__ == "__main__":
    main()
