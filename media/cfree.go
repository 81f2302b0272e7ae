package media

// #include <stdlib.h>
import "C"

import "unsafe"

// cfree frees memory malgo allocated with C.CBytes (DeviceID.Pointer).
func cfree(p unsafe.Pointer) { C.free(p) }
