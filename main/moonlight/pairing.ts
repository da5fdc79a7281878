// Pairs this computer's Moonlight with a session's Sunshine without the person typing a PIN:
// a fresh PIN goes to `moonlight pair` and to Sunshine's web API at once. Neither side's word
// counts (both report success on a wrong PIN, NOTES.md): only `moonlight list` decides.
import { randomInt } from 'node:crypto';
import { PortholeError } from '../errors';
import type { MoonlightRunner } from './moonlight-process';

export interface PairingInput {
  moonlight: MoonlightRunner;
  /** host:portBase, as Moonlight takes it. */
  address: string;
  node: string;
  /** Gives the PIN to Sunshine; true when Sunshine took it (which is not proof of pairing). */
  sendPin: (pin: string) => Promise<boolean>;
}

/** `already`: Moonlight was paired with this node before; `now`: paired by this call. */
export type PairingOutcome = 'already' | 'now';

const LIST_TIMEOUT_MS = 15_000;
// The real client waits this long for the PIN to be entered on the host.
const PAIR_TIMEOUT_MS = 60_000;
// Sunshine takes a PIN only while the client's pairing request waits for one, and the client
// needs a moment to get there: offer the PIN again until it is taken or the client gives up.
const PIN_RETRY_MS = 50;

function newPin(): string {
  return String(randomInt(0, 10_000)).padStart(4, '0');
}

async function isPaired(moonlight: MoonlightRunner, address: string): Promise<boolean> {
  return (await moonlight.run(['list', address], LIST_TIMEOUT_MS)).code === 0;
}

export async function ensurePaired(input: PairingInput): Promise<PairingOutcome> {
  const { moonlight, address, node } = input;
  if (await isPaired(moonlight, address)) return 'already';
  // The PIN is in the argv of `moonlight pair` on this computer: the real client takes it no
  // other way. It is good for this one pairing only, which ends within seconds.
  const pin = newPin();
  const abort = new AbortController();
  let clientDone = false;
  const pairing = moonlight.run(['pair', address, '--pin', pin], PAIR_TIMEOUT_MS, abort.signal).finally(() => (clientDone = true));
  pairing.catch(() => undefined);
  let taken = false;
  try {
    while (!taken && !clientDone) {
      taken = await input.sendPin(pin);
      if (!taken) await new Promise((resolve) => setTimeout(resolve, PIN_RETRY_MS));
    }
  } catch (error) {
    abort.abort();
    throw error;
  }
  const result = await pairing;
  if (!taken) throw new PortholeError(`Moonlight could not start pairing with node ${node} (exit ${result.code}): ${result.output.trim().slice(-300)}`);
  if (!(await isPaired(moonlight, address))) {
    throw new PortholeError(`Pairing with node ${node} did not take: Moonlight and Sunshine both reported success, but \`moonlight list\` says this computer is not paired (the PIN was not the one Sunshine expected). Open again to pair with a new PIN.`);
  }
  return 'now';
}
