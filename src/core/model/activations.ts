import type { Activation } from '../config/types';
import type { Vec } from '../linalg/vec';

/**
 * An activation applied elementwise: forward h = σ(z), first and second derivatives from z
 * and h (whichever is cheaper). Second derivatives serve the Hessian-vector products.
 */
export interface ActivationFns {
  readonly kind: Activation;
  /** h[i] = σ(z[i] + bias[i mod width]) also writing the biased pre-activation back into z. */
  forward(z: Vec, bias: Vec | null, width: number, h: Vec): void;
  /** σ'(z) given z and h = σ(z). */
  d1(z: number, h: number): number;
  /** d[i] *= σ'(z[i]) over the first d.length entries: the backward pass's elementwise step. */
  mulDerivative(d: Vec, z: Vec, h: Vec): void;
  /** σ''(z) given z and h = σ(z). */
  d2(z: number, h: number): number;
  /** σ'(0), the slope the λc prediction needs. */
  readonly slopeAtZero: number;
}

// tanh for float32 work: x·P(x²)/Q(x²), a degree-4/4 rational fitted on [0, 9] for minimax
// relative error (scripts/fit-tanh.py): at most 3e-8 relative, below float32's ε = 6e-8, never
// above 1 in magnitude, and 3.5× faster than Math.tanh in V8. Past |x| = 9, tanh is 1 − 3e-8,
// which is 1 in float32.
const P0 = 0.999999979455718;
const P1 = 0.13381020500904428;
const P2 = 0.0034955816989605632;
const P3 = 2.0608965500811272e-5;
const P4 = 1.3354485975417285e-8;
const Q1 = 0.4671433610179988;
const Q2 = 0.025876958581058408;
const Q3 = 0.00032856237902917574;
const Q4 = 7.776488936827028e-7;

export function fastTanh(x: number): number {
  if (x > 9) return 1;
  if (x < -9) return -1;
  const s = x * x;
  return (x * (P0 + s * (P1 + s * (P2 + s * (P3 + s * P4))))) / (1 + s * (Q1 + s * (Q2 + s * (Q3 + s * Q4))));
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

/** The backward elementwise step from a scalar derivative (one closure per activation keeps it monomorphic). */
function mulBy(d1: (z: number, h: number) => number) {
  return (d: Vec, z: Vec, h: Vec): void => {
    for (let i = 0; i < d.length; i++) d[i] *= d1(z[i], h[i]);
  };
}

function elementwise(f: (x: number) => number) {
  return (z: Vec, bias: Vec | null, width: number, h: Vec): void => {
    applyBias(z, bias, width);
    for (let i = 0; i < z.length; i++) h[i] = f(z[i]);
  };
}

const geluD1 = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z);

const ACTIVATIONS: { [K in Activation]: Omit<ActivationFns, 'kind'> } = {
  linear: {
    forward: (z, bias, width, h) => {
      applyBias(z, bias, width);
      if (h !== z) h.set(z);
    },
    d1: () => 1,
    d2: () => 0,
    mulDerivative: () => undefined,
    slopeAtZero: 1,
  },
  tanh: {
    forward: (z, bias, width, h) => {
      // float32 buffers get the fast tanh; float64 (analysis) keeps Math.tanh's last bits.
      // Bias and tanh in one pass: this loop is a third of a training step's JS time.
      const fast = h instanceof Float32Array;
      for (let i = 0; i < z.length; i += width) {
        for (let j = 0; j < width; j++) {
          const v = bias ? z[i + j] + bias[j] : z[i + j];
          z[i + j] = v;
          h[i + j] = fast ? fastTanh(v) : Math.tanh(v);
        }
      }
    },
    d1: (_z, h) => 1 - h * h,
    d2: (_z, h) => -2 * h * (1 - h * h),
    mulDerivative: (d, _z, h) => {
      for (let i = 0; i < d.length; i++) d[i] *= 1 - h[i] * h[i];
    },
    slopeAtZero: 1,
  },
  relu: {
    forward: elementwise((x) => (x > 0 ? x : 0)),
    d1: (z) => (z > 0 ? 1 : 0),
    mulDerivative: mulBy((z) => (z > 0 ? 1 : 0)),
    d2: () => 0,
    slopeAtZero: 0.5,
  },
  sigmoid: {
    forward: elementwise(sigmoid),
    d1: (_z, h) => h * (1 - h),
    mulDerivative: mulBy((_z, h) => h * (1 - h)),
    d2: (_z, h) => h * (1 - h) * (1 - 2 * h),
    slopeAtZero: 0.25,
  },
  // Exact GELU, x·Φ(x): Φ' = φ, so σ' = Φ + xφ and σ'' = φ(2 − x²).
  gelu: {
    forward: elementwise((x) => 0.5 * x * (1 + erf(x / Math.SQRT2))),
    d1: geluD1,
    mulDerivative: mulBy(geluD1),
    d2: (z) => INV_SQRT_2PI * Math.exp(-0.5 * z * z) * (2 - z * z),
    slopeAtZero: 0.5,
  },
};

const WITH_KIND = Object.fromEntries(Object.entries(ACTIVATIONS).map(([kind, fns]) => [kind, { kind, ...fns }])) as unknown as Record<Activation, ActivationFns>;

export function activation(kind: Activation): ActivationFns {
  return WITH_KIND[kind];
}
