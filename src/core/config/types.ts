// The resolved experiment: what `*.l2exp.json` says after defaults are applied.
// `l2exp.schema.json` beside this file is the single source of truth for the file format;
// these types mirror it (test/unit/config-schema.test.ts keeps the two in step).

export type DataKind = 'linear' | 'teacher' | 'multi-index' | 'two-moons' | 'spirals' | 'xor' | 'gaussian-mixture' | 'iris' | 'mnist' | 'csv' | 'npy';

export type Activation = 'linear' | 'tanh' | 'relu' | 'sigmoid' | 'gelu';
export type LossKind = 'mse' | 'cross-entropy';
export type OptimizerKind = 'lbfgs' | 'adam' | 'sgd';
export type InitScheme = 'xavier' | 'he' | 'lecun';
export type SweepDirection = 'up' | 'down' | 'both';
/** The knob a sweep varies (sweep/axis.ts says what each means and how it is applied). */
export type SweepParameter = 'lambda' | 'samples' | 'width' | 'noise' | 'initScale' | 'beta';
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type Task = 'regression' | 'classification';

export interface DataConfig {
  kind: DataKind;
  /** Samples in all (train + test). */
  n: number;
  inputDim: number;
  /** Regression outputs, or the number of classes. */
  outputDim: number;
  /** Label-noise standard deviation (regression) or input jitter (classification kinds). */
  noise: number;
  testFraction: number;
  /** linear: singular values of the teacher map W (y = W x + noise); default: random W. */
  singularValues?: number[];
  /** linear: make the training inputs exactly white (sample E[x xᵀ] = I). Default true. */
  whiten?: boolean;
  /** teacher: hidden widths and activation of the random teacher MLP. */
  teacherHidden?: number[];
  teacherActivation?: Activation;
  /** multi-index: dimension k of the projection y depends on. */
  indexDim?: number;
  /** mnist: keep every `downsample`-th pixel block (1, 2, 4 or 7: 28² → 14², 7², 4²). */
  downsample?: number;
  /** csv: path relative to the config file, target column (name or 0-based index). npy: the .npz (arrays x, y) or the inputs' .npy. */
  path?: string;
  target?: string | number;
  /** npy: the targets' .npy when `path` is the inputs' .npy. */
  targetPath?: string;
  /** csv, npy: what the target is; default: classification when every target value is an integer label. */
  task?: Task;
}

/** What is trained: an MLP (the default) or a variational autoencoder (model/vae.ts). */
export type ModelKind = 'mlp' | 'vae';
/** A VAE decoder's likelihood p(x|z) (model/vaeTerms.ts). */
export type DecoderKind = 'bernoulli' | 'gaussian';

export interface ModelConfig {
  /** "vae" for a VAE; absent for an MLP (so an MLP's hash is what it was before VAEs). */
  kind?: ModelKind;
  /** Hidden widths, any depth; [] is a linear (or logistic) model. A VAE: the encoder's. */
  hidden: number[];
  activation: Activation;
  bias: boolean;
  regularizeBias: boolean;
  /** vae: the decoder's hidden widths (default: the encoder's, reversed). */
  decoderHidden?: number[];
  /** vae: latent units L. */
  latentDim?: number;
  /** vae: the reconstruction's likelihood. */
  decoder?: DecoderKind;
  /** vae, gaussian decoder: the observation variance σ². */
  observationVariance?: number;
  /** vae: fixed noise draws per training row (common random numbers). */
  samples?: number;
  /** vae: center and whiten each row's draws (needs samples ≥ latentDim + 1). */
  matchMoments?: boolean;
}

/** A VAE's model section, resolved: every VAE field present. */
export type VaeModelConfig = ModelConfig & Required<Pick<ModelConfig, 'kind' | 'decoderHidden' | 'latentDim' | 'decoder' | 'samples' | 'matchMoments'>> & { kind: 'vae' };

export interface TrainConfig {
  optimizer: OptimizerKind;
  learningRate: number;
  batchSize: 'full' | number;
  maxSteps: number;
  /** Stop when ‖∇ objective‖₂ ≤ tolerance. */
  tolerance: number;
  init: InitScheme;
  /** Multiplies the init scheme's standard deviation. */
  initScale: number;
  /** The fixed L2 strength λ of a sweep over another parameter (absent for λ sweeps). */
  lambda?: number;
  /** A VAE's fixed KL weight β when no axis sweeps it (absent for MLPs and β sweeps). */
  beta?: number;
  /** L-BFGS history length. */
  memory: number;
  escape: EscapeSettings;
}

/** The saddle check after training (train/escapeSaddle.ts). */
export interface EscapeSettings {
  /** Check each trained point's bottom Hessian eigenvalue at all. */
  enabled: boolean;
  /** Escape steps (step along the negative eigenvector, minimize again) per point at most. */
  maxEscapes: number;
  /** Hessian-vector products per check. */
  lanczosSteps: number;
}

/** One swept knob and its grid. */
export interface AxisConfig {
  parameter: SweepParameter;
  from: number;
  to: number;
  points: number;
  scale: 'log' | 'linear';
  /** samples: from and to are the ratio δ = n/d (n = round(δ·inputDim)); absent for other parameters. */
  ratio?: boolean;
  /** width: the hidden layer swept (0-based); absent: every hidden layer. */
  layer?: number;
}

export interface SweepConfig extends AxisConfig {
  direction: SweepDirection;
  /** Continue from the neighbouring λ's solution instead of a fresh initialization. */
  warmStart: boolean;
  /** Also train every λ from a fresh initialization: a third, independent branch. */
  fresh: boolean;
  /**
   * Random kick added to a warm start, relative to the init scale: a saddle (e.g. the trivial
   * point of a one-hidden-layer net below λc, where the gradient is exactly 0) is left, a
   * minimum is not.
   */
  perturbation: number;
  /** Initialization seeds; each gives an independent chain per direction. */
  seeds: number[];
  /** A 2-D sweep's second axis: the chains walk this sweep's axis once per value of it. */
  across?: AxisConfig;
}

export interface HessianSettings {
  enabled: boolean;
  /** Largest parameter count for a full (exact) spectrum; above it Lanczos + SLQ. */
  exactLimit: number;
  topK: number;
  lanczosSteps: number;
  slqProbes: number;
  slqGridPoints: number;
  hutchinsonProbes: number;
  /** Eigenvalues with |λ| ≤ tolerance·max|λ| count as zero (nullity). */
  tolerance: number;
}

export interface TransitionSettings {
  /** Bisect transition brackets after the grid. */
  refine: boolean;
  /** Stop when hi/lo − 1 ≤ bracketWidth. */
  bracketWidth: number;
  /** Refinement points per run at most. */
  refineBudget: number;
  /** Order parameters besides the modes whose changes are transitions (transitions/observables.ts); absent: none. */
  observables?: TransitionObservable[];
}

export type TransitionObservable = 'outliers' | 'featureOverlap' | 'kl';

export interface AnalysisConfig {
  geometricComplexity: boolean;
  /** A unit is active when its incoming and outgoing weight norms both exceed this fraction of the layer's largest. */
  activeThreshold: number;
  /** vae: a latent unit is active when its average KL exceeds this many nats (absent for an MLP, so its hash is what it was). */
  activeKl?: number;
  hessian: HessianSettings;
  transitions: TransitionSettings;
  /** Steps of the optimizer's path (gd/sgd/adam) at which the Hessian spectrum and the feature overlap are recorded too: ascending, distinct; absent: none. */
  trajectory?: number[];
}

export interface Experiment {
  name: string;
  seed: number;
  data: DataConfig;
  model: ModelConfig;
  loss: LossKind;
  train: TrainConfig;
  sweep: SweepConfig;
  analysis: AnalysisConfig;
  backend: BackendChoice;
  workers: 'auto' | number;
}
