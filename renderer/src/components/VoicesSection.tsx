import { useCallback, useEffect, useState } from 'react';
import type { Settings } from '../../../contracts/domain';
import type { Voice } from '../../../contracts/voices';
import { api } from '../platform/api';
import { MergeIntoSelect } from './SpeakerList';

/**
 * Settings ▸ Voices: the voice library. Recognition on or off, and the saved voices — rename, merge
 * two that are one person, delete (which deletes every print of that voice).
 */
export function VoicesSection({ settings, update }: { settings: Settings; update: (patch: Partial<Settings>) => Promise<boolean> }) {
  const [voices, setVoices] = useState<Voice[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: number; draft: string } | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const load = useCallback(() => api.invoke('voices.list', {}).then(setVoices), []);
  useEffect(() => {
    void load().catch((error: unknown) => setProblem(String(error)));
  }, [load]);
  const act = (action: Promise<unknown>): void => {
    setProblem(null);
    void action.then(load).catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  };
  return (
    <div data-testid="voices">
      <label className="setting-check">
        <input type="checkbox" checked={settings.recogniseVoices} onChange={(event) => void update({ recogniseVoices: event.target.checked })} /> Recognise saved
        voices in new recordings
      </label>
      <p className="muted setting-note">
        Voice prints are personal data. They never leave this computer: files sent to a cloud pool are not matched there. Turning recognition off
        also deletes the prints kept with each recording; saved voices stay until you delete them.
      </p>
      {voices === null ? null : voices.length === 0 ? (
        <p className="muted">No saved voices. Name a speaker in a transcript, then choose Remember voice….</p>
      ) : (
        <ul className="voice-list">
          {voices.map((voice) => (
            <li key={voice.id} className="voice" data-testid="voice">
              {renaming?.id === voice.id ? (
                <input
                  aria-label={`New name for the voice ${voice.name}`}
                  value={renaming.draft}
                  autoFocus
                  maxLength={100}
                  onChange={(event) => setRenaming({ id: voice.id, draft: event.target.value })}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' && renaming.draft.trim()) {
                      act(api.invoke('voices.rename', { voiceId: voice.id, name: renaming.draft.trim() }));
                      setRenaming(null);
                    }
                    if (event.key === 'Escape') setRenaming(null);
                  }}
                  onBlur={() => setRenaming(null)}
                />
              ) : (
                <button type="button" className="button ghost speaker-name" title="Rename" onClick={() => setRenaming({ id: voice.id, draft: voice.name })}>
                  {voice.name}
                </button>
              )}
              <span className="muted">
                {voice.recordings} {voice.recordings === 1 ? 'recording' : 'recordings'}
              </span>
              <MergeIntoSelect label={`Merge the voice ${voice.name} into`} own={voice.id} choices={voices} onMerge={(into) => act(api.invoke('voices.merge', { from: voice.id, into }))} />
              {deleting === voice.id ? (
                <span role="group" aria-label={`Delete the voice ${voice.name}?`}>
                  <button
                    type="button"
                    className="button small danger"
                    onClick={() => {
                      setDeleting(null);
                      act(api.invoke('voices.delete', { voiceId: voice.id }));
                    }}
                  >
                    Delete voice and prints
                  </button>
                  <button type="button" className="button ghost small" onClick={() => setDeleting(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="button ghost small" aria-label={`Delete the voice ${voice.name}`} onClick={() => setDeleting(voice.id)}>
                  Delete…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {problem && <p className="job-error">{problem}</p>}
    </div>
  );
}
