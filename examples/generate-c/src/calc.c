/* SPDX-License-Identifier: MIT */
/*
 * calc.c - the calculator of the example (see calc.h).  An error leaves
 * the result as it was, as a desk calculator does.
 */
#include "calc.h"

void
calc_add(struct calc *c, double a, double b)
{
	c->error = 0;
	c->result = a + b;
}

void
calc_divide(struct calc *c, double a, double b)
{
	if (b == 0) {
		c->error = "division by zero";
		return;
	}
	c->error = 0;
	c->result = a / b;
}

void
calc_average(struct calc *c, double a, double b)
{
	c->error = 0;
	c->result = (a + b) / 2;
}
