// `verbatim`: the transcription engine from a terminal, through the same core, queue and worker as the app.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEVICES, DIARIZATION_MODES, EXPORT_FORMATS, Settings, type ExportFormat, type JobView } from '../contracts/domain';
import type { ModelStatus } from '../contracts/models';
import { oneLine } from '../core/errors';
import { childProcessSpawner } from '../core/node/child-process-worker';
import { keepFilesPrivate } from '../core/node/private-files';
import { readStoredSettings } from '../core/library/stored-settings';
import { defaultDataDir, libraryPaths, modelsFolderIn } from '../core/paths';
import { VerbatimCore } from '../core/verbatim-core';
import { liveFile } from './live-command';
import { clock, progressLine } from './progress-line';

keepFilesPrivate();
const here = path.dirname(fileURLToPath(import.meta.url));

/** Read when shown: it names the models folder, which means opening the desktop library. */
const usage = (): string => `Usage:
  verbatim transcribe <files…> [--model whisper-base] [--language auto|en|de|…] [--task transcribe|translate]
                               [--format ${EXPORT_FORMATS.join(',')}] [--out DIR] [--device auto|${DEVICES.filter((d) => d !== 'auto').join('|')}]
                               [--prompt "names and terms"] [--diarize ${DIARIZATION_MODES.join('|')}]
                               [--speakers N | --min-speakers N --max-speakers N] [--offload off|auto|always]
  verbatim live <file> [--model M] [--fast] [--json]
                                          stream a file through live captions at real-time pace (--fast: as
                                          fast as they keep up); --json: one caption a line, then a summary
  verbatim models                         list models and which are installed
  verbatim models download <id>           install a model now
  verbatim models import <id> <folder>    install a model from a folder (Hugging Face layout)
  verbatim models remove <id>             delete an installed model

Models are shared with the desktop app (${desktopModelsDir()}: its storage folder's, when one is set in Settings).
Set VERBATIM_MODELS_DIR to use models already on disk, HTTPS_PROXY for a proxy, NODE_EXTRA_CA_CERTS for a company CA.
--offload sends files to a cloud pool (auto: when it finishes them first; always: every file), named by
VERBATIM_POOL_URL, VERBATIM_POOL_TOKEN and VERBATIM_POOL_CA (a CA file), as \`npm run cloud\` prints them.`;

class UsageError extends Error {}

const OFFLOAD_FLAGS = { off: 'off', auto: 'when-busy', always: 'always' } as const;

/** The models folder the desktop app uses, so a model downloaded in either is there for both. */
function desktopModelsDir(): string {
  const library = libraryPaths(defaultDataDir());
  const { storageDir } = readStoredSettings(library.database);
  return storageDir ? modelsFolderIn(storageDir) : library.models;
}

/** A speaker-count flag: absent is null; anything else must be a whole number (the schema checks the range). */
function count(flag: string | undefined): number | null {
  if (flag === undefined) return null;
  if (!/^\d+$/.test(flag)) throw new UsageError(`Speaker counts are whole numbers, not “${flag}”.`);
  return Number(flag);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      language: { type: 'string' },
      task: { type: 'string' },
      format: { type: 'string', default: 'srt,txt' },
      out: { type: 'string', default: '.' },
      device: { type: 'string' },
      prompt: { type: 'string' },
      diarize: { type: 'string' },
      speakers: { type: 'string' },
      'min-speakers': { type: 'string' },
      'max-speakers': { type: 'string' },
      offload: { type: 'string', default: 'off' },
      fast: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage());
    return command || values.help ? 0 : 2;
  }
  const settings = Settings.partial().safeParse({
    model: values.model,
    language: values.language,
    task: values.task,
    device: values.device,
    initialPrompt: values.prompt,
    diarization: values.diarize,
    speakers:
      values.speakers || values['min-speakers'] || values['max-speakers']
        ? { exact: count(values.speakers), min: count(values['min-speakers']), max: count(values['max-speakers']) }
        : undefined,
  });
  if (!settings.success) throw new UsageError(`Invalid option: ${settings.error.issues[0]?.path.join('.')}: ${settings.error.issues[0]?.message}`);
  const offloadMode = OFFLOAD_FLAGS[values.offload as keyof typeof OFFLOAD_FLAGS];
  if (!offloadMode) throw new UsageError(`--offload is off, auto or always, not “${values.offload}”.`);
  if (offloadMode !== 'off' && (!process.env.VERBATIM_POOL_URL || !process.env.VERBATIM_POOL_TOKEN)) {
    throw new UsageError('--offload needs the pool: set VERBATIM_POOL_URL and VERBATIM_POOL_TOKEN (and VERBATIM_POOL_CA for a self-hosted pool).');
  }
  const formats = values.format.split(',').map((format) => format.trim());
  const unknown = formats.filter((format) => !(EXPORT_FORMATS as readonly string[]).includes(format));
  if (unknown.length) throw new UsageError(`Unknown format ${unknown.join(', ')}; choose from ${EXPORT_FORMATS.join(', ')}.`);

  // A private library per run: the CLI must not pick up (or run) the desktop app's queue.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-cli-'));
  const core = new VerbatimCore({
    dataDir,
    resourcesDir: path.join(here, '../../resources'),
    modelsDir: desktopModelsDir(),
    spawnWorker: childProcessSpawner(path.join(here, '../worker/worker-main.cjs')),
    spawnLiveWorker: childProcessSpawner(path.join(here, '../worker/live-main.cjs')),
    settingsDefaults: { ...Object.fromEntries(Object.entries(settings.data).filter(([, value]) => value !== undefined)), offloadMode },
    log: () => undefined,
  });
  try {
    switch (command) {
      case 'transcribe':
        if (rest.length === 0) throw new UsageError('Name at least one file to transcribe.');
        return await transcribeFiles(core, rest, formats as ExportFormat[], path.resolve(values.out));
      case 'models':
        return await manageModels(core, rest);
      case 'live':
        if (rest.length !== 1) throw new UsageError('Name one file to stream through live captions.');
        return await liveFile(core, path.resolve(rest[0]!), { fast: values.fast ?? false, json: values.json ?? false, ffmpegPath: null });
      default:
        throw new UsageError(`Unknown command “${command}”.`);
    }
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function transcribeFiles(core: VerbatimCore, files: string[], formats: ExportFormat[], outDir: string): Promise<number> {
  if (core.getSettings().offloadMode !== 'off') {
    // Asked once up front, so a wrong token or address is said plainly rather than as files quietly run here.
    const pool = await core.testPool({}).catch(async (error: unknown) => {
      process.stderr.write(`Offload: ${oneLine(error)} Transcribing here.\n`);
      await core.updateSettings({ offloadMode: 'off' });
      return null;
    });
    if (pool) process.stderr.write(`Offload: pool at ${core.offloadStatus().url} with ${pool.workers} ${pool.workers === 1 ? 'worker' : 'workers'}, ${pool.queued} queued.\n`);
  }
  const added = await core.addFiles(files);
  const tty = process.stderr.isTTY;
  const shown = new Map<number, string>();
  let drawnLines = 0;
  const draw = (jobs: JobView[]): void => {
    if (tty) {
      if (drawnLines) process.stderr.write(`\x1b[${drawnLines}A`);
      for (const job of jobs) process.stderr.write(`\x1b[2K${progressLine(job, 24)}\n`);
      drawnLines = jobs.length;
      return;
    }
    // Not a terminal (a log, CI): a line when a job changes stage, not a stream of redraws.
    for (const job of jobs) {
      const key = `${job.state}/${job.stage}/${Math.floor(job.progress * 4)}`;
      if (shown.get(job.id) !== key) {
        shown.set(job.id, key);
        process.stderr.write(`${progressLine(job, 24)}\n`);
      }
    }
  };
  const jobIds = new Set(added.map((outcome) => outcome.jobId));
  const interrupted = new Promise<'interrupted'>((resolve) => process.once('SIGINT', () => resolve('interrupted')));
  core.start();
  const started = Date.now();
  for (;;) {
    const jobs = core.listJobs().filter((job) => jobIds.has(job.id));
    draw(jobs);
    if (jobs.every((job) => ['done', 'failed', 'canceled'].includes(job.state))) break;
    const tick = await Promise.race([new Promise<'tick'>((resolve) => setTimeout(() => resolve('tick'), 250)), interrupted]);
    if (tick === 'interrupted') {
      for (const id of jobIds) core.cancel(id);
      process.stderr.write('Canceled.\n');
      return 130;
    }
  }

  let failed = 0;
  await mkdir(outDir, { recursive: true });
  for (const job of core.listJobs().filter((candidate) => jobIds.has(candidate.id))) {
    if (job.state !== 'done') {
      failed++;
      process.stderr.write(`✗ ${job.path}: ${job.error ?? job.state}\n`);
      continue;
    }
    for (const format of formats) {
      const { fileName, content } = await core.exports.exportTranscript(job.mediaId, format);
      const target = path.join(outDir, fileName);
      await writeFile(target, content);
      process.stderr.write(`✓ ${target}${job.runsOn === 'pool' ? ' (transcribed on the pool)' : ''}\n`);
    }
  }
  process.stderr.write(`${jobIds.size - failed} of ${jobIds.size} transcribed in ${clock((Date.now() - started) / 1000)}.\n`);
  return failed > 0 ? 1 : 0;
}

const INSTALLED_WHERE: Record<NonNullable<ModelStatus['installed']>, string> = { app: 'app', bundled: 'shipped with the app', env: 'VERBATIM_MODELS_DIR' };

async function manageModels(core: VerbatimCore, args: string[]): Promise<number> {
  const [action = 'list', id, folder] = args;
  switch (action) {
    case 'list': {
      for (const model of await core.downloads.list()) {
        const size = `${model.sizeExact ? '' : '~'}${Math.round(model.sizeBytes / 1e6)} MB`;
        const state = model.installed ? `installed (${INSTALLED_WHERE[model.installed]}, ${Math.round(model.diskBytes / 1e6)} MB)` : '';
        console.log(`${model.id.padEnd(26)} ${model.kind.padEnd(17)} ${size.padStart(9)}  ${model.languages.padEnd(12)} ${state}`);
        if (model.kind !== 'whisper') console.log(`${''.padEnd(26)} ${model.recommended}`);
      }
      return 0;
    }
    case 'download': {
      if (!id) throw new UsageError('Name the model to download.');
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      const installed = await core.models.ensure(
        id,
        ({ receivedBytes, totalBytes }) =>
          process.stderr.write(`\r${id}: ${Math.round(receivedBytes / 1e6)} / ${Math.round(totalBytes / 1e6)} MB (${Math.floor((100 * receivedBytes) / Math.max(1, totalBytes))}%)`),
        controller.signal,
      );
      process.stderr.write(`\n${id} is installed in ${installed.dir}\n`);
      return 0;
    }
    case 'import': {
      if (!id || !folder) throw new UsageError('Usage: verbatim models import <id> <folder>');
      const installed = await core.models.importFolder(id, path.resolve(folder));
      console.log(`${id} is installed in ${installed.dir}`);
      return 0;
    }
    case 'remove':
      if (!id) throw new UsageError('Name the model to remove.');
      await core.models.remove(id);
      console.log(`${id} removed.`);
      return 0;
    default:
      throw new UsageError(`Unknown models action “${action}”.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verbatim: ${oneLine(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${usage()}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
