// A LiveKit participant in the browser, as LiveKit Meet would be: joins
// with Chromium's fake camera and microphone, shows and measures what it
// receives, and chats the way LiveKit's components do. Its results are in
// window.stats for the driver (run.mjs); a screen share it receives
// counts as "ID/screen". With ?share=1 it shares its screen. With ?passphrase=… it joins with
// end-to-end encryption as LiveKit Meet does (an ExternalE2EEKeyProvider
// and livekit-client's own worker). With ?grid=WxH it shows the videos,
// its own camera too, in a grid of that size laid out as Kaigi's call
// screen lays out its tiles (bench/window.sh: the same picture sizes).
import { ExternalE2EEKeyProvider, Room, RoomEvent, Track } from 'livekit-client';

const q = new URLSearchParams(location.search);
const t0 = performance.timeOrigin;
const stats = { connected_ms: 0, first_frame_ms: 0, frames: {}, audio: {}, chat: [], error: '', e2ee: false, e2ee_errors: 0 };
window.stats = stats;

const passphrase = q.get('passphrase');
const keyProvider = passphrase ? new ExternalE2EEKeyProvider() : undefined;
const options = {
  adaptiveStream: false,
  dynacast: false,
  // The worker is served from node_modules as it is installed.
  e2ee: keyProvider && {
    keyProvider,
    worker: new Worker('node_modules/livekit-client/dist/livekit-client.e2ee.worker.mjs', { type: 'module' }),
  },
};
// ?capture=640x480@30 captures the camera at that size and rate
// (livekit-client's default is 1280x720@30); the layers it publishes
// follow from it as livekit-client chooses them.
const capture = /^(\d+)x(\d+)@(\d+)$/.exec(q.get('capture') || '');
if (capture) {
  options.videoCaptureDefaults = { resolution: { width: Number(capture[1]), height: Number(capture[2]), frameRate: Number(capture[3]) } };
}
// ?dtx=0 sends sound every 20 ms even in silence (livekit-client's
// default, DTX, sends next to nothing between the fake microphone's
// beeps), so that packets received can be counted against those sent.
if (q.get('dtx') === '0') options.publishDefaults = { dtx: false };
const room = new Room(options);
room.on(RoomEvent.EncryptionError, () => { stats.e2ee_errors++; });
// Our own media is encrypted once our tracks are: after connecting.
room.on(RoomEvent.ParticipantEncryptionStatusChanged, (enabled, participant) => {
  if (participant === room.localParticipant) stats.e2ee = enabled;
});
const audioCtx = new AudioContext();

// The grid: as app/grid.go arranges tiles (4 px apart, tiles between 1:1
// and 16:9, the pictures covering them), at Kaigi's stage position.
const gridSize = /^(\d+)x(\d+)$/.exec(q.get('grid') || '');
let grid = null;
if (gridSize) {
  document.body.style.cssText = 'margin:0;background:#181818;overflow:hidden';
  grid = document.createElement('div');
  grid.style.cssText = `position:absolute;left:4px;top:44px;width:${gridSize[1]}px;height:${gridSize[2]}px`;
  document.body.appendChild(grid);
}
function arrange(n, W, H, pad) {
  let best = -1, cols = 0, tw = W, th = H;
  for (let c = 1; c <= Math.max(1, n); c++) {
    const rows = Math.ceil(n / c);
    let w = (W - pad * (c - 1)) / c, h = (H - pad * (rows - 1)) / rows;
    if (w <= 0 || h <= 0) continue;
    if (w / h > 16 / 9) w = h * 16 / 9;
    if (w / h < 1) h = w;
    if (w * h > best) { best = w * h; cols = c; tw = w; th = h; }
  }
  return { cols: cols || 1, tw, th };
}
function layoutGrid() {
  const els = [...grid.children], n = els.length, pad = 4;
  const W = Number(gridSize[1]), H = Number(gridSize[2]);
  const { cols, tw, th } = arrange(n, W, H, pad);
  const rows = Math.ceil(n / cols);
  let y = (H - (rows * th + pad * (rows - 1))) / 2;
  for (let r = 0; r < rows; r++) {
    const first = r * cols, inRow = Math.min(cols, n - first);
    let x = (W - (inRow * tw + pad * (inRow - 1))) / 2;
    for (let i = first; i < first + inRow; i++) {
      Object.assign(els[i].style, { position: 'absolute', left: `${Math.round(x)}px`, top: `${Math.round(y)}px`,
        width: `${tw}px`, height: `${th}px`, objectFit: 'cover' });
      x += tw + pad;
    }
    y += th + pad;
  }
}
function showVideo(el, who) {
  if (grid) {
    grid.appendChild(el);
    layoutGrid();
  } else {
    document.body.appendChild(el);
  }
  const onFrame = (now, meta) => {
    stats.frames[who] = meta.presentedFrames;
    if (!stats.first_frame_ms && who !== 'self') stats.first_frame_ms = performance.now();
    el.requestVideoFrameCallback(onFrame);
  };
  el.requestVideoFrameCallback(onFrame);
}

room.on(RoomEvent.TrackSubscribed, (track, pub, participant) => {
  // A screen share counts apart from the camera: "ID/screen".
  const who = participant.identity + (pub.source === Track.Source.ScreenShare ? '/screen' : '');
  const el = track.attach();
  el.muted = track.kind === 'audio' ? false : true;
  if (track.kind === 'video') {
    showVideo(el, who);
  } else {
    document.body.appendChild(el);
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

// What the camera is sent as now, a layer (RTP stream) each, smallest
// first: its size, frame rate, bytes so far and what limits it.
window.sentVideo = async () => {
  const track = room.localParticipant.getTrackPublication(Track.Source.Camera)?.track;
  if (!track || !track.sender) return [];
  const layers = [];
  (await track.sender.getStats()).forEach((s) => {
    if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
    layers.push({ rid: s.rid || '', width: s.frameWidth || 0, height: s.frameHeight || 0, fps: s.framesPerSecond || 0,
      bytes: s.bytesSent || 0, limitation: s.qualityLimitationReason || '' });
  });
  return layers.sort((a, b) => a.width - b.width);
};

// Leaves the room at once (bench/window.sh), not after the server's timeout.
window.leave = () => room.disconnect();

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
    const cam = room.localParticipant.getTrackPublication(Track.Source.Camera);
    if (grid && cam && cam.track) showVideo(cam.track.attach(), 'self');
  } catch (e) {
    stats.error = String(e);
  }
})();
