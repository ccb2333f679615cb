// The torch backend: runs the program under the PyTorch profiler (server/python/hotpath_sampler/torch_bridge.py).
import type { ProfileResult } from './request';
import { ProfileError, type RunContext } from './context';

export async function runTorch(ctx: RunContext): Promise<ProfileResult> {
  void ctx;
  throw new ProfileError('the torch backend is not available yet');
}
