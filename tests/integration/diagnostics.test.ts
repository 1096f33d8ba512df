// Logs and Copy diagnostics: rolled-over JSON log files in the library, and a report without the user's
// file names unless asked, through the same API the Help section calls.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../core/api-handler';
import { withoutNames } from '../../core/diagnostics';
import { openAppLog } from '../../core/node/app-log';
import { openCore } from '../helpers/core';
import { scratchDir } from '../helpers/media';

describe('logs and diagnostics', () => {
  it('writes JSON lines to rolled-over files in the logs folder, a few kept, and remembers the latest problems', async () => {
    const dir = path.join(scratchDir('logs'), 'logs');
    const log = openAppLog(dir);
    const padding = 'x'.repeat(400);
    for (let i = 0; i < 40_000; i++) log.write(`[queue] job ${i} moved on ${padding}`);
    log.write('[supervisor] worker 123 was killed (SIGKILL); next start in 250 ms', 'core');
    log.write('Warning: Couldn\'t load Vulkan', 'worker');
    await log.close();
    const files = readdirSync(dir).filter((name) => name.startsWith('verbatim.log'));
    // About 17 MB written in 5 MB files: rolled over, and no more than five kept.
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(5);
    // Every file holds whole lines: a roll-over never splits one.
    const parsed = files.map((name) => readFileSync(path.join(dir, name), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: number; source: string; msg: string }));
    const lines = readFileSync(path.join(dir, 'verbatim.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: number; source: string; msg: string });
    expect(parsed.flat().length).toBeGreaterThan(20_000);
    expect(lines.at(-2)).toMatchObject({ level: 40, source: 'core', msg: expect.stringContaining('was killed (SIGKILL)') });
    expect(lines.at(-1)).toMatchObject({ level: 30, source: 'worker' });
    expect(log.recentProblems()).toHaveLength(1);
    expect(log.recentProblems()[0]).toMatch(/core: \[supervisor\] worker 123 was killed/);
  });

  it('copies diagnostics without file names or paths unless asked, and never transcript text', async () => {
    const problems = ['2026-12-02T18:00:00.000Z core: [queue] job 4 failed: “Board meeting 3 March.m4a” is damaged or incomplete; /home/ana/Recordings/Board meeting 3 March.m4a'];
    const core = openCore(scratchDir('data'), { about: { appVersion: '9.9.9', runtime: 'Node test', recentProblems: () => problems } });
    try {
      const dispatch = createApiDispatcher(core);
      const plain = (await dispatch('system.diagnostics', { includeNames: false })) as { text: string; logsDir: string };
      expect(plain.text).toMatch(/^Verbatim 9\.9\.9 on Node test\n/);
      expect(plain.text).toMatch(/Providers tried, in order: .*cpu/);
      expect(plain.text).toMatch(/Models installed: .*whisper-tiny/);
      expect(plain.text).toContain('job 4 failed: “(a file)” is damaged or incomplete; (a path)');
      expect(plain.text).not.toMatch(/Board meeting|Recordings|\/home/);
      expect(plain.text).not.toContain(plain.logsDir);
      const named = (await dispatch('system.diagnostics', { includeNames: true })) as { text: string };
      expect(named.text).toContain('“Board meeting 3 March.m4a”');
      expect(named.text).toContain(plain.logsDir);
    } finally {
      await core.close();
    }
  });

  it('keeps what happened readable when it hides what it happened to', () => {
    expect(withoutNames('Verbatim is not allowed to read “locked.wav”.')).toBe('Verbatim is not allowed to read “(a file)”.');
    expect(withoutNames('could not write C:\\Users\\ana\\x.wav, giving up')).toBe('could not write (a path), giving up');
    expect(withoutNames('[supervisor] worker 12 missed its heartbeat; killing it')).toBe('[supervisor] worker 12 missed its heartbeat; killing it');
  });
});
