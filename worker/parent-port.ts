import type { FromWorker } from '../contracts/worker-protocol';

/** The channel to the main process: Electron's parentPort in a utility process, IPC in a Node child. */
export interface ParentPort<Out = FromWorker> {
  send(message: Out): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToParent<Out = FromWorker>(): ParentPort<Out> {
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
        // A parent killed outright (SIGKILL) can leave a send in flight: the pipe breaks, and nobody is left to work for.
        if (process.connected) process.send!(message, (error: Error | null) => error && process.exit(0));
      },
      onMessage: (listener) => process.on('message', listener),
    };
  }
  throw new Error('The Verbatim worker must be started by the app (utilityProcess or child_process.fork).');
}
