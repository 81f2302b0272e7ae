package yuv

// The portable versions: where libyuv is not linked (Windows, macOS), and
// what the tests hold libyuv to.

// scaleGo resizes src into dst by nearest neighbour.
func scaleGo(dst, src Frame) {
	plane := func(d []byte, ds, dw, dh int, s []byte, ss, sw, sh int) {
		for y := range dh {
			sr := s[(y*sh/dh)*ss:]
			dr := d[y*ds : y*ds+dw]
			for x := range dr {
				dr[x] = sr[x*sw/dw]
			}
		}
	}
	plane(dst.Y, dst.YStride, dst.W, dst.H, src.Y, src.YStride, src.W, src.H)
	dcw, dch, scw, sch := (dst.W+1)/2, (dst.H+1)/2, (src.W+1)/2, (src.H+1)/2
	plane(dst.U, dst.CStride, dcw, dch, src.U, src.CStride, scw, sch)
	plane(dst.V, dst.CStride, dcw, dch, src.V, src.CStride, scw, sch)
}

// toRGBAGo converts src (BT.601, limited range) into pix.
func toRGBAGo(pix []byte, stride int, src Frame) {
	for y := range src.H {
		yr := src.Y[y*src.YStride:]
		ur, vr := src.U[(y/2)*src.CStride:], src.V[(y/2)*src.CStride:]
		row := pix[y*stride : y*stride+4*src.W]
		for x := range src.W {
			c := 298 * (int(yr[x]) - 16)
			d := int(ur[x/2]) - 128
			e := int(vr[x/2]) - 128
			row[4*x] = clamp((c + 409*e + 128) >> 8)
			row[4*x+1] = clamp((c - 100*d - 208*e + 128) >> 8)
			row[4*x+2] = clamp((c + 516*d + 128) >> 8)
			row[4*x+3] = 255
		}
	}
}

func clamp(v int) byte {
	return byte(min(255, max(0, v)))
}
