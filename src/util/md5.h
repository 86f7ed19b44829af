/* md5.h - MD5 (RFC 1321), only for the Asterisk Manager's challenge login, which requires it.
 * Not for anything that needs a secure hash. */
#ifndef NC_MD5_H
#define NC_MD5_H

#include <stddef.h>

/* md5_hex writes the 32 lowercase hex digits of MD5(data) and a NUL into out. */
void md5_hex(const void *data, size_t len, char out[33]);

#endif
