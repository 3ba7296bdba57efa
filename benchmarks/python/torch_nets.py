"""PyTorch peers of the seed notebooks' networks: seconds per training epoch and test accuracy, the other side of
`./glassbox bench mlp` and `./glassbox bench cnn`.

usage: torch_nets.py MODEL [--epochs N] [--batch B] [--samples N] [--out FILE] [--seed S]
                           [--memory-format contiguous|channels_last] [--mkldnn on|off]
       torch_nets.py MODEL|all --count-params

MODEL        the network (glassbox's side)                          data; loss; optimiser
mlp          seed 000: 784 → 128 relu → 128 relu → 10               MNIST L2-normalised along axis 1 (Keras's
             (MlpEpochBenchmark.network)                            normalize); cross-entropy; Adam
cnn_default  seed 002 §2.1 (SeedModels.fashionDefault)              Fashion "twist" (5 classes), the first 48,000
cnn_custom   seed 002 §2.3 (SeedModels.fashionCustom)               training rows (Keras's validation_split=0.2);
                                                                    cross-entropy; Adam
cnn_mnist    seed 001 (SeedModels.mnistCnn)                         MNIST / 255; cross-entropy; Adam
autoencoder  seed 003's convolutional autoencoder                   MNIST / 255 as its own target; binary
             (SeedModels.convAutoencoder)                           cross-entropy; Adadelta(1.0, ρ 0.95, ε 1e-7)
cnn_keras    seed 003, Keras's mnist_cnn.py (SeedModels.mnistKerasCnn)  MNIST / 255; cross-entropy; Adadelta

Each network is glassbox's layer for layer, with Keras's initialisation (Glorot-uniform kernels, zero biases) and
Keras's BatchNormalization defaults (momentum 0.99, i.e. PyTorch's 0.01; ε 1e-3). Where glassbox ends in a
softmax this ends in logits: CrossEntropyLoss fuses the softmax and the log, as Keras's loss does in effect.
For the autoencoder "test_acc" is Keras's binary accuracy (a pixel counts when round(prediction) equals it), as
glassbox reports it.

--count-params prints {"MODEL": {"parameters": P, "buffers": B}, ...} and exits, reading no data: P is what
glassbox's summary calls "Trainable params", B BatchNormalization's running means and variances (glassbox's
"Non-trainable params"; PyTorch's num_batches_tracked counter has no glassbox counterpart and is left out).
PeerModelsTest checks both against glassbox's networks.

PyTorch runs at its best here: one thread per core, oneDNN (torch.backends.mkldnn) on, and the convolutional
networks' weights and activations in the channels_last (NHWC) memory format. Measured on this 2-core machine
(2026-12-06, PyTorch 1.13.1 from Debian, every setting alternated in 5–10-step chunks in one process so that
the load of other jobs fell on all alike; median ms per training step, oneDNN on, NCHW → channels_last):
cnn_default 279 → 255, cnn_custom 609 → 265, cnn_mnist 36 → 29, autoencoder 36 → 20, cnn_keras 119 → 115;
oneDNN off was 1.4–4.4× slower than the best in every case. Both are options for measuring again; the JSON
and the log line record the settings used.

Reads MNIST and Fashion-MNIST where glassbox keeps them (see common.py). Writes the result JSON to --out:
{"model", "batch", "torch", "threads", "mkldnn", "memory_format", "samples", "epochs": [{"epoch",
"train_seconds", "test_acc", "test_loss"}, ...]}.
"""
import argparse
import json
import os
import time

MODELS = ("mlp", "cnn_default", "cnn_custom", "cnn_mnist", "autoencoder", "cnn_keras")


def arguments():
    p = argparse.ArgumentParser(description="PyTorch peers of glassbox's seed networks (see the module docstring).")
    p.add_argument("model", choices=MODELS + ("all",), help="the network; 'all' with --count-params only")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--samples", type=int, default=0, help="train on the first N training samples only; 0: all")
    p.add_argument("--out", help="where to write the result JSON")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--memory-format", choices=("contiguous", "channels_last"), default="channels_last",
                   help="layout of the convolutional networks' activations and weights; default %(default)s")
    p.add_argument("--mkldnn", choices=("on", "off"), default="on",
                   help="torch.backends.mkldnn.enabled (oneDNN's convolutions); default %(default)s")
    p.add_argument("--count-params", action="store_true",
                   help="print each network's parameter and buffer counts as JSON, read no data, train nothing")
    a = p.parse_args()
    if a.model == "all" and not a.count_params:
        p.error("model 'all' is for --count-params; train one of " + ", ".join(MODELS))
    if a.epochs < 1 or a.batch < 1 or a.samples < 0:
        p.error(f"--epochs and --batch must be ≥ 1 and --samples ≥ 0, got {a.epochs}, {a.batch} and {a.samples}")
    return a


# Parsed before torch is imported: --help and argument errors answer at once, with or without torch.
args = arguments()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

from common import TWIST, keras_normalize, load  # noqa: E402


def conv(ci, co, padding, activation=nn.ReLU):
    """Keras's Conv2D(co, 3, padding, activation): 'same' pads 1 on each side, 'valid' none."""
    return [nn.Conv2d(ci, co, 3, padding=1 if padding == "same" else 0), activation()]


def keras_batch_norm(channels):
    """Keras's BatchNormalization(): momentum 0.99 of the old moving average is PyTorch's momentum 0.01."""
    return nn.BatchNorm2d(channels, momentum=0.01, eps=1e-3)


def pool_same():
    """Keras's MaxPooling2D(2, padding="same"): 7 → 4, the last window partial."""
    return nn.MaxPool2d(2, ceil_mode=True)


def network(model):
    """The network of `model`, Glorot-uniform kernels and zero biases (Keras's defaults)."""
    if model == "mlp":
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                            nn.Linear(128, 10))
    elif model == "cnn_default":
        net = nn.Sequential(*conv(1, 32, "same"), nn.MaxPool2d(2), *conv(32, 32, "same"),
                            nn.Flatten(), nn.Linear(32 * 14 * 14, 5))
    elif model == "cnn_custom":
        net = nn.Sequential(*conv(1, 32, "same"), *conv(32, 128, "valid"), nn.MaxPool2d(2), keras_batch_norm(128),
                            nn.Dropout(0.5), *conv(128, 64, "same"), nn.MaxPool2d(2), keras_batch_norm(64),
                            nn.Dropout(0.5), nn.Flatten(), nn.Linear(64 * 6 * 6, 64), nn.ReLU(), nn.Linear(64, 5))
    elif model == "cnn_mnist":
        net = nn.Sequential(*conv(1, 32, "valid"), *conv(32, 32, "valid"), nn.MaxPool2d(2), keras_batch_norm(32),
                            *conv(32, 64, "valid"), *conv(64, 64, "valid"), nn.MaxPool2d(2), keras_batch_norm(64),
                            nn.Dropout(0.2), nn.Flatten(), nn.Linear(64 * 4 * 4, 128), nn.ReLU(), nn.Dropout(0.5),
                            nn.Linear(128, 10))
    elif model == "autoencoder":
        net = nn.Sequential(*conv(1, 16, "same"), pool_same(), *conv(16, 8, "same"), pool_same(),
                            *conv(8, 8, "same"), pool_same(),
                            *conv(8, 8, "same"), *conv(8, 8, "same"), nn.Upsample(scale_factor=2),
                            *conv(8, 8, "same"), nn.Upsample(scale_factor=2), *conv(8, 16, "valid"),
                            nn.Upsample(scale_factor=2), *conv(16, 1, "same", nn.Sigmoid))
    elif model == "cnn_keras":
        net = nn.Sequential(*conv(1, 32, "valid"), *conv(32, 64, "valid"), nn.MaxPool2d(2), nn.Dropout(0.25),
                            nn.Flatten(), nn.Linear(64 * 12 * 12, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    else:
        raise ValueError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def count_params(model):
    net = network(model)
    buffers = sum(b.numel() for name, b in net.named_buffers() if not name.endswith("num_batches_tracked"))
    return {"parameters": sum(p.numel() for p in net.parameters()), "buffers": buffers}


def data(model, samples):
    """(x_train, y_train, x_test, y_test) as tensors; images (n, 1, 28, 28), or (n, 28, 28) for the MLP."""
    if model in ("cnn_default", "cnn_custom"):
        xtr, ytr, xte, yte = load("fashion-mnist")
        twist = np.vectorize(TWIST.get)
        ytr, yte = twist(ytr), twist(yte)
        xtr, ytr = xtr[:48000], ytr[:48000]  # Keras's validation_split=0.2 trains on the first 80 %
    else:
        xtr, ytr, xte, yte = load("mnist")
    if model == "mlp":
        xtr, xte = keras_normalize(xtr, 1), keras_normalize(xte, 1)
    else:
        xtr, xte = (xtr / 255.0).astype(np.float32)[:, None], (xte / 255.0).astype(np.float32)[:, None]
    if samples:
        xtr, ytr = xtr[:samples], ytr[:samples]
    xtr, xte = torch.from_numpy(np.ascontiguousarray(xtr)), torch.from_numpy(np.ascontiguousarray(xte))
    if model == "autoencoder":  # the images are their own targets
        return xtr, xtr, xte, xte
    return xtr, torch.from_numpy(np.asarray(ytr, dtype=np.int64)), xte, torch.from_numpy(np.asarray(yte, dtype=np.int64))


def accuracy(model, out, target):
    if model == "autoencoder":
        return ((out > 0.5).float() == target).float().mean().item()  # Keras's binary accuracy: exact match
    return (out.argmax(1) == target).float().mean().item()


def train(a):
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    torch.backends.mkldnn.enabled = a.mkldnn == "on"
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    xtr, ytr, xte, yte = data(a.model, a.samples)
    net = network(a.model)
    layout = torch.channels_last if a.memory_format == "channels_last" and xtr.dim() == 4 else torch.contiguous_format
    net = net.to(memory_format=layout)
    xtr, xte = xtr.contiguous(memory_format=layout), xte.contiguous(memory_format=layout)
    if a.model == "autoencoder":
        ytr, yte = xtr, xte
    lossf = nn.BCELoss() if a.model == "autoencoder" else nn.CrossEntropyLoss()
    if a.model in ("autoencoder", "cnn_keras"):
        opt = torch.optim.Adadelta(net.parameters(), lr=1.0, rho=0.95, eps=1e-7)
    else:
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    settings = {"threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.enabled,
                "memory_format": "channels_last" if layout == torch.channels_last else "contiguous"}
    print(a.model, "batch", a.batch, "PyTorch", torch.__version__, settings, flush=True)
    n = len(xtr)
    rows = []
    for epoch in range(a.epochs):
        net.train()
        perm = torch.randperm(n)
        start = time.perf_counter()
        for i in range(0, n, a.batch):
            idx = perm[i:i + a.batch]
            # indexing returns a contiguous (NCHW) batch whatever xtr's layout: put it back in the chosen one
            xb, yb = xtr[idx].contiguous(memory_format=layout), ytr[idx]
            if a.model == "autoencoder":
                yb = xb
            opt.zero_grad()
            loss = lossf(net(xb), yb)
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - start
        net.eval()
        with torch.no_grad():
            out = torch.cat([net(xte[i:i + 1000]) for i in range(0, len(xte), 1000)])
            acc, test_loss = accuracy(a.model, out, yte), lossf(out, yte).item()
        rows.append({"epoch": epoch + 1, "train_seconds": round(seconds, 2), "test_acc": round(acc, 4),
                     "test_loss": round(test_loss, 4)})
        print(a.model, a.batch, rows[-1], flush=True)
    result = {"model": a.model, "batch": a.batch, "torch": torch.__version__, **settings, "samples": n,
              "epochs": rows}
    if a.out:
        with open(a.out, "w") as f:
            json.dump(result, f, indent=1)


if args.count_params:
    print(json.dumps({m: count_params(m) for m in (MODELS if args.model == "all" else (args.model,))}), flush=True)
else:
    train(args)
