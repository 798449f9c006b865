#!/usr/bin/env python3
"""Draws the audit evaluation sample from ../shared/corpora with a recorded seed.

Writes (1) the key file, committed to Data/: one row per sampled description with its source,
a stable key into the corpus, the SHA-256 of its text and its split (dev or test, assigned here,
once, before any labelling or tuning); and (2) a work file with the texts, for the people
labelling them, which is never committed.
"""
import argparse, glob, hashlib, json, os, random

SEED = 20261201
PER_SOURCE = 150  # 11 sources -> 1,650 descriptions; half dev, half test per source

# The second draw (issue 11, 2026-12-02): more dev labels where the learned auditor was weakest
# on dev. A fresh seed, every key already in labels.tsv excluded, ALL rows dev: the test split
# stays exactly the 825 keys of the first draw.
EXTRA_SEED = 20261203
EXTRA_PER_SOURCE = {"labo": 100, "mpvr-gpt": 100, "mpvr-mixtral": 100, "cupl": 100, "dclip": 50}

# The third draw (issue 11, 2026-12-02, evening): a fresh held-out split, never looked at while
# tuning (the first draw's test split had been read many times by then), 40 from every source,
# and more dev labels for the sources still under 85 % on test. A fresh seed; excluded: every
# key already labelled, and every text whose hash equals a labelled item's of the same source
# (any split) or another drawn item's. The work file is shuffled and does not name the split, so
# the readers cannot tell held-out items from dev ones.
THIRD_SEED = 20261205
THIRD_HOLDOUT_PER_SOURCE = 40
THIRD_DEV_PER_SOURCE = {"labo": 80, "mpvr-mixtral": 60, "mpvr-gpt": 50, "cupl": 50}


def write_work(path, rows):
    """The work file for the readers: one JSON line per description, texts included (never committed)."""
    with open(path, "w", encoding="utf-8") as f:
        for n, u in enumerate(rows):
            f.write(json.dumps({"id": n, "source": u[0], "key": u[1], "class": u[2], "text": u[3], "twin": u[4]}, ensure_ascii=False) + "\n")


def sha(t):
    return hashlib.sha256(t.encode("utf-8")).hexdigest()


def units(root):
    """Every labellable description, as (source, key, class, text, twin)."""
    out = []
    fudd = os.path.join(root, "fudd")
    for ds in ("pets", "dtd", "eurosat"):
        names = json.load(open(os.path.join(fudd, f"{ds}_class_names.json")))
        pairs = json.load(open(os.path.join(fudd, f"{ds}_prompt_pairs.json")))
        for k in sorted(pairs):
            i, j = pairs[k]["classes"]
            for p, pp in enumerate(pairs[k]["prompt_pairs"]):
                a, b = pp["prompt_pair"]
                out.append((f"fudd-{ds}", f"{ds}/{k}/{p}/0", names[i], a, b))
                out.append((f"fudd-{ds}", f"{ds}/{k}/{p}/1", names[j], b, a))
    templates = json.load(open(os.path.join(fudd, "clip_templates.json")))
    for ds in ("pets", "dtd", "eurosat"):
        names = json.load(open(os.path.join(fudd, f"{ds}_class_names.json")))
        for t, tpl in enumerate(templates):
            for c, n in enumerate(names):
                out.append(("templates", f"{ds}/{t}/{c}", n, tpl.replace("{}", n.replace("_", " ")), None))
    def per_class(source, path, prefix):
        d = json.load(open(path))
        for c in sorted(d):
            v = d[c]
            if isinstance(v, dict):  # TAP: {attribute: [text]}
                for a in sorted(v):
                    for n, t in enumerate(v[a]):
                        out.append((source, f"{prefix}/{c}/{a}/{n}", c, t, None))
            else:
                for n, t in enumerate(v):
                    out.append((source, f"{prefix}/{c}/{n}", c, t, None))
    for ds in ("pets", "dtd"):
        per_class("cupl", os.path.join(root, "cupl", f"{ds}.json"), ds)
    for ds in ("pets", "dtd", "eurosat"):
        per_class("dclip", os.path.join(root, "dclip", f"{ds}.json"), ds)
    per_class("labo", os.path.join(root, "labo", "dtd.json"), "dtd")
    per_class("tap", os.path.join(root, "tap", "eurosat.json"), "eurosat")
    per_class("mpvr-gpt", os.path.join(root, "mpvr", "gpt-eurosat.json"), "eurosat")
    per_class("mpvr-mixtral", os.path.join(root, "mpvr", "mixtral-eurosat.json"), "eurosat")
    for path in sorted(glob.glob(os.path.join(root, "adaptclipzs", "eurosat", "*.txt"))):
        c = os.path.splitext(os.path.basename(path))[0]
        lines = [l.strip() for l in open(path, encoding="utf-8")]
        for n, t in enumerate(lines):
            if t:
                out.append(("adaptclipzs", f"eurosat/{c}/{n}", c, t, None))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="../shared/corpora")
    ap.add_argument("--keys", required=True, help="key file to write (committed)")
    ap.add_argument("--work", required=True, help="work file with texts (never committed)")
    ap.add_argument("--extra", metavar="LABELS",
                    help="draw the second, dev-only sample (EXTRA_SEED, EXTRA_PER_SOURCE), excluding every key of LABELS")
    ap.add_argument("--third", metavar="LABELS",
                    help="draw the third sample (THIRD_SEED): a held-out split of every source and more dev rows, excluding every key and text of LABELS")
    a = ap.parse_args()
    if a.extra:
        return extra(a)
    if a.third:
        return third(a)
    rng = random.Random(SEED)
    by_source = {}
    for u in units(a.corpora):
        if isinstance(u[3], str) and u[3].strip():
            by_source.setdefault(u[0], []).append(u)
    rows = []
    for source in sorted(by_source):
        pool = by_source[source]
        picked = rng.sample(pool, min(PER_SOURCE, len(pool)))
        for n, u in enumerate(picked):
            rows.append((u, "dev" if n % 2 == 0 else "test"))
    with open(a.keys, "w", encoding="utf-8") as f:
        f.write(f"# seed {SEED}, {PER_SOURCE} per source; columns: source, key, sha256 of the text, split\n")
        for u, split in rows:
            f.write(f"{u[0]}\t{u[1]}\t{sha(u[3])}\t{split}\n")
    write_work(a.work, [u for u, _ in rows])
    print(f"{len(rows)} descriptions from {len(by_source)} sources: " + ", ".join(f"{s} {min(PER_SOURCE, len(p))}/{len(p)}" for s, p in sorted(by_source.items())))


def extra(a):
    # Excluded: every key already labelled, and every text whose hash equals a test item's of the
    # same source (a duplicate text in dev would leak the test label into training).
    taken, test_hashes = set(), set()
    for line in open(a.extra, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            f = line.rstrip("\n").split("\t")
            taken.add((f[0], f[1]))
            if f[3] == "test":
                test_hashes.add((f[0], f[2]))
    rng = random.Random(EXTRA_SEED)
    by_source = {}
    for u in units(a.corpora):
        if isinstance(u[3], str) and u[3].strip() and (u[0], u[1]) not in taken and (u[0], sha(u[3])) not in test_hashes:
            by_source.setdefault(u[0], []).append(u)
    rows = []
    for source in sorted(EXTRA_PER_SOURCE):
        pool = by_source[source]
        rows += rng.sample(pool, min(EXTRA_PER_SOURCE[source], len(pool)))
    with open(a.keys, "w", encoding="utf-8") as f:
        f.write(f"# extra seed {EXTRA_SEED}, all dev; columns: source, key, sha256 of the text, split\n")
        for u in rows:
            f.write(f"{u[0]}\t{u[1]}\t{sha(u[3])}\tdev\n")
    write_work(a.work, rows)
    print(f"{len(rows)} extra dev descriptions: " + ", ".join(f"{s} {EXTRA_PER_SOURCE[s]}" for s in sorted(EXTRA_PER_SOURCE)))


def third(a):
    taken, hashes = set(), set()
    for line in open(a.third, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            f = line.rstrip("\n").split("\t")
            taken.add((f[0], f[1]))
            hashes.add((f[0], f[2]))
    rng = random.Random(THIRD_SEED)
    by_source = {}
    for u in units(a.corpora):
        if isinstance(u[3], str) and u[3].strip() and (u[0], u[1]) not in taken and (u[0], sha(u[3])) not in hashes:
            by_source.setdefault(u[0], []).append(u)
    rows, drawn = [], set()
    def pick(source, n, split):
        # Sampled in one go, then thinned of texts drawn already (a text may recur under two keys).
        got = 0
        for u in rng.sample(by_source[source], min(len(by_source[source]), 3 * n + 20)):
            if got < n and (u[0], sha(u[3])) not in drawn:
                drawn.add((u[0], sha(u[3])))
                rows.append((u, split))
                got += 1
    for source in sorted(by_source):
        pick(source, THIRD_HOLDOUT_PER_SOURCE, "holdout")
    for source in sorted(THIRD_DEV_PER_SOURCE):
        pick(source, THIRD_DEV_PER_SOURCE[source], "dev")
    with open(a.keys, "w", encoding="utf-8") as f:
        f.write(f"# third draw seed {THIRD_SEED}; columns: source, key, sha256 of the text, split\n")
        for u, split in rows:
            f.write(f"{u[0]}\t{u[1]}\t{sha(u[3])}\t{split}\n")
    order = list(range(len(rows)))
    rng.shuffle(order)
    write_work(a.work, [rows[r][0] for r in order])
    print(f"{len(rows)} descriptions: " + ", ".join(f"{s} {sum(1 for u, sp in rows if u[0] == s)}" for s in sorted(by_source)))


if __name__ == "__main__":
    main()
