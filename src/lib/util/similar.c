/* SPDX-License-Identifier: MIT */
/*
 * similar.c - "did you mean": the candidate nearest to a mistyped word.
 *
 * The distance is the optimal-string-alignment form of Damerau-Levenshtein
 * (insert, delete, substitute, swap two neighbours: each costs 1), the
 * measure git's "did you mean" uses, so `valdate`, `--form` and `timout`
 * are one edit away from what was meant.  A suggestion is made only when
 * it is close enough to be a typo (at most a third of the word, at least
 * one edit) and unique at that distance: two equally near candidates
 * suggest nothing, since a wrong guess is worse than none.
 *
 * Words are short (command names, options, YAML keys); longer inputs are
 * not compared at all (SG_SIMILAR_MAX), which also bounds the work.
 */
#include "util/util.h"

#define SG_SIMILAR_MAX 64

size_t
sg_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[SG_SIMILAR_MAX + 1][SG_SIMILAR_MAX + 1];

	if (la > SG_SIMILAR_MAX || lb > SG_SIMILAR_MAX)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *
sg_similar(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word);
	size_t limit = len / 3 > 1 ? len / 3 : 1;
	size_t best = SIZE_MAX;
	const char *out = NULL;
	bool tie = false;

	for (size_t i = 0; i < n; i++) {
		size_t dist;

		if (!cands[i] || !strcmp(cands[i], word))
			continue;
		dist = sg_edit_distance(word, cands[i]);
		if (dist < best) {
			best = dist;
			out = cands[i];
			tie = false;
		} else if (dist == best && strcmp(out, cands[i])) {
			tie = true;
		}
	}
	return best <= limit && !tie ? out : NULL;
}
