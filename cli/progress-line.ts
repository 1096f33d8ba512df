import type { JobView } from '../contracts/domain';

const STAGE_NAMES: Record<NonNullable<JobView['stage']>, string> = {
  'download-model': 'downloading model',
  probe: 'reading',
  decode: 'decoding',
  'detect-speech': 'detecting speech',
  transcribe: 'transcribing',
  diarize: 'finding speakers',
  upload: 'uploading to pool',
  'pool-wait': 'waiting on pool',
};

/** One job as a terminal line: bar, percentage, stage, ETA, and where it runs. */
export function progressLine(job: JobView, width = 24): string {
  const filled = Math.round(job.progress * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const percent = `${Math.floor(job.progress * 100)}%`.padStart(4);
  const stage = job.state === 'running' && job.stage ? STAGE_NAMES[job.stage] : job.state;
  const eta = job.state === 'running' && job.etaSec !== null ? `  ETA ${clock(job.etaSec)}` : '';
  const engine = job.engine && job.engine.provider !== 'none' ? `  (${job.engine.model} on ${job.runsOn === 'pool' ? 'the pool, ' : ''}${job.engine.provider})` : job.runsOn === 'pool' ? '  (on the pool)' : '';
  return `[${bar}] ${percent} ${stage.padEnd(17)} ${job.fileName}${eta}${engine}`;
}

export function clock(sec: number): string {
  const total = Math.max(0, Math.round(sec));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor(total / 60) % 60;
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
