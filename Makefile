# specgate - GNU Makefile.  `make` builds build/specgate; `make check` runs
# every test; `make demo` runs the example; `make SANITIZE=1 check` is the
# ASan+UBSan build (in build-san/); `make fuzz` builds the libFuzzer targets.
# `make deps` installs missing Debian packages (tools/install-deps); `demo` and
# `check` run it first.

VERSION := 0.1.0
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

CC ?= cc
PKG_CONFIG ?= pkg-config
# Linked: what every command uses.  Loaded on first use (dlopen,
# src/lib/sys/dl.h): compiled against, not linked, so that a command that
# needs neither git, HTTP, XML nor PostgreSQL maps none of their forty
# shared objects.  Their sonames are read from the libraries built against.
LINK_PKGS := yaml-0.1 jansson libcrypto sqlite3
DL_PKGS := libxml-2.0 libmicrohttpd libgit2 libcurl libpq
PKGS := $(LINK_PKGS) $(DL_PKGS)
soname = $(or $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir $(1) \
	2>/dev/null)/$(2).so" 2>/dev/null | sed -n 's/^ *SONAME *//p'),$(3))
SONAMES := -DSG_SONAME_XML='"$(call soname,libxml-2.0,libxml2,libxml2.so.2)"' \
	-DSG_SONAME_MHD='"$(call soname,libmicrohttpd,libmicrohttpd,libmicrohttpd.so.12)"' \
	-DSG_SONAME_GIT2='"$(call soname,libgit2,libgit2,libgit2.so.1.5)"' \
	-DSG_SONAME_CURL='"$(call soname,libcurl,libcurl,libcurl.so.4)"' \
	-DSG_SONAME_PQ='"$(call soname,libpq,libpq,libpq.so.5)"'

ifeq ($(SANITIZE),1)
BUILD ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS :=
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -Wvla -Wformat=2
OPT ?= -O2 -g
CPPFLAGS += -Iinclude -Isrc/lib -I$(BUILD)/gen -D_GNU_SOURCE \
	-DSG_VERSION='"$(VERSION)"' -DSG_COMMIT='"$(COMMIT)"' $(SONAMES)
CFLAGS += -std=c11 $(OPT) $(WARN) $(SANFLAGS) -MMD -MP \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDFLAGS += $(SANFLAGS)
LDLIBS += $(shell $(PKG_CONFIG) --libs $(LINK_PKGS) 2>/dev/null) -ldl -lm -lpthread
# Tests and benchmarks may call the loaded libraries themselves (a unit test
# builds git commits with libgit2): they link them too; the library's
# tables then open the copies already mapped.
TEST_LDLIBS := $(LDLIBS) $(shell $(PKG_CONFIG) --libs $(DL_PKGS) 2>/dev/null)

LIB_SRCS := $(sort $(wildcard src/lib/*/*.c))
CLI_SRCS := $(sort $(wildcard src/cli/*.c src/httpd/*.c))
GEN_SRCS := $(BUILD)/gen/dialects.c
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/dialects.o \
	$(BUILD)/gen/migrations.o $(BUILD)/gen/migrations_pg.o \
	$(BUILD)/gen/templates.o
MIGRATIONS := $(sort $(wildcard src/lib/store/migrations/*.sql))
MIGRATIONS_PG := $(sort $(wildcard src/lib/store/migrations/pg/*.sql))
TEMPLATES := $(sort $(wildcard templates/*/*/*.mustache))
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libspecgate.a
BIN := $(BUILD)/specgate

UNIT_SRCS := $(sort $(wildcard tests/unit/*/*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/replay/%)

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps deps-demo demo check test unit fuzz bench clean lint man \
	install uninstall
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The front ends include each other's headers by their folder,
# "httpd/httpd.h"; the library never sees src/ (tools/layers).
$(BUILD)/src/cli/%.o $(BUILD)/src/httpd/%.o: CPPFLAGS += -Isrc

# The Gherkin keywords of every language, turned into a C table at build
# time from Cucumber's gherkin-languages.json (data/, MIT).
$(BUILD)/tools/gen-dialects: tools/gen-dialects.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -Wall -Wextra -o $@ $< \
		$(shell $(PKG_CONFIG) --cflags --libs jansson)

$(BUILD)/gen/dialects.c: data/gherkin-languages.json $(BUILD)/tools/gen-dialects
	@mkdir -p $(@D)
	$(BUILD)/tools/gen-dialects $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/dialects.o: $(BUILD)/gen/dialects.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

# The store's schema migrations, embedded as C strings at build time so the
# binary needs no files beside it (src/lib/store/migrations.h).
$(BUILD)/gen/migrations.c: $(MIGRATIONS) tools/gen-migrations
	@mkdir -p $(@D)
	tools/gen-migrations $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# PostgreSQL's, the same versions in its syntax (migrations/pg/).
$(BUILD)/gen/migrations_pg.c: $(MIGRATIONS_PG) tools/gen-migrations
	@mkdir -p $(@D)
	tools/gen-migrations --backend pg $(MIGRATIONS_PG) > $@.tmp && \
		mv $@.tmp $@

$(BUILD)/gen/migrations_pg.o: $(BUILD)/gen/migrations_pg.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The built-in template sets of `specgate generate`, embedded the same way
# (docs/decisions.md): templates/SET/{project,feature,partials}/*.mustache.
$(BUILD)/gen/templates.c: $(TEMPLATES) tools/gen-templates
	@mkdir -p $(@D)
	tools/gen-templates $(TEMPLATES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/templates.o: $(BUILD)/gen/templates.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LDLIBS)

# Unit tests: one cmocka program per file, TAP output.
$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB) \
		$(LDFLAGS) $(TEST_LDLIBS) $(shell $(PKG_CONFIG) --libs cmocka)

# Fuzz targets linked with the standalone driver: replay the corpora.
$(BUILD)/tests/replay/%: tests/fuzz/%.c tests/fuzz/standalone.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< \
		tests/fuzz/standalone.c $(LIB) $(LDFLAGS) $(TEST_LDLIBS)

# Benchmarks: small drivers over the library, run by bench/*.sh.
$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB) \
		$(LDFLAGS) $(TEST_LDLIBS)

bench: $(BUILD)/bench/audit-trail
	@BUILD=$(abspath $(BUILD)) bench/audit-verify.sh

deps:
	@tools/install-deps

deps-demo:
	@tools/install-deps --demo

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the man pages and
# the bash and fish completions (generated by the binary just built); zsh
# users add `source <(specgate completion zsh)` to their .zshrc.
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/specgate
	install -m 0644 docs/man/specgate.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 docs/man/specgate.yaml.5 \
		$(DESTDIR)$(PREFIX)/share/man/man5/
	$(BIN) completion bash \
		>$(DESTDIR)$(PREFIX)/share/bash-completion/completions/specgate
	$(BIN) completion fish \
		>$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/specgate.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/specgate \
		$(DESTDIR)$(PREFIX)/share/man/man1/specgate.1 \
		$(DESTDIR)$(PREFIX)/share/man/man5/specgate.yaml.5 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/specgate \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/specgate.fish

unit: $(UNIT_BINS)

test: $(BIN) $(UNIT_BINS) $(FUZZ_REPLAY)
	@SPECGATE=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) tests/run

check: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test

lint:
	@tools/lint

demo: deps-demo
	@$(MAKE) --no-print-directory $(BIN)
	@BIN=$(abspath $(BIN)) examples/demo.sh

# libFuzzer builds (clang).  Run one: build-fuzz/fuzz_gherkin tests/fuzz/corpus/gherkin
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-Iinclude -Isrc/lib -Ibuild-fuzz/gen -D_GNU_SOURCE $(SONAMES)
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
		OPT="-g -O1" SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
		build-fuzz/libspecgate.a
	@for f in $(FUZZ_SRCS); do \
		n=$$(basename $$f .c); \
		echo "clang $$f -> build-fuzz/$$n"; \
		clang $(FUZZ_CFLAGS) -o build-fuzz/$$n $$f build-fuzz/libspecgate.a \
			$(TEST_LDLIBS) || exit 1; \
	done

man:
	@for m in docs/man/*.[0-9]; do man -l -Tutf8 $$m >/dev/null || exit 1; done

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)
