import type { Activation } from '../config/types';
import type { Vec } from '../linalg/vec';

export type Precision = 'float32' | 'float64';

/**
 * Where buffers that the kernels work on in place come from. For the WebAssembly kernels a
 * workspace is one WebAssembly memory: products between its buffers copy nothing in or out.
 * For the JS and TF.js kernels it hands out plain typed arrays. A buffer lives as long as
 * any view of it (the memory goes with its last view), so a workspace suits one owner with
 * a lifetime: a model, a Hessian operator.
 */
export interface Workspace {
  /** A zeroed buffer of `length` entries. */
  alloc(precision: Precision, length: number): Vec;
}

/**
 * A matrix with many exact zeros kept as compressed sparse rows in a kernels' memory
 * (`Kernels.compressRows`); what it holds is the kernels' business.
 */
export interface CompressedRows {
  readonly rows: number;
  readonly cols: number;
  readonly nonzeros: number;
  readonly precision: Precision;
}

/**
 * Dense products on row-major matrices, and the elementwise steps of a dense layer fused into
 * them. `out` is overwritten (or added to with `accumulate`), and must have the right length
 * and the inputs' precision; operands may come from any workspace or be plain typed arrays
 * (a kernel copies what is not in its memory). The activations are those of
 * model/activations.ts, with its formulas.
 */
export interface Kernels {
  /** Short name printed to the user: "tensorflow", "wasm" or "cpu". */
  readonly name: string;
  /** out (m×n) = A (m×k) · B (k×n) */
  mm(a: Vec, b: Vec, m: number, k: number, n: number, out: Vec, accumulate?: boolean): void;
  /** out (k×n) = Aᵀ · B with A m×k, B m×n */
  mmTN(a: Vec, b: Vec, m: number, k: number, n: number, out: Vec, accumulate?: boolean): void;
  /** out (m×k) = A · Bᵀ with A m×n, B k×n */
  mmNT(a: Vec, b: Vec, m: number, n: number, k: number, out: Vec, accumulate?: boolean): void;
  /**
   * A dense layer forward: z (m×n) = x (m×k) · W (k×n) + bias (null: none); then, when h is
   * given, h = σ(z) for the activation `act`.
   */
  denseForward(x: Vec, w: Vec, bias: Vec | null, m: number, k: number, n: number, z: Vec, act: Activation, h: Vec | null): void;
  /**
   * The back-propagated signal into a hidden layer: d (m×k) = g (m×n) · Wᵀ (W k×n), then
   * d ⊙= σ'(z, h) with z, h (m×k) that layer's pre-activation and activation; z null: no
   * activation (the signal at the input).
   */
  denseBackward(g: Vec, w: Vec, m: number, n: number, k: number, d: Vec, act: Activation, z: Vec | null, h: Vec | null): void;
  /** z[i, j] += bias[j] for an m×n matrix z. */
  addBias(z: Vec, bias: Vec, m: number, n: number): void;
  /** out = a ⊙ b, or a ⊙ b + c ⊙ d, over out's length; out may be a or c. */
  hadamard(out: Vec, a: Vec, b: Vec, c?: Vec | null, d?: Vec | null): void;
  /** out[j] = Σ_i x[i, j] for an m×n matrix x: a bias gradient. */
  columnSums(x: Vec, m: number, n: number, out: Vec): void;
  /**
   * Householder tridiagonalization of the symmetric n×n row-major `w` (lower triangle read), in
   * place, exactly as linalg/symmetricEigen.ts's JS reference defines it: d = diag(T),
   * e[i] = T[i][i−1], hs[i] the reflector's H (0: identity), reflector i's vector in row i of w.
   * Optional: kernels without it leave the reduction to that JS reference.
   */
  tridiagonalize?: (w: Float64Array, n: number, d: Float64Array, e: Float64Array, hs: Float64Array) => void;
  /**
   * model/losses.ts's cross-entropy fused into one pass: the mean over the n rows of
   * −Σ_j y_j log softmax(f)_j for n×k logits f, and, when g is given, ∂L/∂f = (softmax(f) − y)/n
   * into it (f's precision), computed in float64 as the JS loss is. Optional: without it the
   * model runs the JS loss.
   */
  softmaxCrossEntropy?: (f: Vec, y: Vec, n: number, k: number, g: Vec | null) => number;
  /**
   * model/vaeTerms.ts's bernoulli observation fused into one pass: Σ over the m×d logits f of
   * softplus(f) − x·f, row r of f against row ⌊r/rep⌋ of x (x in f's precision), and, when g is
   * given, g = scale·(sigmoid(f) − x) into it (f's precision), computed in float64 as the JS
   * loop is. Optional: without it the VAE runs the JS loop.
   */
  bernoulliNll?: (f: Vec, x: Vec, m: number, d: number, rep: number, scale: number, g: Vec | null) => number;
  /**
   * The m×k matrix `a` as compressed rows for `sparseForward` and `sparseTN` (which then skip its
   * zeros); a copy, so later changes to `a` are not seen. Optional, with the two below: kernels
   * without them get the dense products.
   */
  compressRows?: (a: Vec, m: number, k: number) => CompressedRows;
  /** denseForward with the compressed x (m×k): z = x·W + bias, then h = σ(z). */
  sparseForward?: (x: CompressedRows, w: Vec, bias: Vec | null, n: number, z: Vec, act: Activation, h: Vec | null) => void;
  /** mmTN with the compressed a (m×k): out (k×n) = aᵀ·B, B m×n. */
  sparseTN?: (a: CompressedRows, b: Vec, n: number, out: Vec, accumulate?: boolean) => void;
  /** A new workspace for buffers these kernels use in place. */
  workspace(): Workspace;
}
