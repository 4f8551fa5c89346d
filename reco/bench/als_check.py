"""Closed-form check of one ALS half-step (Hu, Koren, Volinsky 2008) with
SciPy: for every user, x = (YᵀCY + λI)⁻¹ YᵀCp with c = 1 + α|r| and
p = [r > 0], compared with the Go solver's answer (CG to convergence)."""
import json, sys
import numpy as np
from scipy.linalg import solve

d = json.load(open(sys.argv[1]))
k, lam, alpha, n = d["k"], d["lambda"], d["alpha"], d["items"]
Y = np.array(d["y"]).reshape(n, k)
X = np.array(d["x"]).reshape(-1, k)
worst = 0.0
for u, row in enumerate(d["rows"]):
    c = np.ones(n)
    p = np.zeros(n)
    for i, r in zip(row["items"], row["r"]):
        c[i] = 1 + alpha * abs(r)
        p[i] = 1.0 if r > 0 else 0.0
    if not row["items"]:
        want = np.zeros(k)
    else:
        A = Y.T @ (c[:, None] * Y) + lam * np.eye(k)
        want = solve(A, Y.T @ (c * p), assume_a="pos")
    worst = max(worst, float(np.max(np.abs(want - X[u]))))
print(json.dumps({"check": "als_vs_scipy", "users": len(d["rows"]), "factors": k, "max_abs_diff": worst}))
sys.exit(0 if worst < 1e-6 else 1)
