// @ts-nocheck -- AssemblyScript, not TypeScript: compiled to WebAssembly by asc
// (scripts/build-kernels.mjs, part of `npm run build`), never by tsc or esbuild.
//
// Dense products of row-major matrices on one WebAssembly memory, in float32 (the `_f32`
// exports, f32x4) and float64 (`_f64`, f64x2), with 128-bit SIMD. Pointers are byte offsets
// into the memory; sizes are element counts. One register-blocked kernel serves the three
// shapes of the engine:
//   C (m×n) (+)= op(A) · B,   op(A)[i, p] = A[i·rsA + p·csA],   B row-major with row stride ldb,
// so A·B is (rsA, csA) = (k, 1) and Aᵀ·B is (1, k): no transposed copy of A. A·Bᵀ packs Bᵀ
// (a weight matrix in every product the engine makes, so small) into scratch, as BLAS packs
// panels, and runs the same kernel.
// The micro-tile is 2 rows × 4 vectors (2×16 in float32, 2×8 in float64) where 4 vectors of
// columns are left, else 6 rows × 2 vectors (12 accumulators; 4-row and 1-row tiles take the
// rows left over): see tile2x4 for why the smaller tile is the faster one under V8. The reduction is cut into tiles of KC so the strip of B a column block
// walks stays in L2. (Measured: a separate epilogue pass over finished rows is slower than the
// epilogue on the accumulators, as is walking row blocks outermost.)
// Columns past the last full vector are computed in a full vector whose extra lanes are never
// stored (allocations carry 16 bytes of padding, so reading past a row's end stays in memory).
//
// Epilogues, applied to the accumulators of the last reduction tile before they are stored:
//   EPI_FORWARD: z = C + bias (bias 0: none), stored in C; h = σ(z) stored at hp (hp 0: none).
//   EPI_DERIV:   C ⊙= σ'(z, h), z and h read at zp and hp (the shape of C): the backward step.
// σ per ACT_*: the activations of src/core/model/activations.ts, with the same formulas.
// With RELAXED (relaxed-simd enabled at compile time, see scripts/build-kernels.mjs) the
// multiply-adds are relaxed_madd, a fused multiply-add where the hardware has one.

const EPI_NONE = 0;
const EPI_FORWARD = 1;
const EPI_DERIV = 2;

const ACT_LINEAR = 0;
const ACT_TANH = 1;
const ACT_RELU = 2;
const ACT_SIGMOID = 3;
const ACT_GELU = 4;

const KC = 256;

export function heapBase(): usize {
  return __heap_base;
}

function fmadd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(v128.mul<T>(a, b), c);
}

// ---- activations ------------------------------------------------------------------------

const INV_SQRT_2PI: f64 = 0.3989422804014327;
const SQRT1_2: f64 = 0.7071067811865476;

// erf to ~1e-13 by the same method as activations.ts: the Maclaurin series for |x| < 2.5,
// else erfc by its continued fraction (Abramowitz–Stegun 7.1.14) with Lentz's method.
function erf(x: f64): f64 {
  const z = Math.abs(x);
  if (z < 2.5) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 100; n++) {
      term *= (-z * z) / <f64>n;
      const add = term / <f64>(2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  const tiny: f64 = 1e-300;
  let f = z;
  let c = z;
  let d: f64 = 0;
  for (let k = 1; k < 200; k++) {
    const a = <f64>k / 2;
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

function sigmoid(x: f64): f64 {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** σ(x) in float64, for the activations without a vector formula. */
function actScalar(act: i32, x: f64): f64 {
  if (act == ACT_TANH) return Math.tanh(x);
  if (act == ACT_SIGMOID) return sigmoid(x);
  if (act == ACT_GELU) return 0.5 * x * (1 + erf(x * SQRT1_2));
  if (act == ACT_RELU) return x > 0 ? x : 0;
  return x;
}

/** σ'(z) given z and h = σ(z), in float64. */
function derivScalar(act: i32, z: f64, h: f64): f64 {
  if (act == ACT_TANH) return 1 - h * h;
  if (act == ACT_SIGMOID) return h * (1 - h);
  if (act == ACT_GELU) return 0.5 * (1 + erf(z * SQRT1_2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  if (act == ACT_RELU) return z > 0 ? 1 : 0;
  return 1;
}

function mapLanes<T>(act: i32, z: v128): v128 {
  if (sizeof<T>() == 4) {
    return f32x4(
      <f32>actScalar(act, <f64>f32x4.extract_lane(z, 0)),
      <f32>actScalar(act, <f64>f32x4.extract_lane(z, 1)),
      <f32>actScalar(act, <f64>f32x4.extract_lane(z, 2)),
      <f32>actScalar(act, <f64>f32x4.extract_lane(z, 3)),
    );
  }
  return f64x2(actScalar(act, f64x2.extract_lane(z, 0)), actScalar(act, f64x2.extract_lane(z, 1)));
}

function derivLanes<T>(act: i32, z: v128, h: v128): v128 {
  if (sizeof<T>() == 4) {
    return f32x4(
      <f32>derivScalar(act, <f64>f32x4.extract_lane(z, 0), <f64>f32x4.extract_lane(h, 0)),
      <f32>derivScalar(act, <f64>f32x4.extract_lane(z, 1), <f64>f32x4.extract_lane(h, 1)),
      <f32>derivScalar(act, <f64>f32x4.extract_lane(z, 2), <f64>f32x4.extract_lane(h, 2)),
      <f32>derivScalar(act, <f64>f32x4.extract_lane(z, 3), <f64>f32x4.extract_lane(h, 3)),
    );
  }
  return f64x2(derivScalar(act, f64x2.extract_lane(z, 0), f64x2.extract_lane(h, 0)), derivScalar(act, f64x2.extract_lane(z, 1), f64x2.extract_lane(h, 1)));
}

// tanh in float32: x·P(x²)/Q(x²), the degree-4/4 rational of activations.ts's fastTanh
// (scripts/fit-tanh.py), on x clamped to [−9, 9] (past it tanh is 1 in float32), and the
// result clamped to [−1, 1] against float32 rounding of the rational.
@inline
function tanhF32x4(x: v128): v128 {
  const nine = f32x4.splat(9);
  const one = f32x4.splat(1);
  // pmin/pmax are one instruction each (minps/maxps); min/max's NaN and ±0 rules cost V8 several.
  const c = f32x4.pmin(f32x4.pmax(x, f32x4.neg(nine)), nine);
  const s = f32x4.mul(c, c);
  let p = fmadd<f32>(s, f32x4.splat(<f32>1.3354485975417285e-8), f32x4.splat(<f32>2.0608965500811272e-5));
  p = fmadd<f32>(s, p, f32x4.splat(<f32>0.0034955816989605632));
  p = fmadd<f32>(s, p, f32x4.splat(<f32>0.13381020500904428));
  p = fmadd<f32>(s, p, f32x4.splat(<f32>0.999999979455718));
  let q = fmadd<f32>(s, f32x4.splat(<f32>7.776488936827028e-7), f32x4.splat(<f32>0.00032856237902917574));
  q = fmadd<f32>(s, q, f32x4.splat(<f32>0.025876958581058408));
  q = fmadd<f32>(s, q, f32x4.splat(<f32>0.4671433610179988));
  q = fmadd<f32>(s, q, one);
  const r = f32x4.div(f32x4.mul(c, p), q);
  return f32x4.pmin(f32x4.pmax(r, f32x4.neg(one)), one);
}

@inline
function actVec<T>(act: i32, z: v128): v128 {
  if (act == ACT_LINEAR) return z;
  if (act == ACT_RELU) {
    const zero = v128.splat<T>(0);
    return v128.bitselect(z, zero, v128.gt<T>(z, zero));
  }
  if (act == ACT_TANH && sizeof<T>() == 4) return tanhF32x4(z);
  return mapLanes<T>(act, z);
}

@inline
function derivVec<T>(act: i32, z: v128, h: v128): v128 {
  const one = v128.splat<T>(1);
  if (act == ACT_TANH) return v128.sub<T>(one, v128.mul<T>(h, h));
  if (act == ACT_SIGMOID) return v128.mul<T>(h, v128.sub<T>(one, h));
  if (act == ACT_RELU) {
    const zero = v128.splat<T>(0);
    return v128.bitselect(one, zero, v128.gt<T>(z, zero));
  }
  if (act == ACT_LINEAR) return one;
  return derivLanes<T>(act, z, h);
}

// ---- stores -----------------------------------------------------------------------------

/** Stores the first `lanes` lanes of v at p (all of them when lanes is the vector width). */
function storeLanes<T>(p: usize, v: v128, lanes: i32): void {
  if (lanes == 16 / sizeof<T>()) {
    v128.store(p, v);
    return;
  }
  if (sizeof<T>() == 4) {
    store<f32>(p, f32x4.extract_lane(v, 0));
    if (lanes > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
    if (lanes > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
  } else {
    store<f64>(p, f64x2.extract_lane(v, 0));
  }
}

/**
 * The epilogue and store of one accumulator vector for C at byte offset `off` (columns j…),
 * `bj` the byte offset of column j in the bias vector.
 */
@inline
function finish<T>(v: v128, c: usize, off: usize, lanes: i32, epi: i32, act: i32, bias: usize, bj: usize, zp: usize, hp: usize): void {
  if (epi == EPI_FORWARD) {
    if (bias != 0) v = v128.add<T>(v, v128.load(bias + bj));
    storeLanes<T>(c + off, v, lanes);
    if (hp != 0) storeLanes<T>(hp + off, actVec<T>(act, v), lanes);
    return;
  }
  if (epi == EPI_DERIV) {
    // tanh and sigmoid need only h, relu and gelu only z: the other is not read (memory, not arithmetic, bounds this step).
    const zero = v128.splat<T>(0);
    const zv = act == ACT_RELU || act == ACT_GELU ? v128.load(zp + off) : zero;
    const hv = act == ACT_TANH || act == ACT_SIGMOID ? v128.load(hp + off) : zero;
    v = v128.mul<T>(v, derivVec<T>(act, zv, hv));
  }
  storeLanes<T>(c + off, v, lanes);
}

// ---- the product ------------------------------------------------------------------------

/** A 4×(2 vectors) tile of C at rows i…i+3, columns j…: `lanes1` valid lanes in its second vector. */
function tile4x2<T>(a: usize, ra: usize, ca: usize, b: usize, rb: usize, kc: i32, c: usize, rc: usize, load: bool, lanes1: i32, epi: i32, act: i32, bias: usize, bj: usize, zp: usize, hp: usize): void {
  let c00 = v128.splat<T>(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (load) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + rc); c11 = v128.load(c + rc, 16);
    c20 = v128.load(c + 2 * rc); c21 = v128.load(c + 2 * rc, 16);
    c30 = v128.load(c + 3 * rc); c31 = v128.load(c + 3 * rc, 16);
  }
  let pa = a;
  let pb = b;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load_splat<T>(pa);
    c00 = fmadd<T>(av, b0, c00); c01 = fmadd<T>(av, b1, c01);
    av = v128.load_splat<T>(pa + ra);
    c10 = fmadd<T>(av, b0, c10); c11 = fmadd<T>(av, b1, c11);
    av = v128.load_splat<T>(pa + 2 * ra);
    c20 = fmadd<T>(av, b0, c20); c21 = fmadd<T>(av, b1, c21);
    av = v128.load_splat<T>(pa + 3 * ra);
    c30 = fmadd<T>(av, b0, c30); c31 = fmadd<T>(av, b1, c31);
    pa += ca;
    pb += rb;
  }
  const L = 16 / sizeof<T>();
  finish<T>(c00, c, 0, L, epi, act, bias, bj, zp, hp);
  finish<T>(c01, c, 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c10, c, rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c11, c, rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c20, c, 2 * rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c21, c, 2 * rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c30, c, 3 * rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c31, c, 3 * rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
}

/** A 6×(2 vectors) tile: 12 accumulators, 2 vectors of B, 1 broadcast of A (15 of the 16 registers), each B vector used 6 times. */
function tile6x2<T>(a: usize, ra: usize, ca: usize, b: usize, rb: usize, kc: i32, c: usize, rc: usize, load: bool, lanes1: i32, epi: i32, act: i32, bias: usize, bj: usize, zp: usize, hp: usize): void {
  let c00 = v128.splat<T>(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  if (load) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + rc); c11 = v128.load(c + rc, 16);
    c20 = v128.load(c + 2 * rc); c21 = v128.load(c + 2 * rc, 16);
    c30 = v128.load(c + 3 * rc); c31 = v128.load(c + 3 * rc, 16);
    c40 = v128.load(c + 4 * rc); c41 = v128.load(c + 4 * rc, 16);
    c50 = v128.load(c + 5 * rc); c51 = v128.load(c + 5 * rc, 16);
  }
  let pa = a;
  let pb = b;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load_splat<T>(pa);
    c00 = fmadd<T>(av, b0, c00); c01 = fmadd<T>(av, b1, c01);
    av = v128.load_splat<T>(pa + ra);
    c10 = fmadd<T>(av, b0, c10); c11 = fmadd<T>(av, b1, c11);
    av = v128.load_splat<T>(pa + 2 * ra);
    c20 = fmadd<T>(av, b0, c20); c21 = fmadd<T>(av, b1, c21);
    av = v128.load_splat<T>(pa + 3 * ra);
    c30 = fmadd<T>(av, b0, c30); c31 = fmadd<T>(av, b1, c31);
    av = v128.load_splat<T>(pa + 4 * ra);
    c40 = fmadd<T>(av, b0, c40); c41 = fmadd<T>(av, b1, c41);
    av = v128.load_splat<T>(pa + 5 * ra);
    c50 = fmadd<T>(av, b0, c50); c51 = fmadd<T>(av, b1, c51);
    pa += ca;
    pb += rb;
  }
  const L = 16 / sizeof<T>();
  finish<T>(c00, c, 0, L, epi, act, bias, bj, zp, hp);
  finish<T>(c01, c, 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c10, c, rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c11, c, rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c20, c, 2 * rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c21, c, 2 * rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c30, c, 3 * rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c31, c, 3 * rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c40, c, 4 * rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c41, c, 4 * rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c50, c, 5 * rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c51, c, 5 * rc + 16, lanes1, epi, act, bias, bj + 16, zp, hp);
}

/**
 * A 2×(4 vectors) tile: 8 accumulators, 4 vectors of B and 2 broadcasts of A per step. Measured
 * in Node 20 (V8 11.3) on 4000×196·196×64-like products: ≈ 40 GFLOP/s in float32 against ≈ 30
 * for the 6×2 tile, whose 15 live vectors V8's register allocator spills; so column blocks of
 * 4 vectors take this tile, the columns left over the 6×2 and smaller ones.
 */
function tile2x4<T>(a: usize, ra: usize, ca: usize, b: usize, rb: usize, kc: i32, c: usize, rc: usize, load: bool, epi: i32, act: i32, bias: usize, bj: usize, zp: usize, hp: usize): void {
  let c00 = v128.splat<T>(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  if (load) {
    c00 = v128.load(c); c01 = v128.load(c, 16); c02 = v128.load(c, 32); c03 = v128.load(c, 48);
    c10 = v128.load(c + rc); c11 = v128.load(c + rc, 16); c12 = v128.load(c + rc, 32); c13 = v128.load(c + rc, 48);
  }
  let pa = a;
  let pb = b;
  for (let p = 0; p < kc; p++) {
    const a0 = v128.load_splat<T>(pa);
    const a1 = v128.load_splat<T>(pa + ra);
    let bv = v128.load(pb);
    c00 = fmadd<T>(a0, bv, c00); c10 = fmadd<T>(a1, bv, c10);
    bv = v128.load(pb, 16);
    c01 = fmadd<T>(a0, bv, c01); c11 = fmadd<T>(a1, bv, c11);
    bv = v128.load(pb, 32);
    c02 = fmadd<T>(a0, bv, c02); c12 = fmadd<T>(a1, bv, c12);
    bv = v128.load(pb, 48);
    c03 = fmadd<T>(a0, bv, c03); c13 = fmadd<T>(a1, bv, c13);
    pa += ca;
    pb += rb;
  }
  const L = 16 / sizeof<T>();
  finish<T>(c00, c, 0, L, epi, act, bias, bj, zp, hp);
  finish<T>(c01, c, 16, L, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c02, c, 32, L, epi, act, bias, bj + 32, zp, hp);
  finish<T>(c03, c, 48, L, epi, act, bias, bj + 48, zp, hp);
  finish<T>(c10, c, rc, L, epi, act, bias, bj, zp, hp);
  finish<T>(c11, c, rc + 16, L, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c12, c, rc + 32, L, epi, act, bias, bj + 32, zp, hp);
  finish<T>(c13, c, rc + 48, L, epi, act, bias, bj + 48, zp, hp);
}

/** A 1×(4 vectors) tile: the last row of a 4-vector column block when the row count is odd. */
function tile1x4<T>(a: usize, ca: usize, b: usize, rb: usize, kc: i32, c: usize, load: bool, epi: i32, act: i32, bias: usize, bj: usize, zp: usize, hp: usize): void {
  let c0 = v128.splat<T>(0), c1 = c0, c2 = c0, c3 = c0;
  if (load) {
    c0 = v128.load(c); c1 = v128.load(c, 16); c2 = v128.load(c, 32); c3 = v128.load(c, 48);
  }
  let pa = a;
  let pb = b;
  for (let p = 0; p < kc; p++) {
    const a0 = v128.load_splat<T>(pa);
    c0 = fmadd<T>(a0, v128.load(pb), c0);
    c1 = fmadd<T>(a0, v128.load(pb, 16), c1);
    c2 = fmadd<T>(a0, v128.load(pb, 32), c2);
    c3 = fmadd<T>(a0, v128.load(pb, 48), c3);
    pa += ca;
    pb += rb;
  }
  const L = 16 / sizeof<T>();
  finish<T>(c0, c, 0, L, epi, act, bias, bj, zp, hp);
  finish<T>(c1, c, 16, L, epi, act, bias, bj + 16, zp, hp);
  finish<T>(c2, c, 32, L, epi, act, bias, bj + 32, zp, hp);
  finish<T>(c3, c, 48, L, epi, act, bias, bj + 48, zp, hp);
}

/** A 4×(1 vector) tile: the last column block when at most one vector of columns is left. */
function tile4x1<T>(a: usize, ra: usize, ca: usize, b: usize, rb: usize, kc: i32, c: usize, rc: usize, load: bool, lanes: i32, epi: i32, act: i32, bias: usize, bj: usize, zp: usize, hp: usize): void {
  let c0 = v128.splat<T>(0), c1 = c0, c2 = c0, c3 = c0;
  if (load) {
    c0 = v128.load(c);
    c1 = v128.load(c + rc);
    c2 = v128.load(c + 2 * rc);
    c3 = v128.load(c + 3 * rc);
  }
  let pa = a;
  let pb = b;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    c0 = fmadd<T>(v128.load_splat<T>(pa), b0, c0);
    c1 = fmadd<T>(v128.load_splat<T>(pa + ra), b0, c1);
    c2 = fmadd<T>(v128.load_splat<T>(pa + 2 * ra), b0, c2);
    c3 = fmadd<T>(v128.load_splat<T>(pa + 3 * ra), b0, c3);
    pa += ca;
    pb += rb;
  }
  finish<T>(c0, c, 0, lanes, epi, act, bias, bj, zp, hp);
  finish<T>(c1, c, rc, lanes, epi, act, bias, bj, zp, hp);
  finish<T>(c2, c, 2 * rc, lanes, epi, act, bias, bj, zp, hp);
  finish<T>(c3, c, 3 * rc, lanes, epi, act, bias, bj, zp, hp);
}

/** A 1×(1 vector) tile: the rows past the last multiple of 4. */
function tile1x1<T>(a: usize, ca: usize, b: usize, rb: usize, kc: i32, c: usize, load: bool, lanes: i32, epi: i32, act: i32, bias: usize, bj: usize, zp: usize, hp: usize): void {
  let c0 = load ? v128.load(c) : v128.splat<T>(0);
  let pa = a;
  let pb = b;
  for (let p = 0; p < kc; p++) {
    c0 = fmadd<T>(v128.load_splat<T>(pa), v128.load(pb), c0);
    pa += ca;
    pb += rb;
  }
  finish<T>(c0, c, 0, lanes, epi, act, bias, bj, zp, hp);
}

/** p + offset, or 0 (no buffer) when p is 0. */
function at(p: usize, offset: usize): usize {
  return p == 0 ? <usize>0 : p + offset;
}

function gemm<T>(a: usize, rsA: i32, csA: i32, b: usize, m: i32, k: i32, n: i32, c: usize, accumulate: bool, epi: i32, act: i32, bias: usize, zp: usize, hp: usize): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const ra = <usize>rsA * S;
  const ca = <usize>csA * S;
  const rb = <usize>n * S;
  const rc = <usize>n * S;
  const tiles = k > 0 ? (k + KC - 1) / KC : 1;
  // Rows in 6-row tiles, as many as leave a multiple of 4 for 4-row tiles (m = 20: 12 + 8, not 18 + 2 single rows).
  let c6 = m / 6;
  if ((m - 6 * c6) % 4 != 0 && c6 > 0 && (m - 6 * (c6 - 1)) % 4 == 0) c6--;
  const m6 = 6 * c6;
  for (let t = 0; t < tiles; t++) {
    const p0 = t * KC;
    const kc = min(KC, k - p0);
    const load = accumulate || t > 0;
    const e = t == tiles - 1 ? epi : EPI_NONE;
    const a0 = a + <usize>p0 * ca;
    // Column blocks outermost: the strip of B (kc × 4 or 2 vectors) stays in cache for all rows.
    for (let j = 0; j < n; ) {
      const left = n - j;
      const bj = <usize>j * S;
      const pb = b + <usize>p0 * rb + bj;
      const zj = at(zp, bj);
      const hj = at(hp, bj);
      let i = 0;
      if (left >= 4 * L) {
        for (; i + 2 <= m; i += 2) {
          const off = <usize>i * rc;
          tile2x4<T>(a0 + <usize>i * ra, ra, ca, pb, rb, kc, c + bj + off, rc, load, e, act, bias, bj, at(zj, off), at(hj, off));
        }
        if (i < m) {
          const off = <usize>i * rc;
          tile1x4<T>(a0 + <usize>i * ra, ca, pb, rb, kc, c + bj + off, load, e, act, bias, bj, at(zj, off), at(hj, off));
        }
        j += 4 * L;
        continue;
      }
      if (left > L) {
        const lanes1 = min(L, left - L);
        for (; i < m6; i += 6) {
          const off = <usize>i * rc;
          tile6x2<T>(a0 + <usize>i * ra, ra, ca, pb, rb, kc, c + bj + off, rc, load, lanes1, e, act, bias, bj, at(zj, off), at(hj, off));
        }
        for (; i + 4 <= m; i += 4) {
          const off = <usize>i * rc;
          tile4x2<T>(a0 + <usize>i * ra, ra, ca, pb, rb, kc, c + bj + off, rc, load, lanes1, e, act, bias, bj, at(zj, off), at(hj, off));
        }
      } else {
        for (; i + 4 <= m; i += 4) {
          const off = <usize>i * rc;
          tile4x1<T>(a0 + <usize>i * ra, ra, ca, pb, rb, kc, c + bj + off, rc, load, left, e, act, bias, bj, at(zj, off), at(hj, off));
        }
      }
      for (; i < m; i++) {
        const off = <usize>i * rc;
        for (let v = 0; v < 2 && v * L < left; v++) {
          const vo = <usize>v * 16;
          tile1x1<T>(a0 + <usize>i * ra, ca, pb + vo, rb, kc, c + bj + off + vo, load, min(L, left - v * L), e, act, bias, bj + vo, at(zj, off + vo), at(hj, off + vo));
        }
      }
      j += 2 * L;
    }
  }
}

/** dst (cols×rows) = srcᵀ, src rows×cols. */
function transpose<T>(src: usize, rows: i32, cols: i32, dst: usize): void {
  const S = <usize>sizeof<T>();
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<T>(dst + (<usize>j * rows + i) * S, load<T>(src + (<usize>i * cols + j) * S));
  }
}

/** out[j] = Σ_i x[i, j] for an m×n matrix x: the bias gradient. */
function colSums<T>(x: usize, m: i32, n: i32, out: usize): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  for (let j = 0; j < n; j += L) {
    const lanes = min(L, n - j);
    let s = v128.splat<T>(0);
    let p = x + <usize>j * S;
    for (let i = 0; i < m; i++) {
      s = v128.add<T>(s, v128.load(p));
      p += <usize>n * S;
    }
    storeLanes<T>(out + <usize>j * S, s, lanes);
  }
}

/** h = σ(z + bias) elementwise with z rewritten as z + bias: the forward epilogue alone. */
function biasAct<T>(z: usize, m: i32, n: i32, bias: usize, act: i32, hp: usize): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  for (let i = 0; i < m; i++) {
    const row = <usize>i * n * S;
    for (let j = 0; j < n; j += L) {
      const off = row + <usize>j * S;
      finish<T>(v128.load(z + off), z, off, min(L, n - j), EPI_FORWARD, act, bias, <usize>j * S, 0, hp);
    }
  }
}

/** out = a ⊙ b (+ c ⊙ d when c ≠ 0) over len entries; out may be a or c. */
function hadamard<T>(out: usize, a: usize, b: usize, c: usize, d: usize, len: i32): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  for (let i = 0; i < len; i += L) {
    const off = <usize>i * S;
    let v = v128.mul<T>(v128.load(a + off), v128.load(b + off));
    if (c != 0) v = fmadd<T>(v128.load(c + off), v128.load(d + off), v);
    storeLanes<T>(out + off, v, min(L, len - i));
  }
}

// ---- exports ----------------------------------------------------------------------------
// mm: out (m×n) = A (m×k)·B (k×n); mmTN: out (k×n) = Aᵀ·B, A m×k, B m×n; mmNT: out (m×k) =
// A·Bᵀ, A m×n, B k×n, with `scratch` room for k·n elements. `acc` ≠ 0 adds into out.

export function mm_f32(a: usize, b: usize, m: i32, k: i32, n: i32, out: usize, acc: i32, epi: i32, act: i32, bias: usize, zp: usize, hp: usize): void {
  gemm<f32>(a, k, 1, b, m, k, n, out, acc != 0, epi, act, bias, zp, hp);
}
export function mmTN_f32(a: usize, b: usize, m: i32, k: i32, n: i32, out: usize, acc: i32): void {
  gemm<f32>(a, 1, k, b, k, m, n, out, acc != 0, EPI_NONE, 0, 0, 0, 0);
}
export function mmNT_f32(a: usize, b: usize, m: i32, n: i32, k: i32, out: usize, acc: i32, scratch: usize, epi: i32, act: i32, zp: usize, hp: usize): void {
  transpose<f32>(b, k, n, scratch);
  gemm<f32>(a, n, 1, scratch, m, n, k, out, acc != 0, epi, act, 0, zp, hp);
}
export function colSums_f32(x: usize, m: i32, n: i32, out: usize): void {
  colSums<f32>(x, m, n, out);
}
export function biasAct_f32(z: usize, m: i32, n: i32, bias: usize, act: i32, hp: usize): void {
  biasAct<f32>(z, m, n, bias, act, hp);
}

export function hadamard_f32(out: usize, a: usize, b: usize, c: usize, d: usize, len: i32): void {
  hadamard<f32>(out, a, b, c, d, len);
}

export function mm_f64(a: usize, b: usize, m: i32, k: i32, n: i32, out: usize, acc: i32, epi: i32, act: i32, bias: usize, zp: usize, hp: usize): void {
  gemm<f64>(a, k, 1, b, m, k, n, out, acc != 0, epi, act, bias, zp, hp);
}
export function mmTN_f64(a: usize, b: usize, m: i32, k: i32, n: i32, out: usize, acc: i32): void {
  gemm<f64>(a, 1, k, b, k, m, n, out, acc != 0, EPI_NONE, 0, 0, 0, 0);
}
export function mmNT_f64(a: usize, b: usize, m: i32, n: i32, k: i32, out: usize, acc: i32, scratch: usize, epi: i32, act: i32, zp: usize, hp: usize): void {
  transpose<f64>(b, k, n, scratch);
  gemm<f64>(a, n, 1, scratch, m, n, k, out, acc != 0, epi, act, 0, zp, hp);
}
export function colSums_f64(x: usize, m: i32, n: i32, out: usize): void {
  colSums<f64>(x, m, n, out);
}
export function biasAct_f64(z: usize, m: i32, n: i32, bias: usize, act: i32, hp: usize): void {
  biasAct<f64>(z, m, n, bias, act, hp);
}
export function hadamard_f64(out: usize, a: usize, b: usize, c: usize, d: usize, len: i32): void {
  hadamard<f64>(out, a, b, c, d, len);
}

// ---- Householder tridiagonalization (float64) ---------------------------------------------
// The reduction of linalg/symmetricEigen.ts's householderTridiagonalize, step for step (see
// there: EISPACK tred2's bottom-up order, Golub & Van Loan §8.3), with the one pass per step
// over the active lower triangle in f64x2: the previous step's deferred rank-2 update
// A ← A − u qᵀ − q uᵀ, the new product p = A·u read from each updated element for its row (a
// dot product) and its mirrored column (an axpy). The pass streams the triangle once per step
// and the four vectors it touches stay in L1; ≈ 4n³/3 flops, of which the SIMD lanes take all
// but the row ends. Outputs as there: d = diag(T), e[i] = T[i][i−1], hs[i] = H_i (0: P_i = I),
// u_i in row i of w. `scratch` holds 4n doubles.

/** The rank-2 update a[k] −= ui·q[k] + qi·u[k] for k in [0, len). */
@inline
function rank2Row(a: usize, len: i32, ui: f64, qi: f64, u: usize, q: usize): void {
  const vu = f64x2.splat(ui);
  const vq = f64x2.splat(qi);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    v128.store(a + o, f64x2.sub(v128.load(a + o), f64x2.add(f64x2.mul(vu, v128.load(q + o)), f64x2.mul(vq, v128.load(u + o)))));
  }
  for (; k < len; k++) {
    const o = <usize>k << 3;
    store<f64>(a + o, load<f64>(a + o) - (ui * load<f64>(q + o) + qi * load<f64>(u + o)));
  }
}

export function tridiagonalize_f64(w: usize, n: i32, d: usize, e: usize, hs: usize, scratch: usize): void {
  const N = <usize>n;
  let u = scratch;
  let p = scratch + (N << 3);
  let uo = scratch + (N << 4);
  let qo = scratch + 3 * (N << 3);
  let pending = false;
  for (let i = n - 1; i >= 1; i--) {
    const l = i - 1;
    const ri = w + ((<usize>i * N) << 3);
    if (pending) rank2Row(ri, i + 1, load<f64>(uo + (<usize>i << 3)), load<f64>(qo + (<usize>i << 3)), uo, qo);
    store<f64>(d + (<usize>i << 3), load<f64>(ri + (<usize>i << 3)));
    let scale: f64 = 0;
    if (l > 0) for (let k = 0; k <= l; k++) scale += Math.abs(load<f64>(ri + (<usize>k << 3)));
    if (l == 0 || scale == 0) {
      store<f64>(e + (<usize>i << 3), load<f64>(ri + (<usize>l << 3)));
      if (pending) {
        for (let j = 0; j <= l; j++) rank2Row(w + ((<usize>j * N) << 3), j + 1, load<f64>(uo + (<usize>j << 3)), load<f64>(qo + (<usize>j << 3)), uo, qo);
      }
      pending = false;
      store<f64>(hs + (<usize>i << 3), 0);
      continue;
    }
    let h: f64 = 0;
    for (let k = 0; k <= l; k++) {
      const x = load<f64>(ri + (<usize>k << 3)) / scale;
      store<f64>(u + (<usize>k << 3), x);
      h += x * x;
    }
    const f = load<f64>(u + (<usize>l << 3));
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    store<f64>(e + (<usize>i << 3), scale * g);
    h -= f * g;
    store<f64>(u + (<usize>l << 3), f - g);
    memory.fill(p, 0, <usize>i << 3);
    for (let j = 0; j <= l; j++) {
      const rj = w + ((<usize>j * N) << 3);
      const uj = load<f64>(u + (<usize>j << 3));
      const vuj = f64x2.splat(uj);
      let s0 = f64x2.splat(0);
      let s1 = s0;
      let k = 0;
      let ajj: f64;
      if (pending) {
        const uoj = load<f64>(uo + (<usize>j << 3));
        const qoj = load<f64>(qo + (<usize>j << 3));
        const vuo = f64x2.splat(uoj);
        const vqo = f64x2.splat(qoj);
        for (; k + 4 <= j; k += 4) {
          const o = <usize>k << 3;
          const a0 = f64x2.sub(v128.load(rj + o), f64x2.add(f64x2.mul(vuo, v128.load(qo + o)), f64x2.mul(vqo, v128.load(uo + o))));
          const a1 = f64x2.sub(v128.load(rj + o, 16), f64x2.add(f64x2.mul(vuo, v128.load(qo + o, 16)), f64x2.mul(vqo, v128.load(uo + o, 16))));
          v128.store(rj + o, a0);
          v128.store(rj + o, a1, 16);
          s0 = f64x2.add(s0, f64x2.mul(a0, v128.load(u + o)));
          s1 = f64x2.add(s1, f64x2.mul(a1, v128.load(u + o, 16)));
          v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(a0, vuj)));
          v128.store(p + o, f64x2.add(v128.load(p + o, 16), f64x2.mul(a1, vuj)), 16);
        }
        let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
        for (; k < j; k++) {
          const o = <usize>k << 3;
          const a0 = load<f64>(rj + o) - (uoj * load<f64>(qo + o) + qoj * load<f64>(uo + o));
          store<f64>(rj + o, a0);
          s += a0 * load<f64>(u + o);
          store<f64>(p + o, load<f64>(p + o) + a0 * uj);
        }
        const jo = <usize>j << 3;
        ajj = load<f64>(rj + jo) - (uoj * load<f64>(qo + jo) + qoj * load<f64>(uo + jo));
        store<f64>(rj + jo, ajj);
        store<f64>(p + jo, load<f64>(p + jo) + s + ajj * uj);
      } else {
        for (; k + 4 <= j; k += 4) {
          const o = <usize>k << 3;
          const a0 = v128.load(rj + o);
          const a1 = v128.load(rj + o, 16);
          s0 = f64x2.add(s0, f64x2.mul(a0, v128.load(u + o)));
          s1 = f64x2.add(s1, f64x2.mul(a1, v128.load(u + o, 16)));
          v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(a0, vuj)));
          v128.store(p + o, f64x2.add(v128.load(p + o, 16), f64x2.mul(a1, vuj)), 16);
        }
        let s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
        for (; k < j; k++) {
          const o = <usize>k << 3;
          const a0 = load<f64>(rj + o);
          s += a0 * load<f64>(u + o);
          store<f64>(p + o, load<f64>(p + o) + a0 * uj);
        }
        const jo = <usize>j << 3;
        ajj = load<f64>(rj + jo);
        store<f64>(p + jo, load<f64>(p + jo) + s + ajj * uj);
      }
    }
    const invH = 1 / h;
    let up: f64 = 0;
    for (let k = 0; k <= l; k++) {
      const o = <usize>k << 3;
      const pk = load<f64>(p + o) * invH;
      store<f64>(p + o, pk);
      up += load<f64>(u + o) * pk;
    }
    const kk = up * 0.5 * invH;
    for (let k = 0; k <= l; k++) {
      const o = <usize>k << 3;
      store<f64>(p + o, load<f64>(p + o) - kk * load<f64>(u + o));
      store<f64>(ri + o, load<f64>(u + o));
    }
    store<f64>(hs + (<usize>i << 3), h);
    const tu = uo;
    uo = u;
    u = tu;
    const tq = qo;
    qo = p;
    p = tq;
    pending = true;
  }
  store<f64>(d, load<f64>(w));
}

// ---- softmax cross-entropy ----------------------------------------------------------------
// model/losses.ts's cross-entropy, fused: the mean over rows of −Σ_j y_j log softmax(f)_j, and
// ∂L/∂f = (softmax(f) − y)/n, in float64 whatever the storage (as the JS loss computes on the
// float32 model's values). exp(x) for x ≤ 0 as 2^k·P(r): k = round(x/ln 2), r = x − k·ln 2 with
// ln 2 split in two (musl's ln2hi/ln2lo, k·ln2hi exact), |r| ≤ ln2/2, P the Taylor polynomial of
// degree 13 (truncation (ln2/2)^14/14! ≈ 4e-18 relative, so ≈ 1 ulp with Horner's rounding);
// x is clamped at −708 (2^k stays normal; exp(−708) ≈ 3e-308 beside a row sum ≥ 1 changes nothing).

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LOG2E: f64 = 1.44269504088896338700;

@inline
function expNonPositive(x: v128): v128 {
  const c = f64x2.max(x, f64x2.splat(-708));
  const k = f64x2.nearest(f64x2.mul(c, f64x2.splat(LOG2E)));
  const r = f64x2.sub(f64x2.sub(c, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 6227020800.0); // 1/13!
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const scale = i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52);
  return f64x2.mul(p, scale);
}

/** Two entries at p as f64x2 (one, the other lane 0, when `two` is false). */
@inline
function load2<T>(p: usize, two: bool): v128 {
  if (sizeof<T>() == 4) {
    return two ? f64x2.promote_low_f32x4(v128.load64_zero(p)) : f64x2(<f64>load<f32>(p), 0);
  }
  return two ? v128.load(p) : f64x2(load<f64>(p), 0);
}

@inline
function store2<T>(p: usize, v: v128, two: bool): void {
  if (sizeof<T>() == 4) {
    store<f32>(p, <f32>f64x2.extract_lane(v, 0));
    if (two) store<f32>(p, <f32>f64x2.extract_lane(v, 1), 4);
  } else if (two) v128.store(p, v);
  else store<f64>(p, f64x2.extract_lane(v, 0));
}

/** `scratch` holds k + 1 doubles (the row's exponentials). Returns the mean loss; g = 0: no gradient. */
function softmaxXent<T>(f: usize, y: usize, n: i32, k: i32, g: usize, scratch: usize): f64 {
  const S = <usize>sizeof<T>();
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const fr = f + <usize>i * <usize>k * S;
    const yr = y + <usize>i * <usize>k * S;
    let mx: f64 = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = <f64>load<T>(fr + <usize>j * S);
      if (v > mx) mx = v;
    }
    const vmx = f64x2.splat(mx);
    let vz = f64x2.splat(0);
    let vyf = f64x2.splat(0);
    let vy = f64x2.splat(0);
    for (let j = 0; j < k; j += 2) {
      const two = j + 1 < k;
      const x = f64x2.sub(load2<T>(fr + <usize>j * S, two), vmx);
      let ex = expNonPositive(x);
      if (!two) ex = f64x2.replace_lane(ex, 1, 0);
      v128.store(scratch + (<usize>j << 3), ex);
      vz = f64x2.add(vz, ex);
      const yv = load2<T>(yr + <usize>j * S, two);
      vyf = f64x2.add(vyf, f64x2.mul(yv, x));
      vy = f64x2.add(vy, yv);
    }
    const z = f64x2.extract_lane(vz, 0) + f64x2.extract_lane(vz, 1);
    // −Σ y (f − max − log z) = (Σ y)·log z − Σ y (f − max)
    loss += (f64x2.extract_lane(vy, 0) + f64x2.extract_lane(vy, 1)) * Math.log(z) - (f64x2.extract_lane(vyf, 0) + f64x2.extract_lane(vyf, 1));
    if (g != 0) {
      const gr = g + <usize>i * <usize>k * S;
      const vzs = f64x2.splat(z);
      const vn = f64x2.splat(<f64>n);
      for (let j = 0; j < k; j += 2) {
        const two = j + 1 < k;
        const q = f64x2.div(v128.load(scratch + (<usize>j << 3)), vzs);
        store2<T>(gr + <usize>j * S, f64x2.div(f64x2.sub(q, load2<T>(yr + <usize>j * S, two)), vn), two);
      }
    }
  }
  return loss / <f64>n;
}

export function softmaxXent_f32(f: usize, y: usize, n: i32, k: i32, g: usize, scratch: usize): f64 {
  return softmaxXent<f32>(f, y, n, k, g, scratch);
}
export function softmaxXent_f64(f: usize, y: usize, n: i32, k: i32, g: usize, scratch: usize): f64 {
  return softmaxXent<f64>(f, y, n, k, g, scratch);
}

// ---- Bernoulli negative log-likelihood ------------------------------------------------------
// model/vaeTerms.ts's bernoulli observation, fused: Σ over the m×d logits f of
// softplus(f) − x·f, row r of f read against row ⌊r/rep⌋ of x, and g = scale·(sigmoid(f) − x),
// in float64 whatever the storage (as the JS loop computes on a float32 model's values).
// softplus(f) = max(f, 0) + log1p(e) and sigmoid(f) = (f ≥ 0 ? 1 : e)/(1 + e), e = exp(−|f|) ∈
// (0, 1] from expNonPositive. log1p(e) as fdlibm's log1p: u = fl(1 + e) ∈ [1, 2] carries the
// correction c = (e − (u − 1))/u of its rounding (both differences exact by Sterbenz);
// u = 2^k·(1 + t), k = 1 above √2, so t ∈ [√2/2 − 1, √2 − 1] (exact); log(1 + t) =
// t − t²/2 + s·(t²/2 + R(s²)), s = t/(2 + t), R fdlibm's Lg1…Lg7 minimax fit (< 1 ulp);
// log1p(e) = k·ln2 + log(1 + t) + c.

const SQRT2: f64 = 1.41421356237309504880;
const LG1: f64 = 6.666666666666735130e-1;
const LG2: f64 = 3.999999999940941908e-1;
const LG3: f64 = 2.857142874366239149e-1;
const LG4: f64 = 2.222219843214978396e-1;
const LG5: f64 = 1.818357216161805012e-1;
const LG6: f64 = 1.531383769920937332e-1;
const LG7: f64 = 1.479819860511658591e-1;

/** log1p(e) for e in [0, 1], two lanes, given u = fl(1 + e) and its reciprocal. */
@inline
function log1pUnit(e: v128, u: v128, invU: v128): v128 {
  const one = f64x2.splat(1);
  const c = f64x2.mul(f64x2.sub(e, f64x2.sub(u, one)), invU);
  const big = f64x2.gt(u, f64x2.splat(SQRT2));
  const k = v128.and(big, one);
  const t = f64x2.sub(v128.bitselect(f64x2.mul(u, f64x2.splat(0.5)), u, big), one);
  const s = f64x2.div(t, f64x2.add(t, f64x2.splat(2)));
  const z = f64x2.mul(s, s);
  let r = f64x2.splat(LG7);
  r = f64x2.add(f64x2.mul(r, z), f64x2.splat(LG6));
  r = f64x2.add(f64x2.mul(r, z), f64x2.splat(LG5));
  r = f64x2.add(f64x2.mul(r, z), f64x2.splat(LG4));
  r = f64x2.add(f64x2.mul(r, z), f64x2.splat(LG3));
  r = f64x2.add(f64x2.mul(r, z), f64x2.splat(LG2));
  r = f64x2.add(f64x2.mul(r, z), f64x2.splat(LG1));
  r = f64x2.mul(r, z);
  const hfsq = f64x2.mul(f64x2.mul(t, t), f64x2.splat(0.5));
  // s·(hfsq + R) + (k·ln2_lo + c) − hfsq + t + k·ln2_hi, fdlibm's order of the sums.
  const low = f64x2.add(f64x2.mul(k, f64x2.splat(LN2_LO)), c);
  return f64x2.add(f64x2.add(f64x2.sub(f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), low), hfsq), t), f64x2.mul(k, f64x2.splat(LN2_HI)));
}

function bernoulliNll<T>(f: usize, x: usize, m: i32, d: i32, rep: i32, scale: f64, g: usize): f64 {
  const S = <usize>sizeof<T>();
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  const vscale = f64x2.splat(scale);
  let acc = zero;
  for (let r = 0; r < m; r++) {
    const fr = f + <usize>r * <usize>d * S;
    const xr = x + <usize>(r / rep) * <usize>d * S;
    const gr = g + <usize>r * <usize>d * S;
    for (let j = 0; j < d; j += 2) {
      const two = j + 1 < d;
      const fv = load2<T>(fr + <usize>j * S, two);
      const xv = load2<T>(xr + <usize>j * S, two);
      const e = expNonPositive(f64x2.neg(f64x2.abs(fv)));
      const u = f64x2.add(one, e);
      const invU = f64x2.div(one, u);
      let term = f64x2.sub(f64x2.add(f64x2.max(fv, zero), log1pUnit(e, u, invU)), f64x2.mul(xv, fv));
      if (!two) term = f64x2.replace_lane(term, 1, 0);
      acc = f64x2.add(acc, term);
      if (g != 0) {
        const sig = f64x2.mul(v128.bitselect(one, e, f64x2.ge(fv, zero)), invU);
        store2<T>(gr + <usize>j * S, f64x2.mul(vscale, f64x2.sub(sig, xv)), two);
      }
    }
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

export function bernoulliNll_f32(f: usize, x: usize, m: i32, d: i32, rep: i32, scale: f64, g: usize): f64 {
  return bernoulliNll<f32>(f, x, m, d, rep, scale, g);
}
export function bernoulliNll_f64(f: usize, x: usize, m: i32, d: i32, rep: i32, scale: f64, g: usize): f64 {
  return bernoulliNll<f64>(f, x, m, d, rep, scale, g);
}

// ---- products with a sparse left operand (compressed rows) ---------------------------------
// A (m×k) as compressed sparse rows: ptr (m+1 i32), idx (column of each nonzero, i32), val (the
// values, T). Inputs with many exact zeros (an image's background: 74% of the downsampled MNIST
// pixels) make the first layer's two products, A·W and Aᵀ·G, the bulk of a training step. Each
// skips the zeros but adds the nonzero terms in the same order as gemm (ascending reduction
// index, one accumulator per output entry), so the results are those of the dense kernels
// exactly (but for the sign of an all-zero sum).

/** C (m×n) = A·B (+ the forward epilogue: bias, σ into hp), A sparse, B k×n dense. Column blocks of 8 vectors. */
function spmm<T>(ptr: usize, idx: usize, val: usize, m: i32, b: usize, n: i32, c: usize, epi: i32, act: i32, bias: usize, hp: usize): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const rb = <usize>n * S;
  for (let i = 0; i < m; i++) {
    const p0 = load<i32>(ptr + (<usize>i << 2));
    const p1 = load<i32>(ptr + (<usize>(i + 1) << 2));
    const crow = <usize>i * rb;
    let j = 0;
    for (; j + 8 * L <= n; j += 8 * L) {
      const bj = <usize>j * S;
      let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (let p = p0; p < p1; p++) {
        const v = v128.load_splat<T>(val + <usize>p * S);
        const row = b + <usize>load<i32>(idx + (<usize>p << 2)) * rb + bj;
        a0 = fmadd<T>(v, v128.load(row), a0);
        a1 = fmadd<T>(v, v128.load(row, 16), a1);
        a2 = fmadd<T>(v, v128.load(row, 32), a2);
        a3 = fmadd<T>(v, v128.load(row, 48), a3);
        a4 = fmadd<T>(v, v128.load(row, 64), a4);
        a5 = fmadd<T>(v, v128.load(row, 80), a5);
        a6 = fmadd<T>(v, v128.load(row, 96), a6);
        a7 = fmadd<T>(v, v128.load(row, 112), a7);
      }
      const off = crow + bj;
      finish<T>(a0, c, off, L, epi, act, bias, bj, 0, hp);
      finish<T>(a1, c, off + 16, L, epi, act, bias, bj + 16, 0, hp);
      finish<T>(a2, c, off + 32, L, epi, act, bias, bj + 32, 0, hp);
      finish<T>(a3, c, off + 48, L, epi, act, bias, bj + 48, 0, hp);
      finish<T>(a4, c, off + 64, L, epi, act, bias, bj + 64, 0, hp);
      finish<T>(a5, c, off + 80, L, epi, act, bias, bj + 80, 0, hp);
      finish<T>(a6, c, off + 96, L, epi, act, bias, bj + 96, 0, hp);
      finish<T>(a7, c, off + 112, L, epi, act, bias, bj + 112, 0, hp);
    }
    for (; j < n; j += L) {
      const bj = <usize>j * S;
      let a0 = v128.splat<T>(0);
      for (let p = p0; p < p1; p++) {
        a0 = fmadd<T>(v128.load_splat<T>(val + <usize>p * S), v128.load(b + <usize>load<i32>(idx + (<usize>p << 2)) * rb + bj), a0);
      }
      finish<T>(a0, c, crow + bj, min(L, n - j), epi, act, bias, bj, 0, hp);
    }
  }
}

/** C (k×n) (+)= Aᵀ·B, A sparse m×k, B m×n dense: each nonzero A[i, p] adds A[i, p]·B[i, :] to row p of C, rows i ascending. */
function spmmTN<T>(ptr: usize, idx: usize, val: usize, m: i32, k: i32, b: usize, n: i32, c: usize, accumulate: bool): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const rb = <usize>n * S;
  if (!accumulate) memory.fill(c, 0, <usize>k * rb);
  // Whole vectors up to the last full one; the row's tail (n mod L) lane by lane, since
  // vector stores past it would clobber the next row of C.
  const nv = (n / L) * L;
  for (let i = 0; i < m; i++) {
    const p0 = load<i32>(ptr + (<usize>i << 2));
    const p1 = load<i32>(ptr + (<usize>(i + 1) << 2));
    const brow = b + <usize>i * rb;
    let j = 0;
    for (; j + 8 * L <= nv; j += 8 * L) {
      const bj = <usize>j * S;
      const g0 = v128.load(brow + bj), g1 = v128.load(brow + bj, 16), g2 = v128.load(brow + bj, 32), g3 = v128.load(brow + bj, 48);
      const g4 = v128.load(brow + bj, 64), g5 = v128.load(brow + bj, 80), g6 = v128.load(brow + bj, 96), g7 = v128.load(brow + bj, 112);
      for (let p = p0; p < p1; p++) {
        const v = v128.load_splat<T>(val + <usize>p * S);
        const row = c + <usize>load<i32>(idx + (<usize>p << 2)) * rb + bj;
        v128.store(row, fmadd<T>(v, g0, v128.load(row)));
        v128.store(row, fmadd<T>(v, g1, v128.load(row, 16)), 16);
        v128.store(row, fmadd<T>(v, g2, v128.load(row, 32)), 32);
        v128.store(row, fmadd<T>(v, g3, v128.load(row, 48)), 48);
        v128.store(row, fmadd<T>(v, g4, v128.load(row, 64)), 64);
        v128.store(row, fmadd<T>(v, g5, v128.load(row, 80)), 80);
        v128.store(row, fmadd<T>(v, g6, v128.load(row, 96)), 96);
        v128.store(row, fmadd<T>(v, g7, v128.load(row, 112)), 112);
      }
    }
    for (; j < nv; j += L) {
      const bj = <usize>j * S;
      const g0 = v128.load(brow + bj);
      for (let p = p0; p < p1; p++) {
        const row = c + <usize>load<i32>(idx + (<usize>p << 2)) * rb + bj;
        v128.store(row, fmadd<T>(v128.load_splat<T>(val + <usize>p * S), g0, v128.load(row)));
      }
    }
    for (; j < n; j++) {
      const bj = <usize>j * S;
      const g = load<T>(brow + bj);
      for (let p = p0; p < p1; p++) {
        const q = c + <usize>load<i32>(idx + (<usize>p << 2)) * rb + bj;
        store<T>(q, load<T>(val + <usize>p * S) * g + load<T>(q));
      }
    }
  }
}

export function spmm_f32(ptr: usize, idx: usize, val: usize, m: i32, b: usize, n: i32, c: usize, epi: i32, act: i32, bias: usize, hp: usize): void {
  spmm<f32>(ptr, idx, val, m, b, n, c, epi, act, bias, hp);
}
export function spmm_f64(ptr: usize, idx: usize, val: usize, m: i32, b: usize, n: i32, c: usize, epi: i32, act: i32, bias: usize, hp: usize): void {
  spmm<f64>(ptr, idx, val, m, b, n, c, epi, act, bias, hp);
}
export function spmmTN_f32(ptr: usize, idx: usize, val: usize, m: i32, k: i32, b: usize, n: i32, c: usize, acc: i32): void {
  spmmTN<f32>(ptr, idx, val, m, k, b, n, c, acc != 0);
}
export function spmmTN_f64(ptr: usize, idx: usize, val: usize, m: i32, k: i32, b: usize, n: i32, c: usize, acc: i32): void {
  spmmTN<f64>(ptr, idx, val, m, k, b, n, c, acc != 0);
}
