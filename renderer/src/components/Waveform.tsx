import { memo, useMemo, type KeyboardEvent, type MouseEvent } from 'react';
import type { Segment, Waveform as WaveformData } from '../../../contracts/domain';
import { formatClock } from '../format';
import { speakerColour } from './SpeakerList';

const COLUMNS = 600;

interface WaveformProps {
  waveform: WaveformData;
  durationSec: number;
  positionSec: number;
  segments: readonly Segment[];
  onSeek(sec: number): void;
}

/** Loudness over time, a band of speaker colours under it, and the playhead; click or arrow keys to seek. */
export function Waveform({ waveform, durationSec, positionSec, segments, onSeek }: WaveformProps) {
  const at = (fraction: number): number => Math.max(0, Math.min(1, fraction)) * durationSec;
  const onClick = (event: MouseEvent<HTMLDivElement>): void => {
    const box = event.currentTarget.firstElementChild!.getBoundingClientRect();
    onSeek(at((event.clientX - box.left) / box.width));
  };
  const onKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = { ArrowLeft: -5, ArrowRight: 5, PageDown: -30, PageUp: 30 }[event.key];
    if (step === undefined && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    event.stopPropagation();
    onSeek(event.key === 'Home' ? 0 : event.key === 'End' ? durationSec : Math.max(0, positionSec + step!));
  };
  return (
    <div
      className="waveform"
      role="slider"
      tabIndex={0}
      aria-label="Playback position"
      aria-valuemin={0}
      aria-valuemax={Math.round(durationSec)}
      aria-valuenow={Math.round(positionSec)}
      aria-valuetext={formatClock(positionSec)}
      onClick={onClick}
      onKeyDown={onKey}
    >
      <div className="waveform-track">
        <Outline peaks={waveform.peaks} />
        <SpeakerBand segments={segments} durationSec={durationSec} />
        <div className="playhead" style={{ left: `${(positionSec / Math.max(durationSec, 0.001)) * 100}%` }} aria-hidden />
      </div>
    </div>
  );
}

const Outline = memo(function Outline({ peaks }: { peaks: readonly number[] }) {
  const path = useMemo(() => outline(peaks, COLUMNS), [peaks]);
  return (
    <svg viewBox={`0 0 ${COLUMNS} 100`} preserveAspectRatio="none" aria-hidden data-testid="waveform">
      <path d={path} />
    </svg>
  );
});

const SpeakerBand = memo(function SpeakerBand({ segments, durationSec }: { segments: readonly Segment[]; durationSec: number }) {
  if (!segments.some((segment) => segment.speaker !== null)) return null;
  return (
    <svg className="speaker-band" viewBox={`0 0 ${Math.max(durationSec, 0.001)} 1`} preserveAspectRatio="none" aria-hidden>
      {segments.map((segment, index) =>
        segment.speaker === null ? null : <rect key={index} x={segment.start} width={Math.max(0, segment.end - segment.start)} y={0} height={1} style={{ fill: speakerColour(segment.speaker) }} />,
      )}
    </svg>
  );
});

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
