"""What the peer scripts share: glassbox's datasets read as numpy arrays, Keras's normalisation, seed 002's twist.

The scripts read the same files glassbox reads, where glassbox keeps them: data/<name>/ of the repository
(data/fetch.sh mnist | fashion-mnist puts them there; any glassbox command that loads a dataset does so on
first use). $GLASSBOX_DATA names another folder with the same layout; the benchmarks set it to theirs.
"""
import gzip
import os
import struct

import numpy as np

DATA = os.environ.get("GLASSBOX_DATA",
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "data"))
IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def read_idx(path):
    """An IDX file as a uint8 array: (n,) labels or (n, rows, cols) images. gzip is told by its first two bytes
    (1f 8b), not by the name, as glassbox's IdxReader does."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, n = struct.unpack(">II", raw[:8])
    if magic == 2049:
        return np.frombuffer(raw, dtype=np.uint8, offset=8)
    if magic != 2051:
        raise ValueError(f"{path}: IDX magic number {magic:#010x}, expected 0x00000801 (labels) or 0x00000803 (images)")
    rows, cols = struct.unpack(">II", raw[8:16])
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows, cols)


def load(name):
    """(x_train, y_train, x_test, y_test) of data/<name>/ (mnist or fashion-mnist), each file plain or .gz."""
    folder = os.path.join(DATA, name)
    arrays = []
    for base in IDX_FILES:
        path = next((p for p in (os.path.join(folder, base), os.path.join(folder, base + ".gz")) if os.path.isfile(p)),
                    None)
        if path is None:
            raise FileNotFoundError(f"{folder}: no {base} (plain or .gz); fetch the dataset with data/fetch.sh {name}"
                                    " or any glassbox command that loads it")
        arrays.append(read_idx(path))
    return tuple(arrays)


def keras_normalize(x, axis):
    """tf.keras.utils.normalize: L2-normalise along `axis` (zero norms left as 1)."""
    x = x.astype(np.float32)
    l2 = np.atleast_1d(np.linalg.norm(x, 2, axis))
    l2[l2 == 0] = 1
    return x / np.expand_dims(l2, axis)


# Seed 002's five "twist" labels, by Fashion-MNIST class (glassbox.experiments.FashionTwist's table).
TWIST = {0: 0, 6: 0, 8: 1, 2: 2, 4: 2, 1: 3, 3: 3, 5: 4, 7: 4, 9: 4}
