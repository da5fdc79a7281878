// Pairs this computer's Moonlight with a session's Sunshine without the person typing a PIN:
// a fresh PIN goes to `moonlight pair` and to Sunshine's web API. Neither side's word counts
// (both report success on a wrong PIN, docs/field-notes.md): only `moonlight list` decides.
//
// Why no other client ends up paired: Sunshine gives a posted PIN to ONE waiting pairing
// request, not necessarily ours (nvhttp's pin() takes the first of its map), and offers no way
// to see who waits. So (1) the PIN is given at most once: /api/pin is posted again only while
// it answers that no request took it; (2) the clients Sunshine lists before and after are
// compared, each pairing posted under a name of its own: a client that appeared is kept only
// when it bears this pairing's name AND `moonlight list` says this computer is paired (the PIN
// reached our request, so it reached no other); every other new client is removed with
// /api/clients/unpair. Nobody but this user can post a PIN (the web credentials are in the
// session's 0600 files, the web UI answers only the node's loopback) and every pairing cleans
// up after itself like this, so the clients listed before a pairing are this user's own (their
// other computers): they stay.
import { randomBytes, randomInt } from 'node:crypto';
import { PortholeError } from '../errors';
import type { MoonlightRunner } from './moonlight-process';
import type { SunshineWebApi } from './sunshine-web-api';

export interface PairingInput {
  moonlight: MoonlightRunner;
  /** host:portBase, as Moonlight takes it. */
  address: string;
  node: string;
  webApi: SunshineWebApi;
  /** How Sunshine lists this computer among its paired clients (a short tag is added per pairing). */
  clientName: string;
  /** How long `moonlight pair` may still take once a request took the PIN (if not ours, it never ends). */
  pinTakenGraceMs?: number;
}

/** `already`: Moonlight was paired with this node before; `now`: paired by this call. */
export type PairingOutcome = 'already' | 'now';

const LIST_TIMEOUT_MS = 15_000;
// The real client waits this long for the PIN to be entered on the host.
const PAIR_TIMEOUT_MS = 60_000;
// The client needs a moment to ask Sunshine to pair: until then no request waits for the PIN.
const PIN_RETRY_MS = 50;
// Our client finishes within a few round trips once it has the PIN.
const PIN_TAKEN_GRACE_MS = 10_000;
// A PIN another client's request took is retried once with a new PIN; a second time means
// someone keeps racing us, which the person should hear about.
const ATTEMPTS = 2;

type Attempt = 'paired' | 'wrong-pin' | 'taken-by-another';

function newPin(): string {
  return String(randomInt(0, 10_000)).padStart(4, '0');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function isPaired(moonlight: MoonlightRunner, address: string): Promise<boolean> {
  return (await moonlight.run(['list', address], LIST_TIMEOUT_MS)).code === 0;
}

export async function ensurePaired(input: PairingInput): Promise<PairingOutcome> {
  const { moonlight, address, node, webApi } = input;
  if (await isPaired(moonlight, address)) return 'already';
  // Also the first check of the web UI (its certificate, the credentials), before any client starts.
  const known = new Set((await webApi.listClients()).map((client) => client.uuid));
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const outcome = await pairOnce(input, known);
    if (outcome === 'paired') return 'now';
    if (outcome === 'wrong-pin') {
      throw new PortholeError(
        `Pairing with node ${node} did not take: ` +
          `Moonlight and Sunshine both reported success, but \`moonlight list\` ` +
          `says this computer is not paired (the PIN was not the one Sunshine expected). ` +
          `Open again to pair with a new PIN.`,
      );
    }
  }
  throw new PortholeError(
    `Pairing with node ${node} failed ${ATTEMPTS} times: ` +
      `each time another Moonlight client was asking Sunshine to pair at the same moment ` +
      `and Sunshine gave it the PIN meant for this computer. ` +
      `Porthole removed every client that paired so. ` +
      `Open again; if this keeps happening, ` +
      `someone on that node's network is interfering: tell the site.`,
  );
}

async function pairOnce(input: PairingInput, known: Set<string>): Promise<Attempt> {
  const { moonlight, address, node, webApi } = input;
  // The PIN is in the argv of `moonlight pair` on this computer: the real client takes it no
  // other way. It is good for this one pairing only, which ends within seconds.
  const pin = newPin();
  const name = `${input.clientName} ${randomBytes(3).toString('hex')}`;
  const abort = new AbortController();
  let clientDone = false;
  const pairing = moonlight.run(['pair', address, '--pin', pin], PAIR_TIMEOUT_MS, abort.signal).finally(() => (clientDone = true));
  // Its failure is read below (await pairing, or the race);
  // this only keeps an early exit, while the PIN is posted, from an unhandled rejection.
  pairing.catch(() => undefined);
  let taken = false;
  try {
    while (!taken && !clientDone) {
      taken = await webApi.postPin(pin, name);
      if (!taken) await sleep(PIN_RETRY_MS);
    }
  } catch (error) {
    abort.abort();
    throw error;
  }
  if (!taken) {
    const result = await pairing;
    throw new PortholeError(
      `Moonlight could not start pairing with node ${node} (exit ${result.code}): ${result.output.trim().slice(-300)}`,
    );
  }
  const finished = await Promise.race([pairing.then(() => true), sleep(input.pinTakenGraceMs ?? PIN_TAKEN_GRACE_MS).then(() => false)]);
  if (!finished) abort.abort();
  // Whether it paired is asked of Moonlight next (isPaired): the exit of a pair that was aborted says nothing.
  await pairing.catch(() => undefined);

  const paired = await isPaired(moonlight, address);
  const newcomers = (await webApi.listClients()).filter((client) => !known.has(client.uuid));
  const ours = paired ? newcomers.find((client) => client.name === name) : undefined;
  for (const stranger of newcomers.filter((client) => client !== ours)) await webApi.unpair(stranger.uuid);
  if (ours) {
    known.add(ours.uuid);
    return 'paired';
  }
  return finished && !newcomers.some((client) => client.name === name) ? 'wrong-pin' : 'taken-by-another';
}
