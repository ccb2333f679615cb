// Rewrites of simple element loops into array expressions (filled in below).
import type { Fix } from '../../finding';
import type { RuleContext } from '../../rule';
import type { NumericLoop } from './loopShape';

export function vectorizeFix(shape: NumericLoop, ctx: RuleContext): Fix[] {
  void shape;
  void ctx;
  return [];
}
