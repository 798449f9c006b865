#include "CVisionSupport.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int descry_gunzip(const uint8_t *in, size_t in_len, uint8_t **out, size_t *out_len,
                  char *err, size_t err_len) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    // 16 + MAX_WBITS: expect a gzip header (not a raw zlib stream).
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        snprintf(err, err_len, "zlib could not start");
        return 1;
    }
    size_t cap = in_len * 4 + 1024, used = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) { inflateEnd(&zs); snprintf(err, err_len, "out of memory"); return 1; }
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)in_len;
    int rc;
    do {
        if (used == cap) {
            cap *= 2;
            uint8_t *bigger = realloc(buf, cap);
            if (!bigger) { free(buf); inflateEnd(&zs); snprintf(err, err_len, "out of memory"); return 1; }
            buf = bigger;
        }
        zs.next_out = buf + used;
        zs.avail_out = (uInt)(cap - used);
        rc = inflate(&zs, Z_NO_FLUSH);
        used = cap - zs.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END) {
            snprintf(err, err_len, "not a valid gzip stream (%s)", zs.msg ? zs.msg : "truncated");
            free(buf); inflateEnd(&zs);
            return 1;
        }
        if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
            snprintf(err, err_len, "gzip stream is truncated");
            free(buf); inflateEnd(&zs);
            return 1;
        }
    } while (rc != Z_STREAM_END);
    inflateEnd(&zs);
    *out = buf;
    *out_len = used;
    return 0;
}
