// The way out of keyboard capture: Ctrl and Alt pressed together and let go with no other key
// in between (as in VMware's viewers). Every other key, Ctrl+W, Ctrl+R and Ctrl+Q included,
// goes to the remote desktop, and Ctrl+Alt+Del or Ctrl+Alt+T still work there: another key
// pressed while Ctrl and Alt are held makes it a combination, not the way out.

const CHORD_KEYS = ['Control', 'Alt'];

export class ReleaseChord {
  private readonly held = new Set<string>();
  private bothHeld = false;
  private combined = false;

  keyDown(key: string): void {
    if (!CHORD_KEYS.includes(key)) this.combined = true;
    else this.held.add(key);
    if (CHORD_KEYS.every((k) => this.held.has(k))) this.bothHeld = true;
  }

  /**
   * True on the key-up that completes the chord: the last of the two let go, so that the
   * remote desktop has seen both go up (noVNC lets go of held keys only when the page loses
   * the focus, not the desktop).
   */
  keyUp(key: string): boolean {
    this.held.delete(key);
    if (this.held.size > 0) return false;
    const complete = this.bothHeld && !this.combined && CHORD_KEYS.includes(key);
    this.bothHeld = false;
    this.combined = false;
    return complete;
  }
}
