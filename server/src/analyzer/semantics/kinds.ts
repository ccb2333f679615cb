// The kinds of value the rules care about.

/**
 * `ndarray` (NumPy), `tensor` (torch), `frame`/`series` (pandas), `array` (used like an array, library
 * unknown), `loader` (yields batches), `model` (an nn.Module or loss object: calling it runs a forward
 * pass), `optimizer`, `rng` (a random generator); undefined when unknown.
 */
export type Kind = 'ndarray' | 'tensor' | 'frame' | 'series' | 'array' | 'loader' | 'model' | 'optimizer' | 'rng' | undefined;

export function isArrayKind(kind: Kind): boolean {
  return kind === 'ndarray' || kind === 'tensor' || kind === 'frame' || kind === 'series' || kind === 'array';
}
