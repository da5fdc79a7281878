// What the agent reads from a Sunshine session and from a GPU node's probe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConnectionFile } from '../../../agent/connection-file';
import { parseGpuProbe } from '../../../agent/gpu-node-checks';

describe('connection.json of a Sunshine session', () => {
  it('reads host and port base, and refuses what is not one', () => {
    assert.deepEqual(parseConnectionFile('{"kind":"sunshine","node":"gpu07","host":"10.1.2.7","portBase":47989}', 's'), { kind: 'sunshine', node: 'gpu07', host: '10.1.2.7', portBase: 47989 });
    assert.throws(() => parseConnectionFile('{"kind":"sunshine","node":"gpu07","host":"-oProxyCommand=x","portBase":47989}', 's'), /connection.json of session 's' is not one this agent can read/);
    assert.throws(() => parseConnectionFile('{"kind":"sunshine","node":"gpu07","host":"10.1.2.7","portBase":65530}', 's'), /not one this agent can read/);
  });
});

describe('doctor on a GPU node', () => {
  it('says when NVENC or /dev/uinput is missing, and what to do', () => {
    const [nvenc, uinput] = parseGpuProbe('node=gpu07\nnvenc=no-encoder\nuinput=missing\n', 'gpu');
    assert.equal(nvenc.status, 'warn');
    assert.match(nvenc.message, /The GPU of gpu07 \(gpu\) has no NVENC encoder: Sunshine falls back to software encoding/);
    assert.equal(uinput.status, 'warn');
    assert.match(uinput.message, /\/dev\/uinput on gpu07 \(gpu\) is missing: .*keyboard and mouse do not reach it/);
    assert.match(uinput.fix ?? '', /uinput module/);
  });

  it('is content with a GPU that has NVENC and a writable /dev/uinput', () => {
    const checks = parseGpuProbe('node=gpu07\nnvenc=yes NVIDIA L40S\nuinput=writable\n', 'gpu');
    assert.deepEqual(checks.map((c) => c.status), ['ok', 'ok']);
    assert.match(checks[0].message, /NVENC on NVIDIA L40S/);
  });
});
