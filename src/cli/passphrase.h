/* SPDX-License-Identifier: MIT */
/*
 * passphrase.h - getting a key's passphrase for keygen and sign (see
 * passphrase.c for where it comes from and how it is handled).
 */
#ifndef SG_CLI_PASSPHRASE_H
#define SG_CLI_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The passphrase in *out (OUT: free with sg_secret_free(*out, *len)) and
 * its length in *len: SPECGATE_KEY_PASSWORD, else asked on the terminal
 * (twice when `twice`).  `what` names the key in messages.  Returns EXIT_OK,
 * or the exit status after printing why there is none (EXIT_USAGE).
 */
int cli_passphrase(char **out, size_t *len, bool twice, const char *what);

#endif /* SG_CLI_PASSPHRASE_H */
