/* SPDX-License-Identifier: MIT */
/*
 * calc.h - the example's code under test: a calculator that remembers its
 * last result and its last error (features/calculator.feature).
 */
#ifndef CALC_H
#define CALC_H

struct calc {
	double result;
	const char *error; /* NULL, or why the last operation failed */
};

void calc_add(struct calc *c, double a, double b);
void calc_divide(struct calc *c, double a, double b);
void calc_average(struct calc *c, double a, double b);

#endif /* CALC_H */
