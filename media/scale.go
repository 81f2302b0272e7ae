package media

import "kaigi/media/yuv"

// scaleI420 shrinks an I420 picture of sw x sh into dst (dw x dh, both
// even and no larger), with the scaler the layers and the screen use.
func scaleI420(src []byte, sw, sh int, dst []byte, dw, dh int) {
	yuv.Scale(yuv.FromI420(dst, dw, dh), yuv.FromI420(src, sw, sh))
}
