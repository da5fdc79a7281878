// The Electron fuses every packaged Porthole must have, as @electron/fuses numbers them: checked
// against electron-builder.yml by electron-fuses.test.ts, and in the built binary by
// test/cluster/installers.test.ts when a real Electron was packaged. The one fuse not listed
// (LoadBrowserProcessSpecificV8Snapshot) stays at Electron's default.
import { FuseV1Options } from '@electron/fuses';

export const REQUIRED_FUSES: Readonly<Partial<Record<FuseV1Options, boolean>>> = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};
