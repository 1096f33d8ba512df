import { Copy, Redo2, Undo2 } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { languageName } from '../../../contracts/languages';
import { EXPORT_FORMATS, type EditableTranscript, type EngineRun } from '../../../contracts/domain';
import { useLibraryStore } from '../stores/library-store';
import { usePlayerStore } from '../stores/player-store';
import { useTranscriptStore } from '../stores/transcript-store';
import { neighbourSegment, positionAt } from '../transcript-position';
import { SegmentRow, searchTerms } from './SegmentRow';
import { ShortcutHelp } from './ShortcutHelp';
import { ExportOptionsButton } from './ExportOptionsButton';
import { NeuralModelsOffer, SpeakerList, missingNeuralModels } from './SpeakerList';
import { TranscribeAgainButton } from './TranscribeAgainButton';

const PROVIDER_NAMES: Record<string, string> = { cpu: 'CPU', cuda: 'NVIDIA GPU (CUDA)', webgpu: 'GPU (WebGPU)', dml: 'GPU (DirectML)', coreml: 'Apple Neural Engine / GPU (Core ML)' };

export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

export function engineSummary(engine: EngineRun): string {
  if (engine.provider === 'none') return `${engine.model} · no speech found, nothing to run`;
  return engine.ranOn === 'pool' ? `${engine.model} on the cloud pool (${providerName(engine.provider)})` : `${engine.model} on ${providerName(engine.provider)}`;
}

const reducedMotion = (): boolean => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * A transcript: its toolbar (undo, transcribe again, export), the segments, and beside them the
 * side panel with `details` (the file's facts) and how it was made, when the panel is open.
 */
export function TranscriptView({ mediaId, fileName, transcript, details }: { mediaId: number; fileName: string; transcript: EditableTranscript; details: ReactNode | null }) {
  const { exportAs, undo, redo } = useTranscriptStore.getState();
  const [editing, setEditing] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const { segments } = transcript;
  // A string, so the view re-renders only when the playing word changes, not every frame.
  const playingKey = usePlayerStore((state) => {
    if (state.mediaId !== mediaId) return '';
    const position = positionAt(segments, state.currentSec);
    return position ? `${position.segment}:${position.word ?? ''}` : '';
  });
  const playing = usePlayerStore((state) => state.playing);
  const [activeSegment = null, activeWord = null] = playingKey ? playingKey.split(':').map((part) => (part === '' ? null : Number(part))) : [];
  const names = new Map(transcript.speakers.map((speaker) => [speaker.id, speaker.name]));
  const neuralMissing = missingNeuralModels(transcript);
  // The library's search terms, marked in the transcript it opened, until the search is cleared.
  const query = useLibraryStore((state) => state.query);
  const searched = useMemo(() => searchTerms(query), [query]);
  const onEditing = useCallback((index: number, on: boolean) => setEditing(on ? index : null), []);
  const onSave = useCallback((index: number, text: string) => void useTranscriptStore.getState().editSegment(mediaId, index, text), [mediaId]);

  // Keeps the playing segment in the middle third of the view (reading ahead needs room below it),
  // unless the user is editing.
  useEffect(() => {
    const row = list.current?.children[activeSegment ?? -1] as HTMLElement | undefined;
    const view = scroller.current;
    if (!playing || !row || !view || editing !== null) return;
    const box = view.getBoundingClientRect();
    const at = row.getBoundingClientRect();
    if (at.top >= box.top + box.height / 3 && at.bottom <= box.top + (box.height * 2) / 3) return;
    view.scrollBy({ top: at.top + at.height / 2 - (box.top + box.height / 2), behavior: reducedMotion() ? 'auto' : 'smooth' });
  }, [activeSegment, playing, editing]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable=true], dialog, [role=tab], [role=slider]')) return;
      const player = usePlayerStore.getState();
      const command = event.ctrlKey || event.metaKey;
      const jump = (direction: 1 | -1): void => {
        const next = neighbourSegment(segments, player.currentSec, direction);
        if (next === null) return;
        player.seek(mediaId, segments[next]!.start);
        (list.current?.children[next] as HTMLElement | undefined)?.focus({ preventScroll: false });
      };
      const actions: Record<string, (() => void) | undefined> = {
        ' ': target.closest('button, a, summary') ? undefined : player.toggle,
        k: player.toggle,
        ArrowLeft: () => player.skip(-5),
        j: () => player.skip(-5),
        ArrowRight: () => player.skip(5),
        l: () => player.skip(5),
        ArrowDown: () => jump(1),
        n: () => jump(1),
        ArrowUp: () => jump(-1),
        p: () => jump(-1),
      };
      let action = command || event.altKey ? undefined : actions[event.key];
      // Esc from the transcript goes back to the library list, to the recording it came from.
      if (event.key === 'Escape' && target.closest('[data-testid=transcript]')) action = () => document.querySelector<HTMLElement>('.library-main[tabindex="0"]')?.focus();
      if (command && event.key.toLowerCase() === 'z') action = () => void (event.shiftKey ? redo(mediaId) : undo(mediaId));
      if (command && event.key.toLowerCase() === 'y') action = () => void redo(mediaId);
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mediaId, segments, undo, redo]);

  return (
    <div className="transcript" data-testid="transcript">
      <div className="transcript-head">
        <div role="group" aria-label="Edit history">
          <button type="button" className="button ghost small" disabled={transcript.history.undo === 0} onClick={() => void undo(mediaId)} title="Undo (Ctrl/Cmd+Z)">
            <Undo2 size={14} aria-hidden /> Undo
          </button>
          <button type="button" className="button ghost small" disabled={transcript.history.redo === 0} onClick={() => void redo(mediaId)} title="Redo (Ctrl/Cmd+Shift+Z)">
            <Redo2 size={14} aria-hidden /> Redo
          </button>
        </div>
        <TranscribeAgainButton
          mediaIds={[mediaId]}
          subject={fileName}
          current={{
            model: transcript.engine.model,
            language: transcript.language === 'und' ? 'auto' : transcript.language,
            task: transcript.task,
            ...(transcript.diarization === null ? { diarization: 'off' as const } : {}),
          }}
          edited={transcript.history.undo > 0}
        />
        <div className="export-buttons" role="group" aria-label="Export transcript" title={segments.length === 0 ? 'Nothing to export: no speech was found in this recording.' : undefined}>
          {EXPORT_FORMATS.map((format) => (
            <button key={format} type="button" className="button ghost small" disabled={segments.length === 0} onClick={() => void exportAs([mediaId], format)}>
              {format.toUpperCase()}
            </button>
          ))}
          <button type="button" className="button ghost small" disabled={segments.length === 0} onClick={() => void useTranscriptStore.getState().copyAll(mediaId)}>
            <Copy size={13} aria-hidden /> Copy
          </button>
          <ExportOptionsButton />
        </div>
      </div>
      {neuralMissing && <NeuralModelsOffer reason={neuralMissing} />}
      <div className="detail-body">
        <div className="transcript-main" ref={scroller}>
          {segments.length === 0 ? (
            <p className="muted">No speech was found in this recording.</p>
          ) : (
            <ol className="segments" ref={list} aria-label="Segments">
              {segments.map((segment, index) => (
                <SegmentRow
                  key={index}
                  mediaId={mediaId}
                  index={index}
                  segment={segment}
                  speakerName={segment.speaker !== null && segment.speaker !== segments[index - 1]?.speaker ? (names.get(segment.speaker) ?? `Speaker ${segment.speaker + 1}`) : null}
                  speakers={transcript.speakers}
                  isLast={index === segments.length - 1}
                  activeWord={activeSegment === index ? (activeWord ?? -1) : null}
                  searched={searched}
                  editing={editing === index}
                  onEditing={onEditing}
                  onSave={onSave}
                />
              ))}
            </ol>
          )}
        </div>
        {details !== null && (
          <aside className="detail-side" id="detail-side" aria-label="Details">
            {details}
            <p className="muted" data-testid="engine">
              {engineSummary(transcript.engine)} · {languageName(transcript.language)}
              {transcript.task === 'translate' ? ' → English' : ''}
            </p>
            {transcript.engine.fallbacks.length > 0 && (
              <details className="fallbacks">
                <summary>Why not a faster device?</summary>
                <ul>
                  {transcript.engine.fallbacks.map((fallback, index) => (
                    <li key={index}>
                      <strong>{fallback.provider}</strong>: {fallback.reason}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <SpeakerList mediaId={mediaId} transcript={transcript} />
            <ShortcutHelp />
          </aside>
        )}
      </div>
    </div>
  );
}
