/* SPDX-License-Identifier: MIT */
/*
 * config_int.h - what the files of src/lib/config/ share, and the entry
 * points that tests and fuzzers use to load a configuration from memory.
 *
 * The schema is one table (sg_config__schema): each key of specgate.yaml
 * with its type, limits and the offset of its value in struct sg_config.
 * The YAML reader, the environment layers, origin lookups and the dump all
 * walk that table, so a new key is one line there plus its default.
 */
#ifndef SG_CONFIG_INT_H
#define SG_CONFIG_INT_H

#include "specgate/config.h"

#include "config/yaml.h"

/* Each input file (specgate.yaml, .env) is read with this cap. */
#define SG_CONFIG_MAX_FILE (1u << 20)

/* Unknown-key warnings kept in cfg->warnings before a summary line. */
#define SG_CONFIG_MAX_WARNINGS 50

enum sg_field_type {
	SG_F_SECTION, /* a mapping of further keys (sub) */
	SG_F_STAGE,   /* a stage: a section that marks itself configured */
	SG_F_STR,     /* char * */
	SG_F_STRLIST, /* struct sg_strlist */
	SG_F_UINT,    /* unsigned */
	SG_F_NUM,     /* double */
	SG_F_DUR,     /* uint64_t milliseconds */
	SG_F_RANGE,   /* struct sg_range of numbers */
	SG_F_IRANGE,  /* struct sg_range of integers */
	SG_F_MODE,    /* enum sg_mode */
	SG_F_BOOL,    /* bool: a plain true or false */
	SG_F_ENV,     /* a stage's env map: struct sg_env_pair *, size_t */
};

enum sg_field_flags {
	SG_FIELD_NONEMPTY = (1 << 0), /* a list needs at least one item */
	SG_FIELD_STORE = (1 << 1),    /* "sqlite:PATH" or "postgres://..." */
	SG_FIELD_PURL = (1 << 2),     /* list items are pkg:TYPE/NAME@VERSION */
};

struct sg_field {
	const char *name;
	enum sg_field_type type;
	size_t off;	 /* of the value, from the section's base */
	unsigned flags;	 /* enum sg_field_flags */
	double min;	 /* numbers, durations (ms) and range bounds */
	double max;
	const char *const *choices; /* SG_F_STR: the accepted words */
	const struct sg_field *sub; /* SG_F_SECTION, SG_F_STAGE */
	/*
	 * A stage's retries, interval and backoff: the offset of its has_*
	 * flag, and the global key (and its offset in struct sg_config) that
	 * applies while the flag is false.
	 */
	size_t has_off;
	const char *inherit;
	size_t inherit_off;
};

/* The top-level keys, in the order of docs/product.md §2.2; NULL-ended. */
extern const struct sg_field sg_config__schema[];

/*
 * Find the field for a dotted key ("policy.sandbox.cpu") and the base its
 * offset applies to within cfg (*base, may be NULL when cfg is NULL).
 * Returns NULL for a key that is not in the schema.
 */
const struct sg_field *sg_config__field(const char *key, struct sg_config *cfg,
    char **base);

/* Set the built-in defaults of every key (project and version excluded). */
void sg_config__defaults(struct sg_config *cfg);

/*
 * Apply a parsed specgate.yaml (root may be NULL: nothing to apply).  Unknown
 * keys are errors when mode is compliance, warnings otherwise.  Returns 0 or
 * SG_EINVAL with the offending node's location.
 */
int sg_config__apply_yaml(struct sg_config *cfg, const struct sg_ynode *root,
    const char *name, enum sg_mode mode, struct sg_error *err);

/*
 * The `mode:` of a parsed specgate.yaml, if it has a valid one (*found).
 * Returns 0 or SG_EINVAL (the value is not a mode).
 */
int sg_config__yaml_mode(enum sg_mode *out, bool *found,
    const struct sg_ynode *root, const char *name, struct sg_error *err);

/*
 * Apply one textual value (an environment variable, a .env line, a flag)
 * to `key`.  `subject` names the source in messages ("SPECGATE_MODE",
 * "--mode"), `origin` is recorded for sg_config_origin(); file/line/column
 * place an error (file NULL: no position).  Returns 0 or SG_EINVAL.
 */
int sg_config__apply_text(struct sg_config *cfg, const char *key,
    const char *text, const char *subject, const char *origin,
    const char *file, unsigned line, unsigned column, struct sg_error *err);

/* Record where `key` got its value (replacing an earlier origin). */
void sg_config__set_origin(struct sg_config *cfg, const char *key,
    const char *fmt, ...) SG_PRINTF(3, 4);

/* The recorded origin of key, or NULL when it still has its default. */
const char *sg_config__recorded_origin(const struct sg_config *cfg,
    const char *key);

/* Append a message to cfg->warnings (capped at SG_CONFIG_MAX_WARNINGS). */
void sg_config__warn(struct sg_config *cfg, const char *fmt, ...)
    SG_PRINTF(2, 3);

/* Free the strings of a list and reset it. */
void sg_config__strlist_release(struct sg_strlist *l);
void sg_config__environments_release(struct sg_config *cfg);

/* Where a configuration comes from, as found by sg_config_load(). */
struct sg_config__source {
	const char *root;	 /* absolute project root */
	const char *file;	 /* absolute path of specgate.yaml, or NULL */
	const char *file_origin; /* "--config", "search", or NULL (none) */
	const char *yaml_name;	 /* specgate.yaml as messages name it */
	const char *yaml;	 /* its bytes, or NULL without a file */
	size_t yaml_len;
	const char *dotenv_name; /* .env as messages name it */
	const char *dotenv;	 /* its bytes, or NULL without a file */
	size_t dotenv_len;
};

/* Build the effective configuration from in-memory sources. */
int sg_config__build(struct sg_config **out,
    const struct sg_config__source *src, const struct sg_config_options *opts,
    struct sg_error *err);

/*
 * Load `yaml` as if it were <root>/specgate.yaml, with an optional .env
 * (dotenv NULL: none), the environment and flags of opts, and no file
 * system access (tests and fuzzers).  root is opts->cwd, or "/project"
 * when that is NULL.  Inputs over SG_CONFIG_MAX_FILE fail with SG_ETOOBIG.
 */
int sg_config__load_buffer(struct sg_config **out, const char *yaml,
    size_t len, const char *dotenv, size_t dotenv_len,
    const struct sg_config_options *opts, struct sg_error *err);

#endif /* SG_CONFIG_INT_H */
