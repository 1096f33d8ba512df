import { Eye, EyeOff, Pause, Play, RotateCcw, RotateCw } from 'lucide-react';
import { isVideoFileName } from '../../../contracts/media-types';
import { useEffect, useRef, useState } from 'react';
import type { PlaybackSource } from '../../../contracts/api';
import type { Segment, Waveform as WaveformData } from '../../../contracts/domain';
import { formatClock } from '../format';
import { api } from '../platform/api';
import { usePlayerStore, type PlayerControls } from '../stores/player-store';
import { Waveform } from './Waveform';

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];

/**
 * The recording's audio with its waveform. While playing, the position is read every animation
 * frame (timeupdate fires only about four times a second, too coarse to follow words).
 */
export function Player({ mediaId, fileName, durationSec, waveform, segments }: { mediaId: number; fileName: string; durationSec: number; waveform: WaveformData | null; segments: readonly Segment[] }) {
  const audio = useRef<HTMLMediaElement>(null);
  const [picture, setPicture] = useState(true);
  const [speed, setSpeed] = useState(1);
  const [source, setSource] = useState<PlaybackSource>('original');
  const [unavailable, setUnavailable] = useState(false);
  const currentSec = usePlayerStore((state) => (state.mediaId === mediaId ? state.currentSec : 0));
  const playing = usePlayerStore((state) => state.mediaId === mediaId && state.playing);
  const { skip, toggle, seek } = usePlayerStore.getState();

  useEffect(() => {
    const element = audio.current!;
    const store = usePlayerStore.getState();
    const controls: PlayerControls = {
      seek: (sec) => {
        element.currentTime = Math.min(Math.max(0, sec), durationSec);
        store.report(element.currentTime, !element.paused);
      },
      toggle: () => void (element.paused ? element.play().catch(() => setUnavailable(true)) : element.pause()),
    };
    store.attach(mediaId, controls);
    let frame = 0;
    const follow = (): void => {
      usePlayerStore.getState().report(element.currentTime, !element.paused);
      frame = element.paused ? 0 : requestAnimationFrame(follow);
    };
    const onPlay = (): void => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(follow);
    };
    const onStop = (): void => usePlayerStore.getState().report(element.currentTime, false);
    element.addEventListener('play', onPlay);
    element.addEventListener('pause', onStop);
    element.addEventListener('ended', onStop);
    element.addEventListener('seeked', onStop);
    return () => {
      cancelAnimationFrame(frame);
      element.pause();
      element.removeEventListener('play', onPlay);
      element.removeEventListener('pause', onStop);
      element.removeEventListener('ended', onStop);
      element.removeEventListener('seeked', onStop);
      usePlayerStore.getState().detach(controls);
    };
  }, [mediaId, durationSec]);

  useEffect(() => {
    if (audio.current) audio.current.playbackRate = speed;
  }, [speed]);

  const failed = (): void => {
    if (source === 'decoded') return setUnavailable(true);
    // The original is gone or in a format this player cannot read: the decoded copy always plays. A seek
    // already asked for carries over: a failed source leaves the element's start position as it was.
    setSource('decoded');
  };

  // The user's own video plays with its picture; the decoded copy is sound only.
  const video = isVideoFileName(fileName) && source === 'original';
  const media = {
    src: api.audioUrl(mediaId, source),
    preload: 'metadata',
    'data-testid': 'audio',
    'data-source': source,
    onError: failed,
    onLoadedData: () => setUnavailable(false),
  } as const;
  return (
    <div className="player" data-testid="player">
      {video ? (
        <video ref={audio as React.RefObject<HTMLVideoElement>} {...media} className="player-video" hidden={!picture} playsInline aria-label={`Picture of ${fileName}`} />
      ) : (
        <audio ref={audio as React.RefObject<HTMLAudioElement>} {...media} />
      )}
      {waveform && <Waveform waveform={waveform} durationSec={durationSec} positionSec={currentSec} segments={segments} onSeek={(sec) => seek(mediaId, sec)} />}
      <div className="player-controls" role="group" aria-label="Playback">
        <button type="button" className="button ghost" onClick={() => skip(-5)} aria-label="Back 5 seconds" title="Back 5 s (←)">
          <RotateCcw size={14} aria-hidden /> 5 s
        </button>
        <button type="button" className="button primary play" onClick={toggle} aria-label={playing ? 'Pause' : 'Play'} title="Play/pause (Space)" disabled={unavailable}>
          {playing ? <Pause size={15} aria-hidden /> : <Play size={15} aria-hidden />} {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="button ghost" onClick={() => skip(5)} aria-label="Forward 5 seconds" title="Forward 5 s (→)">
          5 s <RotateCw size={14} aria-hidden />
        </button>
        <span className="player-time" data-testid="player-time" aria-label="Position">
          {formatClock(currentSec, true)} / {formatClock(durationSec)}
        </span>
        {video && (
          <button type="button" className="button ghost small" aria-pressed={picture} onClick={() => setPicture(!picture)}>
            {picture ? <EyeOff size={14} aria-hidden /> : <Eye size={14} aria-hidden />} {picture ? 'Hide picture' : 'Show picture'}
          </button>
        )}
        <label className="player-speed">
          Speed{' '}
          <select value={speed} onChange={(event) => setSpeed(Number(event.target.value))}>
            {SPEEDS.map((value) => (
              <option key={value} value={value}>
                {value}×
              </option>
            ))}
          </select>
        </label>
      </div>
      {source === 'decoded' && !unavailable && (
        <p className="muted" data-testid="playback-note">
          Playing the 16 kHz copy Verbatim transcribed from: the original file is missing or in a format this player cannot read.
        </p>
      )}
      {unavailable && <p className="muted">The audio cannot be played: neither the original file nor its decoded copy is there. Retry the job to decode it again.</p>}
    </div>
  );
}
