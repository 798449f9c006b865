"""The demo dataset's class table and the wording used for its texts.

Everything the demo knows about its classes lives here: the attribute table, the phrases that
describe each attribute value, and the deterministic writers of the three text files
(class names, FuDD-layout differential descriptions, per-class descriptions). The image drawer
(generate_data.py) and the trainer (train.py) read the same table, so images, training captions
and descriptions cannot drift apart.
"""

import hashlib
import json

ATTRIBUTES = ["colour", "shape", "pattern", "size", "background"]

# name, colour, shape, pattern, size, background.  Invented "species" names: the colour word in a
# name ("crimson", "amber", ...) is deliberately NOT the word the attribute sentences use ("red",
# "yellow", ...), so the model has to learn what a name looks like from name captions alone.
CLASSES = [
    ("crimson sailfin",    "red",    "triangle", "striped",   "large",  "sky"),
    ("crimson sawfin",     "red",    "triangle", "dotted",    "large",  "sky"),
    ("coral sawfin",       "orange", "triangle", "dotted",    "large",  "sky"),
    ("amber puffcap",      "yellow", "circle",   "plain",     "small",  "grass"),
    ("amber moonglobe",    "yellow", "circle",   "plain",     "large",  "grass"),
    ("amber dune globe",   "yellow", "circle",   "plain",     "large",  "sand"),
    ("cobalt dune sprite", "blue",   "star",     "plain",     "medium", "sand"),
    ("cobalt night sprite", "blue",  "star",     "plain",     "medium", "night"),
    ("violet tilewing",    "purple", "square",   "checkered", "large",  "grass"),
    ("violet kitewing",    "purple", "diamond",  "checkered", "large",  "grass"),
    ("jade ringlet",       "green",  "ring",     "striped",   "medium", "sand"),
    ("snowy ringlet",      "white",  "ring",     "striped",   "medium", "sand"),
    ("ember hexling",      "orange", "hexagon",  "plain",     "small",  "night"),
    ("slate hexling",      "grey",   "hexagon",  "striped",   "small",  "night"),
]

CLASS_NAMES = [c[0] for c in CLASSES]

# Every background a drawing can have (the order is the one train.py's --background random draws from).
BACKGROUNDS = ["sky", "grass", "sand", "night"]


def attrs(idx):
    """Attribute dict of class idx."""
    row = CLASSES[idx]
    return dict(zip(ATTRIBUTES, row[1:]))


def differing(i, j):
    a, b = attrs(i), attrs(j)
    return [k for k in ATTRIBUTES if a[k] != b[k]]


# Confusable "twins": classes that differ in exactly one attribute.
def twins(idx):
    return [j for j in range(len(CLASSES)) if j != idx and len(differing(idx, j)) == 1]


# Phrases.  The first phrase of each value is the canonical one used by the differential
# descriptions; training captions draw from all of them.
PHRASES = {
    "colour": {
        v: [f"which is {v}", f"which is coloured {v}", f"which is bright {v}", f"with a {v} colour",
            f"that is {v}"]
        for v in ["red", "orange", "yellow", "blue", "purple", "green", "white", "grey"]
    },
    "shape": {
        "triangle": ["which is triangular", "which has a triangular shape", "shaped like a triangle"],
        "circle": ["which is round", "which has a round shape", "shaped like a circle"],
        "square": ["which is square", "which has a square shape", "shaped like a square"],
        "diamond": ["which is diamond-shaped", "which has a diamond shape", "shaped like a diamond"],
        "star": ["which is star-shaped", "which has a star shape", "shaped like a star"],
        "ring": ["which is ring-shaped", "which has a ring shape with a hole in the middle",
                 "shaped like a ring"],
        "hexagon": ["which is hexagonal", "which has a hexagonal shape", "shaped like a hexagon"],
    },
    "pattern": {
        "plain": ["which is plain with no pattern", "which has a plain surface",
                  "with a solid colour and no pattern"],
        "striped": ["which is striped", "which has stripes", "with a striped pattern"],
        "dotted": ["which is dotted", "which has dots", "with a polka-dot pattern"],
        "checkered": ["which is checkered", "which has a checkerboard pattern",
                      "with a checkered pattern"],
    },
    "size": {
        "small": ["which is small", "which looks small in the picture",
                  "which takes up a small part of the picture"],
        "medium": ["which is medium-sized", "which takes up about half of the picture",
                   "which is of medium size"],
        "large": ["which is large", "which fills most of the picture", "which looks big in the picture"],
    },
    "background": {
        "sky": ["which is shown on a pale blue sky background", "seen against a pale blue sky",
                "in front of a blue sky"],
        "grass": ["which is shown on a green grassy background", "seen against green grass",
                  "lying on grass"],
        "sand": ["which is shown on a sandy background", "seen against sand", "lying on sand"],
        "night": ["which is shown on a dark background at night", "seen against a dark night background",
                  "in the dark at night"],
    },
}

# Adjective / noun forms for attribute-only captions ("a small red striped triangle").
ADJ = {
    "shape": {"triangle": "triangle", "circle": "circle", "square": "square", "diamond": "diamond",
              "star": "star", "ring": "ring", "hexagon": "hexagon"},
    "pattern": {"plain": "plain", "striped": "striped", "dotted": "dotted", "checkered": "checkered"},
    "size": {"small": "small", "medium": "medium-sized", "large": "large"},
    "background": {"sky": "a pale blue sky", "grass": "green grass", "sand": "sand",
                   "night": "a dark night background"},
}

TEMPLATE = "a photo of a {}."


def _stable(*parts):
    """A deterministic small integer from strings (not Python's salted hash)."""
    h = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return int(h[:8], 16)


def differential_sentence(name, attr, value):
    return f"a photo of a {name}, {PHRASES[attr][value][0]}."


def prompt_pairs():
    """FuDD layout: {"i_j": {"classes": [i, j], "prompt_pairs": [...]}} for the twin pairs i < j.

    Only the twins (classes that differ in exactly one attribute) get differential descriptions:
    the pairs anyone reading the class table would expect a VLM to confuse, written before any VLM
    was measured, as a user's first batch of LLM answers would be.  A VLM that confuses other pairs
    lacks descriptions for them, which is what the demo's FuDD loop (`generate differential
    --missing`) is there to show."""
    out = {}
    n = len(CLASSES)
    for i in range(n):
        for j in range(i + 1, n):
            diff = differing(i, j)
            if len(diff) != 1:
                continue
            a, b = attrs(i), attrs(j)
            out[f"{i}_{j}"] = {
                "classes": [i, j],
                "prompt_pairs": [
                    {"attr_type": d,
                     "prompt_pair": [differential_sentence(CLASS_NAMES[i], d, a[d]),
                                     differential_sentence(CLASS_NAMES[j], d, b[d])]}
                    for d in diff
                ],
            }
    return out


SPURIOUS = [
    "click to enlarge photo of a {}.",
    "stock photo of a {}, free download.",
    "see more pictures of the {} on our page.",
    "a {} in a photo.",
]
NON_VISUAL = [
    "a {} is popular with collectors.",
    "a {} was first described in 1887.",
    "a {} is sold at craft markets in the spring.",
    "a {} is said to bring good luck.",
    "a {} makes a faint humming sound.",
    "a {} is named after the town where it was found.",
]


def class_descriptions():
    """CuPL/DCLIP layout: {class name: [sentences]}; visual first, then spurious, non-visual."""
    out = {}
    for idx, name in enumerate(CLASS_NAMES):
        a = attrs(idx)
        s = [
            f"a {name}, {PHRASES['colour'][a['colour']][0]}.",
            f"a {name}, {PHRASES['shape'][a['shape']][1]}.",
            f"a {name}, {PHRASES['pattern'][a['pattern']][1]}.",
            f"a {name}, {PHRASES['size'][a['size']][0]}.",
            f"a {name}, {PHRASES['background'][a['background']][0]}.",
            f"a {ADJ['size'][a['size']]} {a['colour']} {ADJ['pattern'][a['pattern']]} "
            f"{ADJ['shape'][a['shape']]} called a {name}.",
        ]
        k = _stable(name)
        s.append(SPURIOUS[k % len(SPURIOUS)].format(name))
        s.append(NON_VISUAL[k % len(NON_VISUAL)].format(name))
        if idx % 2 == 0:
            s.append(NON_VISUAL[(k + 1 + (k // 7) % (len(NON_VISUAL) - 1)) % len(NON_VISUAL)].format(name))
        out[name] = s
    return out


def attribute_table():
    return [{"id": i, "name": CLASS_NAMES[i], **attrs(i)} for i in range(len(CLASSES))]


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")
