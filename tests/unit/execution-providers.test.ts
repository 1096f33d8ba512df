import { describe, expect, it } from 'vitest';
import { defaultThreadCount, providerOrder } from '../../worker/engine/onnx/execution-providers';

describe('execution providers', () => {
  it('auto tries the accelerators each platform can have, then the CPU', () => {
    expect(providerOrder('auto', 'linux')).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'win32')).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'darwin')).toEqual(['coreml', 'webgpu', 'cpu']);
  });

  it('a forced device is tried alone, with the CPU as the recorded fallback', () => {
    expect(providerOrder('webgpu', 'linux')).toEqual(['webgpu', 'cpu']);
    expect(providerOrder('cpu', 'linux')).toEqual(['cpu']);
  });

  it('threads follow the machine', () => {
    expect(defaultThreadCount(1)).toBe(1);
    expect(defaultThreadCount(2)).toBe(2);
    expect(defaultThreadCount(4)).toBe(4);
    expect(defaultThreadCount(16)).toBe(8);
  });
});
