// The one internal of ssh2 Porthole reads (ssh2-host-key-algorithms.ts says why).
declare module 'ssh2/lib/protocol/constants.js' {
  export const SUPPORTED_SERVER_HOST_KEY: readonly string[];
}
