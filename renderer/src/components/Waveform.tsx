import { useMemo } from 'react';
import type { Waveform as WaveformData } from '../../../contracts/domain';

const COLUMNS = 600;

/** The recording's loudness over time, mirrored around the centre line. */
export function Waveform({ waveform, durationSec }: { waveform: WaveformData; durationSec: number }) {
  const path = useMemo(() => outline(waveform.peaks, COLUMNS), [waveform.peaks]);
  return (
    <figure className="waveform" aria-label={`Waveform, ${Math.round(durationSec)} seconds`}>
      <svg viewBox={`0 0 ${COLUMNS} 100`} preserveAspectRatio="none" role="img" data-testid="waveform">
        <path d={path} />
      </svg>
    </figure>
  );
}

/** Downsamples peaks to one column each and draws the closed outline top then bottom. */
function outline(peaks: readonly number[], columns: number): string {
  if (peaks.length === 0) return '';
  const width = Math.min(columns, peaks.length);
  const heights: number[] = [];
  for (let column = 0; column < width; column++) {
    const from = Math.floor((column * peaks.length) / width);
    const to = Math.max(from + 1, Math.floor(((column + 1) * peaks.length) / width));
    heights.push(Math.max(...peaks.slice(from, to)));
  }
  const x = (column: number) => ((column + 0.5) * columns) / width;
  const top = heights.map((h, c) => `${c === 0 ? 'M' : 'L'}${x(c).toFixed(1)} ${(50 - h * 48).toFixed(1)}`);
  const bottom = heights.map((h, c) => `L${x(c).toFixed(1)} ${(50 + h * 48).toFixed(1)}`).reverse();
  return `${top.join(' ')} ${bottom.join(' ')} Z`;
}
