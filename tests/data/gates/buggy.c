/* Deliberately buggy C for the SAST tests: clang's analyzer finds a leak,
 * a NULL dereference and a division by zero here. */
#include <stdlib.h>

int
leak(int n)
{
	char *p = malloc((size_t)n);

	if (n > 10)
		return 1;
	free(p);
	return 0;
}

int
deref(int *q)
{
	int *z = 0;

	if (q)
		return *q;
	return *z;
}

int
div0(int a)
{
	int b = 0;

	return a / b;
}
