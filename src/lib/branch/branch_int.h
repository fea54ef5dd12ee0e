/* SPDX-License-Identifier: MIT */
/*
 * branch_int.h - what the two files of src/lib/branch/ share: opening the
 * project's repository, turning libgit2's last error into a struct
 * sg_error, and the trailer check.  The only header of specgate that
 * includes <git2.h>; nothing outside src/lib/branch/ includes it.
 *
 * libgit2 is opened on first use (sys/dl.h): sg_branch__git_init() loads
 * it, and the macros below turn every git_*() call of the module into a
 * call through its table (branch.c defines it).
 */
#ifndef SG_BRANCH_INT_H
#define SG_BRANCH_INT_H

#include <git2.h>

#include "specgate/branch.h"
#include "sys/dl.h"
#include "util/util.h"

#define GIT_SYMS(X) X(git_blob_create_from_buffer) \
	X(git_blob_free) \
	X(git_blob_lookup) \
	X(git_blob_rawcontent) \
	X(git_blob_rawsize) \
	X(git_commit_create) \
	X(git_commit_free) \
	X(git_commit_id) \
	X(git_commit_lookup) \
	X(git_commit_message) \
	X(git_commit_tree) \
	X(git_diff_foreach) \
	X(git_diff_free) \
	X(git_diff_get_delta) \
	X(git_diff_num_deltas) \
	X(git_diff_options_init) \
	X(git_diff_tree_to_workdir) \
	X(git_error_last) \
	X(git_ignore_add_rule) \
	X(git_index_free) \
	X(git_index_get_byindex) \
	X(git_libgit2_init) \
	X(git_libgit2_shutdown) \
	X(git_message_trailer_array_free) \
	X(git_message_trailers) \
	X(git_object_free) \
	X(git_object_id) \
	X(git_oid_equal) \
	X(git_oid_tostr) \
	X(git_reference_create) \
	X(git_reference_create_matching) \
	X(git_reference_delete) \
	X(git_reference_free) \
	X(git_reference_iterator_free) \
	X(git_reference_iterator_new) \
	X(git_reference_lookup) \
	X(git_reference_name) \
	X(git_reference_name_to_id) \
	X(git_reference_next) \
	X(git_reference_peel) \
	X(git_reference_target) \
	X(git_remote_free) \
	X(git_remote_lookup) \
	X(git_remote_url) \
	X(git_repository_free) \
	X(git_repository_head) \
	X(git_repository_head_detached) \
	X(git_repository_head_unborn) \
	X(git_repository_index) \
	X(git_repository_is_bare) \
	X(git_repository_open) \
	X(git_repository_open_ext) \
	X(git_repository_workdir) \
	X(git_revwalk_free) \
	X(git_revwalk_hide) \
	X(git_revwalk_new) \
	X(git_revwalk_next) \
	X(git_revwalk_push) \
	X(git_signature_default) \
	X(git_signature_free) \
	X(git_signature_new) \
	X(git_status_list_entrycount) \
	X(git_status_list_free) \
	X(git_status_list_new) \
	X(git_status_options_init) \
	X(git_tree_create_updated) \
	X(git_tree_entry_bypath) \
	X(git_tree_entry_free) \
	X(git_tree_free) \
	X(git_tree_id) \
	X(git_tree_lookup) \
	X(git_treebuilder_free) \
	X(git_treebuilder_new) \
	X(git_treebuilder_write)

struct sg_branch__git {
	GIT_SYMS(SG_DL_MEMBER_)
};
extern struct sg_branch__git sg_branch__git_fn;
extern struct sg_dl sg_branch__git_dl;
#define git_blob_create_from_buffer (sg_branch__git_fn.git_blob_create_from_buffer)
#define git_blob_free (sg_branch__git_fn.git_blob_free)
#define git_blob_lookup (sg_branch__git_fn.git_blob_lookup)
#define git_blob_rawcontent (sg_branch__git_fn.git_blob_rawcontent)
#define git_blob_rawsize (sg_branch__git_fn.git_blob_rawsize)
#define git_commit_create (sg_branch__git_fn.git_commit_create)
#define git_commit_free (sg_branch__git_fn.git_commit_free)
#define git_commit_id (sg_branch__git_fn.git_commit_id)
#define git_commit_lookup (sg_branch__git_fn.git_commit_lookup)
#define git_commit_message (sg_branch__git_fn.git_commit_message)
#define git_commit_tree (sg_branch__git_fn.git_commit_tree)
#define git_diff_foreach (sg_branch__git_fn.git_diff_foreach)
#define git_diff_free (sg_branch__git_fn.git_diff_free)
#define git_diff_get_delta (sg_branch__git_fn.git_diff_get_delta)
#define git_diff_num_deltas (sg_branch__git_fn.git_diff_num_deltas)
#define git_diff_options_init (sg_branch__git_fn.git_diff_options_init)
#define git_diff_tree_to_workdir (sg_branch__git_fn.git_diff_tree_to_workdir)
#define git_error_last (sg_branch__git_fn.git_error_last)
#define git_ignore_add_rule (sg_branch__git_fn.git_ignore_add_rule)
#define git_index_free (sg_branch__git_fn.git_index_free)
#define git_index_get_byindex (sg_branch__git_fn.git_index_get_byindex)
#define git_libgit2_init (sg_branch__git_fn.git_libgit2_init)
#define git_libgit2_shutdown (sg_branch__git_fn.git_libgit2_shutdown)
#define git_message_trailer_array_free (sg_branch__git_fn.git_message_trailer_array_free)
#define git_message_trailers (sg_branch__git_fn.git_message_trailers)
#define git_object_free (sg_branch__git_fn.git_object_free)
#define git_object_id (sg_branch__git_fn.git_object_id)
#define git_oid_equal (sg_branch__git_fn.git_oid_equal)
#define git_oid_tostr (sg_branch__git_fn.git_oid_tostr)
#define git_reference_create (sg_branch__git_fn.git_reference_create)
#define git_reference_create_matching (sg_branch__git_fn.git_reference_create_matching)
#define git_reference_delete (sg_branch__git_fn.git_reference_delete)
#define git_reference_free (sg_branch__git_fn.git_reference_free)
#define git_reference_iterator_free (sg_branch__git_fn.git_reference_iterator_free)
#define git_reference_iterator_new (sg_branch__git_fn.git_reference_iterator_new)
#define git_reference_lookup (sg_branch__git_fn.git_reference_lookup)
#define git_reference_name (sg_branch__git_fn.git_reference_name)
#define git_reference_name_to_id (sg_branch__git_fn.git_reference_name_to_id)
#define git_reference_next (sg_branch__git_fn.git_reference_next)
#define git_reference_peel (sg_branch__git_fn.git_reference_peel)
#define git_reference_target (sg_branch__git_fn.git_reference_target)
#define git_remote_free (sg_branch__git_fn.git_remote_free)
#define git_remote_lookup (sg_branch__git_fn.git_remote_lookup)
#define git_remote_url (sg_branch__git_fn.git_remote_url)
#define git_repository_free (sg_branch__git_fn.git_repository_free)
#define git_repository_head (sg_branch__git_fn.git_repository_head)
#define git_repository_head_detached (sg_branch__git_fn.git_repository_head_detached)
#define git_repository_head_unborn (sg_branch__git_fn.git_repository_head_unborn)
#define git_repository_index (sg_branch__git_fn.git_repository_index)
#define git_repository_is_bare (sg_branch__git_fn.git_repository_is_bare)
#define git_repository_open (sg_branch__git_fn.git_repository_open)
#define git_repository_open_ext (sg_branch__git_fn.git_repository_open_ext)
#define git_repository_workdir (sg_branch__git_fn.git_repository_workdir)
#define git_revwalk_free (sg_branch__git_fn.git_revwalk_free)
#define git_revwalk_hide (sg_branch__git_fn.git_revwalk_hide)
#define git_revwalk_new (sg_branch__git_fn.git_revwalk_new)
#define git_revwalk_next (sg_branch__git_fn.git_revwalk_next)
#define git_revwalk_push (sg_branch__git_fn.git_revwalk_push)
#define git_signature_default (sg_branch__git_fn.git_signature_default)
#define git_signature_free (sg_branch__git_fn.git_signature_free)
#define git_signature_new (sg_branch__git_fn.git_signature_new)
#define git_status_list_entrycount (sg_branch__git_fn.git_status_list_entrycount)
#define git_status_list_free (sg_branch__git_fn.git_status_list_free)
#define git_status_list_new (sg_branch__git_fn.git_status_list_new)
#define git_status_options_init (sg_branch__git_fn.git_status_options_init)
#define git_tree_create_updated (sg_branch__git_fn.git_tree_create_updated)
#define git_tree_entry_bypath (sg_branch__git_fn.git_tree_entry_bypath)
#define git_tree_entry_free (sg_branch__git_fn.git_tree_entry_free)
#define git_tree_free (sg_branch__git_fn.git_tree_free)
#define git_tree_id (sg_branch__git_fn.git_tree_id)
#define git_tree_lookup (sg_branch__git_fn.git_tree_lookup)
#define git_treebuilder_free (sg_branch__git_fn.git_treebuilder_free)
#define git_treebuilder_new (sg_branch__git_fn.git_treebuilder_new)
#define git_treebuilder_write (sg_branch__git_fn.git_treebuilder_write)

/*
 * Record libgit2's last error as `code` with "what: <libgit2 message>".
 * Returns code.
 */
int sg_branch__git_error(struct sg_error *err, int code, const char *what);
/*
 * Load libgit2 (SG_EIO when it cannot be), then git_libgit2_init(), with
 * a reference held for the process (branch.c).  Every entry point of the
 * module calls it first.
 */
int sg_branch__git_init(struct sg_error *err);

/*
 * true when the commit message carries the trailer
 * "Specgate-Feature-Id: <feature_id>".
 */
bool sg_branch__is_ours(const char *message, const char *feature_id);

/* "refs/heads/<name>" into out (OUT, size bytes). */
void sg_branch__ref_name(char *out, size_t size, const char *prefix,
    const char *name);

#endif /* SG_BRANCH_INT_H */
