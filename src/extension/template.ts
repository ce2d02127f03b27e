// What "New experiment from template" writes (no vscode import: the unit tests parse it).

/** A commented starting point: a case theory solves exactly, so the first run can be checked. */
export const TEMPLATE = `{
  // A name for the results folder (.l2exp/<name>/ beside this file).
  "name": "my-experiment",
  "seed": 0,
  // Linear teacher y = Wx with whitened Gaussian inputs: E[x yᵀ] has singular values 1.5 and 0.7,
  // so a one-hidden-layer linear net has transitions at exactly λ = 1.5 and 0.7.
  // Other kinds: teacher, multi-index, two-moons, spirals, xor, gaussian-mixture, iris, mnist, csv.
  "data": { "kind": "linear", "n": 400, "inputDim": 4, "outputDim": 2, "singularValues": [1.5, 0.7], "noise": 0.05 },
  // Hidden widths (any depth; two or more layers make the collapse first-order).
  "model": { "hidden": [8], "activation": "linear", "bias": false },
  // Full-batch L-BFGS to a gradient norm of 1e-6 at every λ.
  "train": { "optimizer": "lbfgs", "tolerance": 1e-6 },
  // 24 λ values, log-spaced; "both" adds a down sweep to expose hysteresis.
  "sweep": { "from": 0.05, "to": 5, "points": 24, "direction": "both", "seeds": [0] }
}
`;
