#!/usr/bin/env python3
"""numpy's float32 matrix product, timed on request: the numpy side of `./glassbox bench numpy-gap`.

The Java benchmark starts this script as a child process and talks to it over stdin/stdout, one request
per line, so that it can alternate batches of glassbox calls and numpy calls (the machine's load then
hits both sides alike). On start the script prints one line

    ready {"numpy": ..., "libraries": [...], "core": ..., "threads": ...}

naming the BLAS library files this process has mapped (read from /proc/self/maps, i.e. what the dynamic
linker really loaded, not what numpy was built against) and the kernel OpenBLAS chose. Then, per line:

    gemm M N K TA TB REPS   ->  seconds per call of C = op(A)·op(B), averaged over REPS calls
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
