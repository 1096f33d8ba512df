import { create } from 'zustand';

/** What the player component does; it registers these when its <audio> element mounts. */
export interface PlayerControls {
  seek(sec: number): void;
  toggle(): void;
}

interface PlayerState {
  /** The recording the <audio> element holds. */
  mediaId: number | null;
  currentSec: number;
  playing: boolean;
  /** A seek asked for before the recording was loaded (a search hit opening another file). */
  pendingSeek: { mediaId: number; sec: number } | null;
  controls: PlayerControls | null;
  attach(mediaId: number, controls: PlayerControls): void;
  detach(controls: PlayerControls): void;
  report(currentSec: number, playing: boolean): void;
  seek(mediaId: number, sec: number): void;
  /** Moves by `delta` seconds from where playback is. */
  skip(delta: number): void;
  toggle(): void;
}

export const usePlayerStore = create<PlayerState>((set, get) => ({
  mediaId: null,
  currentSec: 0,
  playing: false,
  pendingSeek: null,
  controls: null,

  attach(mediaId, controls) {
    const pending = get().pendingSeek;
    set({ mediaId, controls, currentSec: 0, playing: false, pendingSeek: null });
    if (pending?.mediaId === mediaId) controls.seek(pending.sec);
  },

  detach(controls) {
    if (get().controls === controls) set({ controls: null, mediaId: null, playing: false });
  },

  report(currentSec, playing) {
    if (currentSec !== get().currentSec || playing !== get().playing) set({ currentSec, playing });
  },

  seek(mediaId, sec) {
    const { controls, mediaId: loaded } = get();
    if (controls && loaded === mediaId) {
      controls.seek(sec);
      set({ currentSec: sec });
    } else {
      set({ pendingSeek: { mediaId, sec } });
    }
  },

  skip(delta) {
    const { controls, currentSec } = get();
    controls?.seek(Math.max(0, currentSec + delta));
  },

  toggle() {
    get().controls?.toggle();
  },
}));
