/* SPDX-License-Identifier: MIT */
/*
 * lockfile.c - the packages a project pins, from four lockfile formats:
 *
 *	package-lock.json	v2/v3: the "packages" map (path -> package);
 *				edges resolved as Node resolves require()
 *	requirements.txt	`name==version` lines; anything not pinned
 *				to one version (`-e URL`, `name @ URL`, a
 *				range) is left out with a note
 *	go.sum			`module version h1:hash` lines; modules whose
 *				only line is their go.mod's are not built
 *	Cargo.lock		[[package]] tables: name, version, source,
 *				checksum, dependencies (a TOML subset)
 *
 * Each reader takes the file's bytes and adds components with purls to
 * the set; odd entries (no version, a name that is not text, a line it
 * cannot read) are warnings naming file:line, and the entry is left out:
 * an SBOM must not invent a version.  A file that is not its format at all
 * (package-lock.json that is not JSON, a Cargo.lock string that never
 * ends) is SG_EINVAL with its position.
 *
 * The TOML reader is hand-written for the few forms Cargo writes (tables,
 * arrays of tables, `key = "string"` and string arrays that may span
 * lines); a general TOML library would be a dependency for four keys.
 */
#include "sbom/sbom_int.h"

#include <jansson.h>

enum sg_lockfile_kind
sg_lockfile_kind_of(const char *base)
{
	if (!strcmp(base, "package-lock.json"))
		return SG_LOCK_NPM;
	if (!strcmp(base, "requirements.txt"))
		return SG_LOCK_PIP;
	if (!strcmp(base, "go.sum"))
		return SG_LOCK_GOSUM;
	if (!strcmp(base, "Cargo.lock"))
		return SG_LOCK_CARGO;
	return SG_LOCK_NONE;
}

static int
too_many(struct sg_error *err)
{
	return sg_error_set(err, SG_ETOOBIG, "more than %u components",
	    SG_SBOM_MAX_COMPONENTS);
}

/* ---- package-lock.json ---- */

struct npm_pkg {
	const char *path; /* key in "packages" */
	struct sg_sbom__comp *comp;
	json_t *entry;
};

static int
cmp_npm_path(const void *a, const void *b)
{
	return strcmp(((const struct npm_pkg *)a)->path,
	    ((const struct npm_pkg *)b)->path);
}

static struct npm_pkg *
npm_find(struct npm_pkg *v, size_t n, const char *path)
{
	struct npm_pkg key = {.path = path};

	return bsearch(&key, v, n, sizeof(*v), cmp_npm_path);
}

/* "sha512-BASE64" -> lower-case hex, with the CycloneDX algorithm name. */
static void
npm_integrity(struct sg_sbom__set *set, struct sg_sbom__comp *c,
    const char *integrity)
{
	static const struct {
		const char *prefix, *alg;
		size_t len;
	} algs[] = {{"sha512-", "SHA-512", 64}, {"sha384-", "SHA-384", 48},
	    {"sha256-", "SHA-256", 32}, {"sha1-", "SHA-1", 20}};
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqr"
				  "stuvwxyz0123456789+/";
	unsigned char raw[64];
	char hex[129];

	for (size_t a = 0; a < SG_ARRAY_SIZE(algs); a++) {
		size_t pl = strlen(algs[a].prefix), n = 0;
		const char *s = integrity;
		unsigned acc = 0, bits = 0;

		if (strncmp(s, algs[a].prefix, pl))
			continue;
		for (s += pl; *s && *s != ' ' && *s != '='; s++) {
			const char *q = strchr(b64, *s);

			if (!q || n >= sizeof(raw))
				return;
			acc = (acc << 6) | (unsigned)(q - b64);
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				raw[n++] = (unsigned char)(acc >> bits);
				acc &= (1u << bits) - 1;
			}
		}
		if (n != algs[a].len)
			return;
		for (size_t i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", raw[i]);
		c->hash_alg = algs[a].alg;
		c->hash = sg_sbom__str(set, hex, 2 * n);
		return;
	}
}

/* The name of the package at `path` ("node_modules/@a/b" -> "@a/b"). */
static const char *
npm_name_of(const char *path)
{
	const char *p = path, *hit = NULL;

	while ((p = strstr(p, "node_modules/"))) {
		if (p == path || p[-1] == '/')
			hit = p + strlen("node_modules/");
		p += strlen("node_modules/");
	}
	return hit && *hit ? hit : NULL;
}

/*
 * The package that `require(dep)` finds from the package at `from`: in
 * from/node_modules/dep, then in each ancestor directory's node_modules.
 */
static struct npm_pkg *
npm_resolve(struct npm_pkg *v, size_t n, const char *from, const char *dep)
{
	struct sg_buf b;
	size_t len = strlen(from);
	struct npm_pkg *hit = NULL;

	sg_buf_init(&b, 0);
	for (;;) {
		const char *last;

		sg_buf_truncate(&b, 0);
		last = len ? from + len : from;
		while (last > from && last[-1] != '/')
			last--;
		if (!len || (size_t)(from + len - last) !=
		    strlen("node_modules") ||
		    strncmp(last, "node_modules", strlen("node_modules"))) {
			sg_buf_put(&b, from, len);
			sg_buf_printf(&b, "%snode_modules/%s", len ? "/" : "",
			    dep);
			if ((hit = npm_find(v, n, b.ptr)))
				break;
		}
		if (!len)
			break;
		len = last > from ? (size_t)(last - from - 1) : 0;
	}
	sg_buf_release(&b);
	return hit;
}

static void
npm_edges(struct sg_sbom__set *set, struct npm_pkg *v, size_t n,
    struct npm_pkg *pkg, json_t *entry)
{
	static const char *const kinds[] = {"dependencies",
	    "optionalDependencies", "peerDependencies"};

	for (size_t k = 0; k < SG_ARRAY_SIZE(kinds); k++) {
		json_t *deps = json_object_get(entry, kinds[k]);
		const char *dep;
		json_t *val;

		if (!json_is_object(deps))
			continue;
		json_object_foreach (deps, dep, val) {
			struct npm_pkg *to = npm_resolve(v, n,
			    pkg ? pkg->path : "", dep);

			(void)val;
			if (to && !to->comp) { /* a link: follow it once */
				json_t *r = json_object_get(to->entry,
				    "resolved");

				to = json_is_string(r) ? npm_find(v, n,
				    json_string_value(r)) : NULL;
			}
			if (!to || !to->comp || (pkg && to == pkg))
				continue;
			sg_sbom__depend(set, pkg ? pkg->comp : NULL,
			    to->comp->ref);
		}
	}
}

/* *out: the component of entry e, or NULL when it is left out. */
static int
npm_component(struct sg_sbom__comp **out, struct sg_sbom__set *set,
    const char *file, const char *path, json_t *e, struct sg_error *err)
{
	json_t *jn = json_object_get(e, "name"), *jv;
	const char *name = json_is_string(jn) ? json_string_value(jn) :
	    npm_name_of(path);
	const char *version, *slash;
	struct sg_sbom__comp *c;

	*out = NULL;
	if (json_is_true(json_object_get(e, "link")))
		return 0; /* a workspace link: its target has an entry */
	if (!name || !sg_sbom__text_ok(name, strlen(name))) {
		sg_sbom__warn(set, "%s: packages[\"%s\"] has no name; left out",
		    file, path);
		return 0;
	}
	jv = json_object_get(e, "version");
	version = json_is_string(jv) ? json_string_value(jv) : NULL;
	if (!version || !*version || !sg_sbom__text_ok(version,
	    strlen(version))) {
		sg_sbom__warn(set, "%s: packages[\"%s\"] has no version; "
				   "left out", file, path);
		return 0;
	}
	if (!(c = sg_sbom__add(set)))
		return too_many(err);
	c->type = "library";
	slash = name[0] == '@' ? strchr(name, '/') : NULL;
	if (slash && slash[1]) {
		c->group = sg_sbom__str(set, name, (size_t)(slash - name));
		c->name = sg_sbom__str(set, slash + 1, strlen(slash + 1));
	} else {
		c->name = sg_sbom__str(set, name, strlen(name));
	}
	c->version = sg_sbom__str(set, version, strlen(version));
	c->purl = sg_sbom__purl(set, "npm", c->group, c->name, c->version,
	    NULL, 0);
	c->ref = c->purl;
	c->source = file;
	jv = json_object_get(e, "integrity");
	if (json_is_string(jv))
		npm_integrity(set, c, json_string_value(jv));
	*out = c;
	return 0;
}

static int
parse_npm(struct sg_sbom__set *set, const char *file, const char *data,
    size_t len, struct sg_error *err)
{
	json_error_t jerr;
	json_t *doc, *pkgs, *lv, *e, *root = NULL;
	struct npm_pkg *v = NULL;
	const char *path;
	size_t n = 0;
	int error = 0;

	if (!(doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr)))
		return sg_error_set_at(err, SG_EINVAL, file,
		    (unsigned)(jerr.line > 0 ? jerr.line : 0),
		    (unsigned)(jerr.column > 0 ? jerr.column : 0),
		    "not a package-lock.json: %s", jerr.text);
	lv = json_object_get(doc, "lockfileVersion");
	pkgs = json_object_get(doc, "packages");
	if (!json_is_object(doc) || !json_is_integer(lv) ||
	    json_integer_value(lv) < 2 || !json_is_object(pkgs)) {
		error = sg_error_set_at(err, SG_EINVAL, file, 0, 0,
		    "only package-lock.json v2 and v3 (with \"packages\") "
		    "are read; regenerate it with npm 7 or later");
		goto out;
	}
	v = sg_xcalloc(json_object_size(pkgs) + 1, sizeof(*v));
	json_object_foreach (pkgs, path, e) {
		if (!json_is_object(e)) {
			sg_sbom__warn(set, "%s: packages[\"%s\"] is not an "
					   "object; left out", file, path);
			continue;
		}
		if (!*path) {
			root = e;
			continue;
		}
		v[n].path = path;
		v[n].entry = e;
		if ((error = npm_component(&v[n].comp, set, file, path, e,
		    err)) < 0)
			goto out;
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_npm_path);
	for (size_t i = 0; i < n; i++)
		if (v[i].comp)
			npm_edges(set, v, n, &v[i], v[i].entry);
	if (root) {
		npm_edges(set, v, n, NULL, root);
	} else {
		/* no root entry: what sits at the top of node_modules */
		for (size_t i = 0; i < n; i++)
			if (v[i].comp && !strncmp(v[i].path, "node_modules/",
			    13) && !strstr(v[i].path + 13, "/node_modules/"))
				sg_sbom__depend(set, NULL, v[i].comp->ref);
	}
out:
	free(v);
	json_decref(doc);
	return error;
}

/* ---- line-based readers ---- */

struct lines {
	const char *p, *end;
	unsigned lineno;
};

/* The next line without its end (CR LF or LF); false at the end. */
static bool
next_line(struct lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	*s = l->p;
	*n = (size_t)((nl ? nl : l->end) - l->p);
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	l->p = nl ? nl + 1 : l->end;
	l->lineno++;
	return true;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* ---- requirements.txt ---- */

static bool
pip_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

static bool
pip_version_ok(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(pip_name_char(s[i]) || s[i] == '+' || s[i] == '!'))
			return false;
	return true;
}

static int
pip_line(struct sg_sbom__set *set, const char *file, unsigned lineno,
    const char *s, size_t n, struct sg_error *err)
{
	const char *name = s, *v;
	size_t nlen = 0, vlen;
	struct sg_sbom__comp *c;
	char *norm;

	while (nlen < n && pip_name_char(s[nlen]))
		nlen++;
	if (!nlen) {
		sg_sbom__warn(set, "%s:%u: not a requirement; left out", file,
		    lineno);
		return 0;
	}
	s += nlen, n -= nlen;
	trim(&s, &n);
	if (n && *s == '[') { /* extras */
		const char *close = memchr(s, ']', n);

		if (!close) {
			sg_sbom__warn(set, "%s:%u: unclosed extras; left out",
			    file, lineno);
			return 0;
		}
		n -= (size_t)(close + 1 - s), s = close + 1;
		trim(&s, &n);
	}
	/* an environment marker does not change what is pinned */
	if (memchr(s, ';', n))
		n = (size_t)((const char *)memchr(s, ';', n) - s);
	trim(&s, &n);
	if (n < 3 || s[0] != '=' || s[1] != '=') {
		sg_sbom__warn(set, "%s:%u: '%.*s' is not pinned (name==version); "
				   "left out", file, lineno, (int)nlen, name);
		return 0;
	}
	v = s + 2, vlen = n - 2;
	if (vlen && *v == '=') /* === arbitrary equality */
		v++, vlen--;
	trim(&v, &vlen);
	/* per-requirement options (--hash=...) may follow the version */
	for (size_t i = 0; i < vlen; i++) {
		if (v[i] == ' ' || v[i] == '\t') {
			const char *rest = v + i;
			size_t rl = vlen - i;

			trim(&rest, &rl);
			if (rl && rest[0] == '-')
				vlen = i;
			break;
		}
	}
	if (!pip_version_ok(v, vlen)) {
		sg_sbom__warn(set, "%s:%u: '%.*s' is not pinned to one version "
				   "('%.*s'); left out", file, lineno, (int)nlen,
		    name, (int)(vlen > 64 ? 64 : vlen), sg_sbom__text_ok(v,
		    vlen) ? v : "?");
		return 0;
	}
	if (!(c = sg_sbom__add(set)))
		return too_many(err);
	/* the name as pip compares it: lower case, '_' as '-' (the purl
	   normalises further, purl.c) */
	norm = sg_xstrndup(name, nlen);
	for (char *p = norm; *p; p++)
		*p = *p == '_' ? '-' : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	c->type = "library";
	c->name = sg_sbom__str(set, norm, nlen);
	c->version = sg_sbom__str(set, v, vlen);
	c->purl = sg_sbom__purl(set, "pypi", NULL, c->name, c->version, NULL,
	    0);
	c->ref = c->purl;
	c->source = file;
	sg_sbom__depend(set, NULL, c->ref);
	free(norm);
	return 0;
}

static int
parse_pip(struct sg_sbom__set *set, const char *file, const char *data,
    size_t len, struct sg_error *err)
{
	struct lines l = {data, data + len, 0};
	struct sg_buf joined;
	const char *s;
	size_t n;
	unsigned first = 0;
	int error = 0;

	sg_buf_init(&joined, 1u << 20);
	while (!error && next_line(&l, &s, &n)) {
		if (!sg_sbom__text_ok(s, n)) {
			sg_sbom__warn(set, "%s:%u: not text; left out", file,
			    l.lineno);
			sg_buf_truncate(&joined, 0);
			continue;
		}
		if (!joined.len)
			first = l.lineno;
		/* a backslash at the end continues the line */
		if (n && s[n - 1] == '\\') {
			if (sg_buf_put(&joined, s, n - 1) < 0)
				error = sg_error_set_at(err, SG_ETOOBIG, file,
				    l.lineno, 0, "continued line over 1 MiB");
			continue;
		}
		if (sg_buf_put(&joined, s, n) < 0) {
			error = sg_error_set_at(err, SG_ETOOBIG, file, l.lineno,
			    0, "continued line over 1 MiB");
			break;
		}
		s = joined.ptr, n = joined.len;
		for (size_t i = 0; i < n; i++)
			if (s[i] == '#' && (!i || s[i - 1] == ' ' ||
			    s[i - 1] == '\t')) {
				n = i;
				break;
			}
		trim(&s, &n);
		if (n && s[0] == '-') {
			if (n > 2 && (!strncmp(s, "-r", 2) || !strncmp(s, "-c",
			    2) || !strncmp(s, "--requirement", 13) ||
			    !strncmp(s, "--constraint", 12)))
				sg_sbom__warn(set, "%s:%u: included files are "
						   "not followed ('%.*s')", file,
				    first, (int)(n > 80 ? 80 : n), s);
			/* -e URL or path: pip installs the project as it is
			   there, so there is no version to write down */
			else if (n > 2 && (!strncmp(s, "-e", 2) ||
			    !strncmp(s, "--editable", 10)))
				sg_sbom__warn(set, "%s:%u: an editable "
						   "requirement is not pinned "
						   "to a version ('%.*s'); left "
						   "out", file, first,
				    (int)(n > 80 ? 80 : n), s);
		} else if (n && memchr(s, '@', n) && !memchr(s, '=', n)) {
			sg_sbom__warn(set, "%s:%u: a direct reference (name @ "
					   "url) has no version; left out",
			    file, first);
		} else if (n) {
			error = pip_line(set, file, first, s, n, err);
		}
		sg_buf_truncate(&joined, 0);
	}
	sg_buf_release(&joined);
	return error;
}

/* ---- go.sum ---- */

static int
parse_gosum(struct sg_sbom__set *set, const char *file, const char *data,
    size_t len, struct sg_error *err)
{
	struct lines l = {data, data + len, 0};
	const char *s;
	size_t n;

	while (next_line(&l, &s, &n)) {
		const char *f[4];
		size_t fl[4], nf = 0, i = 0;
		struct sg_sbom__comp *c;
		const char *slash, *mod;

		trim(&s, &n);
		if (!n)
			continue;
		while (i < n && nf < 4) {
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (i == n)
				break;
			f[nf] = s + i;
			while (i < n && s[i] != ' ' && s[i] != '\t')
				i++;
			fl[nf] = (size_t)(s + i - f[nf]);
			nf++;
		}
		if (nf != 3 || fl[2] < 4 || strncmp(f[2], "h1:", 3) ||
		    !sg_sbom__text_ok(s, n) || fl[1] < 2 || f[1][0] != 'v') {
			sg_sbom__warn(set, "%s:%u: not 'module version h1:hash'; "
					   "left out", file, l.lineno);
			continue;
		}
		if (fl[1] > 7 && !memcmp(f[1] + fl[1] - 7, "/go.mod", 7))
			continue; /* the hash of a go.mod only */
		if (!(c = sg_sbom__add(set)))
			return too_many(err);
		mod = sg_sbom__str(set, f[0], fl[0]);
		slash = strrchr(mod, '/');
		c->type = "library";
		if (slash && slash[1]) {
			c->group = sg_sbom__str(set, mod, (size_t)(slash - mod));
			c->name = sg_sbom__str(set, slash + 1,
			    strlen(slash + 1));
		} else {
			c->name = mod;
		}
		c->version = sg_sbom__str(set, f[1], fl[1]);
		c->purl = sg_sbom__purl(set, "golang", c->group, c->name,
		    c->version, NULL, 0);
		c->ref = c->purl;
		c->source = file;
		sg_sbom__depend(set, NULL, c->ref);
	}
	return 0;
}

/* ---- Cargo.lock ---- */

struct cargo_pkg {
	const char *name, *version, *source, *checksum;
	unsigned line;
	struct sg_vec deps; /* const char *: "name", "name version", ... */
	struct sg_sbom__comp *comp;
};

/*
 * Read a TOML basic ("...") or literal ('...') string at *p (< end) into
 * the arena.  Advances *p past it.  NULL with *col set when it is not one.
 */
static const char *
toml_string(struct sg_sbom__set *set, const char **p, const char *end)
{
	const char *s = *p;
	char q;
	struct sg_buf b;
	const char *out = NULL;

	if (s >= end || (*s != '"' && *s != '\''))
		return NULL;
	q = *s++;
	sg_buf_init(&b, 0);
	while (s < end && *s != q) {
		unsigned cp = 0, nd = 0;

		if (*s == '\n' || *s == '\r')
			goto out;
		if (q == '\'' || *s != '\\') {
			sg_buf_putc(&b, *s++);
			continue;
		}
		if (++s >= end)
			goto out;
		switch (*s) {
		case '"': case '\\':
			sg_buf_putc(&b, *s);
			break;
		case 'n':
			sg_buf_putc(&b, '\n');
			break;
		case 't':
			sg_buf_putc(&b, '\t');
			break;
		case 'r':
			sg_buf_putc(&b, '\r');
			break;
		case 'b':
			sg_buf_putc(&b, '\b');
			break;
		case 'f':
			sg_buf_putc(&b, '\f');
			break;
		case 'u':
			nd = 4;
			break;
		case 'U':
			nd = 8;
			break;
		default:
			goto out;
		}
		if (nd) {
			if (end - s <= nd)
				goto out;
			for (unsigned k = 1; k <= nd; k++) {
				char c = s[k];
				int v = (c >= '0' && c <= '9') ? c - '0' :
				    (c >= 'a' && c <= 'f') ? c - 'a' + 10 :
				    (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;

				if (v < 0)
					goto out;
				cp = cp << 4 | (unsigned)v;
			}
			if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				goto out;
			if (cp < 0x80) {
				sg_buf_putc(&b, (int)cp);
			} else if (cp < 0x800) {
				sg_buf_putc(&b, (int)(0xc0 | cp >> 6));
				sg_buf_putc(&b, (int)(0x80 | (cp & 0x3f)));
			} else if (cp < 0x10000) {
				sg_buf_putc(&b, (int)(0xe0 | cp >> 12));
				sg_buf_putc(&b, (int)(0x80 | (cp >> 6 & 0x3f)));
				sg_buf_putc(&b, (int)(0x80 | (cp & 0x3f)));
			} else {
				sg_buf_putc(&b, (int)(0xf0 | cp >> 18));
				sg_buf_putc(&b, (int)(0x80 | (cp >> 12 & 0x3f)));
				sg_buf_putc(&b, (int)(0x80 | (cp >> 6 & 0x3f)));
				sg_buf_putc(&b, (int)(0x80 | (cp & 0x3f)));
			}
			s += nd;
		}
		s++;
	}
	if (s >= end)
		goto out;
	*p = s + 1;
	out = sg_sbom__str(set, b.ptr, b.len);
out:
	sg_buf_release(&b);
	return out;
}

static bool
is_hex64(const char *s)
{
	size_t i = 0;

	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return false;
	return i == 64;
}

static void
cargo_free(struct cargo_pkg *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sg_vec_release(&v[i].deps);
	free(v);
}

/* Find the package a dependency string "name[ version[ (source)]]" names. */
static struct cargo_pkg *
cargo_find(struct cargo_pkg *v, size_t n, const char *dep)
{
	size_t nl = strcspn(dep, " ");
	const char *ver = dep[nl] ? dep + nl + 1 : NULL;
	size_t vl = ver ? strcspn(ver, " ") : 0;

	for (size_t i = 0; i < n; i++) {
		if (!v[i].comp || strlen(v[i].name) != nl ||
		    memcmp(v[i].name, dep, nl))
			continue;
		if (ver && (strlen(v[i].version) != vl ||
		    memcmp(v[i].version, ver, vl)))
			continue;
		return &v[i];
	}
	return NULL;
}

static int
cargo_finish(struct sg_sbom__set *set, const char *file, struct cargo_pkg *v,
    size_t n, struct sg_error *err)
{
	bool any_local = false;

	for (size_t i = 0; i < n; i++) {
		struct sg_sbom__comp *c;

		if (!v[i].name || !v[i].version || !*v[i].name ||
		    !*v[i].version || !sg_sbom__text_ok(v[i].name,
		    strlen(v[i].name)) || !sg_sbom__text_ok(v[i].version,
		    strlen(v[i].version))) {
			sg_sbom__warn(set, "%s:%u: [[package]] without a name "
					   "and a version; left out", file,
			    v[i].line);
			continue;
		}
		if (!(c = sg_sbom__add(set)))
			return too_many(err);
		c->type = "library";
		c->name = v[i].name;
		c->version = v[i].version;
		c->purl = sg_sbom__purl(set, "cargo", NULL, c->name,
		    c->version, NULL, 0);
		c->ref = c->purl;
		c->source = file;
		if (v[i].checksum && is_hex64(v[i].checksum)) {
			c->hash_alg = "SHA-256";
			c->hash = v[i].checksum;
		} else if (v[i].checksum) {
			sg_sbom__warn(set, "%s:%u: checksum of '%s' is not 64 "
					   "hex digits; ignored", file,
			    v[i].line, c->name);
		}
		if (!v[i].source)
			any_local = true;
		v[i].comp = c;
	}
	for (size_t i = 0; i < n; i++) {
		if (!v[i].comp)
			continue;
		for (size_t k = 0; k < v[i].deps.len; k++) {
			struct cargo_pkg *to = cargo_find(v, n,
			    v[i].deps.items[k]);

			if (to && to != &v[i])
				sg_sbom__depend(set, v[i].comp, to->comp->ref);
		}
		/* the workspace's own crates have no source */
		if (!any_local || !v[i].source)
			sg_sbom__depend(set, NULL, v[i].comp->ref);
	}
	return 0;
}

static int
cargo_bad(const char *file, unsigned line, const char *ls, const char *at,
    const char *what, struct sg_error *err)
{
	return sg_error_set_at(err, SG_EINVAL, file, line,
	    (unsigned)(at - ls) + 1, "Cargo.lock: %s", what);
}

static int
parse_cargo(struct sg_sbom__set *set, const char *file, const char *data,
    size_t len, struct sg_error *err)
{
	const char *p = data, *end = data + len, *ls = data;
	struct cargo_pkg *v = NULL, *cur = NULL;
	size_t n = 0, cap = 0;
	unsigned line = 1;
	bool in_array = false; /* inside `key = [` */
	bool deps_array = false; /* ... and key is a package's dependencies */
	int error = 0;

	while (p < end) {
		const char *key, *str;
		size_t klen;
		bool quoted;

		if (*p == '\n') {
			p++, line++, ls = p;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
			continue;
		}
		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (in_array) {
			if (*p == ']') {
				in_array = false, p++;
			} else if (*p == ',') {
				p++;
			} else if ((str = toml_string(set, &p, end))) {
				if (deps_array)
					sg_vec_push(&cur->deps, (void *)str);
			} else {
				error = cargo_bad(file, line, ls, p,
				    "expected a string in the array", err);
				goto out;
			}
			continue;
		}
		if (*p == '[') {
			const char *close = memchr(p, ']', (size_t)(end - p));
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			if (!close || (nl && nl < close)) {
				error = cargo_bad(file, line, ls, p,
				    "unclosed table header", err);
				goto out;
			}
			cur = NULL;
			if ((size_t)(end - p) >= 11 && !memcmp(p,
			    "[[package]]", 11)) {
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					v = sg_xreallocarray(v, cap, sizeof(*v));
				}
				cur = &v[n++];
				memset(cur, 0, sizeof(*cur));
				cur->line = line;
				if (n > SG_SBOM_MAX_COMPONENTS) {
					error = too_many(err);
					goto out;
				}
			}
			p = close + 1;
			while (p < end && *p == ']')
				p++;
			continue;
		}
		/* key = value; a quoted key ([metadata] of v1 files) too */
		key = p;
		quoted = *p == '"' || *p == '\'';
		if (quoted) {
			if (!toml_string(set, &p, end)) {
				error = cargo_bad(file, line, ls, key,
				    "unterminated or invalid key", err);
				goto out;
			}
			klen = 0; /* no key of ours is quoted */
		} else {
			while (p < end && (pip_name_char(*p)))
				p++;
			klen = (size_t)(p - key);
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((!klen && !quoted) || p >= end || *p != '=') {
			error = cargo_bad(file, line, ls, key,
			    "expected key = value", err);
			goto out;
		}
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '[') {
			in_array = true, p++;
			deps_array = cur && klen == 12 &&
			    !memcmp(key, "dependencies", 12);
			continue;
		}
		if (p < end && (*p == '"' || *p == '\'')) {
			const char *at = p;

			if (!(str = toml_string(set, &p, end))) {
				error = cargo_bad(file, line, ls, at,
				    "unterminated or invalid string", err);
				goto out;
			}
			if (cur && klen == 4 && !memcmp(key, "name", 4))
				cur->name = str;
			else if (cur && klen == 7 && !memcmp(key, "version", 7))
				cur->version = str;
			else if (cur && klen == 6 && !memcmp(key, "source", 6))
				cur->source = str;
			else if (cur && klen == 8 && !memcmp(key, "checksum", 8))
				cur->checksum = str;
		} else {
			/* a bare value (`version = 3`): skip to the line end */
			while (p < end && *p != '\n' && *p != '#')
				p++;
		}
	}
	if (in_array) {
		error = cargo_bad(file, line, ls, p, "unclosed array", err);
		goto out;
	}
	error = cargo_finish(set, file, v, n, err);
out:
	cargo_free(v, n);
	return error;
}

int
sg_lockfile_parse(struct sg_sbom__set *set, enum sg_lockfile_kind kind,
    const char *name, const char *data, size_t len, struct sg_error *err)
{
	switch (kind) {
	case SG_LOCK_NPM:
		return parse_npm(set, name, data, len, err);
	case SG_LOCK_PIP:
		return parse_pip(set, name, data, len, err);
	case SG_LOCK_GOSUM:
		return parse_gosum(set, name, data, len, err);
	case SG_LOCK_CARGO:
		return parse_cargo(set, name, data, len, err);
	case SG_LOCK_NONE:
		break;
	}
	SG_BUG("not a lockfile kind");
}
