// electron-builder's configuration (npm run dist). A function, so the update feed is read from the environment when
// the build runs: without VERBATIM_UPDATE_URL the installers are built all the same, with no feed to update from.

/** @type {() => import('app-builder-lib').Configuration} */
module.exports = () => ({
  appId: 'app.verbatim.desktop',
  productName: 'Verbatim',
  directories: { output: 'release', buildResources: 'build' },
  files: [
    'dist/**',
    '!dist/native/**',
    // The pool's processes are a separate service (the cloud/ workspace), never part of the app.
    '!dist/cloud/**',
    '!**/*.map',
    'package.json',
  ],
  // Executables and native modules cannot run from inside the asar archive.
  asarUnpack: [
    // ffmpeg and ffprobe from one FFmpeg release, put there by npm run fetch-ffmpeg.
    'node_modules/ffmpeg-static/**',
    'node_modules/@derhuerst/ffprobe-static/**',
    // onnxruntime loads its provider libraries (CUDA, WebGPU, DirectML, Core ML) from beside its .node file.
    'node_modules/onnxruntime-node/bin/**',
    '**/*.node',
  ],
  // The model catalog, the VAD, and the speaker models npm run fetch-models put there (not an interrupted fetch's leftovers).
  extraResources: [{ from: 'resources', to: 'resources', filter: ['**/*', '!models/.staging/**'] }],
  npmRebuild: true,
  // Signing comes from the environment, never the repo: CSC_LINK and CSC_KEY_PASSWORD (macOS Developer ID, or Windows
  // Authenticode; WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD when both are built on one machine), and for notarisation
  // APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER (or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID).
  // Without them the installers are built unsigned.
  //
  // The update feed the app reads (electron-updater): a folder on any HTTPS server holding the installers and the
  // latest*.yml / beta*.yml files written beside them. A version with a pre-release tag (1.3.0-beta.1) goes to the
  // beta channel. `-c.publish.provider=github` publishes to GitHub Releases instead (GH_TOKEN).
  publish: process.env.VERBATIM_UPDATE_URL ? [{ provider: 'generic', url: process.env.VERBATIM_UPDATE_URL }] : null,
  detectUpdateChannel: true,
  generateUpdatesFilesForAllChannels: true,
  mac: {
    category: 'public.app-category.productivity',
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    // macOS asks the user for the microphone with this sentence the first time Record is pressed.
    extendInfo: { NSMicrophoneUsageDescription: 'Verbatim records from the microphone when you press Record, and transcribes it on this computer.' },
    // One DMG per architecture (onnxruntime's native libraries are per-architecture), and the zip electron-updater
    // installs updates from on macOS.
    target: [
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ],
  },
  win: { target: [{ target: 'nsis', arch: ['x64'] }] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  linux: {
    category: 'AudioVideo',
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    maintainer: 'Verbatim <hello@verbatim.app>',
  },
  // Electron fuses, flipped in the binary at packaging time. Left at their defaults: the NODE_OPTIONS fuse (it also
  // governs NODE_EXTRA_CA_CERTS, which users behind corporate proxies need for model downloads and updates) and
  // file:// privileges (the window loads its module scripts from file://).
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
});
