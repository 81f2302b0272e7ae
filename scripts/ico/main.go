// Command ico packs PNG images into a Windows icon file (.ico), one entry
// per image, stored as PNG (which Windows Vista and later read). The Windows
// build uses it to turn assets/icons/*.png into the icon of kaigi.exe.
// Run: go run ./scripts/ico OUT.ico IN.png...
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/png"
	"log"
	"os"
)

func main() {
	if len(os.Args) < 3 {
		log.Fatal("usage: ico OUT.ico IN.png...")
	}
	var images [][]byte
	for _, p := range os.Args[2:] {
		b, err := os.ReadFile(p)
		if err != nil {
			log.Fatal(err)
		}
		images = append(images, b)
	}
	out, err := pack(images)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(os.Args[1], out, 0o644); err != nil {
		log.Fatal(err)
	}
}

// pack writes the ICONDIR header, one ICONDIRENTRY per image and the
// images themselves.
func pack(images [][]byte) ([]byte, error) {
	var buf bytes.Buffer
	le := binary.LittleEndian
	_ = binary.Write(&buf, le, [3]uint16{0, 1, uint16(len(images))}) // reserved, type icon, count
	offset := 6 + 16*len(images)
	for i, b := range images {
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("image %d: %w", i, err)
		}
		if cfg.Width > 256 || cfg.Height > 256 {
			return nil, fmt.Errorf("image %d: %dx%d is larger than 256x256", i, cfg.Width, cfg.Height)
		}
		// 256 is written as 0.
		entry := struct {
			W, H, Colors, Reserved uint8
			Planes, BitCount       uint16
			Size, Offset           uint32
		}{uint8(cfg.Width), uint8(cfg.Height), 0, 0, 1, 32, uint32(len(b)), uint32(offset)}
		_ = binary.Write(&buf, le, entry)
		offset += len(b)
	}
	for _, b := range images {
		buf.Write(b)
	}
	return buf.Bytes(), nil
}
