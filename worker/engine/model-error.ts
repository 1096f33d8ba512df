import { MODEL_DAMAGED } from '../../contracts/worker-protocol';
import { firstLine } from './onnx/execution-providers';

/**
 * A model whose files could not be opened on any device, the CPU included: damaged on disk, most likely
 * (a failing drive, an interrupted copy). Said apart from other failures so the core can fetch it again.
 */
export class ModelError extends Error {
  readonly code = MODEL_DAMAGED;
  constructor(model: string, cause: unknown) {
    super(`The model ${model} could not be opened (${firstLine(cause)}).`);
    this.name = 'ModelError';
  }
}

export async function openingModel<T>(model: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw new ModelError(model, error);
  }
}
