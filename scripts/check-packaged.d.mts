export function packagedExecutable(): string | null;
export function checkPackaged(executable: string): { ok: boolean; status: number | null; output: string };
