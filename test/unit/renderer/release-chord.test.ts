import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReleaseChord } from '../../../renderer/views/viewer/release-chord';

/** Plays `+Key` (down) and `-Key` (up) in order; the keys whose up completed the chord. */
function play(chord: ReleaseChord, steps: string): string[] {
  const released: string[] = [];
  for (const step of steps.split(' ')) {
    const key = step.slice(1);
    if (step.startsWith('+')) chord.keyDown(key);
    else if (chord.keyUp(key)) released.push(key);
  }
  return released;
}

test('Ctrl and Alt pressed together give the keyboard back once both are let go, in either order', () => {
  const chord = new ReleaseChord();
  assert.deepEqual(play(chord, '+Control +Alt -Alt -Control'), ['Control']);
  assert.deepEqual(play(chord, '+Alt +Control -Alt -Control'), ['Control']);
  assert.deepEqual(play(chord, '+Control +Alt -Control -Alt'), ['Alt']);
});

test('a combination with Ctrl and Alt (Ctrl+Alt+Del, Ctrl+Alt+T, with Shift) stays with the desktop', () => {
  const chord = new ReleaseChord();
  assert.deepEqual(play(chord, '+Control +Alt +Delete -Delete -Alt -Control'), []);
  assert.deepEqual(play(chord, '+Control +Alt +t -t -Control -Alt'), []);
  assert.deepEqual(play(chord, '+Shift +Control +Alt -Alt -Control -Shift'), []);
  assert.deepEqual(play(chord, '+Control +Alt -Alt -Control'), ['Control'], 'after a combination the chord works again');
});

test('Ctrl alone, Alt alone and Ctrl+W, Ctrl+R, Ctrl+Q never give the keyboard back', () => {
  const chord = new ReleaseChord();
  assert.deepEqual(play(chord, '+Control -Control +Alt -Alt +Control +w -w +r -r +q -q -Control'), []);
});
