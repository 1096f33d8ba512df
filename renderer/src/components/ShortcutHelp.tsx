const SHORTCUTS: Array<[string, string]> = [
  ['Space or K', 'Play / pause'],
  ['← or J', 'Back 5 seconds'],
  ['→ or L', 'Forward 5 seconds'],
  ['↓ or N', 'Next segment'],
  ['↑ or P', 'Previous segment'],
  ['Enter or E', 'Edit the focused segment (Enter saves, Esc cancels)'],
  ['Ctrl/Cmd+Z', 'Undo an edit'],
  ['Ctrl/Cmd+Shift+Z', 'Redo'],
  ['/ or Ctrl/Cmd+F', 'Search all transcripts'],
];

export function ShortcutHelp() {
  return (
    <details className="shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map(([keys, action]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{action}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
