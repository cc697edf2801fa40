"""Compare this project's safetensors verdicts with the reference implementation's.

Reads DIR/verdicts.jsonl written by DifferentialDump.java and loads each damaged file with the
`safetensors` Python package (the Rust reference parser). Reports, by category:
  - both loaded: tensor names, dtypes, shapes and CRC32 of the bytes must agree;
  - we loaded, reference refused: must not happen (we would accept a file the format forbids);
  - we refused, reference loaded: listed by our error message, where we are stricter on purpose.
Exits 1 if any file we loaded is refused by the reference or read differently.
Usage: python3 differential_check.py DIR   (needs: pip install safetensors)
"""
import collections
import json
import pathlib
import re
import sys
import zlib

from safetensors import deserialize


def reference_view(data):
    """name -> [dtype, shape, crc32] as the reference parser reads the file, or raises."""
    return {name: [t["dtype"], list(t["shape"]), zlib.crc32(bytes(t["data"]))] for name, t in deserialize(data)}


def main(directory):
    d = pathlib.Path(directory)
    agree_loaded = agree_refused = 0
    disagreements = []
    stricter = collections.Counter()
    for line in (d / "verdicts.jsonl").read_text(encoding="utf-8").splitlines():
        v = json.loads(line)
        data = (d / v["file"]).read_bytes()
        try:
            ref = reference_view(data)
            ref_error = None
        except Exception as e:  # the reference raises several exception types
            ref, ref_error = None, f"{type(e).__name__}: {e}"
        if v["loaded"] and ref is not None:
            if ref == v["tensors"]:
                agree_loaded += 1
            else:
                disagreements.append((v["file"], "read differently", v["case"]))
        elif v["loaded"]:
            disagreements.append((v["file"], "reference refused: " + ref_error, v["case"]))
        elif ref is None:
            agree_refused += 1
        else:
            stricter[re.sub(r"\d+", "N", v["error"])[:90]] += 1
    print(f"both loaded, same contents: {agree_loaded}")
    print(f"both refused: {agree_refused}")
    print(f"we refused, reference loaded: {sum(stricter.values())}")
    for reason, n in stricter.most_common():
        print(f"  {n:6d}  {reason}")
    print(f"we loaded, reference refused or read differently: {len(disagreements)}")
    for f, why, case in disagreements[:20]:
        print(f"  {f}: {why}\n    {case}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
