"""Writes src/test/resources/reference/reference.safetensors with the reference implementation.

The file is committed; ReferenceFixtureTest.java states the same values and checks that this
project reads them back. Regenerate (needs: pip install safetensors numpy) with
    python3 src/test/python/make_reference_fixture.py
from the weights-loader directory.
"""
import numpy as np
import safetensors
from safetensors import TensorSpec, serialize

arrays = {
    "f32": ("float32", [2, 3], np.array([0.0, 1.0, -2.5, 3.25, np.inf, -0.0], dtype="<f4")),
    # bfloat16 bit patterns: 1.0, -2.5, +inf, smallest subnormal (2^-133)
    "bf16": ("bfloat16", [4], np.array([0x3F80, 0xC020, 0x7F80, 0x0001], dtype="<u2")),
    "f16": ("float16", [2, 2], np.array([65504.0, 2.0 ** -24, -1.0, 0.5], dtype="<f2")),
    "i64": ("int64", [], np.array([-7], dtype="<i8")),
    "u8": ("uint8", [3], np.array([1, 2, 255], dtype="u1")),
    "flags": ("bool", [2], np.array([1, 0], dtype="u1")),
    "empty": ("float32", [0, 4], np.zeros(0, dtype="<f4")),
}
specs = {
    name: TensorSpec(dtype=dtype, shape=shape, data_ptr=a.ctypes.data, data_len=a.nbytes)
    for name, (dtype, shape, a) in arrays.items()
}
blob = serialize(specs, metadata={"format": "pt", "writer": "safetensors " + safetensors.__version__})
with open("src/test/resources/reference/reference.safetensors", "wb") as f:
    f.write(blob)
print(len(blob), "bytes")
