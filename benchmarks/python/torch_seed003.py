"""PyTorch CPU peer for seed 003's two networks, one training epoch each, timed as torch_nets.py times its own.

usage: torch_seed003.py MODEL [--epochs N] [--batch B] [--out FILE] [--seed S]
MODEL: autoencoder (the answer's convolutional autoencoder, Adadelta 1.0/0.95/1e-7, binary cross-entropy;
       "test_acc" is Keras's binary accuracy, round(prediction) == pixel, as glassbox reports it) or cnn_keras (Keras's
       mnist_cnn.py: Conv 32 → Conv 64 → MaxPool → Dropout 0.25 → Dense 128 → Dropout 0.5 → Dense 10, Adadelta).
Reads MNIST IDX files from $ANCHOR_DATA/mnist (glassbox's bench lays them out). Kept in the repository, not in
the shared anchors folder, so a clean clone has the peer that `./glassbox bench cnn --models
autoencoder,keras-cnn` compares with.
"""
import argparse, json, os, struct, time
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(2)
p = argparse.ArgumentParser()
p.add_argument("model", choices=["autoencoder", "cnn_keras"])
p.add_argument("--epochs", type=int, default=1); p.add_argument("--batch", type=int, default=128)
p.add_argument("--out"); p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
torch.manual_seed(a.seed); np.random.seed(a.seed)


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    magic, n = struct.unpack(">II", raw[:8])
    if magic == 2049:
        return np.frombuffer(raw, dtype=np.uint8, offset=8)
    rows, cols = struct.unpack(">II", raw[8:16])
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows, cols)


d = os.path.join(os.environ.get("ANCHOR_DATA", "."), "mnist")
xtr, ytr = read_idx(f"{d}/train-images-idx3-ubyte"), read_idx(f"{d}/train-labels-idx1-ubyte")
xte, yte = read_idx(f"{d}/t10k-images-idx3-ubyte"), read_idx(f"{d}/t10k-labels-idx1-ubyte")
xtr, xte = (xtr / 255.0).astype(np.float32)[:, None], (xte / 255.0).astype(np.float32)[:, None]


def conv(ci, co, pad, act=nn.ReLU):
    return [nn.Conv2d(ci, co, 3, padding=1 if pad == "same" else 0), act()]


def pool_same():  # Keras MaxPooling2D(2, padding="same"): 7 → 4, the last window partial
    return nn.MaxPool2d(2, ceil_mode=True)


if a.model == "autoencoder":
    net = nn.Sequential(*conv(1, 16, "same"), pool_same(), *conv(16, 8, "same"), pool_same(),
                        *conv(8, 8, "same"), pool_same(),
                        *conv(8, 8, "same"), *conv(8, 8, "same"), nn.Upsample(scale_factor=2),
                        *conv(8, 8, "same"), nn.Upsample(scale_factor=2), *conv(8, 16, "valid"),
                        nn.Upsample(scale_factor=2), *conv(16, 1, "same", nn.Sigmoid))
    lossf = nn.BCELoss()
    target_tr, target_te = torch.from_numpy(xtr), torch.from_numpy(xte)
else:
    net = nn.Sequential(*conv(1, 32, "valid"), *conv(32, 64, "valid"), nn.MaxPool2d(2), nn.Dropout(0.25),
                        nn.Flatten(), nn.Linear(64 * 12 * 12, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))
    lossf = nn.CrossEntropyLoss()  # on logits: the softmax and the log fused, as Keras's loss does in effect
    target_tr = torch.from_numpy(np.asarray(ytr, dtype=np.int64))
    target_te = torch.from_numpy(np.asarray(yte, dtype=np.int64))
for m in net.modules():
    if isinstance(m, (nn.Linear, nn.Conv2d)):
        nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)
opt = torch.optim.Adadelta(net.parameters(), lr=1.0, rho=0.95, eps=1e-7)
Xtr, Xte = torch.from_numpy(xtr), torch.from_numpy(xte)


def accuracy(out, target):
    if a.model == "autoencoder":
        return ((out > 0.5).float() == target).float().mean().item()  # Keras's binary accuracy: exact match
    return (out.argmax(1) == target).float().mean().item()


n = len(Xtr); rows = []
for ep in range(a.epochs):
    net.train(); perm = torch.randperm(n); t = time.perf_counter()
    for i in range(0, n, a.batch):
        idx = perm[i:i + a.batch]
        opt.zero_grad(); loss = lossf(net(Xtr[idx]), target_tr[idx]); loss.backward(); opt.step()
    sec = time.perf_counter() - t
    net.eval()
    with torch.no_grad():
        out = torch.cat([net(Xte[i:i + 1000]) for i in range(0, len(Xte), 1000)])
        acc, tl = accuracy(out, target_te), lossf(out, target_te).item()
    rows.append({"epoch": ep + 1, "train_seconds": round(sec, 2), "test_acc": round(acc, 4), "test_loss": round(tl, 4)})
    print(a.model, a.batch, rows[-1], flush=True)
res = {"model": a.model, "batch": a.batch, "torch": torch.__version__, "threads": torch.get_num_threads(),
       "samples": n, "epochs": rows}
if a.out:
    json.dump(res, open(a.out, "w"), indent=1)
