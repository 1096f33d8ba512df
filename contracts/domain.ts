// Domain records shared by every process. Each is a zod schema (runtime validation at the
// boundaries) and the TypeScript type inferred from it, so the two can never drift apart.
import { z } from 'zod';
import { SpeakerVoice } from './voices';
import { UpdateChannel } from './updates';

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'canceled'] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

export const Lane = z.enum(['heavy', 'light']);
export type Lane = z.infer<typeof Lane>;

/** Every kind of job and the lane it runs in. Heavy: GPU/CPU-bound, one at a time. Light: quick tasks. */
export const JOB_KINDS = {
  'process-media': { lane: 'heavy' },
  // Exports are quick and the user waits on them: they must never queue behind a transcription.
  export: { lane: 'light' },
} as const satisfies Record<string, { lane: Lane }>;
export const JobKind = z.enum(Object.keys(JOB_KINDS) as [keyof typeof JOB_KINDS]);
export type JobKind = z.infer<typeof JobKind>;

/** Pipeline stages in the order they run; later capabilities append theirs. */
export const STAGES = ['download-model', 'probe', 'decode', 'detect-speech', 'transcribe', 'diarize', 'upload', 'pool-wait'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

export const Id = z.number().int().positive();

/** Where inference runs. "auto" tries the GPU providers this platform has, then the CPU. */
export const DEVICES = ['auto', 'cuda', 'webgpu', 'dml', 'coreml', 'cpu'] as const;
export const Device = z.enum(DEVICES);
export type Device = z.infer<typeof Device>;

export const Task = z.enum(['transcribe', 'translate']);
export type Task = z.infer<typeof Task>;

/** A provider that was tried and not used, and why: shown to the user, never silent. */
export const ProviderFallback = z.object({ provider: z.string(), reason: z.string() });
export type ProviderFallback = z.infer<typeof ProviderFallback>;

/** This machine, or the shared cloud pool (issue 14's offload). */
export const RunsOn = z.enum(['local', 'pool']);
export type RunsOn = z.infer<typeof RunsOn>;

/** Which model ran where, recorded on the job and in every export. */
export const EngineRun = z.object({
  model: z.string(),
  provider: z.string(),
  fallbacks: z.array(ProviderFallback),
  /** Absent on transcripts made before offload existed: those all ran on this machine. */
  ranOn: RunsOn.optional(),
});
export type EngineRun = z.infer<typeof EngineRun>;

/** Neural: pyannote segmentation + WeSpeaker CAM++, shipped with the app (or downloaded). Built-in: VAD + cepstral Gaussians, always there. */
export const DiarizationTier = z.enum(['neural', 'builtin']);
export type DiarizationTier = z.infer<typeof DiarizationTier>;

/** "auto": the neural tier, downloading it on first use, else the built-in one; "off": no speaker labels. */
export const DIARIZATION_MODES = ['auto', 'neural', 'builtin', 'off'] as const;
export const DiarizationMode = z.enum(DIARIZATION_MODES);
export type DiarizationMode = z.infer<typeof DiarizationMode>;

/** Which diarization tier ran where, recorded on the job and in the transcript. */
export const DiarizationRun = z.object({
  tier: DiarizationTier,
  provider: z.string(),
  /** Providers and tiers tried first, and why they were not used (e.g. neural: "not installed"). */
  fallbacks: z.array(ProviderFallback),
  /** Set when diarization failed: the transcript is kept, unlabelled, and this says why. */
  error: z.string().nullable(),
});
export type DiarizationRun = z.infer<typeof DiarizationRun>;

/** How many speakers to look for; all null: decided from the audio. */
export const SpeakerCount = z.object({
  exact: z.number().int().min(1).max(32).nullable(),
  min: z.number().int().min(1).max(32).nullable(),
  max: z.number().int().min(1).max(32).nullable(),
});
export type SpeakerCount = z.infer<typeof SpeakerCount>;

/** Off: nothing leaves the machine. When busy: a job goes where it finishes first. Always: every file goes. */
export const OFFLOAD_MODES = ['off', 'when-busy', 'always'] as const;
export const OffloadMode = z.enum(OFFLOAD_MODES);
export type OffloadMode = z.infer<typeof OffloadMode>;

/** The queue menu's per-job choice: decide for me, Run here, Run in the cloud. */
export const PLACEMENTS = ['auto', 'local', 'pool'] as const;
export const Placement = z.enum(PLACEMENTS);
export type Placement = z.infer<typeof Placement>;

export const JobView = z.object({
  id: Id,
  kind: JobKind,
  lane: Lane,
  mediaId: Id,
  fileName: z.string(),
  path: z.string(),
  state: JobState,
  priority: z.number().int(),
  attempts: z.number().int().nonnegative(),
  stage: Stage.nullable(),
  progress: z.number().min(0).max(1),
  error: z.string().nullable(),
  /** Whether Retry could help: false for a file that can never work (no audio track). */
  retryable: z.boolean(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  durationSec: z.number().nullable(),
  /** 0 while running, 1… in the lane's order while queued, null otherwise. */
  position: z.number().int().nonnegative().nullable(),
  /** Seconds until this job should be done, from measured throughput; null when unknown. */
  etaSec: z.number().nonnegative().nullable(),
  /** Which model ran on which provider, once the worker has opened it. */
  engine: EngineRun.nullable(),
  /** Which diarization tier ran, once it has. */
  diarization: DiarizationRun.nullable(),
  placement: Placement,
  /** Where it runs (or ran); for a waiting job, where it would go now; null when not decided. */
  runsOn: RunsOn.nullable(),
  /** Why it goes there, in a sentence (the policy's reason). */
  placementReason: z.string().nullable(),
  /** Something the user is told once, kept with the job: "The pool failed it; it ran here instead." */
  notice: z.string().nullable(),
});
export type JobView = z.infer<typeof JobView>;

export const MediaInfo = z.object({
  durationSec: z.number().nonnegative(),
  container: z.string(),
  codec: z.string(),
  /** Of the source's audio track; 0 when the container does not say. */
  sampleRate: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
});
export type MediaInfo = z.infer<typeof MediaInfo>;

export const Waveform = z.object({
  /** Peak absolute amplitude per bucket, 0…1. */
  peaks: z.array(z.number().min(0).max(1)),
  peaksPerSec: z.number().positive(),
});
export type Waveform = z.infer<typeof Waveform>;

export const MediaDetail = z.object({
  id: Id,
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative().nullable(),
  info: MediaInfo.nullable(),
  waveform: Waveform.nullable(),
});
export type MediaDetail = z.infer<typeof MediaDetail>;

export const AddOutcome = z.object({
  path: z.string(),
  mediaId: Id,
  jobId: Id,
  /** True when the file was already in the library and its existing job was reused. */
  duplicate: z.boolean(),
});
export type AddOutcome = z.infer<typeof AddOutcome>;

/** How exports are written: times in documents, speaker names, and the subtitle line length. */
export const ExportOptions = z.object({
  /** [0:12] before each paragraph of Markdown and DOCX (subtitles always carry their times). */
  timestamps: z.boolean(),
  /** Speaker names in every format; off, the speaker labels are left out. */
  speakers: z.boolean(),
  /** Characters per subtitle line (SRT, VTT); 42 is the broadcasters' rule. */
  lineChars: z.number().int().min(20).max(80),
});
export type ExportOptions = z.infer<typeof ExportOptions>;
export const DEFAULT_EXPORT_OPTIONS: ExportOptions = { timestamps: true, speakers: true, lineChars: 42 };

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json', 'docx', 'md'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** A run of a search hit's text; `match` marks the words the query found. */
export const SnippetPart = z.object({ text: z.string(), match: z.boolean() });
export type SnippetPart = z.infer<typeof SnippetPart>;

/** A segment matching a full-text search. */
export const SearchHit = z.object({
  mediaId: Id,
  fileName: z.string(),
  /** The segment's index in its transcript, and where it starts: where a click on the hit jumps. */
  segment: z.number().int().nonnegative(),
  start: z.number(),
  end: z.number(),
  parts: z.array(SnippetPart),
  /** Who says it (null: no speaker labels), and whether the search found it by that name. */
  speaker: z.string().nullable(),
  speakerMatch: z.boolean(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const Word = z.object({
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
  probability: z.number().min(0).max(1),
  /** Index into the transcript's speakers; null before diarization or when it is off. */
  speaker: z.number().int().nonnegative().nullable(),
});
export type Word = z.infer<typeof Word>;

export const Speaker = z.object({ id: z.number().int().nonnegative(), name: z.string().min(1).max(100) });
export type Speaker = z.infer<typeof Speaker>;

export const SpeakerTurn = z.object({ start: z.number().nonnegative(), end: z.number().nonnegative(), speaker: z.number().int().nonnegative() });
export type SpeakerTurn = z.infer<typeof SpeakerTurn>;

export const Segment = z.object({
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
  avgLogprob: z.number(),
  noSpeechProb: z.number().min(0).max(1),
  /** Sampling temperature of the decode that was kept; above 0 means the greedy one was rejected. */
  temperature: z.number().nonnegative(),
  speaker: z.number().int().nonnegative().nullable(),
  words: z.array(Word),
});
export type Segment = z.infer<typeof Segment>;

export const Transcript = z.object({
  language: z.string(),
  task: Task,
  engine: EngineRun,
  durationSec: z.number().nonnegative(),
  segments: z.array(Segment),
  /** Indexed by segments' and words' speaker; names are the user's ("Speaker 1" until renamed). */
  speakers: z.array(Speaker),
  /** Who spoke when, as diarization found it; turns of different speakers overlap where they talk at once. */
  turns: z.array(SpeakerTurn),
  diarization: DiarizationRun.nullable(),
});
export type Transcript = z.infer<typeof Transcript>;

/** What the user can set. null means "the default" (for tools: the copies bundled with the app). */
export const THEMES = ['system', 'light', 'dark'] as const;
export const Theme = z.enum(THEMES);
export type Theme = z.infer<typeof Theme>;

/** What decides how one file is transcribed: Settings hold the defaults, a job may hold its own. */
const TranscriptionChoices = z.object({
  /** A model id from the catalog. */
  model: z.string().regex(/^whisper-[a-z0-9.-]+$/),
  /** An ISO 639-1 code Whisper knows, or "auto" to detect it. */
  language: z.string().regex(/^(auto|[a-z]{2,3})$/),
  task: Task,
  diarization: DiarizationMode,
  speakers: SpeakerCount,
});

/**
 * Choices for one file, made when adding it or transcribing it again; what is left out follows
 * Settings at the time it runs.
 */
export const JobOptions = TranscriptionChoices.partial().strict();
export type JobOptions = z.infer<typeof JobOptions>;

/** A pool's gateway: HTTPS only, so its token never crosses the network in the clear. */
export const PoolUrl = z.string().url().max(2048).regex(/^https:\/\/[^/?#]+/i, 'The pool address must start with https://.');

export const Settings = z.object({
  ...TranscriptionChoices.shape,
  device: Device,
  /** Names and terms to spell right, given to the model as earlier context. */
  initialPrompt: z.string().max(1000).nullable(),
  /**
   * Where downloaded models are kept (they are the large files); null: the library's own folder. Chosen in
   * the host's own folder picker (models.chooseFolder), never named through settings.update.
   */
  storageDir: z.string().min(1).max(4096).nullable(),
  theme: Theme,
  /** Cloud offload: off until the user turns it on; nothing is uploaded before. */
  offloadMode: OffloadMode,
  /** The pool's gateway (https:// only); its token is kept apart, as a secret, for this address alone. */
  poolUrl: PoolUrl.nullable(),
  /** A CA certificate file (PEM) to trust for a self-hosted pool. */
  poolCaPath: z.string().min(1).max(4096).nullable(),
  /** Whether adding files first asks for their language, speakers and model. */
  askWhenAdding: z.boolean(),
  /** What was last chosen there: the next files start from it. */
  addOptions: JobOptions,
  exportOptions: ExportOptions,
  /** Look for updates at start and every few hours, and download them in the background (the installed app). */
  checkForUpdates: z.boolean(),
  updateChannel: UpdateChannel,
  /**
   * The voice library: new transcripts' speakers are matched against the voices the user saved, and each
   * recording's speaker prints are kept (on this machine only) so a voice can be saved from it. Off: no
   * prints are kept and nothing is matched; saved voices stay until deleted.
   */
  recogniseVoices: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

/**
 * What settings.update may change: not the models folder (the host's folder picker sets it) and not the pool's
 * address or CA (offload.connect sets them with the token, so a saved token never follows a new address).
 */
export const SettingsPatch = Settings.omit({ storageDir: true, poolUrl: true, poolCaPath: true }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** How many text edits can be undone and redone; kept in the library, so both survive a restart. */
export const EditHistory = z.object({ undo: z.number().int().nonnegative(), redo: z.number().int().nonnegative() });
export type EditHistory = z.infer<typeof EditHistory>;

/** A transcript as the editor sees it: the transcript, its edit history, and which speakers are (or may be) saved voices. */
export const EditableTranscript = Transcript.extend({ history: EditHistory, voices: z.array(SpeakerVoice) });
export type EditableTranscript = z.infer<typeof EditableTranscript>;

export const LIBRARY_SORTS = ['date', 'name', 'duration'] as const;
export const LibrarySort = z.enum(LIBRARY_SORTS);
export type LibrarySort = z.infer<typeof LibrarySort>;

/** One recording in the library, with where its transcription stands. */
/** A microphone recording: capturing, paused, cut off by a crash (offered back), or handed to the queue. */
export const LiveSessionState = z.enum(['recording', 'paused', 'interrupted', 'stopped']);
export type LiveSessionState = z.infer<typeof LiveSessionState>;

/** A microphone recording as the UI sees it. */
export const LiveSessionView = z.object({
  id: Id,
  mediaId: Id,
  fileName: z.string(),
  state: LiveSessionState,
  /** Audio captured so far (for an interrupted one: what the repaired file holds). */
  durationSec: z.number().nonnegative(),
  startedAt: z.number(),
  inputLabel: z.string().nullable(),
  /** Which model gives the captions, and on what; null until it has opened. */
  captions: z.object({ model: z.string(), provider: z.string() }).nullable(),
  /** How far captions trail the audio. */
  behindSec: z.number().nonnegative(),
  /** Chunks that never reached the core (logged; the recording simply lacks them). */
  missingChunks: z.number().int().nonnegative(),
  /** Why captions stopped, when they did (the recording goes on). */
  captionsError: z.string().nullable(),
});
export type LiveSessionView = z.infer<typeof LiveSessionView>;

export const LibraryItem = z.object({
  mediaId: Id,
  fileName: z.string(),
  path: z.string(),
  addedAt: z.number(),
  durationSec: z.number().nullable(),
  /** The newest transcription job's state; null when it has none. */
  state: JobState.nullable(),
  jobId: Id.nullable(),
  hasTranscript: z.boolean(),
  speakers: z.number().int().nonnegative(),
  /** The transcript's first words, for the list. */
  preview: z.string(),
  /** Set while it is a microphone recording not yet handed to the queue. */
  live: LiveSessionState.nullable(),
  /** Where its transcript was made; null while there is none. */
  ranOn: RunsOn.nullable(),
});
export type LibraryItem = z.infer<typeof LibraryItem>;

/** A model download the user started from Settings (jobs download theirs as their first stage). */
export const ModelDownload = z.object({
  id: z.string(),
  receivedBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  state: z.enum(['downloading', 'done', 'failed', 'canceled']),
  error: z.string().nullable(),
});
export type ModelDownload = z.infer<typeof ModelDownload>;
