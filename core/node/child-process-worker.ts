import { fork, type Serializable } from 'node:child_process';
import { engineEnvironment } from '../../contracts/engine-environment';
import type { ToWorker } from '../../contracts/worker-protocol';
import type { WorkerHandle, WorkerSpawner } from '../supervisor/worker-handle';
import { forwardLines } from './output-lines';

/**
 * Runs the worker as a Node child process: what tests, the CLI and the web host use. It speaks
 * the same protocol as the Electron utility process.
 */
export function childProcessSpawner<In = ToWorker>(
  entry: string,
  options: { uid?: number; gid?: number; output?: (line: string) => void } = {},
): WorkerSpawner<In> {
  return (): WorkerHandle<In> => {
    const printed = options.output ? 'pipe' : 'inherit';
    const child = fork(entry, [], {
      // The engine reads other people's files: it gets none of this process's secrets.
      env: engineEnvironment(process.env),
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', printed, printed, 'ipc'],
      execArgv: [],
      // Structured clone, as Electron's utility processes use: audio travels as bytes, not JSON arrays.
      serialization: 'advanced',
    });
    if (options.output) {
      forwardLines(child.stdout, options.output);
      forwardLines(child.stderr, options.output);
    }
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
