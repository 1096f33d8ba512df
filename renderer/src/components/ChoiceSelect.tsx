/** A select over a fixed list of values, each shown by its label; `id` lets a Field tie its label to it. */
export function ChoiceSelect<T extends string>({ id, value, choices, labels, onChange }: { id?: string; value: T; choices: readonly T[]; labels: Record<T, string>; onChange(value: T): void }) {
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value as T)}>
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {labels[choice]}
        </option>
      ))}
    </select>
  );
}
