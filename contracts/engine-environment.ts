// What the engine processes, and the ffmpeg and ffprobe they run, may see of their host's environment:
// what finds programs, libraries, the temporary folder, the locale and the GPU. Never what the host holds
// for itself (VERBATIM_DATABASE_URL, VERBATIM_POOL_TOKEN, a proxy's password…): the engine reads files
// other people made, so it is the process an attacker would try to make talk.
const PASSED = /^(PATH|PATHEXT|HOME|USERPROFILE|LANG|LC_[A-Z]+|TZ|TMPDIR|TMP|TEMP|SystemRoot|SYSTEMROOT|windir|ComSpec|NUMBER_OF_PROCESSORS|PROCESSOR_ARCHITECTURE|LD_LIBRARY_PATH|DYLD_LIBRARY_PATH|CUDA_[A-Z_]+|NVIDIA_[A-Z_]+|OMP_[A-Z_]+)$/;

export function engineEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && PASSED.test(name)) kept[name] = value;
  return kept;
}
