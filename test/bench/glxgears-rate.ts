// What glxgears itself drew, from its own lines in the job's log ("1234 frames in 5.0 seconds =
// 246.800 FPS", one every 5 s). Xvnc's damage count (xvnc-stats.ts) is fewer: a tick of its frame
// clock takes in every frame drawn since the last one (docs/field-notes.md).

/** Frames a second over glxgears's lines in `log`, or undefined when it has none. */
export function glxgearsFrameRate(log: string): number | undefined {
  let frames = 0;
  let seconds = 0;
  for (const match of log.matchAll(/^(\d+) frames in ([\d.]+) seconds = /gm)) {
    frames += Number(match[1]);
    seconds += Number(match[2]);
  }
  return seconds > 0 ? frames / seconds : undefined;
}
