/* SPDX-License-Identifier: MIT */
/*
 * purl.c - package URLs (github.com/package-url/purl-spec):
 *
 *	pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH
 *
 * Encoding (purl-spec, "Characters and encoding"): each of namespace
 * (segment by segment), name, version and qualifier value is
 * percent-encoded, every byte but A-Z a-z 0-9 . - _ ~ and the colon
 * becoming %XX; the colon is never encoded ("whether used as a separator
 * or otherwise").  So a Debian epoch stays "1:2.3", "+deb12u1" is
 * "%2Bdeb12u1" and an npm scope "@babel" is "%40babel".
 *
 * Normalisation by type (purl-spec types/<type>-definition.json), applied
 * to the purl only (a component's name and group keep the original):
 *
 *	npm	namespace (scope) and name lowercased: JSONStream ->
 *		pkg:npm/jsonstream, as @cyclonedx/cyclonedx-npm writes it
 *	pypi	name lowercased, runs of - _ . become one - (PEP 503)
 *	golang	namespace and name lowercased (the definition says so;
 *		Go module paths are case-sensitive, hence the original kept
 *		in group and name)
 *	deb	namespace (vendor) and name lowercased
 *	cargo, generic	as written (case-sensitive)
 *
 * Qualifiers: keys lowercased, empty values dropped, values encoded, the
 * "key=value" strings sorted.
 *
 * Declared components (specgate.yaml) are read back from their purl: the
 * type, namespace, name and version decoded.
 */
#include "sbom/sbom_int.h"

void
sg_sbom__purl_enc(struct sg_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_' || c == '~' || c == ':') {
			sg_buf_putc(b, c);
		} else {
			sg_buf_putc(b, '%');
			sg_buf_putc(b, hex[c >> 4]);
			sg_buf_putc(b, hex[c & 15]);
		}
	}
}

enum norm {
	N_NONE = 0,
	N_LOWER = 1,	/* ASCII lower case */
	N_PEP503 = 2,	/* runs of - _ . become one - */
};

/* What a type's definition asks of its namespace and its name. */
static void
type_rules(const char *type, unsigned *ns_rule, unsigned *name_rule)
{
	*ns_rule = *name_rule = N_NONE;
	if (!strcmp(type, "npm") || !strcmp(type, "golang") ||
	    !strcmp(type, "deb")) {
		*ns_rule = *name_rule = N_LOWER;
	} else if (!strcmp(type, "pypi")) {
		*name_rule = N_LOWER | N_PEP503;
	}
}

/* Append s (n bytes) normalised by rule, then percent-encoded. */
static void
put_part(struct sg_buf *b, const char *s, size_t n, unsigned rule)
{
	char *t;
	size_t w = 0;

	if (!rule) {
		sg_sbom__purl_enc(b, s, n);
		return;
	}
	t = sg_xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((rule & N_PEP503) && (c == '-' || c == '_' || c == '.')) {
			if (!w || t[w - 1] != '-')
				t[w++] = '-';
			continue;
		}
		if ((rule & N_LOWER) && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		t[w++] = c;
	}
	sg_sbom__purl_enc(b, t, w);
	free(t);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "?k=v&k=v" from pairs: keys lowercased, empty values out, sorted. */
static void
put_qualifiers(struct sg_buf *b, const char *const *q, size_t nq)
{
	char **items = nq ? sg_xcalloc(nq, sizeof(*items)) : NULL;
	size_t n = 0;

	for (size_t i = 0; i < nq; i++) {
		const char *k = q[2 * i], *v = q[2 * i + 1];
		struct sg_buf one;

		if (!v || !*v)
			continue;
		sg_buf_init(&one, 0);
		for (; *k; k++)
			sg_buf_putc(&one, *k >= 'A' && *k <= 'Z' ?
			    *k - 'A' + 'a' : *k);
		sg_buf_putc(&one, '=');
		sg_sbom__purl_enc(&one, v, strlen(v));
		items[n++] = sg_xstrndup(one.ptr, one.len);
		sg_buf_release(&one);
	}
	if (n > 1)
		qsort(items, n, sizeof(*items), cmp_str);
	for (size_t i = 0; i < n; i++) {
		sg_buf_putc(b, i ? '&' : '?');
		sg_buf_put(b, items[i], strlen(items[i]));
		free(items[i]);
	}
	free(items);
}

const char *
sg_sbom__purl(struct sg_sbom__set *set, const char *type, const char *ns,
    const char *name, const char *version, const char *const *qualifiers,
    size_t nqualifiers)
{
	struct sg_buf b;
	const char *out;
	unsigned ns_rule, name_rule;

	type_rules(type, &ns_rule, &name_rule);
	sg_buf_init(&b, 0);
	sg_buf_printf(&b, "pkg:%s/", type);
	while (ns && *ns) {
		size_t n = strcspn(ns, "/");

		if (n) {
			put_part(&b, ns, n, ns_rule);
			sg_buf_putc(&b, '/');
		}
		ns += n;
		if (*ns == '/')
			ns++;
	}
	put_part(&b, name, strlen(name), name_rule);
	if (version && *version) {
		sg_buf_putc(&b, '@');
		sg_sbom__purl_enc(&b, version, strlen(version));
	}
	put_qualifiers(&b, qualifiers, nqualifiers);
	out = sg_sbom__str(set, b.ptr, b.len);
	sg_buf_release(&b);
	return out;
}

/* Decode n bytes of a purl component into the arena; NULL if malformed. */
static const char *
dec(struct sg_sbom__set *set, const char *s, size_t n)
{
	char *out = sg_arena_alloc_raw(&set->arena, n + 1);
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int v = sg_percent_byte(s + i, n - i);

			if (v < 0)
				return NULL;
			out[w++] = (char)v;
			i += 2;
		} else {
			out[w++] = s[i];
		}
	}
	out[w] = '\0';
	return sg_sbom__text_ok(out, w) ? out : NULL;
}

int
sg_sbom__add_declared(struct sg_sbom__set *set, const char *purl,
    struct sg_error *err)
{
	struct sg_sbom__comp *c;
	const char *p, *type_end, *path, *path_end, *at, *slash;
	const char *name, *version, *group = NULL;
	size_t len = strlen(purl);

	if (len < 5 || strncmp(purl, "pkg:", 4) || !sg_sbom__text_ok(purl, len))
		goto bad;
	p = purl + 4;
	while (*p == '/')
		p++;
	type_end = strchr(p, '/');
	if (!type_end || type_end == p)
		goto bad;
	for (const char *t = p; t < type_end; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') ||
		    (*t >= '0' && *t <= '9') || *t == '.' || *t == '+' ||
		    *t == '-'))
			goto bad;
	path = type_end + 1;
	path_end = path + strcspn(path, "?#");
	at = NULL;
	for (const char *t = path; t < path_end; t++)
		if (*t == '@')
			at = t;
	if (!at || at + 1 == path_end)
		goto bad;
	slash = NULL;
	for (const char *t = path; t < at; t++)
		if (*t == '/')
			slash = t;
	if (!(version = dec(set, at + 1, (size_t)(path_end - at - 1))))
		goto bad;
	if (slash) {
		if (!(group = dec(set, path, (size_t)(slash - path))) ||
		    !(name = dec(set, slash + 1, (size_t)(at - slash - 1))))
			goto bad;
	} else if (!(name = dec(set, path, (size_t)(at - path)))) {
		goto bad;
	}
	if (!*name)
		goto bad;
	if (!(c = sg_sbom__add(set)))
		return sg_error_set(err, SG_ETOOBIG,
		    "more than %u components", SG_SBOM_MAX_COMPONENTS);
	c->type = "library";
	c->group = group && *group ? group : NULL;
	c->name = name;
	c->version = version;
	c->purl = sg_sbom__str(set, purl, len);
	c->ref = c->purl;
	c->source = "specgate.yaml";
	sg_sbom__depend(set, NULL, c->ref);
	return 0;
bad:
	return sg_error_set(err, SG_EINVAL,
	    "sbom.components: '%s' is not a package URL "
	    "pkg:TYPE/[NAMESPACE/]NAME@VERSION", purl);
}
