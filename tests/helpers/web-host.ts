import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { encodeBinaryRequest } from '../../contracts/api';
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
export async function startWebHost(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, 'dist/web-host/main.cjs')], {
    env: { ...process.env, ...testEnv, ...env, VERBATIM_DATA_DIR: dataDir },
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

/** A connection to the host's WebSocket API, as the UI holds one (audio in `pcm` goes as a binary frame, as the UI sends it). */
export async function hostClient(url: string): Promise<{ call(method: string, params: Record<string, unknown>): Promise<unknown>; close(): void }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}api/ws`, { origin: url.replace(/\/$/, '') });
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
