package media

// scaleI420 shrinks an I420 picture of sw x sh into dst (dw x dh, both
// even and no larger): each pixel of dst is the bilinear blend of the
// four source pixels around its centre.
func scaleI420(src []byte, sw, sh int, dst []byte, dw, dh int) {
	scalePlane(src[:sw*sh], sw, sh, dst[:dw*dh], dw, dh)
	sq, dq := sw*sh/4, dw*dh/4
	scalePlane(src[sw*sh:sw*sh+sq], sw/2, sh/2, dst[dw*dh:dw*dh+dq], dw/2, dh/2)
	scalePlane(src[sw*sh+sq:sw*sh+2*sq], sw/2, sh/2, dst[dw*dh+dq:dw*dh+2*dq], dw/2, dh/2)
}

// scalePlane resamples one plane in 16.16 fixed point (8-bit weights).
func scalePlane(src []byte, sw, sh int, dst []byte, dw, dh int) {
	// Each column's two source pixels and weight are the same on every row.
	xs := make([]int32, 2*dw)
	fxs := make([]int32, dw)
	xStep, yStep := (sw<<16)/dw, (sh<<16)/dh
	for x := range dw {
		// The source position of this pixel's centre, less half a pixel.
		sx := max(0, x*xStep+xStep/2-1<<15)
		x0 := min(sx>>16, sw-1)
		xs[2*x], xs[2*x+1] = int32(x0), int32(min(x0+1, sw-1))
		fxs[x] = int32(sx&0xffff) >> 8
	}
	for y := range dh {
		sy := max(0, y*yStep+yStep/2-1<<15)
		y0 := min(sy>>16, sh-1)
		y1 := min(y0+1, sh-1)
		fy := int32(sy&0xffff) >> 8
		r0, r1 := src[y0*sw:y0*sw+sw], src[y1*sw:y1*sw+sw]
		out := dst[y*dw : y*dw+dw]
		for x := range out {
			x0, x1, fx := xs[2*x], xs[2*x+1], fxs[x]
			top := int32(r0[x0])*(256-fx) + int32(r0[x1])*fx
			bottom := int32(r1[x0])*(256-fx) + int32(r1[x1])*fx
			out[x] = byte((top*(256-fy) + bottom*fy + 1<<15) >> 16)
		}
	}
}
