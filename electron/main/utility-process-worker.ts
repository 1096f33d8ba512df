import { app, utilityProcess, type Details } from 'electron';
import { engineEnvironment } from '../../contracts/engine-environment';
import type { ToWorker } from '../../contracts/worker-protocol';
import type { WorkerExit, WorkerHandle, WorkerSpawner } from '../../core/supervisor/worker-handle';
import { forwardLines } from '../../core/node/output-lines';

/** Runs the worker as an Electron utility process; the supervisor treats it like any other worker. */
export function utilityProcessSpawner<In = ToWorker>(entry: string, serviceName = 'Verbatim Engine', output?: (line: string) => void): WorkerSpawner<In> {
  return (): WorkerHandle<In> => {
    const child = utilityProcess.fork(entry, [], { serviceName, stdio: output ? 'pipe' : 'inherit', env: engineEnvironment(process.env) });
    if (output) {
      forwardLines(child.stdout, output);
      forwardLines(child.stderr, output);
    }
    // Electron says why a utility process died ('oom', 'crashed', 'killed') only through the app.
    let reason: string | undefined;
    const onGone = (_: unknown, details: Details): void => {
      if (details.type === 'Utility' && details.serviceName === serviceName) reason = details.reason;
    };
    app.on('child-process-gone', onGone);
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) =>
        child.on('exit', (code) => {
          // 'child-process-gone' can arrive just after 'exit'.
          setTimeout(() => {
            app.off('child-process-gone', onGone);
            const exit: WorkerExit = { code, signal: null, reason };
            listener(exit);
          }, 50);
        }),
      kill: () => void child.kill(),
    };
  };
}
