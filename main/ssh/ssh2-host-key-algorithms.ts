// The host-key algorithms this ssh2 can verify. It offers no public way to ask, and whether it
// can verify host certificates depends on the build: 1.17 cannot (its key exchange expects the
// signature type to be the negotiated name and parses no certificate), ssh2 with
// patches/ssh2+1.17.0.patch can. Offering a name ssh2 does not know would throw.
import { SUPPORTED_SERVER_HOST_KEY } from 'ssh2/lib/protocol/constants.js';

export const SSH2_HOST_KEY_ALGORITHMS: readonly string[] = SUPPORTED_SERVER_HOST_KEY;
