/* SPDX-License-Identifier: MIT */
/*
 * states.c - the words of the states (specgate/states.h).  Each table is
 * indexed by its enum, so a word and its value cannot drift apart; parsing
 * is a walk over the table, exact and case-sensitive like the stored text.
 */
#include "specgate/states.h"

#include <string.h>

#include "specgate/error.h"

static const char *const mode_names[SG_MODE_COUNT] = {"sandbox",
	"compliance"};

static const char *const run_names[SG_RUN_STATUS_COUNT] = {"running",
	"awaiting_approval", "success", "warning", "failure", "cancelled"};

static const char *const cp_names[SG_CP_STATUS_COUNT] = {"success",
	"warning", "failure", "retry", "skipped", "cancelled",
	"awaiting_approval", "approved", "rolled_back", "resumed",
	"rendered"};

static int
parse(int *out, const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	}
	return SG_EINVAL;
}

const char *
sg_mode_name(enum sg_mode mode)
{
	return (unsigned)mode < SG_MODE_COUNT ? mode_names[mode] : "unknown";
}

int
sg_mode_parse(enum sg_mode *out, const char *s)
{
	int i;
	int error;

	if ((error = parse(&i, s, mode_names, SG_MODE_COUNT)) == 0)
		*out = (enum sg_mode)i;
	return error;
}

const char *
sg_run_status_name(enum sg_run_status status)
{
	return (unsigned)status < SG_RUN_STATUS_COUNT ? run_names[status] :
							 "unknown";
}

int
sg_run_status_parse(enum sg_run_status *out, const char *s)
{
	int i;
	int error;

	if ((error = parse(&i, s, run_names, SG_RUN_STATUS_COUNT)) == 0)
		*out = (enum sg_run_status)i;
	return error;
}

bool
sg_run_status_final(enum sg_run_status status)
{
	return status >= SG_RUN_SUCCESS && status <= SG_RUN_CANCELLED;
}

const char *
sg_checkpoint_status_name(enum sg_checkpoint_status status)
{
	return (unsigned)status < SG_CP_STATUS_COUNT ? cp_names[status] :
							"unknown";
}

int
sg_checkpoint_status_parse(enum sg_checkpoint_status *out, const char *s)
{
	int i;
	int error;

	if ((error = parse(&i, s, cp_names, SG_CP_STATUS_COUNT)) == 0)
		*out = (enum sg_checkpoint_status)i;
	return error;
}
