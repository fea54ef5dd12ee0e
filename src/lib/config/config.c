/* SPDX-License-Identifier: MIT */
/*
 * config.c - finding specgate.yaml and .env, and layering the sources.
 *
 * sg_config_load() works in two steps.  First it finds its inputs: the
 * project root (the nearest directory holding specgate.yaml, walking up
 * from the working directory as git does for .git; or the directory of
 * --config FILE; or the working directory when there is none) and reads
 * specgate.yaml and <root>/.env, each with a 1 MiB cap.  Then
 * sg_config__build() layers them, lowest precedence first, onto a fresh
 * struct sg_config:
 *
 *	defaults -> specgate.yaml -> .env -> environment -> flags
 *
 * The mode is resolved before the YAML is applied, from the same layers in
 * the same order, because it decides whether an unknown key is an error
 * (compliance) or a warning (sandbox).  Each value set by a layer records
 * its origin under its dotted key; keys without a record have their
 * default.
 *
 * The second step only sees bytes, so tests and the fuzzer drive it
 * through sg_config__load_buffer() without touching the file system.
 * Names in messages are relative to the working directory the search
 * started from ("../specgate.yaml:3:7"), as a user typing in that
 * directory would name the file.
 */
#include "specgate/config.h"

#include "config/config_int.h"
#include "config/dotenv.h"
#include "config/text.h"
#include "sys/fs.h"
#include "sys/path.h"
#include "util/util.h"

extern char **environ;

static const struct sg_config_options default_options =
    SG_CONFIG_OPTIONS_INIT;

/*
 * The environment variables that set configuration keys.  SPECGATE_KEY_PASSWORD
 * is deliberately absent: it is a secret, read by the signer, and never
 * becomes part of the configuration.
 */
static const struct {
	const char *var;
	const char *key;
} env_keys[] = {
	{"SPECGATE_MODE", "mode"},
	{"SPECGATE_PROJECT", "project"},
	{"SPECGATE_VERSION", "version"},
	{"SPECGATE_FEATURES", "features"},
	{"SPECGATE_REPORTS", "reports"},
	{"SPECGATE_SIGNING_KEY", "signing.key"},
	{"SPECGATE_DATABASE_URL", "store"},
	{"SPECGATE_LISTEN", "serve.listen"},
};

struct origin {
	char *key;
	char *where;
};

struct sg_config_origins {
	struct origin *v;
	size_t n;
	size_t cap;
	size_t nwarnings; /* warnings issued, kept or not */
};

/* ---- origins and warnings ---- */

void
sg_config__set_origin(struct sg_config *cfg, const char *key,
    const char *fmt, ...)
{
	struct sg_config_origins *o = cfg->origins;
	struct sg_buf b;
	va_list ap;
	size_t i;

	sg_buf_init(&b, 0);
	va_start(ap, fmt);
	sg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	for (i = 0; i < o->n && strcmp(o->v[i].key, key); i++)
		;
	if (i == o->n) {
		if (o->n == o->cap) {
			o->cap = o->cap ? 2 * o->cap : 32;
			o->v = sg_xreallocarray(o->v, o->cap, sizeof(*o->v));
		}
		o->v[o->n].key = sg_xstrdup(key);
		o->v[o->n++].where = NULL;
	}
	free(o->v[i].where);
	o->v[i].where = sg_buf_detach(&b, NULL);
}

const char *
sg_config__recorded_origin(const struct sg_config *cfg, const char *key)
{
	const struct sg_config_origins *o = cfg->origins;

	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].key, key))
			return o->v[i].where;
	return NULL;
}

const char *
sg_config_origin(const struct sg_config *cfg, const char *key)
{
	const struct sg_field *f;
	const char *where;
	char *base;

	where = sg_config__recorded_origin(cfg, key);
	if (where)
		return where;
	if (!strcmp(key, "root") || !strcmp(key, "file"))
		return "default";
	f = sg_config__field(key, (struct sg_config *)cfg, &base);
	if (!f)
		return NULL;
	if (f->inherit && !*(const bool *)(base + f->has_off))
		return sg_config_origin(cfg, f->inherit);
	return "default";
}

void
sg_config__warn(struct sg_config *cfg, const char *fmt, ...)
{
	struct sg_strlist *w = &cfg->warnings;
	struct sg_buf b;
	va_list ap;

	if (++cfg->origins->nwarnings > SG_CONFIG_MAX_WARNINGS)
		return;
	sg_buf_init(&b, 0);
	va_start(ap, fmt);
	sg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	w->items = sg_xreallocarray(w->items, w->n + 1, sizeof(*w->items));
	w->items[w->n++] = sg_buf_detach(&b, NULL);
}

/* ---- freeing ---- */

void
sg_config__strlist_release(struct sg_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void
stage_release(struct sg_stage_config *st)
{
	sg_config__strlist_release(&st->run);
	sg_config__strlist_release(&st->fix);
	sg_config__strlist_release(&st->fixable);
	sg_config__strlist_release(&st->rollback);
	sg_config__strlist_release(&st->artifacts);
	for (size_t i = 0; i < st->nenv; i++) {
		free(st->env[i].key);
		free(st->env[i].value);
	}
	free(st->env);
	free(st->health_url);
	free(st->target);
	free(st->start);
	free(st->image);
	free(st->limits);
	free(st->templates);
	free(st->out);
}

void
sg_config__environments_release(struct sg_config *cfg)
{
	for (size_t i = 0; i < cfg->nenvs; i++) {
		free(cfg->envs[i].name);
		free(cfg->envs[i].target);
		free(cfg->envs[i].health_url);
	}
	free(cfg->envs);
	cfg->envs = NULL;
	cfg->nenvs = 0;
}

const struct sg_environment *
sg_config_environment(const struct sg_config *cfg, const char *name,
    size_t *index)
{
	for (size_t i = 0; name && i < cfg->nenvs; i++) {
		if (!strcmp(cfg->envs[i].name, name)) {
			if (index)
				*index = i;
			return &cfg->envs[i];
		}
	}
	return NULL;
}

void
sg_config_free(struct sg_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->root);
	free(cfg->root_rel);
	free(cfg->file);
	free(cfg->mode_floor_origin);
	free(cfg->project);
	free(cfg->version);
	sg_config__strlist_release(&cfg->features);
	free(cfg->reports);
	sg_config__strlist_release(&cfg->coverage.files);
	sg_config__strlist_release(&cfg->test_files);
	sg_config__strlist_release(&cfg->sast_files);
	free(cfg->sast_fail_on);
	for (size_t i = 0; i < 3; i++)
		free(cfg->gate_stage[i]);
	sg_config__strlist_release(&cfg->approval_keys);
	free(cfg->signing_key);
	free(cfg->store);
	free(cfg->serve.listen);
	sg_config__strlist_release(&cfg->secrets);
	sg_config__strlist_release(&cfg->sbom_components);
	for (size_t i = 0; i < SG_STAGE_COUNT; i++)
		stage_release(&cfg->stages[i]);
	sg_config__environments_release(cfg);
	sg_config__strlist_release(&cfg->warnings);
	if (cfg->origins) {
		for (size_t i = 0; i < cfg->origins->n; i++) {
			free(cfg->origins->v[i].key);
			free(cfg->origins->v[i].where);
		}
		free(cfg->origins->v);
		free(cfg->origins);
	}
	free(cfg);
}

/* ---- layering ---- */

/* The value of NAME in a "KEY=VALUE" array; an empty value counts as unset. */
static const char *
env_get(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, len) && (*envp)[len] == '=')
			return (*envp)[len + 1] ? *envp + len + 1 : NULL;
	return NULL;
}

struct layers {
	struct sg_ynode *yaml;
	const char *yaml_name;
	struct sg_dotenv_var *dotenv;
	size_t ndotenv;
	const char *dotenv_name;
	char *const *envp;
	const struct sg_config_options *opts;
};

/* A .env value that the real environment does not override, or NULL. */
static const struct sg_dotenv_var *
dotenv_get(const struct layers *ly, const char *var)
{
	const struct sg_dotenv_var *v;

	if (env_get(ly->envp, var))
		return NULL;
	v = sg_dotenv_find(ly->dotenv, ly->ndotenv, var);
	return v && v->value[0] ? v : NULL;
}

static int
bad_mode(struct sg_error *err, const char *file, unsigned line,
    unsigned column, const char *subject, const char *text)
{
	char got[80];

	sg_text_clip(got, sizeof(got), text, strlen(text));
	return sg_error_set_at(err, SG_EINVAL, file, line, column,
	    "'%s' must be sandbox or compliance, not '%s'", subject, got);
}

/* The mode, from the same layers as every other key (see the top). */
static int
resolve_mode(enum sg_mode *out, const struct layers *ly, struct sg_error *err)
{
	const struct sg_dotenv_var *dv;
	const char *s;
	bool found;
	int error;

	*out = SG_MODE_SANDBOX;
	if ((error = sg_config__yaml_mode(out, &found, ly->yaml, ly->yaml_name,
		 err)) < 0)
		return error;
	dv = dotenv_get(ly, "SPECGATE_MODE");
	if (dv && sg_mode_parse(out, dv->value) < 0)
		return bad_mode(err, ly->dotenv_name, dv->line, dv->column,
		    "SPECGATE_MODE", dv->value);
	s = env_get(ly->envp, "SPECGATE_MODE");
	if (s && sg_mode_parse(out, s) < 0)
		return bad_mode(err, NULL, 0, 0, "SPECGATE_MODE", s);
	if (ly->opts->mode && sg_mode_parse(out, ly->opts->mode) < 0)
		return bad_mode(err, NULL, 0, 0, "--mode", ly->opts->mode);
	return 0;
}

static int
apply_env_layers(struct sg_config *cfg, const struct layers *ly,
    struct sg_error *err)
{
	const struct sg_dotenv_var *dv;
	char origin[64];
	const char *s;
	int error = 0;

	for (size_t i = 0; i < SG_ARRAY_SIZE(env_keys) && !error; i++) {
		dv = dotenv_get(ly, env_keys[i].var);
		if (!dv)
			continue;
		snprintf(origin, sizeof(origin), "%s:%u", ly->dotenv_name,
		    dv->line);
		if (strlen(ly->dotenv_name) > 40)
			snprintf(origin, sizeof(origin), ".env:%u", dv->line);
		error = sg_config__apply_text(cfg, env_keys[i].key, dv->value,
		    env_keys[i].var, origin, ly->dotenv_name, dv->line,
		    dv->column, err);
	}
	for (size_t i = 0; i < SG_ARRAY_SIZE(env_keys) && !error; i++) {
		s = env_get(ly->envp, env_keys[i].var);
		if (!s)
			continue;
		snprintf(origin, sizeof(origin), "env %s", env_keys[i].var);
		error = sg_config__apply_text(cfg, env_keys[i].key, s,
		    env_keys[i].var, origin, NULL, 0, 0, err);
	}
	if (!error && ly->opts->mode)
		error = sg_config__apply_text(cfg, "mode", ly->opts->mode,
		    "--mode", "--mode", NULL, 0, 0, err);
	return error;
}

/* The last component of an absolute path, for the default project name. */
static char *
dir_name_of(const char *root)
{
	const char *end = root + strlen(root);
	const char *p;

	while (end > root + 1 && end[-1] == '/')
		end--;
	for (p = end; p > root && p[-1] != '/'; p--)
		;
	return p < end ? sg_xstrndup(p, (size_t)(end - p)) :
			 sg_xstrdup("project");
}

static struct sg_config *
config_new(const struct sg_config__source *src)
{
	struct sg_config *cfg;

	cfg = sg_xcalloc(1, sizeof(*cfg));
	cfg->origins = sg_xcalloc(1, sizeof(*cfg->origins));
	cfg->root = sg_xstrdup(src->root);
	cfg->file = src->file ? sg_xstrdup(src->file) : NULL;
	cfg->project = dir_name_of(src->root);
	cfg->version = sg_xstrdup("0.0.0");
	sg_config__defaults(cfg);
	if (src->file_origin) {
		sg_config__set_origin(cfg, "root", "%s", src->file_origin);
		sg_config__set_origin(cfg, "file", "%s", src->file_origin);
	}
	return cfg;
}

/* The summary line for warnings past the cap. */
static void
close_warnings(struct sg_config *cfg)
{
	size_t n = cfg->origins->nwarnings;
	struct sg_strlist *w = &cfg->warnings;

	if (n <= SG_CONFIG_MAX_WARNINGS)
		return;
	w->items = sg_xreallocarray(w->items, w->n + 1, sizeof(*w->items));
	w->items[w->n++] = sg_xasprintf("specgate: warning: %zu more warnings "
					"not shown",
	    n - SG_CONFIG_MAX_WARNINGS);
}

int
sg_config__build(struct sg_config **out,
    const struct sg_config__source *src, const struct sg_config_options *opts,
    struct sg_error *err)
{
	struct sg_config *cfg;
	struct sg_arena arena;
	struct layers ly;
	enum sg_mode mode;
	int error;

	*out = NULL;
	memset(&ly, 0, sizeof(ly));
	ly.yaml_name = src->yaml_name;
	ly.dotenv_name = src->dotenv_name;
	ly.envp = opts->environ ? opts->environ : environ;
	ly.opts = opts;
	sg_arena_init(&arena);
	cfg = config_new(src);
	if (src->yaml &&
	    (error = sg_yaml_parse(&ly.yaml, &arena, src->yaml_name,
		 src->yaml, src->yaml_len, err)) < 0)
		goto out;
	if (src->dotenv &&
	    (error = sg_dotenv_parse(&ly.dotenv, &ly.ndotenv, &arena,
		 src->dotenv_name, src->dotenv, src->dotenv_len, err)) < 0)
		goto out;
	if ((error = resolve_mode(&mode, &ly, err)) < 0)
		goto out;
	if ((error = sg_config__apply_yaml(cfg, ly.yaml, src->yaml_name, mode,
		 err)) < 0)
		goto out;
	/* The floor: what specgate.yaml says, before the layers above it. */
	cfg->mode_floor = cfg->mode;
	cfg->mode_floor_origin = sg_xstrdup(
	    sg_config__recorded_origin(cfg, "mode") ?
		sg_config__recorded_origin(cfg, "mode") : "default");
	if ((error = apply_env_layers(cfg, &ly, err)) < 0)
		goto out;
	close_warnings(cfg);
	*out = cfg;
	cfg = NULL;
out:
	sg_config_free(cfg);
	sg_arena_release(&arena);
	return error;
}

int
sg_config__load_buffer(struct sg_config **out, const char *yaml,
    size_t len, const char *dotenv, size_t dotenv_len,
    const struct sg_config_options *opts, struct sg_error *err)
{
	struct sg_config__source src;

	*out = NULL;
	if (!opts)
		opts = &default_options;
	if (len > SG_CONFIG_MAX_FILE || dotenv_len > SG_CONFIG_MAX_FILE)
		return sg_error_set(err, SG_ETOOBIG,
		    "'specgate.yaml' is too large (the limit is %u bytes)",
		    SG_CONFIG_MAX_FILE);
	memset(&src, 0, sizeof(src));
	src.root = opts->cwd ? opts->cwd : "/project";
	src.file_origin = "search";
	src.yaml_name = "specgate.yaml";
	src.yaml = yaml ? yaml : "";
	src.yaml_len = len;
	src.dotenv_name = ".env";
	src.dotenv = dotenv;
	src.dotenv_len = dotenv_len;
	return sg_config__build(out, &src, opts, err);
}

/* ---- finding the files ---- */

struct found {
	char *cwd;	   /* absolute working directory */
	char *root;	   /* absolute project root */
	char *file;	   /* absolute specgate.yaml, or NULL */
	char *read_path;   /* the path to open it by */
	char *yaml_name;   /* as messages name it */
	char *dotenv_name; /* as messages name it */
	const char *how;   /* "--config", "search" or NULL */
};

static void
found_release(struct found *fd)
{
	free(fd->cwd);
	free(fd->root);
	free(fd->file);
	free(fd->read_path);
	free(fd->yaml_name);
	free(fd->dotenv_name);
}

static char *
path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return sg_xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/",
	    name);
}

/* "dir/" of a display name ("" when it has no slash). */
static char *
sibling(const char *name, const char *other)
{
	const char *slash = strrchr(name, '/');

	if (!slash)
		return sg_xstrdup(other);
	return sg_xasprintf("%.*s/%s", (int)(slash - name), name, other);
}

/* Walk up from cwd to the first directory holding specgate.yaml. */
static int
locate_walk(struct found *fd)
{
	struct sg_buf up;
	char *dir;
	char *cand;
	char *slash;

	sg_buf_init(&up, 0);
	dir = sg_xstrdup(fd->cwd);
	for (;;) {
		cand = path_join(dir, "specgate.yaml");
		if (sg_fs_exists(cand)) {
			fd->root = dir;
			fd->file = cand;
			fd->read_path = sg_xstrdup(cand);
			sg_buf_puts(&up, "specgate.yaml");
			fd->yaml_name = sg_buf_detach(&up, NULL);
			fd->how = "search";
			return 0;
		}
		free(cand);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (!slash || !dir[1])
				break;
			dir[1] = '\0';
		} else {
			*slash = '\0';
		}
		sg_buf_puts(&up, "../");
	}
	free(dir);
	sg_buf_release(&up);
	fd->root = sg_xstrdup(fd->cwd);
	fd->yaml_name = sg_xstrdup("specgate.yaml");
	return 0;
}

/* --config FILE: the root is FILE's directory; no walking. */
static int
locate_given(struct found *fd, const char *path, bool relative_to_cwd,
    struct sg_error *err)
{
	const char *slash;
	char *dir;
	int error;

	fd->read_path = path[0] != '/' && relative_to_cwd ?
	    path_join(fd->cwd, path) :
	    sg_xstrdup(path);
	fd->yaml_name = sg_xstrdup(path);
	fd->how = "--config";
	if (!sg_fs_exists(fd->read_path))
		return sg_error_set(err, SG_ENOTFOUND,
		    "cannot open '%s': no such file", path);
	slash = strrchr(fd->read_path, '/');
	if (!slash)
		dir = sg_xstrdup(".");
	else if (slash == fd->read_path)
		dir = sg_xstrdup("/");
	else
		dir = sg_xstrndup(fd->read_path,
		    (size_t)(slash - fd->read_path));
	error = sg_path_realpath(&fd->root, dir, err);
	free(dir);
	if (error < 0)
		return error;
	fd->file = path_join(fd->root, slash ? slash + 1 : fd->read_path);
	return 0;
}

/* Read path into b; a missing or directory .env is simply no .env. */
static int
read_optional(struct sg_buf *b, bool *have, const char *path,
    struct sg_error *err)
{
	int error;

	*have = false;
	if (sg_fs_is_dir(path) || !sg_fs_exists(path))
		return 0;
	if ((error = sg_fs_read_file(b, path, SG_CONFIG_MAX_FILE, err)) < 0)
		return error;
	*have = true;
	return 0;
}

int
sg_config_load(struct sg_config **out, const struct sg_config_options *opts,
    struct sg_error *err)
{
	struct sg_config__source src;
	struct found fd;
	struct sg_buf yaml;
	struct sg_buf dotenv;
	char *dotenv_path = NULL;
	bool have_dotenv = false;
	int error;

	*out = NULL;
	memset(&fd, 0, sizeof(fd));
	sg_buf_init(&yaml, 0);
	sg_buf_init(&dotenv, 0);
	if (!opts)
		opts = &default_options;
	if (opts->version != SG_CONFIG_OPTIONS_VERSION)
		SG_BUG("struct sg_config_options of an unknown version");
	error = opts->cwd ? sg_path_realpath(&fd.cwd, opts->cwd, err) :
			    sg_path_getcwd(&fd.cwd, err);
	if (error < 0)
		goto out;
	if (opts->config_file)
		error = locate_given(&fd, opts->config_file, opts->cwd != NULL,
		    err);
	else
		error = locate_walk(&fd);
	if (error < 0)
		goto out;
	if (fd.read_path && (error = sg_fs_read_file(&yaml, fd.read_path,
				 SG_CONFIG_MAX_FILE, err)) < 0)
		goto out;
	dotenv_path = path_join(fd.root, ".env");
	fd.dotenv_name = sibling(fd.yaml_name, ".env");
	if ((error = read_optional(&dotenv, &have_dotenv, dotenv_path,
		 err)) < 0)
		goto out;
	memset(&src, 0, sizeof(src));
	src.root = fd.root;
	src.file = fd.file;
	src.file_origin = fd.how;
	src.yaml_name = fd.yaml_name;
	src.yaml = fd.read_path ? yaml.ptr : NULL;
	src.yaml_len = yaml.len;
	src.dotenv_name = fd.dotenv_name;
	src.dotenv = have_dotenv ? dotenv.ptr : NULL;
	src.dotenv_len = dotenv.len;
	if ((error = sg_config__build(out, &src, opts, err)) < 0)
		goto out;
	sg_path_relative(&(*out)->root_rel, fd.cwd, fd.root);
out:
	free(dotenv_path);
	sg_buf_release(&yaml);
	sg_buf_release(&dotenv);
	found_release(&fd);
	return error;
}

/* ---- the mode floor ---- */

bool
sg_config_below_floor(const struct sg_config *cfg, char *buf, size_t size)
{
	const char *o = sg_config_origin(cfg, "mode");
	const char *m = sg_mode_name(cfg->mode);

	if (cfg->mode >= cfg->mode_floor)
		return false;
	if (!o || !strcmp(o, "--mode"))
		snprintf(buf, size, "mode '%s' is this project's floor; "
		    "--mode %s is refused", sg_mode_name(cfg->mode_floor), m);
	else if (!strncmp(o, "env ", 4))
		snprintf(buf, size, "mode '%s' is this project's floor; "
		    "SPECGATE_MODE=%s is refused", sg_mode_name(cfg->mode_floor),
		    m);
	else
		snprintf(buf, size, "mode '%s' is this project's floor; "
		    "SPECGATE_MODE=%s (%s) is refused",
		    sg_mode_name(cfg->mode_floor), m, o);
	return true;
}

/* ---- names and durations ---- */

static const char *const stage_names[SG_STAGE_COUNT] = {"preflight",
	"validate", "generate", "build", "deploy", "audit"};

const char *
sg_stage_name(enum sg_stage_id stage)
{
	return (unsigned)stage < SG_STAGE_COUNT ? stage_names[stage] :
						  "unknown";
}

int
sg_stage_parse(enum sg_stage_id *out, const char *s)
{
	for (int i = 0; i < SG_STAGE_COUNT; i++) {
		if (!strcmp(s, stage_names[i])) {
			*out = (enum sg_stage_id)i;
			return 0;
		}
	}
	return SG_EINVAL;
}

/*
 * <digits>[.<digits>]<unit>, unit one of ms s m h.  A fraction is allowed
 * when the result is a whole number of milliseconds (1.5m, 0.25s; not
 * 1.5ms).  Integer arithmetic only, so "0.1s" is exactly 100 ms.
 */
int
sg_duration_parse(uint64_t *out_ms, const char *s)
{
	static const struct {
		const char *name;
		uint64_t ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
	uint64_t whole = 0;
	uint64_t frac = 0;
	uint64_t scale = 1;
	uint64_t unit = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return SG_EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > SG_DURATION_MAX_MS)
			return SG_EINVAL;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return SG_EINVAL;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale >= 1000000000)
				return SG_EINVAL;
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
	}
	for (size_t i = 0; i < SG_ARRAY_SIZE(units); i++)
		if (!strcmp(p, units[i].name))
			unit = units[i].ms;
	if (!unit || whole > SG_DURATION_MAX_MS / unit ||
	    (frac * unit) % scale)
		return SG_EINVAL;
	whole = whole * unit + frac * unit / scale;
	if (whole > SG_DURATION_MAX_MS)
		return SG_EINVAL;
	*out_ms = whole;
	return 0;
}
