import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glxgearsFrameRate } from '../../bench/glxgears-rate';

test("glxgears's frame rate is its frames over its seconds, across the lines between Xvnc's own", () => {
  const log = [
    'Tue Dec  1 17:30:01 2026',
    ' Connections: accepted: unix socket',
    '150 frames in 5.0 seconds = 30.000 FPS',
    ' EncodeManager: Framebuffer updates: 377',
    '176 frames in 5.0 seconds = 35.200 FPS',
    '66 frames in 2.0 seconds = 33.000 FPS',
  ].join('\n');
  assert.equal(glxgearsFrameRate(log), (150 + 176 + 66) / 12);
});

test('a log without glxgears lines has no rate', () => {
  assert.equal(glxgearsFrameRate(' EncodeManager: Framebuffer updates: 377\n'), undefined);
  assert.equal(glxgearsFrameRate('x 150 frames in 5.0 seconds = 30.000 FPS'), undefined);
});
