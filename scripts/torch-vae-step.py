# Reference for `npm run bench`: one full-batch training step (forward, backward, SGD update) of
# the bundled MNIST VAE example's network in PyTorch on one CPU thread, on the same rows and the
# same fixed noise ε. argv: SPEC.json with x (a float32 file, rows × inputDim), n, inputDim,
# latentDim, eps (a float32 file, rows × latentDim), beta, lambda. Prints {"torchVaeStepMs": median, ...}.
import json, sys
from torch_timing import blas, median_ms
import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)
spec = json.load(open(sys.argv[1]))
n, d, L = spec["n"], spec["inputDim"], spec["latentDim"]
X = torch.from_numpy(np.fromfile(spec["x"], dtype=np.float32).reshape(n, d))
EPS = torch.from_numpy(np.fromfile(spec["eps"], dtype=np.float32).reshape(n, L))
beta, lam = spec["beta"], spec["lambda"]
# model/vae.ts with no hidden layers: encoder x → [μ, log σ²], decoder z → logits.
enc = torch.nn.Linear(d, 2 * L)
dec = torch.nn.Linear(L, d)
params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.SGD(params, lr=1e-3)

def step():
    opt.zero_grad()
    e = enc(X)
    mu, s = e[:, :L], e[:, L:]
    z = mu + torch.exp(0.5 * s) * EPS
    f = dec(z)
    # Bernoulli reconstruction, vaeTerms.ts: softplus(f) − x·f summed over pixels, mean over rows.
    rec = (torch.nn.functional.softplus(f) - X * f).sum(dim=1).mean()
    kl = 0.5 * (mu * mu + torch.exp(s) - 1 - s).sum(dim=1).mean()
    loss = rec + beta * kl + lam * ((enc.weight ** 2).sum() + (dec.weight ** 2).sum())
    loss.backward()
    opt.step()

print(json.dumps({"torchVaeStepMs": median_ms(step), "torchVersion": torch.__version__, "blas": blas()}))
