// Package vpx is a thin cgo wrapper of libvpx's VP8 encoder and decoder,
// made for real-time calls: one-pass constant bitrate with no look-ahead,
// the realtime deadline, a speed setting and threads (what
// pion/mediadevices does not expose), a bitrate changeable while running,
// and keyframes on demand. Frames are I420.
package vpx

/*
#cgo pkg-config: vpx
#include <stdlib.h>
#include <string.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vp8cx.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vp8dx.h>

typedef struct {
	vpx_codec_ctx_t ctx;
	vpx_codec_enc_cfg_t cfg;
	vpx_image_t img;
} kaigi_enc;

static int kaigi_enc_init(kaigi_enc *e, int w, int h, int fps, int kbps, int threads, int speed, int screen) {
	vpx_codec_err_t err = vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &e->cfg, 0);
	if (err) return err;
	e->cfg.g_w = w;
	e->cfg.g_h = h;
	e->cfg.g_timebase.num = 1;
	e->cfg.g_timebase.den = 90000;
	e->cfg.g_threads = threads;
	e->cfg.g_lag_in_frames = 0;
	e->cfg.g_pass = VPX_RC_ONE_PASS;
	e->cfg.g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;
	e->cfg.rc_end_usage = VPX_CBR;
	e->cfg.rc_target_bitrate = kbps;
	e->cfg.rc_min_quantizer = 4;
	e->cfg.rc_max_quantizer = 56;
	e->cfg.rc_undershoot_pct = 100;
	e->cfg.rc_overshoot_pct = 15;
	e->cfg.rc_buf_initial_sz = 500;
	e->cfg.rc_buf_optimal_sz = 600;
	e->cfg.rc_buf_sz = 1000;
	e->cfg.rc_dropframe_thresh = 0;
	e->cfg.kf_mode = VPX_KF_AUTO;
	e->cfg.kf_max_dist = 3000;
	err = vpx_codec_enc_init(&e->ctx, vpx_codec_vp8_cx(), &e->cfg, 0);
	if (err) return err;
	vpx_codec_control(&e->ctx, VP8E_SET_CPUUSED, speed);
	vpx_codec_control(&e->ctx, VP8E_SET_NOISE_SENSITIVITY, 0);
	vpx_codec_control(&e->ctx, VP8E_SET_STATIC_THRESHOLD, 1);
	vpx_codec_control(&e->ctx, VP8E_SET_TOKEN_PARTITIONS, threads > 1 ? VP8_TWO_TOKENPARTITION : VP8_ONE_TOKENPARTITION);
	vpx_codec_control(&e->ctx, VP8E_SET_MAX_INTRA_BITRATE_PCT, screen ? 900 : 300);
	if (screen) {
		// Text and flat areas: screen-content coding, keyframes allowed
		// to be large (a page of text is all detail), and never the
		// coarsest quantizers, which smear small characters.
		vpx_codec_control(&e->ctx, VP8E_SET_SCREEN_CONTENT_MODE, 1);
		e->cfg.rc_max_quantizer = 48;
		vpx_codec_enc_config_set(&e->ctx, &e->cfg);
	}
	return 0;
}

static int kaigi_enc_bitrate(kaigi_enc *e, int kbps) {
	e->cfg.rc_target_bitrate = kbps;
	return vpx_codec_enc_config_set(&e->ctx, &e->cfg);
}

// kaigi_enc_frame encodes one I420 frame and copies the compressed frame
// into out (cap bytes); returns its size (0 if the encoder dropped it, -1
// on error, -2 if out is too small); *key tells a keyframe.
static int kaigi_enc_frame(kaigi_enc *e, unsigned char *yuv, long long pts, int force_kf, unsigned char *out, int cap, int *key) {
	vpx_img_wrap(&e->img, VPX_IMG_FMT_I420, e->cfg.g_w, e->cfg.g_h, 1, yuv);
	if (vpx_codec_encode(&e->ctx, &e->img, pts, 1, force_kf ? VPX_EFLAG_FORCE_KF : 0, VPX_DL_REALTIME)) return -1;
	vpx_codec_iter_t iter = NULL;
	const vpx_codec_cx_pkt_t *pkt;
	int n = 0;
	*key = 0;
	while ((pkt = vpx_codec_get_cx_data(&e->ctx, &iter)) != NULL) {
		if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) continue;
		if (n + (int)pkt->data.frame.sz > cap) return -2;
		memcpy(out + n, pkt->data.frame.buf, pkt->data.frame.sz);
		n += pkt->data.frame.sz;
		if (pkt->data.frame.flags & VPX_FRAME_IS_KEY) *key = 1;
	}
	return n;
}

static int kaigi_dec_init(vpx_codec_ctx_t *ctx, int threads) {
	vpx_codec_dec_cfg_t cfg = {0};
	cfg.threads = threads;
	return vpx_codec_dec_init(ctx, vpx_codec_vp8_dx(), &cfg, 0);
}

static inline unsigned char clamp255(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

// kaigi_dec_frame decodes one frame; *img is the picture (valid until the
// next call) or NULL. yplane gets a copy of the luma plane's first rows
// (ylen bytes) for reading stamps.
static int kaigi_dec_frame(vpx_codec_ctx_t *ctx, unsigned char *data, int size, vpx_image_t **img,
		unsigned char *yplane, int ylen) {
	*img = NULL;
	if (vpx_codec_decode(ctx, data, size, NULL, 0)) return -1;
	vpx_codec_iter_t iter = NULL;
	vpx_image_t *im = vpx_codec_get_frame(ctx, &iter);
	if (!im) return 0;
	*img = im;
	int W = im->d_w, H = im->d_h;
	if (yplane) {
		int rows = ylen / W;
		if (rows > H) rows = H;
		for (int y = 0; y < rows; y++) memcpy(yplane + y * W, im->planes[0] + y * im->stride[0], W);
	}
	return 1;
}

static int kaigi_img_w(vpx_image_t *im) { return im->d_w; }
static int kaigi_img_h(vpx_image_t *im) { return im->d_h; }

// kaigi_to_rgba converts a picture (BT.601 limited range) into rgba
// (d_w*d_h*4 bytes).
static void kaigi_to_rgba(vpx_image_t *img, unsigned char *rgba) {
	int W = img->d_w, H = img->d_h;
	for (int y = 0; y < H; y++) {
		const unsigned char *Y = img->planes[0] + y * img->stride[0];
		const unsigned char *U = img->planes[1] + (y >> 1) * img->stride[1];
		const unsigned char *V = img->planes[2] + (y >> 1) * img->stride[2];
		unsigned char *o = rgba + y * W * 4;
		for (int x = 0; x < W; x++) {
			int c = 298 * (Y[x] - 16);
			int d = U[x >> 1] - 128;
			int e = V[x >> 1] - 128;
			o[0] = clamp255((c + 409 * e + 128) >> 8);
			o[1] = clamp255((c - 100 * d - 208 * e + 128) >> 8);
			o[2] = clamp255((c + 516 * d + 128) >> 8);
			o[3] = 255;
			o += 4;
		}
	}
}

*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	"kaigi/media/yuv"
)

// ErrCodec is wrapped by every libvpx failure.
var ErrCodec = errors.New("vpx")

// EncoderConfig sets up a VP8 encoder.
type EncoderConfig struct {
	Width, Height int
	FPS           int
	BitrateKbps   int
	Threads       int // 0: 1
	// Speed is libvpx's cpu-used for real time: -16 (best) .. 16
	// (fastest); negative values pick an adaptive speed. 0: -8.
	Speed int
	// ScreenContent tunes for shared screens (text, flat areas, little
	// motion) rather than cameras.
	ScreenContent bool
}

// Encoder is a VP8 encoder. Not safe for concurrent use.
type Encoder struct {
	e      *C.kaigi_enc
	cfg    EncoderConfig
	out    []byte
	pts    int64
	closed bool
}

// NewEncoder starts a VP8 encoder.
func NewEncoder(cfg EncoderConfig) (*Encoder, error) {
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width%2 != 0 || cfg.Height%2 != 0 {
		return nil, fmt.Errorf("%w: bad size %dx%d", ErrCodec, cfg.Width, cfg.Height)
	}
	if cfg.Threads <= 0 {
		cfg.Threads = 1
	}
	if cfg.Speed == 0 {
		cfg.Speed = -8
	}
	if cfg.FPS <= 0 {
		cfg.FPS = 30
	}
	if cfg.BitrateKbps <= 0 {
		cfg.BitrateKbps = 800
	}
	screen := C.int(0)
	if cfg.ScreenContent {
		screen = 1
	}
	e := (*C.kaigi_enc)(C.calloc(1, C.sizeof_kaigi_enc))
	if rc := C.kaigi_enc_init(e, C.int(cfg.Width), C.int(cfg.Height), C.int(cfg.FPS), C.int(cfg.BitrateKbps), C.int(cfg.Threads), C.int(cfg.Speed), screen); rc != 0 {
		C.free(unsafe.Pointer(e))
		return nil, fmt.Errorf("%w: encoder init failed (%d)", ErrCodec, int(rc))
	}
	return &Encoder{e: e, cfg: cfg, out: make([]byte, cfg.Width*cfg.Height*3/2+4096)}, nil
}

// FrameSize is the size of one I420 frame for the encoder.
func (enc *Encoder) FrameSize() int { return enc.cfg.Width * enc.cfg.Height * 3 / 2 }

// SetBitrate changes the target bitrate while running.
func (enc *Encoder) SetBitrate(kbps int) error {
	if kbps < 30 {
		kbps = 30
	}
	if rc := C.kaigi_enc_bitrate(enc.e, C.int(kbps)); rc != 0 {
		return fmt.Errorf("%w: set bitrate (%d)", ErrCodec, int(rc))
	}
	return nil
}

// Encode compresses one I420 frame. The result is valid until the next
// call; it is empty when the rate control dropped the frame.
func (enc *Encoder) Encode(i420 []byte, forceKeyframe bool) (frame []byte, keyframe bool, err error) {
	if len(i420) < enc.FrameSize() {
		return nil, false, fmt.Errorf("%w: frame of %d bytes, want %d", ErrCodec, len(i420), enc.FrameSize())
	}
	var key C.int
	force := C.int(0)
	if forceKeyframe {
		force = 1
	}
	n := C.kaigi_enc_frame(enc.e, (*C.uchar)(unsafe.Pointer(&i420[0])), C.longlong(enc.pts), force,
		(*C.uchar)(unsafe.Pointer(&enc.out[0])), C.int(len(enc.out)), &key)
	enc.pts += int64(90000 / enc.cfg.FPS)
	if n < 0 {
		return nil, false, fmt.Errorf("%w: encode failed (%d)", ErrCodec, int(n))
	}
	return enc.out[:n], key != 0, nil
}

// Close frees the encoder.
func (enc *Encoder) Close() {
	if enc.closed {
		return
	}
	enc.closed = true
	C.vpx_codec_destroy(&enc.e.ctx)
	C.free(unsafe.Pointer(enc.e))
}

// Decoder is a VP8 decoder. Not safe for concurrent use.
type Decoder struct {
	ctx    *C.vpx_codec_ctx_t
	img    *C.vpx_image_t // the last picture, until the next Decode
	closed bool
}

// NewDecoder starts a VP8 decoder.
func NewDecoder(threads int) (*Decoder, error) {
	if threads <= 0 {
		threads = 1
	}
	ctx := (*C.vpx_codec_ctx_t)(C.calloc(1, C.sizeof_vpx_codec_ctx_t))
	if rc := C.kaigi_dec_init(ctx, C.int(threads)); rc != 0 {
		C.free(unsafe.Pointer(ctx))
		return nil, fmt.Errorf("%w: decoder init failed (%d)", ErrCodec, int(rc))
	}
	return &Decoder{ctx: ctx}, nil
}

// Decode decodes one compressed frame. ok is false when the data held no
// picture. stamp, if not nil, receives the first rows of the luma plane
// (len(stamp)/w rows), which is all a reader of the test pattern's stamp
// needs. The picture stays available to RGBA until the next Decode.
func (d *Decoder) Decode(frame []byte, stamp []byte) (w, h int, ok bool, err error) {
	d.img = nil
	if len(frame) == 0 {
		return 0, 0, false, nil
	}
	var sp *C.uchar
	if len(stamp) > 0 {
		sp = (*C.uchar)(unsafe.Pointer(&stamp[0]))
	}
	rc := C.kaigi_dec_frame(d.ctx, (*C.uchar)(unsafe.Pointer(&frame[0])), C.int(len(frame)), &d.img, sp, C.int(len(stamp)))
	switch rc {
	case -1:
		return 0, 0, false, fmt.Errorf("%w: corrupt frame", ErrCodec)
	case 0:
		return 0, 0, false, nil
	}
	return int(C.kaigi_img_w(d.img)), int(C.kaigi_img_h(d.img)), true, nil
}

// RGBA converts the last decoded picture into rgba, which must hold
// w*h*4 bytes.
func (d *Decoder) RGBA(rgba []byte) error {
	if d.img == nil {
		return fmt.Errorf("%w: no picture", ErrCodec)
	}
	if len(rgba) < int(C.kaigi_img_w(d.img))*int(C.kaigi_img_h(d.img))*4 {
		return fmt.Errorf("%w: RGBA buffer too small", ErrCodec)
	}
	C.kaigi_to_rgba(d.img, (*C.uchar)(unsafe.Pointer(&rgba[0])))
	return nil
}

// Frame is the last picture as I420 planes in the decoder's own memory,
// valid until the next Decode or Close.
func (d *Decoder) Frame() (yuv.Frame, error) {
	if d.img == nil {
		return yuv.Frame{}, fmt.Errorf("%w: no picture", ErrCodec)
	}
	w, h := int(d.img.d_w), int(d.img.d_h)
	ys, cs := int(d.img.stride[0]), int(d.img.stride[1])
	plane := func(i, stride, cw, ch int) []byte {
		return unsafe.Slice((*byte)(unsafe.Pointer(d.img.planes[i])), stride*(ch-1)+cw)
	}
	cw, ch := (w+1)/2, (h+1)/2
	return yuv.Frame{Y: plane(0, ys, w, h), U: plane(1, cs, cw, ch), V: plane(2, cs, cw, ch),
		YStride: ys, CStride: cs, W: w, H: h}, nil
}

// Close frees the decoder.
func (d *Decoder) Close() {
	if d.closed {
		return
	}
	d.closed = true
	d.img = nil
	C.vpx_codec_destroy(d.ctx)
	C.free(unsafe.Pointer(d.ctx))
}
