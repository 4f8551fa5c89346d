"""gensim's word2vec on the corpus BenchmarkWord2Vec wrote, with the same
settings (skip-gram, 5 negatives, window 5, 64 dimensions, 5 epochs,
min_count 1, sample 1e-3, 2 workers), then playlist continuation hit
rate@10 of both gensim's and our vectors on the held-out playlists: from
each test playlist's first 29 tracks (mean of the last 5 vectors), is the
30th among the 10 nearest tracks not already in it?"""
import json, resource, sys, time
import numpy as np
from gensim.models import Word2Vec, KeyedVectors

d = sys.argv[1]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t0, c0 = time.time(), cpu()
model = Word2Vec(corpus_file=f"{d}/corpus.txt", sg=1, negative=5, window=5, vector_size=64, epochs=5,
                 min_count=1, sample=1e-3, workers=2, alpha=0.025, min_alpha=0.0001, seed=1)
wall, cpus = time.time() - t0, cpu() - c0
raw = sum(len(l.split()) for l in open(f"{d}/corpus.txt")) * 5
print(json.dumps({"bench": "word2vec", "impl": "gensim", "seconds": wall, "cpu_seconds": cpus, "raw_words": raw,
                  "raw_words_per_second": raw / wall, "raw_words_per_cpu_second": raw / cpus}))

def hit_rate(kv):
    words = kv.index_to_key
    index = {w: i for i, w in enumerate(words)}
    M = kv.vectors / np.maximum(np.linalg.norm(kv.vectors, axis=1, keepdims=True), 1e-12)
    hits = n = 0
    for line in open(f"{d}/test.txt"):
        toks = line.split()
        ctx, target = toks[:-1], toks[-1]
        ids = [index[t] for t in ctx[-5:] if t in index]
        if target not in index or not ids:
            continue
        q = M[ids].mean(axis=0)
        scores = M @ q
        for t in set(ctx):
            if t in index:
                scores[index[t]] = -np.inf
        top = np.argpartition(-scores, 10)[:10]
        hits += index[target] in set(top.tolist())
        n += 1
    return hits / max(n, 1), n

g, n = hit_rate(model.wv)
ours = KeyedVectors.load_word2vec_format(f"{d}/vectors_go.txt", binary=False)
o, _ = hit_rate(ours)
print(json.dumps({"bench": "word2vec_quality", "test_playlists": n, "hit_rate_at_10_gensim": g, "hit_rate_at_10_go": o}))
