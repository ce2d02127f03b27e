# Reference for `npm run bench`: one full-batch step (forward, backward, SGD update) of the
# reference MLP in PyTorch on one CPU thread. Prints {"torchStepMs": median, "blas": ...}.
import json
import torch
from torch_timing import blas, median_ms

torch.set_num_threads(1)
torch.manual_seed(0)
N = 1000
X = torch.randn(N, 20)
Y = torch.randn(N, 1)
model = torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
lam = 1e-3
weights = [p for n, p in model.named_parameters() if n.endswith("weight")]

def step():
    opt.zero_grad()
    loss = ((model(X) - Y) ** 2).sum(dim=1).mean() + lam * sum((w ** 2).sum() for w in weights)
    loss.backward()
    opt.step()

print(json.dumps({"torchStepMs": median_ms(step), "torchVersion": torch.__version__, "blas": blas()}))
