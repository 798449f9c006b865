"""Training captions for the demo CLIP, built from the class attribute table.

Captions come in kinds (weights below). Name-bearing captions use the class name, but for a class
with "twins" (classes differing in one attribute) the name is swapped to a twin's name with
probability NAME_SWAP: the names of confusable classes are a noisy signal, while the attribute words
are always true to the image. That is what makes the single-template baseline confuse twins and
lets attribute-bearing (differential) descriptions resolve them.
"""

import demo_spec as spec

NAME_SWAP = 0.5

# Probability that a caption which would name the background keeps it (train.py
# --background-captions). 1.0: every such caption names it, and no extra random numbers are drawn,
# so demo-clip's captions are unchanged. Below 1, a rejected background is replaced by another
# attribute (or left out of a combination), so the model reads about backgrounds more rarely and
# about colour, shape, pattern and size more often.
BACKGROUND_MENTION = 1.0
NON_BACKGROUND = [a for a in spec.ATTRIBUTES if a != "background"]


def _drop_background(rng):
    return BACKGROUND_MENTION < 1.0 and rng.random() >= BACKGROUND_MENTION


def _attribute(rng):
    """A random attribute for a one-attribute phrase, background kept with BACKGROUND_MENTION."""
    attr = spec.ATTRIBUTES[rng.integers(len(spec.ATTRIBUTES))]
    if attr == "background" and _drop_background(rng):
        attr = NON_BACKGROUND[rng.integers(len(NON_BACKGROUND))]
    return attr

TEMPLATES = [
    "a photo of a {}.", "a photo of the {}.", "a picture of a {}.", "a blurry photo of a {}.",
    "a close-up photo of a {}.", "a drawing of a {}.", "a rendering of a {}.",
    "a low resolution photo of a {}.", "a bright photo of the {}.", "a cropped photo of a {}.",
    "a good photo of a {}.", "a photo of a small {}.", "a photo of a big {}.",
]

KINDS = [
    ("name", 0.04),
    ("template", 0.08),
    ("other_template", 0.06),
    ("name_attr", 0.30),
    ("name_combo", 0.10),
    ("attr_combo", 0.30),
    ("attr_phrase", 0.12),
]


def _name(c, rng):
    tw = spec.twins(c)
    if tw and rng.random() < NAME_SWAP:
        return spec.CLASS_NAMES[tw[rng.integers(len(tw))]]
    return spec.CLASS_NAMES[c]


def _phrase(a, attr, rng):
    opts = spec.PHRASES[attr][a[attr]]
    return opts[rng.integers(len(opts))]


def _combo(a, rng, min_attrs=1):
    """'small red striped triangle on sand' from a random subset of the attributes."""
    keep = [k for k in ("size", "colour", "pattern", "background") if rng.random() < 0.6]
    if "background" in keep and _drop_background(rng):
        keep.remove("background")
        while len(keep) < min_attrs:
            k = ("size", "colour", "pattern")[rng.integers(3)]
            if k not in keep:
                keep.append(k)
    while len(keep) < min_attrs:
        k = ("size", "colour", "pattern", "background")[rng.integers(4)]
        if k not in keep:
            keep.append(k)
    words = []
    if "size" in keep:
        words.append(spec.ADJ["size"][a["size"]])
    if "colour" in keep:
        words.append(a["colour"])
    if "pattern" in keep:
        words.append(spec.ADJ["pattern"][a["pattern"]])
    shape = spec.ADJ["shape"][a["shape"]] if rng.random() < 0.8 else "object"
    s = " ".join(words + [shape])
    if "background" in keep:
        s += (" on " if rng.random() < 0.5 else " against ") + spec.ADJ["background"][a["background"]]
    return s


def caption(c, rng, background=None):
    """A training caption for an image of class c; `background` is the background actually drawn
    when it is not the class's own (train.py --background random), so captions stay true to the
    image. None (the class's own) consumes the same random numbers as before the option existed."""
    a = spec.attrs(c)
    if background is not None:
        a["background"] = background
    r = rng.random()
    acc = 0.0
    for kind, w in KINDS:
        acc += w
        if r < acc:
            break
    if kind == "name":
        return _name(c, rng)
    if kind == "template":
        return "a photo of a {}.".format(_name(c, rng))
    if kind == "other_template":
        return TEMPLATES[rng.integers(len(TEMPLATES))].format(_name(c, rng))
    if kind == "name_attr":
        n = _name(c, rng)
        attr = _attribute(rng)
        p = _phrase(a, attr, rng)
        if attr == "shape" and rng.random() < 0.5:
            p = spec.PHRASES["shape"][a["shape"]][0]
        lead = ("a photo of a {}, ", "a {}, ", "a photo of the {}, ")[rng.integers(3)]
        s = lead.format(n) + p
        if rng.random() < 0.3:  # a second attribute
            attr2 = spec.ATTRIBUTES[rng.integers(len(spec.ATTRIBUTES))]
            if attr2 == "background" and _drop_background(rng):
                attr2 = attr  # no second attribute
            if attr2 != attr:
                s += " and " + _phrase(a, attr2, rng).replace("which ", "")
        return s + "."
    if kind == "name_combo":
        return "a {} called a {}.".format(_combo(a, rng, 2), _name(c, rng))
    if kind == "attr_combo":
        lead = ("a photo of a {}.", "a {}.", "a picture of a {}.", "a drawing of a {}.")[rng.integers(4)]
        return lead.format(_combo(a, rng, 1))
    # attr_phrase
    attr = _attribute(rng)
    return "a photo of an object, {}.".format(_phrase(a, attr, rng))
