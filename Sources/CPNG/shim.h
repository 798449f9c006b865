// libpng for CVisionSupport, which includes <png.h> itself: this shim exists so that SwiftPM
// passes libpng's pkg-config flags (-I…/libpng16, -lpng16, the apt install hint) to that target.
#include <png.h>
