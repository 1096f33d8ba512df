import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { encodeBinaryRequest } from '../../contracts/api';
import { testEnv } from './core';
import { once } from 'node:events';
import path from 'node:path';
import os from 'node:os';
import { projectRoot, sharedAudio } from './media';

export interface RunningHost {
  /** The address it printed, its key included: what the user opens. */
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** Kills the host as a crash would: no chance to save anything. */
  crash(): Promise<void>;
}

/**
 * Starts the built web host on a free loopback port with its library in `dataDir`. Tests add files by
 * path from the temporary folder and the shared audio, so those are the folders it is started to allow.
 */
export async function startWebHost(dataDir: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<RunningHost> {
  const allow = [os.tmpdir(), sharedAudio].flatMap((folder) => ['--allow', folder]);
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, 'dist/web-host/main.cjs'), ...allow, ...args], {
    env: { ...process.env, ...testEnv, ...env, VERBATIM_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    // What it says on either stream, for a test of a start that fails; its errors still reach the console.
    child.stderr!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      process.stderr.write(chunk);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (found) resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${output}`)));
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await once(child, 'exit');
  };
  return { url, pid: child.pid!, stop: () => end('SIGTERM'), crash: () => end('SIGKILL') };
}

/** A connection to the host's WebSocket API, as the UI holds one (audio in `pcm` goes as a binary frame, as the UI sends it). */
export async function hostClient(url: string): Promise<{ call(method: string, params: Record<string, unknown>): Promise<unknown>; close(): void }> {
  const address = new URL(url);
  const ws = new WebSocket(`ws://${address.host}/api/ws?token=${address.searchParams.get('token')}`, { origin: address.origin });
  await once(ws, 'open');
  type Reply = { id?: number; ok: boolean; result?: unknown; error?: { message: string; code: string } };
  const waiting = new Map<number, (reply: Reply) => void>();
  // A listener, not once(): pushed events and replies can arrive in one chunk, emitted in the same tick.
  ws.on('message', (data) => {
    const reply = JSON.parse(String(data)) as Reply;
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply);
  });
  let nextId = 1;
  return {
    async call(method, params) {
      const id = nextId++;
      const replied = new Promise<Reply>((resolve) => waiting.set(id, resolve));
      const { pcm, ...rest } = params;
      ws.send(pcm instanceof Uint8Array ? encodeBinaryRequest(id, method, rest, pcm) : JSON.stringify({ id, method, params }));
      const reply = await replied;
      waiting.delete(id);
      if (!reply.ok) throw Object.assign(new Error(reply.error?.message), { code: reply.error?.code });
      return reply.result;
    },
    close: () => ws.close(),
  };
}

/** One request on a connection of its own. */
export async function callHost(url: string, method: string, params: Record<string, unknown>): Promise<unknown> {
  const client = await hostClient(url);
  try {
    return await client.call(method, params);
  } finally {
    client.close();
  }
}
