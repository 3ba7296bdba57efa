"""scikit-learn peers of glassbox's unsupervised algorithms on MNIST / 255: time and quality, the other side of
`./glassbox bench unsupervised`.

usage: sk_unsupervised.py WHAT [--out FILE] [--n N] [--details]
WHAT: kmeans     KMeans(120, n_init 1, lloyd) on the 60,000 training images: inertia, iterations, the test
                 images' accuracy when each cluster takes the label of the training image closest to its centre
                 ("closest") or its members' majority label ("majority")
      minibatch  MiniBatchKMeans(120, n_init 3), batch 1024 and the seed's 100 ("b100_" keys): the same figures
      pca        PCA of the 10,000 test images to 2 and 50 components, full and randomized solvers: seconds,
                 explained variance ratio summed
      dbscan     DBSCAN(min_samples 15), eps 5 and 6 on the test images' PCA-50 projection, eps 6 on the raw
                 784 pixels: seconds, clusters, noise, adjusted Rand index against the digits; 15-NN of the raw
                 test images
      tsne       Barnes-Hut t-SNE (perplexity 30, angle 0.5, PCA init, learning rate "auto", 1,000 iterations)
                 of the first N test images after PCA-50: seconds, KL divergence, trustworthiness (k 10) on a
                 2,000-point subsample, leave-one-out 5-NN accuracy in the embedding
--details adds what glassbox compares point by point: each DBSCAN case's "labels", and the t-SNE
"trustworthiness_subsample" indices (glassbox scores its own embedding on the same points).

Every estimator is seeded (random_state 0). Prints the result JSON and writes it to --out. Reads MNIST where
glassbox keeps it (see common.py).
"""
import argparse
import json
import time

# Parsed before scikit-learn is imported: --help and argument errors answer at once, with or without it.
p = argparse.ArgumentParser(description="scikit-learn peers of glassbox's unsupervised algorithms (see the docstring).")
p.add_argument("what", choices=("kmeans", "minibatch", "pca", "dbscan", "tsne"))
p.add_argument("--out", help="where to write the result JSON")
p.add_argument("--n", type=int, default=10000, help="test images embedded by t-SNE; default %(default)s")
p.add_argument("--details", action="store_true", help="add DBSCAN's labels and t-SNE's trustworthiness subsample")
a = p.parse_args()
if not 100 <= a.n <= 10000:
    p.error(f"--n must lie in [100, 10000] (MNIST has 10,000 test images), got {a.n}")

import numpy as np  # noqa: E402
from sklearn import __version__ as skv  # noqa: E402
from sklearn.cluster import DBSCAN, KMeans, MiniBatchKMeans  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.manifold import TSNE, trustworthiness  # noqa: E402
from sklearn.metrics import adjusted_rand_score, pairwise_distances_argmin_min  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402

from common import load  # noqa: E402

xtr, ytr, xte, yte = load("mnist")
X = xtr.reshape(len(xtr), -1) / 255.0
Xt = xte.reshape(len(xte), -1) / 255.0
res = {"sklearn": skv, "what": a.what}


def timed(f):
    t = time.perf_counter()
    r = f()
    return r, round(time.perf_counter() - t, 2)


def label_accuracy(km):
    """Test accuracy of cluster → label of the training image closest to its centre, and of the majority label."""
    closest, _ = pairwise_distances_argmin_min(km.cluster_centers_, X)
    pred_tr, pred = km.predict(X), km.predict(Xt)
    by_closest = ytr[closest]
    majority = np.array([np.bincount(ytr[pred_tr == c], minlength=10).argmax() if (pred_tr == c).any() else 0
                         for c in range(km.n_clusters)])
    return round(float((by_closest[pred] == yte).mean()), 4), round(float((majority[pred] == yte).mean()), 4)


if a.what == "kmeans":
    km, s = timed(lambda: KMeans(n_clusters=120, n_init=1, random_state=0, algorithm="lloyd").fit(X))
    res.update(fit_seconds=s, inertia=float(km.inertia_), n_iter=int(km.n_iter_))
    res["test_acc_closest"], res["test_acc_majority"] = label_accuracy(km)
elif a.what == "minibatch":
    for batch, prefix in ((1024, ""), (100, "b100_")):
        km, s = timed(lambda: MiniBatchKMeans(n_clusters=120, batch_size=batch, n_init=3, random_state=0).fit(X))
        res[prefix + "fit_seconds"], res[prefix + "inertia"] = s, float(km.inertia_)
        if not prefix:
            res["n_steps"] = int(km.n_steps_)
        res[prefix + "test_acc_closest"], res[prefix + "test_acc_majority"] = label_accuracy(km)
elif a.what == "pca":
    for k in (2, 50):
        pca = PCA(n_components=k, svd_solver="full")
        _, s = timed(lambda: pca.fit_transform(Xt))
        res[f"pca{k}_full_seconds"] = s
        res[f"pca{k}_evr_sum"] = round(float(pca.explained_variance_ratio_.sum()), 5)
        pca = PCA(n_components=k, svd_solver="randomized", random_state=0)
        _, s = timed(lambda: pca.fit_transform(Xt))
        res[f"pca{k}_randomized_seconds"] = s
elif a.what == "dbscan":
    Z = PCA(n_components=50, svd_solver="full").fit_transform(Xt)
    for name, data, eps in (("pca50", Z, 5.0), ("pca50", Z, 6.0), ("raw784", Xt, 6.0)):
        db, s = timed(lambda: DBSCAN(eps=eps, min_samples=15).fit(data))
        lab = db.labels_
        case = {"seconds": s, "clusters": int(lab.max() + 1), "noise": int((lab == -1).sum()),
                "ari_vs_labels": round(float(adjusted_rand_score(yte, lab)), 4)}
        if a.details:
            case["labels"] = lab.tolist()
        res[f"{name}_eps{eps}"] = case
    _, s = timed(lambda: NearestNeighbors(n_neighbors=15).fit(Xt).kneighbors(Xt))
    res["knn15_raw784_seconds"] = s
else:  # tsne
    n = min(a.n, len(Xt))
    Z = PCA(n_components=50, svd_solver="full").fit_transform(Xt[:n])
    ts = TSNE(n_components=2, perplexity=30, method="barnes_hut", angle=0.5, init="pca", learning_rate="auto",
              random_state=0, n_iter=1000)
    E, s = timed(lambda: ts.fit_transform(Z))
    sub = np.random.RandomState(0).choice(n, min(n, 2000), replace=False)
    _, nb = NearestNeighbors(n_neighbors=6).fit(E).kneighbors(E)
    votes = np.array([np.bincount(yte[:n][row[1:]], minlength=10).argmax() for row in nb])
    res.update(n=n, seconds=s, kl=round(float(ts.kl_divergence_), 4), n_iter=int(ts.n_iter_),
               trustworthiness_2k_subsample=round(float(trustworthiness(Z[sub], E[sub], n_neighbors=10)), 4),
               loo_knn5_acc_in_embedding=round(float((votes == yte[:n]).mean()), 4))
    if a.details:
        res["trustworthiness_subsample"] = sub.tolist()
# The printed line leaves out the per-point lists of --details (10,000 labels); the --out file has everything.
brief = {k: v for k, v in res.items() if k != "trustworthiness_subsample"}
print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "labels"} if isinstance(v, dict) else v
                  for k, v in brief.items()}), flush=True)
if a.out:
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
