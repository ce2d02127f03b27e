# Derives the rational tanh of src/core/model/activations.ts (fastTanh): tanh(x) ≈ x·P(x²)/Q(x²)
# on [0, 9], degrees 4/4 in x², by least squares on the linearized relative error weighted by
# 1/(tanh·Q_prev) (Loeb) with Lawson's multiplicative weight updates toward the minimax fit.
# Run with numpy: prints the coefficients and the maximum relative error (2.1e-8).
import numpy as np

C = 9.0
x = np.linspace(1e-6, C, 40000)
t = np.tanh(x)
x2 = x * x


def fit(p, q, iters=200):
    q_prev = np.ones_like(x)
    w = np.ones_like(x)
    best = (np.inf, None)
    for _ in range(iters):
        cols = [x * x2**i for i in range(p + 1)] + [-t * x2**j for j in range(1, q + 1)]
        a = np.array(cols).T
        weight = w / (t * q_prev)
        c, *_ = np.linalg.lstsq(a * weight[:, None], t * weight, rcond=None)
        pc, qc = c[: p + 1], np.concatenate([[1], c[p + 1 :]])
        qv = np.polyval(qc[::-1], x2)
        if np.any(qv <= 0):
            break
        e = (x * np.polyval(pc[::-1], x2) / qv - t) / t
        if np.abs(e).max() < best[0]:
            best = (np.abs(e).max(), (pc.copy(), qc.copy()))
        q_prev = qv
        w = w * np.abs(e) ** 0.5
        w /= w.mean()
    return best


err, (pc, qc) = fit(4, 4)
print("max relative error %.2e" % err)
print("P =", pc.tolist())
print("Q =", qc.tolist())
