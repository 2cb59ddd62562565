/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the configuration parser's files: the line lexer,
 * value parsers, the mode machine, the command handlers and the checks.
 */
#ifndef IKE_CONFIG_INT_H
#define IKE_CONFIG_INT_H

#include <stddef.h>

#include "config/config.h"

#define CFG_LINE_MAX 1024
#define CFG_MAX_TOKENS 32

/* A token points into the input; it is not NUL-terminated. */
struct cfg_token {
	const char *s;
	size_t len;
	unsigned col;			/* 1-based byte column */
};

struct cfg_line {
	unsigned lineno;
	bool indented;
	struct cfg_token tok[CFG_MAX_TOKENS];
	size_t n;
	const char *end;		/* end of the line's text */
};

enum cfg_mode {
	CFG_M_GLOBAL,
	CFG_M_TRUSTPOINT,
	CFG_M_PROPOSAL,
	CFG_M_POLICY,
	CFG_M_KEYRING,
	CFG_M_KEYRING_PEER,
	CFG_M_PROFILE,
	CFG_M_TRANSFORM_SET,
	CFG_M_IPSEC_PROFILE,
	CFG_M_INTERFACE,
	CFG_M_FOREIGN_INTERFACE,	/* Loopback0 etc.: lines ignored */
	CFG_M_ISAKMP_POLICY,
	CFG_M_ISAKMP_PROFILE,
	CFG_M_ISAKMP_KEYRING,		/* crypto keyring */
	CFG_M_CERT_MAP,			/* rules not in effect yet */
	CFG_M_SWALLOW,			/* the block of a line in error */
	CFG_M_COUNT
};

struct cfg_parser {
	struct cfg_result *res;
	struct cfg_model *m;
	enum cfg_mode mode;
	size_t cur;			/* index of the object being edited */
	size_t cur_peer;		/* keyring peer being edited */
	bool negate;			/* the line started with "no" */
	struct cfg_token no_tok;
	bool oom;
	const struct cfg_line *line;	/* the line being read */
	/* The opening line of the current sub-mode ("crypto keyring K"),
	 * named in the errors of the lines read in it; and whether that
	 * line was in error, so that its block is skipped without more. */
	char header[2][96];		/* [1]: a keyring peer's */
	bool header_failed;
};

typedef void (*cfg_handler)(struct cfg_parser *p, const struct cfg_token *arg,
			    size_t nargs);

struct cfg_cmd {
	const char *words;		/* keywords, separated by one space */
	cfg_handler fn;
	size_t min_args, max_args;
	bool allow_no;
};

/* config_lex.c */
/* Split one line (without its newline) into tokens. Returns -1 and
 * reports an error when the line cannot be used. */
int cfg_lex_line(struct cfg_parser *p, const char *text, size_t len,
		 unsigned lineno, struct cfg_line *out);
bool cfg_tok_eq(const struct cfg_token *t, const char *keyword);
/* Copy a token into dst; reports "too long" and returns false. */
bool cfg_tok_copy(struct cfg_parser *p, const struct cfg_token *t,
		  char *dst, size_t size, const char *what);
/* Copy from the start of t to the end of the line (for DNs, text). */
bool cfg_rest_copy(struct cfg_parser *p, const struct cfg_token *t,
		   const char *line_end, char *dst, size_t size,
		   const char *what);
struct cfg_loc cfg_tok_loc(const struct cfg_parser *p,
			   const struct cfg_token *t);

/* config.c */
void cfg_report(struct cfg_parser *p, enum cfg_severity sev,
		struct cfg_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cfg_error_at(struct cfg_parser *p, const struct cfg_token *t,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cfg_warn_at(struct cfg_parser *p, const struct cfg_token *t,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Grow an array by one zeroed element; NULL (and p->oom) on failure. */
void *cfg_array_add(struct cfg_parser *p, void **array, size_t *count,
		    size_t elem_size);

/* config_values.c */
bool cfg_parse_u32(struct cfg_parser *p, const struct cfg_token *t,
		   uint32_t min, uint32_t max, uint32_t *out);
/* Is the token an address? (No error when it is not.) */
bool cfg_token_is_addr(const struct cfg_token *t, struct cfg_addr *out);
bool cfg_parse_addr(struct cfg_parser *p, const struct cfg_token *t,
		    struct cfg_addr *out);
/* ADDRESS [MASK]: a dotted mask or /len on the address. */
bool cfg_parse_addr_mask(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs, struct cfg_addr *out);
bool cfg_parse_ikev2_encr(struct cfg_parser *p, const struct cfg_token *t,
			  struct cfg_alg *out);
bool cfg_parse_ikev2_integ(struct cfg_parser *p, const struct cfg_token *t,
			   uint16_t *out);
bool cfg_parse_ikev2_prf(struct cfg_parser *p, const struct cfg_token *t,
			 uint16_t *out);
bool cfg_parse_dh_group(struct cfg_parser *p, const struct cfg_token *t,
			const char *prefix, uint16_t *out);
bool cfg_parse_auth(struct cfg_parser *p, const struct cfg_token *t,
		    enum cfg_auth *out);
bool cfg_valid_name(struct cfg_parser *p, const struct cfg_token *t,
		    char *dst, size_t size);
bool cfg_alg_is_legacy_encr(uint16_t id);
bool cfg_dh_is_legacy(uint16_t group);
uint16_t cfg_prf_for_integ(uint16_t integ);

/* config_cmds.c: the mode machine's view of the tables */
/* The one error for crypto-map configuration (route-based instead). */
void cfg_crypto_map_error(struct cfg_parser *p, const struct cfg_token *t);
void cfg_interface_crypto_map(struct cfg_parser *p,
			      const struct cfg_token *arg, size_t nargs);
const struct cfg_cmd *cfg_mode_commands(enum cfg_mode mode, size_t *n);
const char *cfg_mode_name(enum cfg_mode mode);
enum cfg_mode cfg_mode_parent(enum cfg_mode mode);

/* One mode's commands. Order matters only where one command's keywords
 * start another's ("keyring local" before "keyring"). */
struct cfg_cmd_table {
	const struct cfg_cmd *cmds;
	size_t n;
};

#define CFG_NARGS_REST 31		/* "the rest of the line" */
#define CMD(w, f, lo, hi, no) { w, f, lo, hi, no }
#define CFG_TABLE(t) { t, sizeof(t) / sizeof((t)[0]) }

extern const struct cfg_cmd_table cfg_global_table, cfg_trustpoint_table,
	cfg_proposal_table, cfg_policy_table, cfg_keyring_table,
	cfg_keyring_peer_table, cfg_profile_table, cfg_transform_set_table,
	cfg_ipsec_profile_table, cfg_interface_table,
	cfg_foreign_interface_table, cfg_isakmp_policy_table,
	cfg_isakmp_profile_table, cfg_isakmp_keyring_table,
	cfg_cert_map_table, cfg_swallow_table;

/* The handlers of the global commands that open a sub-mode. */
void cfg_cmd_trustpoint(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs);
void cfg_cmd_proposal(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs);
void cfg_cmd_policy(struct cfg_parser *p, const struct cfg_token *arg,
		    size_t nargs);
void cfg_cmd_keyring(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs);
void cfg_cmd_profile(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs);
void cfg_cmd_transform_set(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs);
void cfg_cmd_ipsec_profile(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs);
void cfg_cmd_interface(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs);

/* config_cmds_isakmp.c: IKEv1 global commands and policies */
void cfg_cmd_isakmp_policy(struct cfg_parser *p, const struct cfg_token *arg,
			   size_t nargs);
void cfg_cmd_isakmp_key(struct cfg_parser *p, const struct cfg_token *arg,
			size_t nargs);
void cfg_cmd_isakmp_identity(struct cfg_parser *p,
			     const struct cfg_token *arg, size_t nargs);
void cfg_cmd_isakmp_keepalive(struct cfg_parser *p,
			      const struct cfg_token *arg, size_t nargs);
void cfg_cmd_isakmp_nat_keepalive(struct cfg_parser *p,
				  const struct cfg_token *arg, size_t nargs);
void cfg_cmd_isakmp_fragmentation(struct cfg_parser *p,
				  const struct cfg_token *arg, size_t nargs);
void cfg_cmd_isakmp_aggressive_disable(struct cfg_parser *p,
				       const struct cfg_token *arg,
				       size_t nargs);
void cfg_cmd_nat_transparency(struct cfg_parser *p,
			      const struct cfg_token *arg, size_t nargs);
void cfg_cmd_hostname(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs);
void cfg_cmd_domain_name(struct cfg_parser *p, const struct cfg_token *arg,
			 size_t nargs);
/* "[0|6] KEY" at arg[0..nargs): the key into dst (type 6: an error). */
bool cfg_parse_psk_key(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs, char *dst, size_t size);
/* "address A [MASK] | hostname H ... key [0] KEY" of a keyring, added to
 * keys (replacing the key of the same peer). */
void cfg_keyring_psk(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs, struct cfg_isakmp_psk **keys, size_t *n);
/* "IFNAME | IP" */
void cfg_parse_local_address(struct cfg_parser *p, const struct cfg_token *t,
			     struct cfg_local_address *out);

/* config_cmds_isakmp_profile.c: crypto keyring, crypto isakmp profile,
 * crypto pki certificate map */
void cfg_cmd_isakmp_keyring(struct cfg_parser *p, const struct cfg_token *arg,
			    size_t nargs);
void cfg_cmd_isakmp_profile(struct cfg_parser *p, const struct cfg_token *arg,
			    size_t nargs);
void cfg_cmd_cert_map(struct cfg_parser *p, const struct cfg_token *arg,
		      size_t nargs);

/* config_objects.c */
/* The object the current mode edits; indexes survive realloc. */
#define CUR(p, arr) (&(p)->m->arr[(p)->cur])
#define CUR_PEER(p) (&CUR(p, keyrings)->peers[(p)->cur_peer])

bool cfg_find_or_add(struct cfg_parser *p, void **arr, size_t *count,
		     size_t size, size_t loc_off, const struct cfg_token *tok,
		     size_t *index);
/* Every object struct starts with its name and has a loc member. */
#define FIND_OR_ADD(p, arr, count, type, tok, out_index)                   \
	cfg_find_or_add((p), (void **)&(p)->m->arr, &(p)->m->count,        \
			sizeof(type), offsetof(type, loc), (tok), (out_index))
void cfg_enter(struct cfg_parser *p, enum cfg_mode mode, bool ok,
	       size_t index);
bool cfg_have_current(struct cfg_parser *p, size_t count);
void cfg_edit_ref_list(struct cfg_parser *p, struct cfg_ref *list,
		       size_t *n, size_t max, const struct cfg_token *t);
void cfg_ignore_warn(struct cfg_parser *p, const struct cfg_token *arg,
		     size_t nargs);
void cfg_ignore_silent(struct cfg_parser *p, const struct cfg_token *arg,
		       size_t nargs);

/* config_check.c */
void cfg_check_model(struct cfg_parser *p);

#endif /* IKE_CONFIG_INT_H */
