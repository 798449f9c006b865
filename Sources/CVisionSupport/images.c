#include "CVisionSupport.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <png.h>

void descry_rgb_image_free(descry_rgb_image *image) {
    if (image && image->pixels) { free(image->pixels); image->pixels = NULL; }
}

// ---- JPEG ----------------------------------------------------------------------------------
// libjpeg's default error_exit calls exit(); ours records the message and jumps back to the
// helper that started decoding, which returns an error code.

struct jpeg_failure {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr cinfo) {
    struct jpeg_failure *f = (struct jpeg_failure *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, f->message);
    longjmp(f->jump, 1);
}

// Corrupt-data warnings (libjpeg keeps going and fills with grey) are treated as errors, so a
// truncated file is reported instead of embedded half-grey.
static void jpeg_warn(j_common_ptr cinfo, int level) {
    if (level < 0) jpeg_fail(cinfo);
}

int descry_jpeg_size(const uint8_t *data, size_t len, int *width, int *height,
                     char *err, size_t err_len) {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_failure failure;
    cinfo.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = jpeg_fail;
    failure.base.emit_message = jpeg_warn;
    failure.message[0] = 0;
    if (setjmp(failure.jump)) {
        snprintf(err, err_len, "%s", failure.message);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, (unsigned char *)data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    *width = (int)cinfo.image_width;
    *height = (int)cinfo.image_height;
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

int descry_jpeg_decode(const uint8_t *data, size_t len, int scale_denom, uint64_t max_pixels,
                       descry_rgb_image *out, char *err, size_t err_len) {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_failure failure;
    uint8_t *volatile pixels = NULL;
    out->pixels = NULL;
    cinfo.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = jpeg_fail;
    failure.base.emit_message = jpeg_warn;
    failure.message[0] = 0;
    if (setjmp(failure.jump)) {
        snprintf(err, err_len, "%s", failure.message);
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, (unsigned char *)data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        snprintf(err, err_len, "CMYK JPEG images are not supported");
        jpeg_destroy_decompress(&cinfo);
        return 2;
    }
    if (max_pixels && (uint64_t)cinfo.image_width * cinfo.image_height > max_pixels) {
        snprintf(err, err_len, "image is %ux%u, more than the %llu-pixel limit", cinfo.image_width,
                 cinfo.image_height, (unsigned long long)max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return 3;
    }
    cinfo.out_color_space = JCS_RGB;
    cinfo.scale_num = 1;
    cinfo.scale_denom = (unsigned int)(scale_denom > 0 ? scale_denom : 1);
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * 3;
    pixels = malloc(stride * cinfo.output_height);
    if (!pixels) {
        snprintf(err, err_len, "out of memory for a %ux%u image", cinfo.output_width, cinfo.output_height);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    out->pixels = pixels;
    out->width = (int)cinfo.output_width;
    out->height = (int)cinfo.output_height;
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

// ---- PNG -----------------------------------------------------------------------------------

struct png_source {
    const uint8_t *data;
    size_t len;
    size_t pos;
};

struct png_failure {
    char message[256];
};

static void png_read_memory(png_structp png, png_bytep dest, png_size_t count) {
    struct png_source *src = (struct png_source *)png_get_io_ptr(png);
    if (count > src->len - src->pos) png_error(png, "file is truncated");
    memcpy(dest, src->data + src->pos, count);
    src->pos += count;
}

static void png_fail(png_structp png, png_const_charp message) {
    struct png_failure *f = (struct png_failure *)png_get_error_ptr(png);
    snprintf(f->message, sizeof f->message, "%s", message);
    png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp message) {
    (void)png; (void)message;  // warnings (e.g. bad ancillary chunks) do not stop decoding
}

int descry_png_decode(const uint8_t *data, size_t len, uint64_t max_pixels, descry_rgb_image *out,
                      char *err, size_t err_len) {
    out->pixels = NULL;
    if (len < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        snprintf(err, err_len, "not a PNG file");
        return 1;
    }
    struct png_failure failure = { { 0 } };
    struct png_source src = { data, len, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, png_fail, png_warn);
    if (!png) { snprintf(err, err_len, "libpng could not start"); return 1; }
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        snprintf(err, err_len, "%s", failure.message[0] ? failure.message : "libpng failed");
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        free(pixels);
        free(rows);
        return 1;
    }
    png_set_read_fn(png, &src, png_read_memory);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    if (max_pixels && (uint64_t)width * height > max_pixels) {
        snprintf(err, err_len, "image is %ux%u, more than the %llu-pixel limit", width, height,
                 (unsigned long long)max_pixels);
        png_destroy_read_struct(&png, &info, NULL);
        return 3;
    }
    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    if (depth == 16) png_set_strip_16(png);                 // keep the high byte, as PIL does
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if ((color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    // A palette expansion turns tRNS into an alpha channel; like every other alpha it is dropped.
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (rowbytes != (size_t)width * 3) {
        snprintf(err, err_len, "unexpected PNG layout after conversion (%zu bytes per row)", rowbytes);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }
    pixels = malloc(rowbytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (!pixels || !rows) {
        snprintf(err, err_len, "out of memory for a %ux%u image", width, height);
        png_destroy_read_struct(&png, &info, NULL);
        free(pixels); free(rows);
        return 1;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + rowbytes * y;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    out->pixels = pixels;
    out->width = (int)width;
    out->height = (int)height;
    return 0;
}
