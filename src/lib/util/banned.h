/* SPDX-License-Identifier: MIT */
/*
 * banned.h - functions that are too easy to misuse, turned into compile
 * errors (after git's banned.h).  Included last by util.h, so every file of
 * the library sees it.  Use snprintf, sg_buf, strtol/strtoul with end
 * pointers, gmtime_r and mkstemp instead.
 */
#ifndef SG_BANNED_H
#define SG_BANNED_H

#define SG_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) SG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SG_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) SG_BANNED(strncpy)
#undef sprintf
#define sprintf(...) SG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SG_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) SG_BANNED(strtok)
#undef atoi
#define atoi(x) SG_BANNED(atoi)
#undef atol
#define atol(x) SG_BANNED(atol)
#undef gmtime
#define gmtime(t) SG_BANNED(gmtime)
#undef localtime
#define localtime(t) SG_BANNED(localtime)
#undef mktemp
#define mktemp(x) SG_BANNED(mktemp)

#endif /* SG_BANNED_H */
