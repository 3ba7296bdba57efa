#!/usr/bin/env python3
"""numpy's float32 matrix product, timed on request: the numpy side of `./glassbox bench numpy-gap`.

The Java benchmark starts this script as a child process and talks to it over stdin/stdout, one request
per line, so that it can alternate batches of glassbox calls and numpy calls (the machine's load then
hits both sides alike). On start the script prints one line

    ready {"numpy": ..., "libraries": [...], "core": ..., "threads": ...}

naming the BLAS library files this process has mapped (read from /proc/self/maps, i.e. what the dynamic
linker really loaded, not what numpy was built against) and the kernel OpenBLAS chose. Then, per line:

    gemm M N K TA TB REPS   ->  seconds per call of C = op(A)·op(B), averaged over REPS calls
    mlp BATCH STEPS         ->  seconds per training step of seed 000's MLP written in numpy (below)
    quit                    ->  exits

op(A) is M×K, op(B) is K×N, all row-major float32 with C preallocated (np.matmul(..., out=C)), as the
Java facade writes into a caller's array. TA = T means A is stored K×M and used as A.T (a transposed
view: numpy passes it to BLAS with a transpose flag, no copy). Operands are built once per shape and
kept, so repeated requests time the product alone.
"""
import ctypes
import json
import sys
import time

import numpy as np


def mapped_blas_libraries():
    """The BLAS/LAPACK shared objects mapped into this process."""
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if path.startswith("/") and ("blas" in path or "lapack" in path or "mkl" in path):
                    libs.add(path)
    except OSError:
        pass
    return sorted(libs)


def openblas_info(libs):
    """(core name, thread count) from the mapped OpenBLAS, or (None, None) if there is none."""
    for path in libs:
        if "openblas" not in path:
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode(), lib.openblas_get_num_threads()
        except (OSError, AttributeError):
            continue
    return None, None


class Operands:
    def __init__(self, m, n, k, ta, tb):
        rng = np.random.default_rng(20240611)
        a = rng.random((k, m) if ta else (m, k), dtype=np.float32) - 0.5
        b = rng.random((n, k) if tb else (k, n), dtype=np.float32) - 0.5
        self.a = a.T if ta else a
        self.b = b.T if tb else b
        self.c = np.empty((m, n), dtype=np.float32)

    def run(self):
        np.matmul(self.a, self.b, out=self.c)


class Mlp:
    """Seed 000's network, 784-128 relu-128 relu-10 sigmoid, sparse cross-entropy on the probabilities
    (rows normalised, as tf.keras does), Adam with Keras's defaults: the training step glassbox's
    Sequential runs, in float32 numpy, to time against it. Synthetic data: random pixels, random labels."""

    def __init__(self, samples):
        rng = np.random.default_rng(0)
        sizes = [784, 128, 128, 10]
        self.params = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            self.params.append(rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32))
            self.params.append(np.zeros(fan_out, dtype=np.float32))
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0
        self.x = (rng.random((samples, 784), dtype=np.float32) * 0.05).astype(np.float32)
        self.y = rng.integers(0, 10, samples)

    def step(self, xb, yb):
        w1, b1, w2, b2, w3, b3 = self.params
        z1 = xb @ w1 + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ w2 + b2
        a2 = np.maximum(z2, 0)
        p = 1.0 / (1.0 + np.exp(-(a2 @ w3 + b3)))
        n = len(yb)
        rows = np.arange(n)
        total = p.sum(axis=1, keepdims=True)
        # d(-log(p_y / Σp))/dp_j = 1/Σp − [j = y]/p_y, averaged over the batch; then through the sigmoid.
        dp = np.broadcast_to(1.0 / total, p.shape).copy()
        dp[rows, yb] -= 1.0 / np.clip(p[rows, yb], 1e-7, None)
        dz3 = (dp / n) * p * (1 - p)
        dz2 = (dz3 @ w3.T) * (z2 > 0)
        dz1 = (dz2 @ w2.T) * (z1 > 0)
        grads = [xb.T @ dz1, dz1.sum(0), a1.T @ dz2, dz2.sum(0), a2.T @ dz3, dz3.sum(0)]
        self.t += 1
        lr, beta1, beta2, eps = 0.001, 0.9, 0.999, 1e-7
        lr_t = lr * np.sqrt(1 - beta2 ** self.t) / (1 - beta1 ** self.t)
        for param, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            param -= lr_t * m / (np.sqrt(v) + eps)

    def epoch(self, batch):
        order = np.random.default_rng(self.t).permutation(len(self.x))
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            self.step(self.x[idx], self.y[idx])


def main():
    np.zeros(1).sum()  # numpy fully imported before the libraries are listed
    libs = mapped_blas_libraries()
    core, threads = openblas_info(libs)
    print("ready " + json.dumps({"numpy": np.__version__, "libraries": libs, "core": core,
                                 "threads": threads}), flush=True)
    cache = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "mlp" and len(words) == 3:
            batch, steps = int(words[1]), int(words[2])
            key = ("mlp", batch, steps)
            if key not in cache:
                cache[key] = Mlp(batch * steps)
            start = time.perf_counter()
            cache[key].epoch(batch)
            print(repr((time.perf_counter() - start) / steps), flush=True)
            continue
        if words[0] != "gemm" or len(words) != 7:
            print("error unknown request: " + line.strip(), flush=True)
            continue
        m, n, k = (int(w) for w in words[1:4])
        ta, tb = words[4] == "T", words[5] == "T"
        reps = int(words[6])
        key = (m, n, k, ta, tb)
        if key not in cache:
            cache[key] = Operands(m, n, k, ta, tb)
            cache[key].run()  # first touch of C, BLAS threads started
        ops = cache[key]
        start = time.perf_counter()
        for _ in range(reps):
            ops.run()
        print(repr((time.perf_counter() - start) / reps), flush=True)


if __name__ == "__main__":
    main()
