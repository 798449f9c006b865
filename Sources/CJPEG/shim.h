// libjpeg for CVisionSupport, which includes <jpeglib.h> itself: this shim exists so that
// SwiftPM passes libjpeg's pkg-config flags (and the apt install hint) to that target.
#include <stdio.h>
#include <stddef.h>
#include <jpeglib.h>
