import { create } from 'zustand';
import type { LiveSessionView, Word } from '../../../contracts/domain';
import type { LiveCaption } from '../../../contracts/live-protocol';
import { api } from '../platform/api';
import { useLibraryStore } from '../stores/library-store';
import { attempt, useToastStore } from '../stores/toast-store';
import { CAPTURE_RATE, CaptureError, listInputs, openMicrophone, type Capture, type CaptureFailure } from './microphone';

/** A caption line: words confirmed so far (never rewritten) and whether the utterance ended. */
export interface CaptionLine {
  segment: number;
  start: number;
  words: Word[];
  closed: boolean;
}

export type RecorderPhase = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping';

interface LiveState {
  phase: RecorderPhase;
  session: LiveSessionView | null;
  /** Why the microphone could not be used, shown in the recorder until the next try. */
  problem: { reason: CaptureFailure | 'device-lost'; message: string } | null;
  inputs: Array<{ deviceId: string; label: string }>;
  deviceId: string | null;
  /** Loudest sample of the latest 100 ms, 0…1. */
  level: number;
  capturedSec: number;
  lines: CaptionLine[];
  provisional: string;
  /** Audio the captions jumped over to keep up (the recording has it). */
  skippedSec: number;
  unfinished: LiveSessionView[];
  open: boolean;
  show(open: boolean): void;
  refreshInputs(): Promise<void>;
  chooseInput(deviceId: string): Promise<void>;
  start(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  changed(session: LiveSessionView | null): void;
  caption(sessionId: number, caption: LiveCaption): void;
  loadUnfinished(): Promise<void>;
  finish(sessionId: number): Promise<void>;
  discard(sessionId: number): Promise<void>;
}

const DEVICE_KEY = 'verbatim.microphone';
let capture: Capture | null = null;
let seq = 0;
/** Audio captured while the recording was being created, sent as soon as it exists. */
const held: Uint8Array[] = [];

export const useLiveStore = create<LiveState>((set, get) => ({
  phase: 'idle',
  session: null,
  problem: null,
  inputs: [],
  deviceId: localStorage.getItem(DEVICE_KEY),
  level: 0,
  capturedSec: 0,
  lines: [],
  provisional: '',
  skippedSec: 0,
  unfinished: [],
  open: false,

  show(open) {
    set({ open });
    if (open) void get().refreshInputs();
  },

  async refreshInputs() {
    set({ inputs: await listInputs().catch(() => []) });
  },

  async chooseInput(deviceId) {
    localStorage.setItem(DEVICE_KEY, deviceId);
    set({ deviceId });
    // Mid-recording, the new microphone takes over; the chunks keep their numbering.
    const { session, phase } = get();
    if (!capture || !session || (phase !== 'recording' && phase !== 'paused')) return;
    capture.close();
    capture = null;
    await openCapture().catch((error: unknown) => problem(error));
  },

  async start() {
    if (get().phase !== 'idle') return;
    set({ phase: 'starting', problem: null, lines: [], provisional: '', skippedSec: 0, capturedSec: 0, level: 0, open: true });
    seq = 0;
    // The microphone first: a refused or missing one must not leave an empty recording behind.
    try {
      await openCapture();
    } catch (error) {
      set({ phase: 'idle' });
      return problem(error);
    }
    const session = await attempt('starting a recording', () => api.invoke('live.start', { inputLabel: capture?.label ?? null }));
    if (!session) {
      held.length = 0;
      capture?.close();
      capture = null;
      return set({ phase: 'idle' });
    }
    set({ phase: 'recording', session });
    for (const pcm of held.splice(0)) send(session.id, pcm);
    void get().refreshInputs();
  },

  async pause() {
    const { session } = get();
    if (!session || get().phase !== 'recording') return;
    set({ phase: 'paused', level: 0 });
    await attempt('pausing', () => api.invoke('live.pause', { sessionId: session.id }));
  },

  async resume() {
    const { session } = get();
    if (!session || get().phase !== 'paused') return;
    await attempt('resuming', () => api.invoke('live.resume', { sessionId: session.id }));
    set({ phase: 'recording' });
  },

  async stop() {
    const { session, phase } = get();
    if (!session || (phase !== 'recording' && phase !== 'paused')) return;
    set({ phase: 'stopping' });
    capture?.close();
    capture = null;
    const queued = await attempt('stopping the recording', () => api.invoke('live.stop', { sessionId: session.id }));
    set((state) => ({ phase: 'idle', session: null, level: 0, provisional: '', open: state.problem !== null }));
    if (queued) useLibraryStore.getState().select(queued.mediaId);
  },

  changed(session) {
    if (session && get().session?.id === session.id) set({ session });
  },

  caption(sessionId, caption) {
    if (get().session?.id !== sessionId) return;
    if (caption.type === 'status') return;
    if (caption.type === 'skipped') return set((state) => ({ skippedSec: state.skippedSec + (caption.toSec - caption.fromSec), provisional: '' }));
    if (caption.type === 'partial') return set({ provisional: caption.text });
    set((state) => {
      const lines = [...state.lines];
      const last = lines[lines.length - 1];
      if (last && !last.closed && last.segment === caption.segment) lines[lines.length - 1] = { ...last, words: [...last.words, ...caption.words], closed: caption.utteranceEnd };
      else lines.push({ segment: caption.segment, start: caption.start, words: caption.words, closed: caption.utteranceEnd });
      return { lines };
    });
  },

  async loadUnfinished() {
    const unfinished = await api.invoke('live.unfinished', {});
    set({ unfinished });
    // A recording still running in the core but not here: the page that captured it was reloaded.
    const current = await api.invoke('live.current', {});
    if (current && !capture) await api.invoke('live.stop', { sessionId: current.id });
  },

  async finish(sessionId) {
    const queued = await attempt('finishing the recording', () => api.invoke('live.finish', { sessionId }));
    set((state) => ({ unfinished: state.unfinished.filter((session) => session.id !== sessionId) }));
    if (queued) useLibraryStore.getState().select(queued.mediaId);
  },

  async discard(sessionId) {
    await attempt('discarding the recording', () => api.invoke('live.discard', { sessionId }));
    set((state) => ({ unfinished: state.unfinished.filter((session) => session.id !== sessionId) }));
  },
}));

async function openCapture(): Promise<void> {
  const store = useLiveStore;
  capture = await openMicrophone(
    store.getState().deviceId,
    (pcm, peak) => {
      const { phase, session } = store.getState();
      if (phase === 'starting') held.push(pcm);
      else if (phase !== 'recording' || !session) return;
      else send(session.id, pcm);
      store.setState((state) => ({ level: peak, capturedSec: state.capturedSec + pcm.byteLength / 2 / CAPTURE_RATE }));
    },
    () => {
      // Unplugged: what was recorded is kept and transcribed.
      const message = 'The microphone was disconnected. The recording so far was kept and is being transcribed.';
      store.setState({ problem: { reason: 'device-lost', message } });
      useToastStore.getState().push(message);
      void store.getState().stop();
    },
  );
}

function send(sessionId: number, pcm: Uint8Array): void {
  void api.invoke('live.audio', { sessionId, seq: seq++, pcm }).catch((error: unknown) =>
    useToastStore.getState().push(error instanceof Error ? error.message : String(error), 'While sending audio to the recording.'),
  );
}

function problem(error: unknown): void {
  if (error instanceof CaptureError) useLiveStore.setState({ problem: { reason: error.reason, message: error.message }, open: true });
  else useLiveStore.setState({ problem: { reason: 'failed', message: error instanceof Error ? error.message : String(error) }, open: true });
}
