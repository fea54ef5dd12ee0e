/* The second source of the coverage tests' program. */
int classify(int x);
int sum_to(int y);
static int never(int z);

int
classify(int x)
{
	if (x < 0)
		return -1;
	if (x == 0)
		return 0;
	if (x > 100 && x < 200)
		return 2;
	if (x == 1000)
		return never(x);
	return 1;
}

int
sum_to(int y)
{
	int s = 0;

	for (int i = 0; i < y; i++)
		s += (i % 3 == 0) ? i : 1;
	return s;
}

static int
never(int z)
{
	int k = z;

	while (k > 10)
		k /= 2;
	return k;
}
