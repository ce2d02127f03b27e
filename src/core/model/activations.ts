import type { Activation } from '../config/types';
import type { Vec } from '../linalg/vec';

/**
 * An activation applied elementwise: forward h = σ(z), first and second derivatives from z
 * and h (whichever is cheaper). Second derivatives serve the Hessian-vector products.
 */
export interface ActivationFns {
  /** h[i] = σ(z[i] + bias[i mod width]) also writing the biased pre-activation back into z. */
  forward(z: Vec, bias: Vec | null, width: number, h: Vec): void;
  /** σ'(z) given z and h = σ(z). */
  d1(z: number, h: number): number;
  /** σ''(z) given z and h = σ(z). */
  d2(z: number, h: number): number;
  /** σ'(0), the slope the λc prediction needs. */
  readonly slopeAtZero: number;
}

// tanh for float32 work: e^{2|x|} = T[k]·e^{2r}, k = ⌊64|x|⌋, r < 1/64, with a 6-term Taylor
// series (truncation < (1/32)^6/720 ≈ 1.3e-12 relative). Twice as fast as Math.tanh in V8.
// Past |x| = 9.5, tanh is 1 − 1.1e-8, which rounds to 1 in float32.
const TANH_K = 64;
const TANH_MAX = 9.5;
const EXP_TABLE = Float64Array.from({ length: Math.ceil(TANH_MAX * TANH_K) + 1 }, (_, k) => Math.exp((2 * k) / TANH_K));

export function fastTanh(x: number): number {
  const ax = x < 0 ? -x : x;
  if (ax >= TANH_MAX) return x < 0 ? -1 : 1;
  const k = (ax * TANH_K) | 0;
  const r = 2 * (ax - k / TANH_K);
  const q = r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r / 720)))));
  // e^{2|x|} − 1 without cancellation when k = 0 (small |x|).
  const em1 = k === 0 ? q : EXP_TABLE[k] * (1 + q) - 1;
  const t = em1 / (em1 + 2);
  return x < 0 ? -t : t;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf to ~1e-13, so GELU's analytic derivatives agree with its forward pass in float64:
 * the Maclaurin series for |x| < 2.5 (terms peak near e^{x²}, so ≤ 3 digits of cancellation),
 * else erfc by its continued fraction (Abramowitz–Stegun 7.1.14) evaluated with Lentz's method.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  if (z < 2.5) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 100; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  // erfc(z) = e^{-z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …))))
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = z + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = z + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

function applyBias(z: Vec, bias: Vec | null, width: number): void {
  if (!bias) return;
  for (let i = 0; i < z.length; i += width) for (let j = 0; j < width; j++) z[i + j] += bias[j];
}

function elementwise(f: (x: number) => number) {
  return (z: Vec, bias: Vec | null, width: number, h: Vec): void => {
    applyBias(z, bias, width);
    for (let i = 0; i < z.length; i++) h[i] = f(z[i]);
  };
}

const ACTIVATIONS: Record<Activation, ActivationFns> = {
  linear: {
    forward: (z, bias, width, h) => {
      applyBias(z, bias, width);
      if (h !== z) h.set(z);
    },
    d1: () => 1,
    d2: () => 0,
    slopeAtZero: 1,
  },
  tanh: {
    forward: (z, bias, width, h) => {
      applyBias(z, bias, width);
      // float32 buffers get the fast tanh; float64 (analysis) keeps Math.tanh's last bits.
      if (h instanceof Float32Array) for (let i = 0; i < z.length; i++) h[i] = fastTanh(z[i]);
      else for (let i = 0; i < z.length; i++) h[i] = Math.tanh(z[i]);
    },
    d1: (_z, h) => 1 - h * h,
    d2: (_z, h) => -2 * h * (1 - h * h),
    slopeAtZero: 1,
  },
  relu: {
    forward: elementwise((x) => (x > 0 ? x : 0)),
    d1: (z) => (z > 0 ? 1 : 0),
    d2: () => 0,
    slopeAtZero: 0.5,
  },
  sigmoid: {
    forward: elementwise(sigmoid),
    d1: (_z, h) => h * (1 - h),
    d2: (_z, h) => h * (1 - h) * (1 - 2 * h),
    slopeAtZero: 0.25,
  },
  // Exact GELU, x·Φ(x): Φ' = φ, so σ' = Φ + xφ and σ'' = φ(2 − x²).
  gelu: {
    forward: elementwise((x) => 0.5 * x * (1 + erf(x / Math.SQRT2))),
    d1: (z) => 0.5 * (1 + erf(z / Math.SQRT2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z),
    d2: (z) => INV_SQRT_2PI * Math.exp(-0.5 * z * z) * (2 - z * z),
    slopeAtZero: 0.5,
  },
};

export function activation(kind: Activation): ActivationFns {
  return ACTIVATIONS[kind];
}
