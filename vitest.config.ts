import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/cloud/**/*.test.ts'],
    globalSetup: ['tests/helpers/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests fork workers and ffmpeg; on two cores, parallel files only fight for them.
    fileParallelism: false,
  },
});
