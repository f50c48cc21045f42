#include <zlib.h>

// inflateInit2 is a macro (it passes the header's version and struct size), which Swift cannot call.
// 15 + 16 window bits: a full window, and gzip framing only, so the header and the CRC-32 and length
// trailer of every member are checked.
static inline int pipe_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
