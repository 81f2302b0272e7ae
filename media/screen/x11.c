//go:build linux && cgo

#include "x11.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/Xatom.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/Xrandr.h>
#include <pthread.h>

struct kaigi_x {
	Display *dpy;
	Window root;
	int shm;      // XShm usable
	int fixes;    // XFixes usable
	XShmSegmentInfo seg;
	XImage *img;  // the shared image, of img_w x img_h
	int img_w, img_h;
};

static pthread_mutex_t err_mu = PTHREAD_MUTEX_INITIALIZER;
static int err_code;

static int record_error(Display *d, XErrorEvent *e) {
	(void)d;
	err_code = e->error_code;
	return 0;
}

// guarded: the handler is Xlib's process-wide one, so it is ours only
// while one of our requests runs, and restored after.
typedef int (*handler_t)(Display *, XErrorEvent *);
static handler_t guard(void) {
	pthread_mutex_lock(&err_mu);
	err_code = 0;
	return XSetErrorHandler(record_error);
}
static int unguard(Display *d, handler_t prev) {
	XSync(d, False);
	int code = err_code;
	XSetErrorHandler(prev);
	pthread_mutex_unlock(&err_mu);
	return code;
}

kaigi_x *kaigi_x_open(const char *display) {
	static int threads;
	if (!threads) {
		XInitThreads();
		threads = 1;
	}
	Display *dpy = XOpenDisplay(display);
	if (!dpy) return NULL;
	kaigi_x *x = calloc(1, sizeof *x);
	x->dpy = dpy;
	x->root = DefaultRootWindow(dpy);
	x->shm = XShmQueryExtension(dpy);
	int ev, er;
	x->fixes = XFixesQueryExtension(dpy, &ev, &er);
	return x;
}

static void drop_image(kaigi_x *x) {
	if (!x->img) return;
	XShmDetach(x->dpy, &x->seg);
	XDestroyImage(x->img);
	shmdt(x->seg.shmaddr);
	x->img = NULL;
}

void kaigi_x_close(kaigi_x *x) {
	if (!x) return;
	drop_image(x);
	XCloseDisplay(x->dpy);
	free(x);
}

int kaigi_x_root_size(kaigi_x *x, int *w, int *h) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(x->dpy, x->root, &a)) return 0;
	*w = a.width;
	*h = a.height;
	return 1;
}

int kaigi_x_monitors(kaigi_x *x, kaigi_monitor *out, int cap) {
	int ev, er, n = 0;
	if (!XRRQueryExtension(x->dpy, &ev, &er)) return 0;
	int major = 0, minor = 0;
	XRRQueryVersion(x->dpy, &major, &minor);
	if (major < 1 || (major == 1 && minor < 5)) return 0;
	int count = 0;
	XRRMonitorInfo *m = XRRGetMonitors(x->dpy, x->root, True, &count);
	if (!m) return 0;
	for (int i = 0; i < count && n < cap; i++) {
		kaigi_monitor *o = &out[n++];
		o->x = m[i].x; o->y = m[i].y; o->w = m[i].width; o->h = m[i].height;
		o->primary = m[i].primary;
		o->name[0] = 0;
		char *name = m[i].name ? XGetAtomName(x->dpy, m[i].name) : NULL;
		if (name) {
			strncpy(o->name, name, sizeof o->name - 1);
			o->name[sizeof o->name - 1] = 0;
			XFree(name);
		}
	}
	XRRFreeMonitors(m);
	return n;
}

// property reads a window property of type want (AnyPropertyType allowed).
static unsigned char *property(Display *d, Window w, Atom prop, Atom want, unsigned long *items, int *format) {
	Atom type;
	unsigned long after;
	unsigned char *data = NULL;
	*items = 0;
	if (XGetWindowProperty(d, w, prop, 0, 1 << 20, False, want, &type, format, items, &after, &data) != Success) return NULL;
	if (!data || *items == 0) {
		if (data) XFree(data);
		return NULL;
	}
	return data;
}

static void title_of(Display *d, Window w, char *out, int cap) {
	unsigned long n;
	int format;
	out[0] = 0;
	unsigned char *t = property(d, w, XInternAtom(d, "_NET_WM_NAME", False), XInternAtom(d, "UTF8_STRING", False), &n, &format);
	if (!t) t = property(d, w, XA_WM_NAME, AnyPropertyType, &n, &format);
	if (!t) return;
	if (format == 8) {
		int len = n < (unsigned long)cap - 1 ? (int)n : cap - 1;
		memcpy(out, t, len);
		out[len] = 0;
	}
	XFree(t);
}

static int pid_of(Display *d, Window w) {
	unsigned long n;
	int format, pid = 0;
	unsigned char *p = property(d, w, XInternAtom(d, "_NET_WM_PID", False), XA_CARDINAL, &n, &format);
	if (p) {
		if (format == 32) pid = (int)((unsigned long *)p)[0];
		XFree(p);
	}
	return pid;
}

static int rect_of(kaigi_x *x, Window w, int *rx, int *ry, int *ww, int *wh) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(x->dpy, w, &a) || a.map_state != IsViewable) return 0;
	Window child;
	if (!XTranslateCoordinates(x->dpy, w, x->root, 0, 0, rx, ry, &child)) return 0;
	*ww = a.width;
	*wh = a.height;
	return 1;
}

int kaigi_x_window_rect(kaigi_x *x, unsigned long win, int *rx, int *ry, int *w, int *h) {
	handler_t prev = guard();
	int ok = rect_of(x, (Window)win, rx, ry, w, h);
	if (unguard(x->dpy, prev)) ok = 0;
	return ok;
}

int kaigi_x_windows(kaigi_x *x, kaigi_window *out, int cap) {
	handler_t prev = guard();
	unsigned long count = 0;
	int format;
	Window *list = NULL;
	unsigned char *p = property(x->dpy, x->root, XInternAtom(x->dpy, "_NET_CLIENT_LIST_STACKING", False), XA_WINDOW, &count, &format);
	if (!p) p = property(x->dpy, x->root, XInternAtom(x->dpy, "_NET_CLIENT_LIST", False), XA_WINDOW, &count, &format);
	Window r, parent, *children = NULL;
	unsigned int nchildren = 0;
	if (p) {
		list = (Window *)p;
	} else if (XQueryTree(x->dpy, x->root, &r, &parent, &children, &nchildren)) {
		// No window manager: the root's mapped children are the windows.
		list = children;
		count = nchildren;
	}
	int n = 0;
	// Topmost first: both lists go bottom to top.
	for (long i = (long)count - 1; i >= 0 && n < cap; i--) {
		kaigi_window *o = &out[n];
		if (!rect_of(x, list[i], &o->x, &o->y, &o->w, &o->h) || o->w < 8 || o->h < 8) continue;
		title_of(x->dpy, list[i], o->title, sizeof o->title);
		if (!p && !o->title[0]) continue; // unnamed override-redirect windows, menus
		o->id = list[i];
		o->pid = pid_of(x->dpy, list[i]);
		n++;
	}
	if (p) XFree(p);
	if (children) XFree(children);
	unguard(x->dpy, prev);
	return n;
}

// cursor draws the cursor into bgra (w x h at rx, ry of the root).
static void cursor(kaigi_x *x, uint8_t *bgra, int w, int h, int rx, int ry) {
	XFixesCursorImage *c = XFixesGetCursorImage(x->dpy);
	if (!c) return;
	int cx = c->x - c->xhot - rx, cy = c->y - c->yhot - ry;
	for (int j = 0; j < c->height; j++) {
		int y = cy + j;
		if (y < 0 || y >= h) continue;
		for (int i = 0; i < c->width; i++) {
			int xx = cx + i;
			if (xx < 0 || xx >= w) continue;
			unsigned long argb = c->pixels[j * c->width + i];
			unsigned a = (argb >> 24) & 0xff;
			if (!a) continue;
			uint8_t *d = bgra + (y * w + xx) * 4;
			// Premultiplied ARGB over the screen.
			d[0] = (uint8_t)((argb & 0xff) + d[0] * (255 - a) / 255);
			d[1] = (uint8_t)(((argb >> 8) & 0xff) + d[1] * (255 - a) / 255);
			d[2] = (uint8_t)(((argb >> 16) & 0xff) + d[2] * (255 - a) / 255);
		}
	}
	XFree(c);
}

static int shm_image(kaigi_x *x, int w, int h) {
	if (x->img && x->img_w == w && x->img_h == h) return 1;
	drop_image(x);
	Visual *v = DefaultVisual(x->dpy, DefaultScreen(x->dpy));
	int depth = DefaultDepth(x->dpy, DefaultScreen(x->dpy));
	XImage *img = XShmCreateImage(x->dpy, v, depth, ZPixmap, NULL, &x->seg, w, h);
	if (!img) return 0;
	x->seg.shmid = shmget(IPC_PRIVATE, img->bytes_per_line * img->height, IPC_CREAT | 0600);
	if (x->seg.shmid < 0) {
		XDestroyImage(img);
		return 0;
	}
	x->seg.shmaddr = img->data = shmat(x->seg.shmid, NULL, 0);
	shmctl(x->seg.shmid, IPC_RMID, NULL); // freed once both sides detach
	x->seg.readOnly = False;
	handler_t prev = guard();
	XShmAttach(x->dpy, &x->seg);
	if (unguard(x->dpy, prev)) {
		XDestroyImage(img);
		shmdt(x->seg.shmaddr);
		x->shm = 0; // a remote display: plain XGetImage from now on
		return 0;
	}
	x->img = img;
	x->img_w = w;
	x->img_h = h;
	return 1;
}

static void copy_image(XImage *img, uint8_t *bgra, int w, int h) {
	if (img->bits_per_pixel == 32) {
		for (int y = 0; y < h; y++) memcpy(bgra + y * w * 4, img->data + y * img->bytes_per_line, w * 4);
		return;
	}
	for (int y = 0; y < h; y++) {
		for (int xx = 0; xx < w; xx++) {
			unsigned long p = XGetPixel(img, xx, y);
			uint8_t *d = bgra + (y * w + xx) * 4;
			d[0] = (p & img->blue_mask) * 255 / (img->blue_mask ? img->blue_mask : 1);
			d[1] = (p & img->green_mask) * 255 / (img->green_mask ? img->green_mask : 1);
			d[2] = (p & img->red_mask) * 255 / (img->red_mask ? img->red_mask : 1);
			d[3] = 255;
		}
	}
}

int kaigi_x_grab(kaigi_x *x, unsigned long drawable, int gx, int gy, int w, int h, int rx, int ry, int cur, uint8_t *bgra) {
	Drawable d = drawable ? (Drawable)drawable : x->root;
	int ok = 0;
	if (x->shm && shm_image(x, w, h)) {
		handler_t prev = guard();
		ok = XShmGetImage(x->dpy, d, x->img, gx, gy, AllPlanes);
		if (unguard(x->dpy, prev)) ok = 0;
		if (ok) copy_image(x->img, bgra, w, h);
	} else {
		handler_t prev = guard();
		XImage *img = XGetImage(x->dpy, d, gx, gy, w, h, AllPlanes, ZPixmap);
		int code = unguard(x->dpy, prev);
		if (img && !code) {
			copy_image(img, bgra, w, h);
			ok = 1;
		}
		if (img) XDestroyImage(img);
	}
	if (!ok) {
		int wx, wy, ww, wh;
		if (drawable && !kaigi_x_window_rect(x, drawable, &wx, &wy, &ww, &wh)) return -1;
		return -2;
	}
	if (cur && x->fixes) cursor(x, bgra, w, h, rx, ry);
	return 0;
}

static inline uint8_t ylum(int r, int g, int b) { return (uint8_t)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16); }

void kaigi_bgra_to_i420(const uint8_t *src, int sw, int sh, uint8_t *dst, int dw, int dh, int fx, int fy, int fw, int fh, uint8_t *tmp) {
	const uint8_t *pic = src;
	if (sw != fw || sh != fh) {
		// Area average: every source pixel counts once, so thin strokes
		// of text grey out rather than vanish.
		for (int y = 0; y < fh; y++) {
			int y0 = (int)((long)y * sh / fh), y1 = (int)((long)(y + 1) * sh / fh);
			if (y1 <= y0) y1 = y0 + 1;
			for (int xx = 0; xx < fw; xx++) {
				int x0 = (int)((long)xx * sw / fw), x1 = (int)((long)(xx + 1) * sw / fw);
				if (x1 <= x0) x1 = x0 + 1;
				unsigned b = 0, g = 0, r = 0, n = 0;
				for (int sy = y0; sy < y1 && sy < sh; sy++) {
					const uint8_t *p = src + (sy * sw + x0) * 4;
					for (int sx = x0; sx < x1 && sx < sw; sx++, p += 4) {
						b += p[0]; g += p[1]; r += p[2]; n++;
					}
				}
				uint8_t *o = tmp + (y * fw + xx) * 4;
				o[0] = b / n; o[1] = g / n; o[2] = r / n; o[3] = 255;
			}
		}
		pic = tmp;
	}
	uint8_t *Y = dst, *U = dst + dw * dh, *V = U + (dw / 2) * (dh / 2);
	memset(Y, 16, dw * dh);
	memset(U, 128, (dw / 2) * (dh / 2));
	memset(V, 128, (dw / 2) * (dh / 2));
	for (int y = 0; y < fh; y++) {
		const uint8_t *p = pic + y * fw * 4;
		uint8_t *yo = Y + (fy + y) * dw + fx;
		for (int xx = 0; xx < fw; xx++, p += 4) yo[xx] = ylum(p[2], p[1], p[0]);
	}
	for (int y = 0; y + 1 < fh; y += 2) {
		const uint8_t *p0 = pic + y * fw * 4, *p1 = p0 + fw * 4;
		int cy = (fy + y) / 2;
		for (int xx = 0; xx + 1 < fw; xx += 2) {
			int r = p0[xx * 4 + 2] + p0[xx * 4 + 6] + p1[xx * 4 + 2] + p1[xx * 4 + 6];
			int g = p0[xx * 4 + 1] + p0[xx * 4 + 5] + p1[xx * 4 + 1] + p1[xx * 4 + 5];
			int b = p0[xx * 4] + p0[xx * 4 + 4] + p1[xx * 4] + p1[xx * 4 + 4];
			r = (r + 2) / 4; g = (g + 2) / 4; b = (b + 2) / 4;
			int cx = (fx + xx) / 2;
			U[cy * (dw / 2) + cx] = (uint8_t)(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
			V[cy * (dw / 2) + cx] = (uint8_t)(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
		}
	}
}
