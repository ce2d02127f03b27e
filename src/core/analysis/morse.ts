export type MorseClass = 'nondegenerate-minimum' | 'degenerate-minimum' | 'saddle';

export interface MorseCheck {
  /** Eigenvalues below −threshold: the Morse index. */
  negativeCount: number;
  /** Eigenvalues within ±threshold. */
  nullity: number;
  morse: MorseClass;
  /** The absolute threshold used: tolerance × max|λ|. */
  threshold: number;
}

/**
 * Classifies a critical point from its Hessian eigenvalues with a threshold relative to the
 * largest |λ|, since an eigenvalue is only "zero" against the spectrum's scale. L2 makes the
 * minima of nonlinear nets Morse (Bottman et al.); linear nets keep the hidden-space rotations
 * as exact zero modes, and the trivial point's unregularized biases are flat directions too.
 */
export function morseCheck(eigenvalues: ArrayLike<number>, tolerance: number): MorseCheck {
  let scale = 0;
  for (let i = 0; i < eigenvalues.length; i++) scale = Math.max(scale, Math.abs(eigenvalues[i]));
  const threshold = tolerance * scale;
  let negativeCount = 0;
  let nullity = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    if (eigenvalues[i] < -threshold) negativeCount++;
    else if (eigenvalues[i] <= threshold) nullity++;
  }
  return { negativeCount, nullity, morse: morseClass(negativeCount, nullity), threshold };
}

/** Negative directions make a saddle; zero ones (without negative ones) a degenerate minimum. */
export function morseClass(negativeCount: number, nullity: number): MorseClass {
  return negativeCount > 0 ? 'saddle' : nullity > 0 ? 'degenerate-minimum' : 'nondegenerate-minimum';
}
