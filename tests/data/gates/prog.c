/* A small program for the coverage tests: some lines and branches run,
 * some never do, depending on the arguments. */
#include <stdio.h>
#include <stdlib.h>

int classify(int x);
int sum_to(int y);

int
main(int argc, char **argv)
{
	int r = classify(argc > 1 ? atoi(argv[1]) : 5);

	if (argc > 2)
		r += sum_to(atoi(argv[2]));
	printf("%d\n", r);
	return 0;
}
