// A LiveKit participant in the browser, as LiveKit Meet would be: joins
// with Chromium's fake camera and microphone, shows and measures what it
// receives, and chats the way LiveKit's components do. Its results are in
// window.stats for the driver (run.mjs); a screen share it receives
// counts as "ID/screen". With ?share=1 it shares its screen. With ?passphrase=… it joins with
// end-to-end encryption as LiveKit Meet does (an ExternalE2EEKeyProvider
// and livekit-client's own worker).
import { ExternalE2EEKeyProvider, Room, RoomEvent, Track } from 'livekit-client';

const q = new URLSearchParams(location.search);
const t0 = performance.timeOrigin;
const stats = { connected_ms: 0, first_frame_ms: 0, frames: {}, audio: {}, chat: [], error: '', e2ee: false, e2ee_errors: 0 };
window.stats = stats;

const passphrase = q.get('passphrase');
const keyProvider = passphrase ? new ExternalE2EEKeyProvider() : undefined;
const room = new Room({
  adaptiveStream: false,
  dynacast: false,
  // The worker is served from node_modules as it is installed.
  e2ee: keyProvider && {
    keyProvider,
    worker: new Worker('node_modules/livekit-client/dist/livekit-client.e2ee.worker.mjs', { type: 'module' }),
  },
});
room.on(RoomEvent.EncryptionError, () => { stats.e2ee_errors++; });
// Our own media is encrypted once our tracks are: after connecting.
room.on(RoomEvent.ParticipantEncryptionStatusChanged, (enabled, participant) => {
  if (participant === room.localParticipant) stats.e2ee = enabled;
});
const audioCtx = new AudioContext();

room.on(RoomEvent.TrackSubscribed, (track, pub, participant) => {
  // A screen share counts apart from the camera: "ID/screen".
  const who = participant.identity + (pub.source === Track.Source.ScreenShare ? '/screen' : '');
  const el = track.attach();
  el.muted = track.kind === 'audio' ? false : true;
  document.body.appendChild(el);
  if (track.kind === 'video') {
    const onFrame = (now, meta) => {
      stats.frames[who] = meta.presentedFrames;
      if (!stats.first_frame_ms) stats.first_frame_ms = performance.now();
      el.requestVideoFrameCallback(onFrame);
    };
    el.requestVideoFrameCallback(onFrame);
  } else {
    // Hear it: the loudest level of what arrives.
    const src = audioCtx.createMediaStreamSource(new MediaStream([track.mediaStreamTrack]));
    const an = audioCtx.createAnalyser();
    src.connect(an);
    const buf = new Float32Array(an.fftSize);
    setInterval(() => {
      an.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      const rms = Math.sqrt(sum / buf.length);
      stats.audio[who] = Math.max(stats.audio[who] || 0, rms);
    }, 100);
  }
});

const seen = new Set();
function chat(id, from, text) {
  if (!text || (id && seen.has(id))) return;
  if (id) seen.add(id);
  stats.chat.push({ from, text });
}
room.on(RoomEvent.DataReceived, (payload, participant, kind, topic) => {
  if (topic !== 'lk-chat-topic') return;
  try {
    const m = JSON.parse(new TextDecoder().decode(payload));
    chat(m.id, participant?.identity, m.message);
  } catch (e) { /* not chat */ }
});
room.registerTextStreamHandler('lk.chat', async (reader, info) => {
  chat(reader.info.id, info.identity, await reader.readAll());
});

window.sendChat = async (text) => {
  const info = await room.localParticipant.sendText(text, { topic: 'lk.chat' });
  const legacy = JSON.stringify({ id: info.id, timestamp: Date.now(), message: text });
  await room.localParticipant.publishData(new TextEncoder().encode(legacy), { reliable: true, topic: 'lk-chat-topic' });
};

(async () => {
  try {
    if (keyProvider) {
      await keyProvider.setKey(passphrase);
      await room.setE2EEEnabled(true);
    }
    await room.connect(q.get('url'), q.get('token'));
    stats.connected_ms = performance.now();
    await room.localParticipant.enableCameraAndMicrophone();
    // ?share=1: share the screen too (getDisplayMedia; Chromium's fake
    // capture under --use-fake-device-for-media-stream).
    if (q.get('share')) await room.localParticipant.setScreenShareEnabled(true);
  } catch (e) {
    stats.error = String(e);
  }
})();
