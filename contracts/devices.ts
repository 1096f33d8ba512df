// Which execution providers each platform can have: the worker tries them in this order, and the
// Settings screen shows the same list, so what the user reads is what runs.
import type { Device } from './domain';

export type ExecutionProvider = 'cuda' | 'webgpu' | 'dml' | 'coreml' | 'cpu';

/**
 * Providers to try, best first. "auto" means every accelerator this platform can have, then the
 * CPU; a forced device is tried alone but still ends on the CPU, so a job never fails only because
 * the GPU it asked for is missing (the fallback is recorded instead).
 */
export function providerOrder(device: Device, platform: string): ExecutionProvider[] {
  if (device === 'cpu') return ['cpu'];
  if (device !== 'auto') return [device, 'cpu'];
  switch (platform) {
    case 'win32':
      return ['cuda', 'dml', 'webgpu', 'cpu'];
    case 'darwin':
      return ['coreml', 'webgpu', 'cpu'];
    default:
      return ['cuda', 'webgpu', 'cpu'];
  }
}

