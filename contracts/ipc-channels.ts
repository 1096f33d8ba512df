// Kept free of imports so the sandboxed preload bundles nothing but these names.
export const IPC_INVOKE_CHANNEL = 'verbatim:invoke';
export const IPC_EVENT_CHANNEL = 'verbatim:event';
