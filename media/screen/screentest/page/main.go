// Command page writes the screen-sharing tests' page of text (Latin,
// Japanese, Chinese, several sizes) as a PNG, for scripts that put it on
// a screen: go run ./media/screen/screentest/page OUT.png [WxH].
package main

import (
	"fmt"
	"os"

	"kaigi/media/screen/screentest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: page OUT.png [WxH]")
		os.Exit(2)
	}
	w, h := 1280, 720
	if len(os.Args) > 2 {
		if _, err := fmt.Sscanf(os.Args[2], "%dx%d", &w, &h); err != nil {
			fmt.Fprintln(os.Stderr, "page: size is WxH:", err)
			os.Exit(2)
		}
	}
	img, err := screentest.Render(w, h)
	if err == nil {
		err = screentest.WritePNG(os.Args[1], img)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "page:", err)
		os.Exit(1)
	}
}
