// Scores a diarization: `npm run bench:der -- REFERENCE.rttm HYPOTHESIS.rttm [--uem FILE.uem] [--collar 0.25]`.
// Prints missed speech, false alarm, confusion and DER per file and over all files, with collar 0 and the
// given collar side by side. The diarization benchmark itself (speed and DER per tier) comes with it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { diarizationErrorRate, parseRttm, parseUem, type DerResult, type Turn } from './lib/diarization-error-rate';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { uem: { type: 'string' }, collar: { type: 'string', default: '0.25' } } });
const [referencePath, hypothesisPath] = positionals;
if (!referencePath || !hypothesisPath) {
  console.error('Usage: npm run bench:der -- REFERENCE.rttm HYPOTHESIS.rttm [--uem FILE.uem] [--collar 0.25]');
  process.exit(2);
}
const reference = parseRttm(readFileSync(referencePath, 'utf8'));
const hypothesis = parseRttm(readFileSync(hypothesisPath, 'utf8'));
const uem = values.uem ? parseUem(readFileSync(values.uem, 'utf8')) : undefined;
const byFile = (turns: Turn[], file: string) => turns.filter((turn) => turn.file === file);
const percent = (result: Pick<DerResult, 'missed' | 'falseAlarm' | 'confusion' | 'total'>) =>
  `${((100 * (result.missed + result.falseAlarm + result.confusion)) / Math.max(result.total, 1e-9)).toFixed(1)} %`;

for (const collar of [0, Number(values.collar)]) {
  const sum = { total: 0, missed: 0, falseAlarm: 0, confusion: 0 };
  console.log(`\ncollar ${collar} s\n| file | scored speech | missed | false alarm | confusion | DER |\n|---|---|---|---|---|---|`);
  for (const file of [...new Set(reference.map((turn) => turn.file))]) {
    const result = diarizationErrorRate(byFile(reference, file), byFile(hypothesis, file), { collar, uem: uem?.get(file) });
    for (const key of Object.keys(sum) as Array<keyof typeof sum>) sum[key] += result[key];
    console.log(`| ${file} | ${result.total.toFixed(2)} s | ${result.missed.toFixed(2)} | ${result.falseAlarm.toFixed(2)} | ${result.confusion.toFixed(2)} | ${percent(result)} |`);
  }
  console.log(`| all | ${sum.total.toFixed(2)} s | ${sum.missed.toFixed(2)} | ${sum.falseAlarm.toFixed(2)} | ${sum.confusion.toFixed(2)} | ${percent(sum)} |`);
}
