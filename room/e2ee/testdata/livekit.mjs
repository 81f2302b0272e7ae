// Runs livekit-client's own end-to-end encryption worker (the bundle that a
// browser loads, dist/livekit-client.e2ee.worker.mjs) in Node, with fake
// encoded frames, so that Go tests can check our format against it.
//
//   node livekit.mjs WORKER.mjs < request.json > answer.json
//
// request: { passphrase, encrypt: [frame], decrypt: [frame], ratchet: bool }
// frame:   { kind: "video"|"audio", type: "key"|"delta", ssrc, ts, data: hex }
// answer:  { encrypted: [hex], decrypted: [hex|null], ratcheted: [hex], errors: [string] }
//
// The worker is driven by the messages livekit-client's E2eeManager sends
// it with an ExternalE2EEKeyProvider (a passphrase): init, enable,
// setKey, encode/decode with a pair of streams, ratchetRequest.
import { readFileSync } from 'node:fs';

const workerPath = process.argv[2];
const req = JSON.parse(readFileSync(0, 'utf8'));

const errors = [];
globalThis.self = globalThis;
globalThis.onmessage = null;
globalThis.postMessage = (m) => {
  if (m && m.kind === 'error') errors.push(String(m.data.error && m.data.error.message));
};
// Referenced by the worker's logging only.
globalThis.RTCEncodedAudioFrame = class {};
globalThis.RTCEncodedVideoFrame = class {};
await import(workerPath);
const send = (kind, data) => globalThis.onmessage({ data: { kind, data } });

const hex = (buf) => Buffer.from(new Uint8Array(buf)).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex')).buffer;

// An RTCEncodedVideoFrame has a type, an audio frame has none: that is how
// the worker tells them apart (isVideoFrame in utils.ts).
function encodedFrame(f) {
  const meta = {
    synchronizationSource: f.ssrc,
    payloadType: f.kind === 'video' ? 96 : 111,
    mimeType: f.kind === 'video' ? 'video/VP8' : 'audio/opus',
  };
  const frame = { data: unhex(f.data), timestamp: f.ts, getMetadata: () => meta };
  if (f.kind === 'video') frame.type = f.type;
  return frame;
}

// run pipes frames through the worker's transform for one track and
// returns what comes out, in order (dropped frames are missing).
let trackNo = 0;
async function run(operation, frames) {
  const out = [];
  let closed;
  const done = new Promise((r) => (closed = r));
  const readable = new ReadableStream({
    start(c) {
      for (const f of frames) c.enqueue(f);
      c.close();
    },
  });
  const writable = new WritableStream({
    write(f) { out.push(f); },
    close() { closed(); },
  });
  send(operation, {
    participantIdentity: operation === 'encode' ? 'me' : 'them',
    trackId: `track-${trackNo++}`,
    readableStream: readable,
    writableStream: writable,
    codec: 'vp8',
    isReuse: false,
  });
  await done;
  return out;
}

// What ExternalE2EEKeyProvider sets (src/e2ee/KeyProvider.ts).
send('init', {
  keyProviderOptions: {
    sharedKey: true, ratchetSalt: 'LKFrameEncryptionKey', ratchetWindowSize: 0,
    failureTolerance: -1, keyringSize: 16, keySize: 128,
  },
  loglevel: 'silent',
});
send('enable', { enabled: true, participantIdentity: 'me' });
send('enable', { enabled: true, participantIdentity: 'them' });
// createKeyMaterialFromString (src/e2ee/utils.ts).
const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(req.passphrase),
  { name: 'PBKDF2' }, false, ['deriveBits', 'deriveKey']);
send('setKey', { key: material, keyIndex: 0 });

const answer = { encrypted: [], decrypted: [], ratcheted: [], errors };
const encrypted = await run('encode', (req.encrypt || []).map(encodedFrame));
answer.encrypted = encrypted.map((f) => hex(f.data));

// Decrypt one frame at a time so that a dropped frame leaves a null.
for (const f of req.decrypt || []) {
  const got = await run('decode', [encodedFrame(f)]);
  answer.decrypted.push(got.length ? hex(got[0].data) : null);
}

if (req.ratchet) {
  send('ratchetRequest', { keyIndex: 0 });
  // The worker does not await the ratchet (handleRatchetRequest), and a
  // shared key handler posts nothing when it is done: give it time.
  await new Promise((r) => setTimeout(r, 1500));
  const r = await run('encode', (req.encrypt || []).map(encodedFrame));
  answer.ratcheted = r.map((f) => hex(f.data));
}
console.log(JSON.stringify(answer));
