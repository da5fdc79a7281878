// The way out of keyboard capture: Ctrl and Alt pressed together and let go with no other key
// in between (as in VMware's viewers). Every other key, Ctrl+W, Ctrl+R and Ctrl+Q included,
// goes to the remote desktop, and Ctrl+Alt+Del or Ctrl+Alt+T still work there: another key
// pressed while Ctrl and Alt are held makes it a combination, not the way out.

const CHORD_KEYS = ['Control', 'Alt'];

export class ReleaseChord {
  private readonly held = new Set<string>();
  private combined = false;

  keyDown(key: string): void {
    if (CHORD_KEYS.includes(key)) this.held.add(key);
    else this.combined = true;
  }

  /** True on the key-up that completes the chord. */
  keyUp(key: string): boolean {
    const complete = !this.combined && CHORD_KEYS.every((k) => this.held.has(k)) && CHORD_KEYS.includes(key);
    this.held.delete(key);
    // The other key of the chord, let go next, must not complete it a second time.
    this.combined = complete || (this.combined && this.held.size > 0);
    if (this.held.size === 0) this.combined = false;
    return complete;
  }
}
