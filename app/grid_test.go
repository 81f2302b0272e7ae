package app

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestArrange: the grid follows the window's shape, and tiles fit in it.
func TestArrange(t *testing.T) {
	for _, tc := range []struct {
		n        int
		size     fyne.Size
		wantCols int
	}{
		{1, fyne.NewSize(1000, 600), 1},
		{2, fyne.NewSize(1000, 600), 2}, // side by side in a wide window
		{2, fyne.NewSize(500, 900), 1},  // one above the other in a tall one
		{4, fyne.NewSize(1000, 600), 2},
		{9, fyne.NewSize(1000, 600), 3},
		{10, fyne.NewSize(1000, 600), 4},
		{16, fyne.NewSize(1600, 600), 6},
		{3, fyne.NewSize(1900, 500), 3},
	} {
		cols, tile := arrange(tc.n, tc.size, 4)
		rows := (tc.n + cols - 1) / cols
		if cols != tc.wantCols {
			t.Errorf("%d tiles in %v: %d columns, want %d", tc.n, tc.size, cols, tc.wantCols)
		}
		if w := float32(cols)*tile.Width + float32(cols-1)*4; w > tc.size.Width+0.01 {
			t.Errorf("%d tiles in %v: %v wide", tc.n, tc.size, w)
		}
		if h := float32(rows)*tile.Height + float32(rows-1)*4; h > tc.size.Height+0.01 {
			t.Errorf("%d tiles in %v: %v high", tc.n, tc.size, h)
		}
		if a := tile.Width / tile.Height; a < minTileAspect-0.01 || a > maxTileAspect+0.01 {
			t.Errorf("%d tiles in %v: tiles %v", tc.n, tc.size, tile)
		}
	}
}
