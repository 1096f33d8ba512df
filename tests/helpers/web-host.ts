import { spawn, type ChildProcess } from 'node:child_process';
import { testEnv } from './core';
import { once } from 'node:events';
import path from 'node:path';
import { projectRoot } from './media';

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
  /** Kills the host as a crash would: no chance to save anything. */
  crash(): Promise<void>;
}

/** Starts the built web host on a free loopback port with its library in `dataDir`. */
export async function startWebHost(dataDir: string): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, 'dist/web-host/main.cjs')], {
    env: { ...process.env, ...testEnv, VERBATIM_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
      if (found) resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${output}`)));
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await once(child, 'exit');
  };
  return { url, stop: () => end('SIGTERM'), crash: () => end('SIGKILL') };
}
