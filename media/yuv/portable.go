//go:build !(linux && cgo)

package yuv

func scale(dst, src Frame) { scaleGo(dst, src) }

func toRGBA(pix []byte, stride int, src Frame) { toRGBAGo(pix, stride, src) }
