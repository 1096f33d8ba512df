export function buildNodeBundles(): Promise<void>;
export function buildRenderer(): Promise<void>;
