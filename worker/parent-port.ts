import type { FromWorker } from '../contracts/worker-protocol';

/** The channel to the main process: Electron's parentPort in a utility process, IPC in a Node child. */
export interface ParentPort {
  send(message: FromWorker): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data)),
    };
  }
  if (process.send) {
    // Orphaned by a crashed parent: nobody will ever send work again.
    process.on('disconnect', () => process.exit(0));
    return {
      send: (message) => {
        if (process.connected) process.send!(message);
      },
      onMessage: (listener) => process.on('message', listener),
    };
  }
  throw new Error('The Verbatim worker must be started by the app (utilityProcess or child_process.fork).');
}
