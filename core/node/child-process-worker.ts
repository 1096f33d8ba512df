import { fork, type Serializable } from 'node:child_process';
import type { ToWorker } from '../../contracts/worker-protocol';
import type { WorkerHandle, WorkerSpawner } from '../supervisor/worker-handle';

/**
 * Runs the worker as a Node child process: what tests, the CLI and the web host use. It speaks
 * the same protocol as the Electron utility process.
 */
export function childProcessSpawner<In = ToWorker>(
  entry: string,
  options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {},
): WorkerSpawner<In> {
  return (): WorkerHandle<In> => {
    const child = fork(entry, [], {
      env: options.env ?? process.env,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
      // Structured clone, as Electron's utility processes use: audio travels as bytes, not JSON arrays.
      serialization: 'advanced',
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message as Serializable);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal })),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
