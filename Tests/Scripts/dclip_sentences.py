#!/usr/bin/env python3
"""Expected DCLIP sentences for a DCLIP descriptor file, computed independently of Descry.

Written for Descry's tests from the rule as DCLIP states it (classify_by_description_release,
default settings: category name prepended, descriptor modification on, no before/after text,
", " between): the class part is the key with underscores as spaces; then
  "which is {d}"  when the descriptor starts with "a" (str.startswith, so "antlers" too),
  "which {d}"     when it starts with has / often / typically / may / can,
  "which is {d}"  when it starts with "used",
  "which has {d}" otherwise.

Usage: dclip_sentences.py FILE.json  -> prints {"class key": ["sentence", ...], ...} as JSON.
"""
import json
import sys

VERB_PREFIXES = ("has", "often", "typically", "may", "can")


def clause(descriptor: str) -> str:
    if descriptor[:1] == "a":
        return "which is " + descriptor
    for prefix in VERB_PREFIXES:
        if descriptor[: len(prefix)] == prefix:
            return "which " + descriptor
    if descriptor[:4] == "used":
        return "which is " + descriptor
    return "which has " + descriptor


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    out = {key: [key.replace("_", " ") + ", " + clause(d) for d in descriptors] for key, descriptors in data.items()}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
