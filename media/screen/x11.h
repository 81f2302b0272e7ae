// The X11 side of screen capture: one Display connection per capture,
// XShm when the server offers it, the cursor through XFixes, monitors
// through RandR. Errors never reach Xlib's default handler (which would
// end the process): kaigi_x_* calls install a recording handler around
// every request that can fail (a window that closed).
#ifndef KAIGI_X11_H
#define KAIGI_X11_H

#include <stdint.h>

typedef struct kaigi_x kaigi_x;

typedef struct {
	int x, y, w, h;
	int primary;
	char name[64];
} kaigi_monitor;

typedef struct {
	unsigned long id;
	int x, y, w, h;
	int pid;
	char title[256];
} kaigi_window;

kaigi_x *kaigi_x_open(const char *display);
void kaigi_x_close(kaigi_x *x);
int kaigi_x_root_size(kaigi_x *x, int *w, int *h);
int kaigi_x_monitors(kaigi_x *x, kaigi_monitor *out, int cap);
int kaigi_x_windows(kaigi_x *x, kaigi_window *out, int cap);
// kaigi_x_window_rect gives a window's size and its position on the root;
// 0 if it is gone or unmapped.
int kaigi_x_window_rect(kaigi_x *x, unsigned long win, int *rx, int *ry, int *w, int *h);
// kaigi_x_grab copies w x h pixels at (x, y) of drawable (0: the root)
// into bgra (w*h*4 bytes) and draws the cursor in when cursor is set
// (rx, ry: where the area is on the root). 0 on success, -1 when the
// drawable is gone, -2 on other failures.
int kaigi_x_grab(kaigi_x *x, unsigned long drawable, int gx, int gy, int w, int h, int rx, int ry, int cursor, uint8_t *bgra);
// kaigi_bgra_to_i420 scales src (sw x sh BGRA) into the fw x fh rectangle
// at (fx, fy) of a dw x dh I420 frame (area average when shrinking) and
// fills the rest black. tmp holds fw*fh*4 bytes.
void kaigi_bgra_to_i420(const uint8_t *src, int sw, int sh, uint8_t *dst, int dw, int dh, int fx, int fy, int fw, int fh, uint8_t *tmp);

#endif
