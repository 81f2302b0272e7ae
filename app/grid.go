package app

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Tile shapes the grid allows: from a little taller than square to wide
// screen. Pictures cover their tiles, so a tile outside these would crop
// too much of a 4:3 or 16:9 camera.
const (
	minTileAspect = 1.0
	maxTileAspect = 16.0 / 9
)

// smallTileWidth is the tile width below which half-size pictures are
// enough (a 640x480 camera shown smaller than this loses nothing visible
// at half size, and costs a quarter to convert and draw).
const smallTileWidth = 400

// tileGrid lays out the call's tiles in as many columns as give the
// largest tiles for the size it has: two people side by side in a wide
// window, one above the other in a tall one. The last row is centred.
// After each layout, sized (if set) learns each tile's width in the order
// the tiles were given.
type tileGrid struct {
	sized func(widths []float32)
}

// arrange finds the columns and the tile size for n tiles in size.
func arrange(n int, size fyne.Size, pad float32) (cols int, tile fyne.Size) {
	best := float32(-1)
	for c := 1; c <= max(1, n); c++ {
		rows := (n + c - 1) / c
		w := (size.Width - pad*float32(c-1)) / float32(c)
		h := (size.Height - pad*float32(rows-1)) / float32(rows)
		if w <= 0 || h <= 0 {
			continue
		}
		// Clamp the shape; the area left is what the pictures get.
		if w/h > maxTileAspect {
			w = h * maxTileAspect
		}
		if w/h < minTileAspect {
			h = w / minTileAspect
		}
		if area := w * h; area > best {
			best, cols, tile = area, c, fyne.NewSize(w, h)
		}
	}
	if cols == 0 {
		return 1, size
	}
	return cols, tile
}

func (g *tileGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	if n == 0 {
		return
	}
	pad := theme.Padding()
	cols, tile := arrange(n, size, pad)
	rows := (n + cols - 1) / cols
	blockH := float32(rows)*tile.Height + pad*float32(rows-1)
	y := (size.Height - blockH) / 2
	widths := make([]float32, n)
	for r := range rows {
		first := r * cols
		inRow := min(cols, n-first)
		rowW := float32(inRow)*tile.Width + pad*float32(inRow-1)
		x := (size.Width - rowW) / 2
		for i := first; i < first+inRow; i++ {
			objs[i].Move(fyne.NewPos(float32(math.Round(float64(x))), float32(math.Round(float64(y)))))
			objs[i].Resize(tile)
			widths[i] = tile.Width
			x += tile.Width + pad
		}
		y += tile.Height + pad
	}
	if g.sized != nil {
		g.sized(widths)
	}
}

func (g *tileGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(160, 90)
}
