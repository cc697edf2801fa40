"""Reads kit layout vectors (paths on argv) and prints, per file, the Python layout of its tokens:
positions and, per (block, path), the span [first token, last token + 1). The oracle is
python/multiverse_layout.py, written from the spec alone (its directory comes in MULTIVERSE_PYTHON).
"""
import json
import os
import sys

sys.path.insert(0, os.environ["MULTIVERSE_PYTHON"])
from multiverse_layout import layout  # noqa: E402

TAGS = ["<Think>", "</Think>", "<Parallel>", "</Parallel>", "<Goal>", "</Goal>",
        "<Outline>", "</Outline>", "<Path>", "</Path>", "<Conclusion>", "</Conclusion>"]

tag = {t: 151665 + i for i, t in enumerate(TAGS)}
out = {}
for name in sys.argv[1:]:
    tokens = json.load(open(name))["tokens"]
    positions, span = layout(tokens, tag)
    spans = {}
    for i, chain in enumerate(span):
        for block, path in chain:
            first, last = spans.get((block, path), (i, i))
            spans[(block, path)] = (min(first, i), max(last, i))
    blocks = {}
    for (block, path), (first, last) in sorted(spans.items()):
        blocks.setdefault(str(block), []).append([first, last + 1])
    out[os.path.basename(name)] = {"positions": positions, "paths": blocks}
print(json.dumps(out))
