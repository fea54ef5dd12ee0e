/* SPDX-License-Identifier: MIT */
/*
 * calc_steps.c - the steps of features/calculator.feature, written by
 * hand.  This file is ours, not the generator's: it has no specgate
 * header, `specgate generate` never writes it, and each function here
 * replaces the weak "pending" one of tests/generated/steps_pending.c at
 * link time.  The scenario's state is a struct calc in cmocka's *state.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/calc.h"
#include "../tests/generated/steps.h"

static struct calc *
calc_of(void **state)
{
	if (!*state)
		fail_msg("no calculator: a scenario starts with 'a calculator'");
	return *state;
}

void
step_a_calculator(void **state, const struct specgate_step *step)
{
	static struct calc c;

	(void)step;
	memset(&c, 0, sizeof(c));
	*state = &c;
}

void
step_i_add_int_and_int(void **state, const struct specgate_step *step,
    long long p_int, long long p_int2)
{
	(void)step;
	calc_add(calc_of(state), (double)p_int, (double)p_int2);
}

void
step_i_divide_int_by_int(void **state, const struct specgate_step *step,
    long long p_int, long long p_int2)
{
	(void)step;
	calc_divide(calc_of(state), (double)p_int, (double)p_int2);
}

void
step_i_average_float_and_float(void **state, const struct specgate_step *step,
    double p_float, double p_float2)
{
	(void)step;
	calc_average(calc_of(state), p_float, p_float2);
}

void
step_i_average_int_and_int(void **state, const struct specgate_step *step,
    long long p_int, long long p_int2)
{
	(void)step;
	calc_average(calc_of(state), (double)p_int, (double)p_int2);
}

void
step_the_result_is_int(void **state, const struct specgate_step *step,
    long long p_int)
{
	struct calc *c = calc_of(state);

	(void)step;
	assert_null(c->error);
	assert_true(fabs(c->result - (double)p_int) < 1e-9);
}

void
step_i_see_the_error_string(void **state, const struct specgate_step *step,
    const char *p_string)
{
	struct calc *c = calc_of(state);

	(void)step;
	assert_non_null(c->error);
	assert_string_equal(c->error, p_string);
}
