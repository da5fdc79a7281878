// Writes test/cluster/state/cluster.json for `up` from the values it passes in the environment
// (node is on every machine this runs on; bash cannot quote JSON safely). Atomic: temp + rename.
import { renameSync, writeFileSync } from 'node:fs';

const env = process.env;
const port = (name) => Number(env[name]);
/** Minutes in a Slurm time of the form HH:MM:SS. */
const minutes = (time) => {
  const [hours, mins] = time.split(':').map(Number);
  return hours * 60 + mins;
};
const sshConfigFile = `${env.ETC_DIR}/ssh_config`;
const cluster = {
  ssh: {
    host: '127.0.0.1',
    port: port('SSH_PORT'),
    user: env.TEST_USER,
    identityFile: `${env.KEY_DIR}/id_ed25519`,
    knownHostsFile: `${env.KEY_DIR}/known_hosts`,
    hostKeyFingerprint: env.FINGERPRINT,
    home: `${env.HOME_ROOT}/${env.TEST_USER}`,
    // Two login nodes of one cluster (failover): login1 is the sshd above, login2 its own
    // namespaces and host key. Stopping one by its PID file models a login node going down.
    hosts: [
      {
        name: 'login1',
        host: '127.0.0.1',
        port: port('SSH_PORT'),
        hostKeyFingerprint: env.FINGERPRINT,
        sshdPidFile: `${env.RUN_DIR}/sshd.pid`,
      },
      {
        name: env.LOGIN2_NAME,
        host: env.LOGIN2_ADDR,
        port: 22,
        hostKeyFingerprint: env.LOGIN2_FINGERPRINT,
        sshdPidFile: `${env.RUN_DIR}/login2-sshd.pid`,
        netns: env.LOGIN2_NETNS,
      },
    ],
  },
  sshConfigFile,
  sshHosts: {
    login: 'porthole-test',
    jump: 'porthole-test-jump',
    viaJump: 'porthole-test-via-jump',
    keyboardInteractive: 'porthole-test-kbd',
    login2: 'porthole-test-login2',
    colleague: 'porthole-test-colleague',
    colleagueLogin2: 'porthole-test-colleague-login2',
  },
  jump: { host: '127.0.0.1', port: port('JUMP_PORT'), user: env.TEST_USER },
  keyboardInteractive: {
    host: '127.0.0.1',
    port: port('SSH_PORT'),
    user: env.KBD_USER,
    password: env.KBD_PASSWORD,
    responses: [env.KBD_PASSWORD],
  },
  // A login node without Node.js: this user's SSH sessions have no `node` on the PATH.
  noNode: {
    sshConfigFile: `${env.ADDON_DIR}/ssh_config.nonode`,
    sshHost: 'porthole-test-nonode',
    host: '127.0.0.1',
    port: port('NONODE_PORT'),
    user: env.NONODE_USER,
    home: `${env.HOME_ROOT}/${env.NONODE_USER}`,
  },
  // Another Unix user of the same nodes, with no login: tests act as it inside a node's
  // namespaces (nsenter -t <the node's pid> -n -m, then setpriv) to attack a session.
  intruder: { user: env.INTRUDER_USER, uid: Number(env.INTRUDER_UID) },
  // A second user who signs in (own key; login1 and login2): the one a desktop is shared with.
  colleague: {
    user: env.COLLEAGUE_USER,
    uid: Number(env.COLLEAGUE_UID),
    home: `${env.HOME_ROOT}/${env.COLLEAGUE_USER}`,
    identityFile: `${env.KEY_DIR}/id_ed25519_colleague`,
    sshHost: 'porthole-test-colleague',
    sshHostLogin2: 'porthole-test-colleague-login2',
  },
  // Each home is a btrfs subvolume with a quota group, none limited: a test limits one with
  // `btrfs qgroup limit <size> <home>` and lifts it with `btrfs qgroup limit none <home>`.
  homeQuota: { mountpoint: env.HOME_ROOT, setLimit: 'btrfs qgroup limit <size> <home>', liftLimit: 'btrfs qgroup limit none <home>' },
  redis: {
    url: `redis://127.0.0.1:${port('REDIS_PORT')}`,
    sentinels: [{ host: '127.0.0.1', port: port('SENTINEL_PORT') }],
    sentinelMasterName: 'porthole',
  },
  slurm: {
    conf: env.SLURM_CONF_FILE,
    partitions: [
      { name: 'cpu', default: true, gres: [] },
      { name: 'gpu', default: false, gres: ['gpu:fake:1'], allowAccounts: [env.DEFAULT_ACCOUNT] },
    ],
    // Accounting (slurmdbd): the test user's accounts, default first, and each QOS's limit.
    accounts: [
      { name: env.DEFAULT_ACCOUNT, default: true, qos: ['normal', 'debug'] },
      { name: 'chem', default: false, qos: ['normal'] },
    ],
    qos: [
      { name: 'normal', maxWallMinutes: null },
      { name: 'debug', maxWallMinutes: minutes(env.DEBUG_QOS_MAX_WALL) },
    ],
    nodes: [{ name: env.NODE_NAME, address: env.NODE_ADDR, netns: env.NETNS, sshPort: 22 }],
    loginAddress: env.LOGIN_ADDR,
  },
  stateDir: env.STATE_DIR,
  pidFiles: Object.fromEntries(env.DAEMONS.split(' ').map((name) => [name, `${env.RUN_DIR}/${name}.pid`])),
};
writeFileSync(`${env.FILE}.tmp`, `${JSON.stringify(cluster, null, 2)}\n`);
renameSync(`${env.FILE}.tmp`, env.FILE);
