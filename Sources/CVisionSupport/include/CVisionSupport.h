// Small C helpers for DescryVision: gzip inflation (zlib) and image decoding (libjpeg-turbo,
// libpng). libjpeg and libpng report fatal errors by longjmp; these helpers keep every setjmp and
// every library call inside one C frame, so Swift only ever sees a return code and a message.
#ifndef DESCRY_CVISIONSUPPORT_H
#define DESCRY_CVISIONSUPPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Inflates a gzip stream. On success returns 0 and sets *out (malloc'd; caller frees) and
/// *out_len. On failure returns nonzero and writes a message into err.
int descry_gunzip(const uint8_t *in, size_t in_len, uint8_t **out, size_t *out_len,
                  char *err, size_t err_len);

/// A decoded 8-bit RGB image, rows packed (stride = 3 * width). `pixels` is malloc'd.
typedef struct descry_rgb_image {
    uint8_t *pixels;
    int width;
    int height;
} descry_rgb_image;

/// Decodes a JPEG held in memory to RGB. `scale_denom` is 1 (full size) or 2, 4, 8 for
/// libjpeg's DCT scaling; images of more than `max_pixels` pixels (0 = no limit) are refused
/// before any pixel memory is allocated. Returns 0 on success, nonzero with a message in err.
int descry_jpeg_decode(const uint8_t *data, size_t len, int scale_denom, uint64_t max_pixels,
                       descry_rgb_image *out, char *err, size_t err_len);

/// Reads a JPEG's dimensions without decoding pixels. Returns 0 on success.
int descry_jpeg_size(const uint8_t *data, size_t len, int *width, int *height,
                     char *err, size_t err_len);

/// Decodes a PNG held in memory to RGB: palette expanded, grayscale replicated, 16-bit reduced
/// to the high byte, low bit depths scaled, alpha dropped (as PIL's convert("RGB") does).
/// Images of more than `max_pixels` pixels (0 = no limit) are refused.
int descry_png_decode(const uint8_t *data, size_t len, uint64_t max_pixels, descry_rgb_image *out,
                      char *err, size_t err_len);

/// Frees the pixels of an image returned by the decoders.
void descry_rgb_image_free(descry_rgb_image *image);

#ifdef __cplusplus
}
#endif
#endif
