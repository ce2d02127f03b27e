# Reference for `npm run bench` (sweepVsTorch): the same warm-started L2 sweep that l2exp ran,
# in PyTorch on one CPU thread, with the same algorithm: L-BFGS (Nocedal & Wright, Algorithm
# 7.4) with the strong-Wolfe line search of src/core/train/lbfgs.ts (the approximate-Wolfe
# acceptance of Hager & Zhang included), float32 until converged or stalled, then a float64
# polish to the same ‖∇‖₂ tolerance, warm-started from the previous λ's solution. Same samples
# (the run's data.json), same initial θ (written by the bench from the engine's initializer),
# same layout: f = tanh(x·W₁ + b₁)·W₂ + b₂, mean cross-entropy + λ(‖W₁‖² + ‖W₂‖²).
# Usage: torch-sweep.py SPEC.json; prints one JSON object: per λ the objective, ‖∇‖, steps,
# objective evaluations (`evals`, each a value and gradient), with spec.returnTheta θ, and with
# spec.evaluateAt (one θ per λ) the float64 objective at that θ.
import json, math, sys, time

t_start = time.perf_counter()
import torch
from torch_timing import blas

torch.set_num_threads(1)
spec = json.load(open(sys.argv[1]))
data = json.load(open(spec["dataJson"]))
X64 = torch.tensor(data["train"]["x"], dtype=torch.float64)
Y64 = torch.tensor(data["train"]["y"], dtype=torch.float64)
n, d = X64.shape
k = Y64.shape[1]
widths = [d] + spec["hidden"] + [k]
shapes = []
for l in range(len(widths) - 1):
    shapes.append(("W", widths[l], widths[l + 1]))
    shapes.append(("b", widths[l + 1]))
penalized = []
offset = 0
for s in shapes:
    size = s[1] * s[2] if s[0] == "W" else s[1]
    if s[0] == "W":
        penalized.append((offset, offset + size))
    offset += size
P = offset


def objective(dtype):
    X = X64.to(dtype)
    Y = Y64.to(dtype)
    mask = torch.zeros(P, dtype=dtype)
    for a, b in penalized:
        mask[a:b] = 1

    def value_grad(theta, lam):
        th = theta.detach().to(dtype).requires_grad_(True)
        h = X
        o = 0
        layers = len(widths) - 1
        for l in range(layers):
            fi, fo = widths[l], widths[l + 1]
            W = th[o:o + fi * fo].view(fi, fo)
            o += fi * fo
            b = th[o:o + fo]
            o += fo
            h = h @ W + b
            if l + 1 < layers:
                h = torch.tanh(h)
        loss = -(Y * torch.log_softmax(h, dim=1)).sum() / n + lam * (mask * th * th).sum()
        (g,) = torch.autograd.grad(loss, th)
        COUNT["evals"] += 1
        return loss.item(), g.to(torch.float64)

    return value_grad


COUNT = {"evals": 0}
FLOAT32_GRADIENT_FLOOR = 1e-6
C1, C2, DELTA, MAX_LINE_EVALS = 1e-4, 0.9, 0.1, 25


def cubic_min(a, fa, ga, b, fb, gb):
    d1 = ga + gb - 3 * (fa - fb) / (a - b)
    disc = d1 * d1 - ga * gb
    lo, hi = min(a, b), max(a, b)
    if disc >= 0:
        d2 = math.copysign(1, b - a) * math.sqrt(disc)
        den = gb - ga + 2 * d2
        if den != 0:
            t = b - (b - a) * ((gb + d2 - d1) / den)
            if math.isfinite(t):
                return min(max(t, lo + 0.1 * (hi - lo)), hi - 0.1 * (hi - lo))
    return (a + b) / 2


def line_search(vg, lam, x0, f0, g0, direction, t1, noise):
    state = {"evals": 0, "last": None}

    def eval_at(t):
        x = x0 + t * direction
        f, g = vg(x, lam)
        state["evals"] += 1
        state["last"] = (t, f, float(g @ direction), x, g)
        return state["last"]

    def approx_wolfe(p):
        return abs(p[1] - f0) <= noise * abs(f0) and p[2] >= C2 * g0 and p[2] <= (2 * DELTA - 1) * g0

    def zoom(lo, hi):
        while state["evals"] < MAX_LINE_EVALS:
            p = eval_at(cubic_min(lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]))
            if approx_wolfe(p):
                return p
            if not math.isfinite(p[1]):
                hi = p
            elif p[1] > f0 + C1 * p[0] * g0 or p[1] >= lo[1]:
                hi = p
            else:
                if abs(p[2]) <= -C2 * g0:
                    return p
                if p[2] * (hi[0] - lo[0]) >= 0:
                    hi = lo
                lo = p
            if abs(hi[0] - lo[0]) < 1e-16 * max(1, lo[0]):
                break
        return eval_at(lo[0]) if lo[0] > 0 and lo[1] < f0 else None

    prev = (0.0, f0, g0, None, None)
    t = t1
    i = 0
    while state["evals"] < MAX_LINE_EVALS:
        p = eval_at(t)
        if approx_wolfe(p):
            hit = p
        elif not math.isfinite(p[1]) or p[1] > f0 + C1 * t * g0 or (i > 0 and p[1] >= prev[1]):
            hit = zoom(prev, p)
        elif abs(p[2]) <= -C2 * g0:
            hit = p
        elif p[2] >= 0:
            hit = zoom(p, prev)
        else:
            prev = p
            t *= 2
            i += 1
            continue
        if hit is None:
            break
        if state["last"][0] != hit[0]:
            eval_at(hit[0])
        last = state["last"]
        return last[1], last[3], last[4]
    return None


def lbfgs(vg, lam, start, max_steps, tol, memory, initial_step, noise):
    x = start.clone()
    f, g = vg(x, lam)
    gnorm = float(g.norm())
    steps = 0
    S, Yh, rho = [], [], []
    while steps < max_steps:
        if gnorm <= tol:
            return x, f, gnorm, steps, True
        q = g.clone()
        alpha = [0.0] * len(S)
        for i in range(len(S) - 1, -1, -1):
            alpha[i] = rho[i] * float(S[i] @ q)
            q -= alpha[i] * Yh[i]
        gamma = float(S[-1] @ Yh[-1]) / float(Yh[-1] @ Yh[-1]) if S else 1.0
        q *= gamma
        for i in range(len(S)):
            beta = rho[i] * float(Yh[i] @ q)
            q += S[i] * (alpha[i] - beta)
        direction = -q
        slope = float(g @ direction)
        if not slope < 0:
            S, Yh, rho = [], [], []
            direction = -g
            slope = -gnorm * gnorm
        t1 = initial_step / max(gnorm, 1e-300) if not S else 1.0
        ls = line_search(vg, lam, x, f, slope, direction, min(t1, 1.0), noise)
        steps += 1
        if ls is None:
            if not S:
                return x, f, gnorm, steps, False
            S, Yh, rho = [], [], []
            continue
        f_new, x_new, g_new = ls
        s = x_new - x
        y = g_new - g
        sy = float(s @ y)
        if sy > 1e-12 * math.sqrt(float(s @ s) * float(y @ y)):
            if len(S) == memory:
                S.pop(0)
                Yh.pop(0)
                rho.pop(0)
            S.append(s)
            Yh.append(y)
            rho.append(1 / sy)
        x, g, f = x_new, g_new, f_new
        gnorm = float(g.norm())
    return x, f, gnorm, steps, gnorm <= tol


vg32 = objective(torch.float32)
vg64 = objective(torch.float64)
theta = torch.tensor(spec["theta0"], dtype=torch.float64)
points = []
t_sweep = time.perf_counter()
for lam in spec["lambdas"]:
    t = time.perf_counter()
    evals0 = COUNT["evals"]
    # float32 down to max(tolerance, 1e-6) only, as src/core/train/minimize.ts (FLOAT32_GRADIENT_FLOOR).
    x, f, gnorm, steps, conv = lbfgs(vg32, lam, theta, spec["maxSteps"], max(spec["tolerance"], FLOAT32_GRADIENT_FLOOR), spec["memory"], spec["learningRate"], 1e-6)
    conv = gnorm <= spec["tolerance"]
    if not conv and steps < spec["maxSteps"]:
        x, f, gnorm, more, conv = lbfgs(vg64, lam, x, spec["maxSteps"] - steps, spec["tolerance"], spec["memory"], 1.0, 1e-13)
        steps += more
    f64, g64 = vg64(x, lam)
    point = {"lambda": lam, "objective": f64, "gradNorm": float(g64.norm()), "steps": steps, "converged": conv, "evals": COUNT["evals"] - evals0, "seconds": time.perf_counter() - t}
    if spec.get("returnTheta"):
        point["theta"] = x.tolist()
    if spec.get("evaluateAt"):
        # The float64 objective at the other engine's solution for this λ: the two
        # implementations compared at one θ, apart from where each optimizer ended.
        point["objectiveAtOther"] = vg64(torch.tensor(spec["evaluateAt"][len(points)], dtype=torch.float64), lam)[0]
    points.append(point)
    if spec["warmStart"]:
        theta = x
sweep_seconds = time.perf_counter() - t_sweep
print(json.dumps({"points": points, "sweepSeconds": sweep_seconds, "processSeconds": time.perf_counter() - t_start, "torchVersion": torch.__version__, "blas": blas(), "samples": n, "parameters": P}))
