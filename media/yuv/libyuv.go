//go:build linux && cgo

package yuv

/*
#cgo LDFLAGS: -l:libyuv.a -lstdc++ -lm
#include <stdint.h>
#include <libyuv/convert_argb.h>
#include <libyuv/scale.h>
*/
import "C"

import "unsafe"

func ptr(b []byte) *C.uint8_t { return (*C.uint8_t)(unsafe.Pointer(&b[0])) }

// scale resizes src into dst (both I420). kFilterBox averages when a
// picture shrinks to less than half (small tiles do not shimmer); libyuv
// itself takes the cheaper bilinear filter above half.
func scale(dst, src Frame) {
	C.I420Scale(ptr(src.Y), C.int(src.YStride), ptr(src.U), C.int(src.CStride), ptr(src.V), C.int(src.CStride),
		C.int(src.W), C.int(src.H),
		ptr(dst.Y), C.int(dst.YStride), ptr(dst.U), C.int(dst.CStride), ptr(dst.V), C.int(dst.CStride),
		C.int(dst.W), C.int(dst.H), C.kFilterBox)
}

// toRGBA converts src into pix (R, G, B, A bytes: libyuv's "ABGR").
func toRGBA(pix []byte, stride int, src Frame) {
	C.I420ToABGR(ptr(src.Y), C.int(src.YStride), ptr(src.U), C.int(src.CStride), ptr(src.V), C.int(src.CStride),
		ptr(pix), C.int(stride), C.int(src.W), C.int(src.H))
}
