/* SPDX-License-Identifier: MIT */
/*
 * big-bundle.c - the benchmark driver of bench/verify.sh: a real, signed
 * bundle whose build stage declares N artifacts, made with the library as
 * the pipeline runner will make it (sg_bundle_write() for each artifact,
 * one in-toto link per stage through sg_bundle_write_link(), then
 * sg_bundle_publish(): signatures, provenance, manifest, audit link, seal).
 *
 *	big-bundle KEY N SIZE	in a project directory (reports/, the
 *				store at .specgate/state.db); KEY is an
 *				unencrypted private key; prints the bundle
 *
 * The artifacts are artifacts/aNNNNN, SIZE bytes of pseudo-random data
 * each.  The spec file features/big.feature is the preflight's material.
 * Not installed, and not part of specgate: the bench links libspecgate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/evidence.h"
#include "specgate/intoto.h"
#include "specgate/sign.h"
#include "hash/digest.h"
#include "util/util.h"

static int
fail(const struct sg_error *err)
{
	fprintf(stderr, "big-bundle: %s\n", err->message);
	return 2;
}

int
main(int argc, char **argv)
{
	struct sg_evidence_options eo = SG_EVIDENCE_OPTIONS_INIT;
	struct sg_key_options ko = SG_KEY_OPTIONS_INIT;
	struct sg_bundle_run br = SG_BUNDLE_RUN_INIT;
	struct sg_run_new rn = SG_RUN_NEW_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_checkpoint cps[SG_STAGE_AUDIT];
	struct sg_bundle_published pub;
	struct sg_intoto_link *l = NULL;
	struct sg_signer *signer = NULL;
	struct sg_store *st = NULL;
	struct sg_bundle *b = NULL;
	struct sg_key *key = NULL;
	char run_id[SG_RUN_ID_SIZE];
	char sha[65];
	char name[64];
	unsigned char *data;
	unsigned long n;
	unsigned long size;
	unsigned seed = 12345;
	const char *fid = "b16b00b5b16b";

	if (argc != 4)
		return fprintf(stderr, "usage: big-bundle KEY N SIZE\n"), 2;
	n = strtoul(argv[2], NULL, 10);
	size = strtoul(argv[3], NULL, 10);
	data = sg_xmalloc(size + 1);
	if (sg_key_load_private(&key, NULL, argv[1], &ko, &err) < 0 ||
	    sg_signer_from_key(&signer, key, &err) < 0 ||
	    sg_store_open(&st, NULL, NULL, &err) < 0 ||
	    sg_bundle_begin(&b, &eo, fid, &err) < 0)
		return fail(&err);
	rn.feature_id = fid;
	rn.mode = SG_MODE_SANDBOX;
	rn.bundle = sg_bundle_staging(b);
	if (sg_store_run_create(run_id, st, &rn, &err) < 0)
		return fail(&err);
	br.run_id = run_id;
	br.mode = SG_MODE_SANDBOX;
	br.project = "bench";
	br.project_version = "0.0.0";
	sg_bundle_set_signer(b, signer, NULL);
	if (sg_bundle_set_run(b, &br, &err) < 0)
		return fail(&err);
	for (int s = 0; s < SG_STAGE_AUDIT; s++) {
		sg_intoto_link_new(&l, sg_stage_name((enum sg_stage_id)s));
		if (s == SG_STAGE_PREFLIGHT) {
			unsigned char md[32];

			if (sg_sha256_path(md, "features/big.feature", 1 << 20,
				&err) < 0)
				return fail(&err);
			sg_hex_lower(sha, md, 32);
			if (sg_intoto_link_material(l, "features/big.feature",
				sha, &err) < 0)
				return fail(&err);
		}
		for (unsigned long i = 0; s == SG_STAGE_BUILD && i < n; i++) {
			for (unsigned long k = 0; k < size; k++) {
				seed = seed * 1103515245u + 12345u;
				data[k] = (unsigned char)(seed >> 16);
			}
			snprintf(name, sizeof(name), "artifacts/a%05lu", i);
			if (sg_bundle_write(b, name, data, size, sha, &err) <
				0 ||
			    sg_intoto_link_product(l, name, sha, &err) < 0)
				return fail(&err);
		}
		sg_intoto_link_byproducts(l, 0, NULL, 0, NULL, 0);
		if (sg_bundle_write_link(b, l, &err) < 0)
			return fail(&err);
		sg_intoto_link_free(l);
		cps[s] = (struct sg_checkpoint){(enum sg_stage_id)s, "success",
		    NULL, NULL, NULL, 0};
	}
	if (sg_bundle_checkpoint(b, st, cps, SG_STAGE_AUDIT, &err) < 0 ||
	    sg_bundle_publish(&pub, b, st, SG_RUN_SUCCESS, &err) < 0)
		return fail(&err);
	printf("%s\n", pub.path);
	sg_bundle_published_release(&pub);
	sg_bundle_free(b);
	sg_store_close(st);
	sg_signer_free(signer);
	free(data);
	return 0;
}
