"""hnswlib on the vectors BenchmarkNearest wrote: build (M=16,
ef_construction=200, 2 threads), then each query alone (one thread, as
one API request is) at several ef, with recall@10 against the exact
answer (numpy) and latency percentiles; and the recall of our brute-force
answers against the same exact answer.

The build takes 15 to 30 minutes at 1 M vectors here, so the index
is saved next to the vectors (hnswlib_M16_efc200.bin, with a .json
sidecar holding the vectors file's SHA-256 and the build time) and
loaded instead of rebuilt when the sidecar's hash matches the vectors
present: reruns on the same vectors are cheap. build_seconds is then the
saved build's, and load_seconds says how long loading took. Delete the
two files to force a rebuild."""
import hashlib, json, os, sys, time
import numpy as np
import hnswlib

d = sys.argv[1]
dim = 64
X = np.fromfile(f"{d}/vectors.f32", dtype="<f4").reshape(-1, dim)
Q = np.fromfile(f"{d}/queries.f32", dtype="<f4").reshape(-1, dim)
ours = np.fromfile(f"{d}/go_ids.i32", dtype="<i4").reshape(-1, 10)
Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
Qn = Q / np.linalg.norm(Q, axis=1, keepdims=True)
exact = np.empty((len(Q), 10), dtype=np.int64)
for s in range(0, len(Q), 100):
    sc = Qn[s:s + 100] @ Xn.T
    top = np.argpartition(-sc, 10, axis=1)[:, :10]
    exact[s:s + 100] = top
def recall(found):
    return float(np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact)]))
print(json.dumps({"bench": "knn", "impl": "go brute force", "recall_at_10": recall(ours)}))

index, meta = f"{d}/hnswlib_M16_efc200.bin", f"{d}/hnswlib_M16_efc200.json"
digest = hashlib.sha256(X.tobytes()).hexdigest()
p = hnswlib.Index(space="cosine", dim=dim)
saved = None
if os.path.exists(index) and os.path.exists(meta):
    with open(meta) as f:
        saved = json.load(f)
    if saved.get("vectors_sha256") != digest or saved.get("n") != len(X):
        saved = None  # built on other vectors: rebuild
load = None
if saved:
    t0 = time.time()
    p.load_index(index, max_elements=len(X))
    load = time.time() - t0
    build = saved["build_seconds"]
else:
    t0 = time.time()
    p.init_index(max_elements=len(X), M=16, ef_construction=200)
    p.set_num_threads(2)
    p.add_items(X)
    build = time.time() - t0
    p.save_index(index)
    with open(meta, "w") as f:
        json.dump({"vectors_sha256": digest, "n": len(X), "build_seconds": build,
                   "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, f)
p.set_num_threads(1)
for ef in (32, 64, 128, 256):
    p.set_ef(ef)
    lat, found = [], []
    for q in Q:
        t = time.perf_counter()
        labels, _ = p.knn_query(q, k=10)
        lat.append((time.perf_counter() - t) * 1000)
        found.append(labels[0])
    lat.sort()
    print(json.dumps({"bench": "knn", "impl": "hnswlib", "n": len(X), "build_seconds": build,
                      "load_seconds": load, "ef": ef, "recall_at_10": recall(found),
                      "p50_ms": lat[len(lat) // 2], "p99_ms": lat[len(lat) * 99 // 100]}))
