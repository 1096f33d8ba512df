import { describe, expect, it } from 'vitest';
import { providerOrder } from '../../contracts/devices';
import { defaultThreadCount, firstLine } from '../../worker/engine/onnx/execution-providers';

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

describe('provider failure reasons', () => {
  it('keep the reason, not onnxruntime’s source location and assertion', () => {
    expect(
      firstLine(new Error('/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters')),
    ).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(firstLine(new Error('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library\nmore'))).toBe(
      'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library',
    );
  });
});
