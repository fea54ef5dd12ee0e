/* SPDX-License-Identifier: MIT */
/*
 * junit_cobertura.c - the two XML readers of the gates: Cobertura coverage (what
 * gcovr --cobertura writes) and JUnit test results.  The only file that
 * includes libxml2.
 *
 * Both use libxml2's xmlTextReader, a pull parser: one node at a time,
 * the previous ones freed, so a JUnit file of a million test cases is read
 * in the memory of one test case.  (A DOM would hold them all; SAX would
 * mean a callback state machine for what is, with a pull parser, a loop.)
 *
 * Safety: the file is opened and read by sys/ (through the lexer below,
 * libxml2's read callback); the parser gets XML_PARSE_NONET and none of NOENT/DTDLOAD/DTDATTR, and the
 * external entity loader refuses everything, so no byte outside the file
 * is ever read (no XXE).  A document that declares entities in its
 * internal subset, or uses an entity reference, is refused outright: no
 * test report or coverage file needs them, and refusing them closes the
 * billion-laughs door without relying on libxml2's amplification limits.
 * gcovr's `<!DOCTYPE coverage SYSTEM "...dtd">` is fine: the DTD is named,
 * never fetched.  The first libxml2 error is reported with its line and
 * column; libxml2's own printing (the generic error function) is turned
 * off, since the core never prints.
 *
 * Bounded work: libxml2 2.9 checks an element's attributes for
 * duplicates pairwise and looks namespace prefixes up in a list, so one
 * start tag with 50,000 attributes took 8 s and 50,000 prefixes in scope
 * 12 s (quadratic).  The bytes therefore pass a small lexer of ours
 * (`lex`) before libxml2 sees them: it follows the markup (start and end
 * tags, attribute values, comments, CDATA, PIs, the DOCTYPE and its
 * internal subset) and refuses, at the file:line:col of the offending
 * tag, more than SG_GATE_XML_MAX_ATTRS attributes on an element,
 * SG_GATE_XML_MAX_NS namespace declarations in scope, elements nested
 * deeper than SG_GATE_XML_MAX_DEPTH, names longer than
 * SG_GATE_XML_MAX_NAME and start tags longer than SG_GATE_XML_MAX_TAG
 * (include/specgate/gate.h, docs/limits.md).  The offending bytes are
 * never handed over, so libxml2 never does the slow work.  UTF-16 and
 * UTF-32 documents, whose markup is not ASCII bytes, are refused.
 *
 * The same lexer gives each element the line and column of its `<`: the
 * reader's own line number is where the parser is (it reads ahead, up to
 * the end of a small file), and libxml2 keeps a node's line only up to
 * 65535.  Start tags are queued in document order as the lexer meets
 * them and taken off as the reader returns element nodes, which it does
 * in the same order, once each; the queue holds what the parser has been
 * given but the reader has not returned, a few KiB of input.
 */
#include "gate/gate_int.h"

#include <errno.h>
#include <libxml/xmlreader.h>

#include "sys/dl.h"
#include "sys/fs.h"

/*
 * libxml2, opened with the first XML file (sys/dl.h).  xmlFree is a
 * variable of libxml2's (a function pointer), hence its (*...).
 */
#define XML_SYMS(X) X(xmlFree) \
	X(xmlFreeTextReader) \
	X(xmlReaderForIO) \
	X(xmlSetExternalEntityLoader) \
	X(xmlSetGenericErrorFunc) \
	X(xmlTextReaderConstLocalName) \
	X(xmlTextReaderCurrentDoc) \
	X(xmlTextReaderCurrentNode) \
	X(xmlTextReaderDepth) \
	X(xmlTextReaderGetAttribute) \
	X(xmlTextReaderGetParserColumnNumber) \
	X(xmlTextReaderGetParserLineNumber) \
	X(xmlTextReaderIsEmptyElement) \
	X(xmlTextReaderNodeType) \
	X(xmlTextReaderRead) \
	X(xmlTextReaderReadString) \
	X(xmlTextReaderSetStructuredErrorHandler)
SG_DL_TABLE(xml, SG_SONAME_XML, XML_SYMS)
#define xmlFree (*sg_dl_xml_fn.xmlFree)
#define xmlFreeTextReader (sg_dl_xml_fn.xmlFreeTextReader)
#define xmlReaderForIO (sg_dl_xml_fn.xmlReaderForIO)
#define xmlSetExternalEntityLoader (sg_dl_xml_fn.xmlSetExternalEntityLoader)
#define xmlSetGenericErrorFunc (sg_dl_xml_fn.xmlSetGenericErrorFunc)
#define xmlTextReaderConstLocalName (sg_dl_xml_fn.xmlTextReaderConstLocalName)
#define xmlTextReaderCurrentDoc (sg_dl_xml_fn.xmlTextReaderCurrentDoc)
#define xmlTextReaderCurrentNode (sg_dl_xml_fn.xmlTextReaderCurrentNode)
#define xmlTextReaderDepth (sg_dl_xml_fn.xmlTextReaderDepth)
#define xmlTextReaderGetAttribute (sg_dl_xml_fn.xmlTextReaderGetAttribute)
#define xmlTextReaderGetParserColumnNumber (sg_dl_xml_fn.xmlTextReaderGetParserColumnNumber)
#define xmlTextReaderGetParserLineNumber (sg_dl_xml_fn.xmlTextReaderGetParserLineNumber)
#define xmlTextReaderIsEmptyElement (sg_dl_xml_fn.xmlTextReaderIsEmptyElement)
#define xmlTextReaderNodeType (sg_dl_xml_fn.xmlTextReaderNodeType)
#define xmlTextReaderRead (sg_dl_xml_fn.xmlTextReaderRead)
#define xmlTextReaderReadString (sg_dl_xml_fn.xmlTextReaderReadString)
#define xmlTextReaderSetStructuredErrorHandler (sg_dl_xml_fn.xmlTextReaderSetStructuredErrorHandler)

/* Where the lexer is in the markup. */
enum lex_state {
	L_TEXT,
	L_LT,	       /* after '<' */
	L_STAG_NAME,   /* the element's name */
	L_STAG,	       /* in a start tag, between attributes */
	L_ATTR_NAME,
	L_ATTR_EQ,     /* after an attribute's name, before '=' */
	L_ATTR_QUOTE,  /* after '=', before the value's quote */
	L_ATTR_VAL,
	L_STAG_SLASH,  /* "/" of an empty-element tag */
	L_ETAG,	       /* an end tag, up to '>' */
	L_BANG,	       /* after "<!": comment, CDATA or a declaration */
	L_COMMENT,
	L_CDATA,
	L_PI,
	L_DECL,	       /* <!DOCTYPE ...>, with its internal subset */
};

/* A start tag's position, waiting for the reader to return its node. */
struct lex_pos {
	unsigned line, col;
};

struct lex {
	enum lex_state st;
	unsigned line, col;	/* of the byte being looked at, 1-based */
	uint64_t off;		/* bytes seen */
	struct lex_pos lt;	/* the last '<' */
	size_t taglen;		/* bytes of the current start tag */
	size_t namelen;		/* bytes of the current name */
	char name6[6];		/* its first bytes ("xmlns:"?) */
	unsigned nattrs;	/* attributes of the current start tag */
	unsigned elem_ns;	/* its namespace declarations */
	unsigned ns;		/* namespace declarations in scope */
	unsigned depth;		/* open elements */
	unsigned ns_at[SG_GATE_XML_MAX_DEPTH + 1]; /* declared per level */
	char quote;		/* of the attribute value or DTD literal */
	unsigned run;		/* '-', ']' or '?' just seen (terminators) */
	char bang[8];		/* what follows "<!" */
	unsigned nbang;
	/* the DOCTYPE: [ ] nesting, and comment/PI inside the subset */
	int brackets;
	unsigned dmark;		/* "<", "<!", "<!-" seen: 1, 2, 3 */
	bool dcomment, dpi;
	/* the queue of start tags (a ring, power-of-two capacity) */
	struct lex_pos *q;
	size_t qcap, qhead, qlen;
	int error;		/* set: the lexer refused the input */
};

struct xr {
	xmlTextReaderPtr r;
	const char *path;
	struct sg_error *err;
	int fd;
	struct lex lex;
	struct lex_pos elem; /* the current element's start tag */
};

static void
xr_error(void *arg, xmlErrorPtr e)
{
	struct xr *x = arg;
	char msg[256];
	size_t n;

	if (x->err && x->err->code)
		return;
	snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "?");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (char *p = msg; *p; p++) /* one line: "...encoding !\nBytes: ..." */
		if (*p == '\n')
			*p = ' ';
	sg_error_set_at(x->err, SG_EINVAL, x->path, e ? (unsigned)e->line : 0,
	    e && e->int2 > 0 ? (unsigned)e->int2 : 0, "malformed XML: %s", msg);
}

/* --- the lexer ------------------------------------------------------------ */

/* Refuse the document at line:col; the lexer stays refused. */
#define LEX_REFUSE(x, code, line, col, ...)                                    \
	((x)->lex.error = sg_error_set_at((x)->err, (code), (x)->path,         \
	     (line), (col), __VA_ARGS__))

static void
lex_push(struct lex *l)
{
	if (l->qlen == l->qcap) {
		size_t ncap = l->qcap ? 2 * l->qcap : 64;
		struct lex_pos *nq = sg_xreallocarray(NULL, ncap, sizeof(*nq));

		for (size_t i = 0; i < l->qlen; i++)
			nq[i] = l->q[(l->qhead + i) & (l->qcap - 1)];
		free(l->q);
		l->q = nq;
		l->qcap = ncap;
		l->qhead = 0;
	}
	l->q[(l->qhead + l->qlen++) & (l->qcap - 1)] = l->lt;
}

/* An attribute's name ended: a namespace declaration? */
static int
lex_attr_done(struct xr *x)
{
	struct lex *l = &x->lex;

	if ((l->namelen == 5 && !memcmp(l->name6, "xmlns", 5)) ||
	    (l->namelen > 6 && !memcmp(l->name6, "xmlns:", 6))) {
		l->elem_ns++;
		if (++l->ns > SG_GATE_XML_MAX_NS)
			return LEX_REFUSE(x, SG_ETOOBIG, l->lt.line, l->lt.col,
			    "more than %u namespace declarations in scope",
			    SG_GATE_XML_MAX_NS);
	}
	return 0;
}

static int
lex_name_byte(struct xr *x, unsigned char c)
{
	struct lex *l = &x->lex;

	if (l->namelen < sizeof(l->name6))
		l->name6[l->namelen] = (char)c;
	if (++l->namelen > SG_GATE_XML_MAX_NAME)
		return LEX_REFUSE(x, SG_ETOOBIG, l->line, l->col,
		    "a name longer than %u bytes", SG_GATE_XML_MAX_NAME);
	return 0;
}

/* '>' of a start tag; empty: "/>" (the element closes at once). */
static void
lex_stag_end(struct lex *l, bool empty)
{
	if (empty) {
		l->ns -= l->elem_ns;
	} else {
		l->ns_at[++l->depth] = l->elem_ns;
	}
	l->st = L_TEXT;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One byte inside a start tag (states L_STAG .. L_STAG_SLASH). */
static int
lex_stag(struct xr *x, unsigned char c)
{
	struct lex *l = &x->lex;

	if (++l->taglen > SG_GATE_XML_MAX_TAG)
		return LEX_REFUSE(x, SG_ETOOBIG, l->lt.line, l->lt.col,
		    "a start tag longer than %u bytes", SG_GATE_XML_MAX_TAG);
	switch (l->st) {
	case L_STAG_NAME:
		if (is_space(c)) {
			l->st = L_STAG;
		} else if (c == '/') {
			l->st = L_STAG_SLASH;
		} else if (c == '>') {
			lex_stag_end(l, false);
		} else {
			return lex_name_byte(x, c);
		}
		return 0;
	case L_ATTR_NAME:
		if (!is_space(c) && c != '=' && c != '>' && c != '/')
			return lex_name_byte(x, c);
		if (lex_attr_done(x) < 0)
			return l->error;
		l->st = L_ATTR_EQ;
		if (is_space(c))
			return 0;
		/* FALLTHROUGH */
	case L_ATTR_EQ:
		if (is_space(c))
			return 0;
		if (c == '=') {
			l->st = L_ATTR_QUOTE;
			return 0;
		}
		l->st = L_STAG; /* malformed: libxml2 says so */
		break;
	case L_ATTR_QUOTE:
		if (is_space(c))
			return 0;
		if (c == '"' || c == '\'') {
			l->quote = (char)c;
			l->st = L_ATTR_VAL;
			return 0;
		}
		l->st = L_STAG;
		break;
	case L_ATTR_VAL:
		if (c == (unsigned char)l->quote)
			l->st = L_STAG;
		return 0;
	case L_STAG_SLASH:
		if (c == '>') {
			lex_stag_end(l, true);
			return 0;
		}
		l->st = L_STAG;
		break;
	default:
		break;
	}
	/* L_STAG */
	if (is_space(c))
		return 0;
	if (c == '>') {
		lex_stag_end(l, false);
	} else if (c == '/') {
		l->st = L_STAG_SLASH;
	} else if (c == '"' || c == '\'') {
		l->quote = (char)c; /* a value without a name: malformed */
		l->st = L_ATTR_VAL;
	} else {
		if (++l->nattrs > SG_GATE_XML_MAX_ATTRS)
			return LEX_REFUSE(x, SG_ETOOBIG, l->lt.line, l->lt.col,
			    "an element with more than %u attributes",
			    SG_GATE_XML_MAX_ATTRS);
		l->namelen = 0;
		l->st = L_ATTR_NAME;
		return lex_name_byte(x, c);
	}
	return 0;
}

/* After '<': which markup this is. */
static int
lex_lt(struct xr *x, unsigned char c)
{
	struct lex *l = &x->lex;

	if (c == '/') {
		l->st = L_ETAG;
	} else if (c == '!') {
		l->nbang = 0;
		l->st = L_BANG;
	} else if (c == '?') {
		l->run = 0;
		l->st = L_PI;
	} else {
		if (l->depth >= SG_GATE_XML_MAX_DEPTH)
			return LEX_REFUSE(x, SG_ETOOBIG, l->lt.line, l->lt.col,
			    "elements nested more than %u deep",
			    SG_GATE_XML_MAX_DEPTH);
		lex_push(l);
		l->taglen = 1;
		l->nattrs = 0;
		l->elem_ns = 0;
		l->namelen = 0;
		l->st = L_STAG_NAME;
		return lex_stag(x, c);
	}
	return 0;
}

/* One byte of a DOCTYPE (or another "<!" declaration), up to its '>'. */
static void
lex_decl(struct lex *l, unsigned char c)
{
	if (l->quote) {
		if (c == (unsigned char)l->quote)
			l->quote = 0;
		return;
	}
	if (l->dcomment) {
		if (c == '>' && l->run >= 2)
			l->dcomment = false;
		l->run = c == '-' ? l->run + 1 : 0;
		return;
	}
	if (l->dpi) {
		if (c == '>' && l->run)
			l->dpi = false;
		l->run = c == '?';
		return;
	}
	if (l->dmark == 1 && c == '?') {
		l->dpi = true;
		l->run = 0;
		l->dmark = 0;
		return;
	}
	if ((l->dmark == 1 && c == '!') || (l->dmark == 2 && c == '-')) {
		l->dmark++;
		return;
	}
	if (l->dmark == 3 && c == '-') {
		l->dcomment = true;
		l->run = 0;
		l->dmark = 0;
		return;
	}
	l->dmark = c == '<';
	if (c == '"' || c == '\'')
		l->quote = (char)c;
	else if (c == '[')
		l->brackets++;
	else if (c == ']')
		l->brackets--;
	else if (c == '>' && l->brackets <= 0)
		l->st = L_TEXT;
}

/* After "<!": a comment, a CDATA section, or a declaration (DOCTYPE). */
static void
lex_bang(struct lex *l, unsigned char c)
{
	static const char cdata[] = "[CDATA[";

	l->bang[l->nbang++] = (char)c;
	if (l->nbang <= 2 && !memcmp(l->bang, "--", l->nbang)) {
		if (l->nbang == 2) {
			l->run = 0;
			l->st = L_COMMENT;
		}
		return;
	}
	if (l->nbang <= 7 && !memcmp(l->bang, cdata, l->nbang)) {
		if (l->nbang == 7) {
			l->run = 0;
			l->st = L_CDATA;
		}
		return;
	}
	l->st = L_DECL;
	l->quote = 0;
	l->brackets = 0;
	l->dmark = 0;
	l->dcomment = l->dpi = false;
	l->run = 0;
	lex_decl(l, c);
}

/* Look at n more bytes of the document; < 0 (err set) to refuse it. */
static int
lex(struct xr *x, const unsigned char *p, size_t n)
{
	struct lex *l = &x->lex;

	for (size_t i = 0; i < n; i++, l->off++) {
		unsigned char c = p[i];

		if (l->off < 2 && (c == 0 || (l->off == 0 && (c == 0xfe ||
		    c == 0xff))))
			return LEX_REFUSE(x, SG_EINVAL, 1, 1, "a UTF-16 or "
			    "UTF-32 document (only UTF-8 and ASCII-based "
			    "encodings are read)");
		if (c == '\n') {
			l->line++;
			l->col = 0;
		} else if ((c & 0xc0) != 0x80) {
			l->col++;
		}
		switch (l->st) {
		case L_TEXT:
			if (c == '<') {
				l->lt.line = l->line;
				l->lt.col = l->col;
				l->st = L_LT;
			}
			break;
		case L_LT:
			if (lex_lt(x, c) < 0)
				return l->error;
			break;
		case L_ETAG:
			if (c == '>') {
				if (l->depth)
					l->ns -= l->ns_at[l->depth--];
				l->st = L_TEXT;
			}
			break;
		case L_BANG:
			lex_bang(l, c);
			break;
		case L_COMMENT:
		case L_CDATA:
			if (c == '>' && l->run >= 2)
				l->st = L_TEXT;
			l->run = c == (l->st == L_COMMENT ? '-' : ']') ?
			    l->run + 1 : 0;
			break;
		case L_PI:
			if (c == '>' && l->run)
				l->st = L_TEXT;
			l->run = c == '?';
			break;
		case L_DECL:
			lex_decl(l, c);
			break;
		default:
			if (lex_stag(x, c) < 0)
				return l->error;
			break;
		}
	}
	return 0;
}

/* libxml2's read callback: the next bytes of the file, looked at first. */
static int
xr_read(void *ctx, char *buf, int len)
{
	struct xr *x = ctx;
	ssize_t got;

	if (x->lex.error)
		return -1;
	got = sg_fs_read(x->fd, buf, (size_t)len);
	if (got < 0) {
		x->lex.error = sg_error_set_errno(x->err, SG_EIO, errno,
		    "cannot read '%s'", x->path);
		return -1;
	}
	if (lex(x, (const unsigned char *)buf, (size_t)got) < 0)
		return -1;
	return (int)got;
}

static int
xr_noclose(void *ctx)
{
	(void)ctx;
	return 0;
}

/* libxml2's generic errors (encoding, I/O) would go to stderr. */
static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlParserInputPtr
no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static int
xr_open(struct xr *x, const char *path, struct sg_error *err)
{
	int error;

	memset(x, 0, sizeof(*x));
	x->path = path;
	x->err = err;
	x->fd = -1;
	x->lex.line = 1;
	if ((error = sg_dl_load(&sg_dl_xml, err)) < 0 ||
	    (error = sg_fs_open_read(&x->fd, path, 0, NULL, err)) < 0)
		return error;
	xmlSetExternalEntityLoader(no_entities);
	xmlSetGenericErrorFunc(NULL, silent);
	x->r = xmlReaderForIO(xr_read, xr_noclose, x, path, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		XML_PARSE_NOCDATA);
	if (!x->r)
		return x->lex.error ? x->lex.error : sg_error_set(err, SG_EIO,
		    "cannot read '%s' as XML", path);
	xmlTextReaderSetStructuredErrorHandler(x->r, xr_error, x);
	return 0;
}

static void
xr_close(struct xr *x)
{
	if (x->r)
		xmlFreeTextReader(x->r);
	free(x->lex.q);
	sg_fs_close(x->fd);
}

/*
 * The next node: 1, 0 at the end, or SG_EINVAL (malformed, or entities;
 * err set).
 */
static int
xr_next(struct xr *x)
{
	int rc = xmlTextReaderRead(x->r);
	int type;
	xmlNodePtr node;

	if (x->lex.error) /* libxml2 may take our -1 for the end */
		return x->lex.error;
	if (rc < 0) {
		if (!x->err || !x->err->code)
			sg_error_set_at(x->err, SG_EINVAL, x->path,
			    (unsigned)xmlTextReaderGetParserLineNumber(x->r),
			    (unsigned)xmlTextReaderGetParserColumnNumber(x->r),
			    "malformed XML");
		return SG_EINVAL;
	}
	if (rc == 0)
		return 0;
	type = xmlTextReaderNodeType(x->r);
	if (type == XML_READER_TYPE_ELEMENT) {
		struct lex *l = &x->lex;

		/* the lexer met every start tag the parser was given */
		if (!l->qlen)
			SG_BUG("an XML element the lexer did not see");
		x->elem = l->q[l->qhead];
		l->qhead = (l->qhead + 1) & (l->qcap - 1);
		l->qlen--;
	}
	if (type == XML_READER_TYPE_ENTITY_REFERENCE ||
	    type == XML_READER_TYPE_ENTITY) {
		return sg_error_set_at(x->err, SG_EINVAL, x->path,
		    (unsigned)xmlTextReaderGetParserLineNumber(x->r), 0,
		    "entity references are not accepted");
	}
	if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
		/* not xmlTextReaderCurrentDoc(): that hands the doc over */
		node = xmlTextReaderCurrentNode(x->r);
		if (node && node->type == XML_DTD_NODE &&
		    ((xmlDtdPtr)node)->entities)
			return sg_error_set_at(x->err, SG_EINVAL, x->path,
			    (unsigned)xmlTextReaderGetParserLineNumber(x->r), 0,
			    "entity declarations are not accepted");
	}
	return 1;
}

static bool
is_elem(struct xr *x, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(x->r);

	return n && !strcmp((const char *)n, name);
}

/* An attribute as a malloc'd string ("" when absent); free(). */
static char *
attr(struct xr *x, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(x->r, (const xmlChar *)name);
	char *s = sg_xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

/* The line of the current element's start tag. */
static unsigned
xr_line(struct xr *x)
{
	return x->elem.line;
}

static int
root_is(struct xr *x, const char *const *names, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (is_elem(x, names[i]))
			return 0;
	return sg_error_set_at(x->err, SG_EINVAL, x->path, xr_line(x), 0,
	    "not %s: the root element is <%s>", what,
	    (const char *)xmlTextReaderConstLocalName(x->r));
}

/* --- Cobertura ------------------------------------------------------------ */

/* condition-coverage="50% (1/2)" -> covered 1, total 2. */
static bool
conditions(const char *s, uint64_t *covered, uint64_t *total)
{
	const char *p = strchr(s, '(');
	const char *slash;
	const char *end;

	if (!p || !(slash = strchr(p, '/')) || !(end = strchr(slash, ')')))
		return false;
	return sg_gate__parse_u64(p + 1, (size_t)(slash - p - 1), covered) &&
	    sg_gate__parse_u64(slash + 1, (size_t)(end - slash - 1), total) &&
	    *covered <= *total;
}

static int
cob_line(struct xr *x, struct cov_src *src)
{
	char *num = attr(x, "number");
	char *hits = attr(x, "hits");
	char *branch = attr(x, "branch");
	char *cond = attr(x, "condition-coverage");
	uint64_t line, h, covered, total;
	int error = 0;

	if (!sg_gate__parse_u64(num, strlen(num), &line) || line > UINT32_MAX ||
	    !sg_gate__parse_u64(hits, strlen(hits), &h)) {
		error = sg_error_set_at(x->err, SG_EINVAL, x->path, xr_line(x),
		    0, "<line> needs number and hits as unsigned integers");
		goto out;
	}
	sg_gate__cov_line(src, (uint32_t)line, h);
	if (!strcmp(branch, "true") && cond[0]) {
		if (!conditions(cond, &covered, &total)) {
			error = sg_error_set_at(x->err, SG_EINVAL, x->path,
			    xr_line(x), 0,
			    "condition-coverage '%s' is not 'P%% (covered/total)'",
			    cond);
			goto out;
		}
		if (total)
			sg_gate__cov_branch(src, (uint32_t)line, 0, 0, covered,
			    total);
	}
out:
	free(num);
	free(hits);
	free(branch);
	free(cond);
	return error;
}

static int
cob_element(struct xr *x, struct cov_acc *a, struct cov_src **src,
    int *class_depth)
{
	int depth = xmlTextReaderDepth(x->r);
	char *s;

	if (is_elem(x, "source")) {
		xmlChar *t = xmlTextReaderReadString(x->r);

		if (t) {
			s = sg_xstrdup((const char *)t);
			xmlFree(t);
			a->sources.items = sg_xreallocarray(a->sources.items,
			    a->sources.n + 1, sizeof(char *));
			a->sources.items[a->sources.n++] = s;
		}
	} else if (is_elem(x, "class")) {
		s = attr(x, "filename");
		if (!s[0]) {
			free(s);
			return sg_error_set_at(x->err, SG_EINVAL, x->path,
			    xr_line(x), 0, "<class> without a filename");
		}
		*src = sg_gate__cov_src(a, s);
		free(s);
		if (!*src)
			return sg_error_set_at(x->err, SG_ETOOBIG, x->path,
			    xr_line(x), 0, "more than %u sources",
			    SG_GATE_MAX_COV_FILES);
		*class_depth = depth;
	} else if (is_elem(x, "line") && *src && depth == *class_depth + 2) {
		/* class > lines > line; method lines repeat them: skipped */
		return cob_line(x, *src);
	}
	return 0;
}

int
sg_gate__cobertura_read(struct cov_acc *a, const char *path,
    struct sg_error *err)
{
	static const char *const roots[] = {"coverage"};
	struct xr x;
	struct cov_src *src = NULL;
	int class_depth = -10;
	bool seen_root = false;
	int rc;
	int error;

	if ((error = xr_open(&x, path, err)) < 0)
		goto out;
	while ((rc = xr_next(&x)) > 0) {
		if (xmlTextReaderNodeType(x.r) != XML_READER_TYPE_ELEMENT)
			continue;
		if (!seen_root) {
			seen_root = true;
			if ((error = root_is(&x, roots, 1,
				 "Cobertura XML")) < 0)
				goto out;
		}
		if (xmlTextReaderDepth(x.r) <= class_depth)
			src = NULL;
		if ((error = cob_element(&x, a, &src, &class_depth)) < 0)
			goto out;
	}
	error = rc;
	if (!error && !seen_root)
		error = sg_error_set_at(err, SG_EINVAL, path, 0, 0,
		    "no XML element");
out:
	xr_close(&x);
	return error;
}

/* --- JUnit ---------------------------------------------------------------- */

#define SUITE_DEPTH 64

struct junit {
	struct xr x;
	struct sg_test_totals *totals;
	sg_test_cb cb;
	void *payload;
	char *suites[SUITE_DEPTH]; /* names by nesting, innermost last */
	int suite_depths[SUITE_DEPTH];
	size_t nsuites;
	struct sg_test_case tc;
	int case_depth; /* -1: not in a test case */
	char *classname, *name, *message;
};

static void
case_reset(struct junit *j)
{
	free(j->classname);
	free(j->name);
	free(j->message);
	j->classname = j->name = j->message = NULL;
	j->case_depth = -1;
}

static int
case_emit(struct junit *j)
{
	struct sg_test_totals *t = j->totals;
	int error = 0;

	j->tc.classname = j->classname;
	j->tc.name = j->name;
	j->tc.message = j->message ? j->message : "";
	j->tc.suite = j->nsuites ? j->suites[j->nsuites - 1] : "";
	t->tests++;
	switch (j->tc.status) {
	case SG_TEST_PASSED:
		t->passed++;
		break;
	case SG_TEST_FAILED:
		t->failed++;
		break;
	case SG_TEST_ERROR:
		t->errors++;
		break;
	case SG_TEST_SKIPPED:
		t->skipped++;
		break;
	}
	if (j->cb)
		error = j->cb(&j->tc, j->payload);
	case_reset(j);
	return error;
}

static void
case_start(struct junit *j, int depth)
{
	char *time = attr(&j->x, "time");
	char *end;

	case_reset(j);
	memset(&j->tc, 0, sizeof(j->tc));
	j->tc.file = j->x.path;
	j->tc.line = xr_line(&j->x);
	j->classname = attr(&j->x, "classname");
	j->name = attr(&j->x, "name");
	j->tc.time = strtod(time, &end);
	if (end == time || *end || !(j->tc.time >= 0 && j->tc.time < 1e12))
		j->tc.time = 0;
	free(time);
	j->case_depth = depth;
}

/* <failure>, <error> or <skipped> inside the test case. */
static void
case_child(struct junit *j)
{
	enum sg_test_status st;

	if (is_elem(&j->x, "failure"))
		st = SG_TEST_FAILED;
	else if (is_elem(&j->x, "error"))
		st = SG_TEST_ERROR;
	else if (is_elem(&j->x, "skipped"))
		st = SG_TEST_SKIPPED;
	else
		return;
	/* a failure or an error outweighs a skip; the first one's message */
	if (j->tc.status == SG_TEST_PASSED ||
	    (j->tc.status == SG_TEST_SKIPPED && st != SG_TEST_SKIPPED)) {
		j->tc.status = st;
		free(j->message);
		j->message = attr(&j->x, "message");
	}
}

static int
junit_element(struct junit *j)
{
	int depth = xmlTextReaderDepth(j->x.r);
	bool empty = xmlTextReaderIsEmptyElement(j->x.r) == 1;

	if (j->case_depth >= 0 && depth > j->case_depth) {
		case_child(j);
	} else if (is_elem(&j->x, "testsuite") && !empty) {
		if (j->nsuites == SUITE_DEPTH)
			return sg_error_set_at(j->x.err, SG_ETOOBIG, j->x.path,
			    xr_line(&j->x), 0,
			    "test suites nested more than %d deep",
			    SUITE_DEPTH);
		j->suites[j->nsuites] = attr(&j->x, "name");
		j->suite_depths[j->nsuites++] = depth;
	} else if (is_elem(&j->x, "testcase")) {
		case_start(j, depth);
		if (empty)
			return case_emit(j);
	}
	return 0;
}

static int
junit_end(struct junit *j)
{
	int depth = xmlTextReaderDepth(j->x.r);

	if (j->case_depth >= 0 && depth == j->case_depth)
		return case_emit(j);
	if (j->nsuites && j->suite_depths[j->nsuites - 1] == depth)
		free(j->suites[--j->nsuites]);
	return 0;
}

static int
junit_file(struct junit *j, const char *path, struct sg_error *err)
{
	static const char *const roots[] = {"testsuites", "testsuite"};
	bool seen_root = false;
	int type;
	int rc;
	int error;

	j->case_depth = -1;
	if ((error = xr_open(&j->x, path, err)) < 0)
		goto out;
	while ((rc = xr_next(&j->x)) > 0) {
		type = xmlTextReaderNodeType(j->x.r);
		if (type == XML_READER_TYPE_ELEMENT) {
			if (!seen_root && (error = root_is(&j->x, roots, 2,
					       "JUnit XML")) < 0)
				goto out;
			seen_root = true;
			error = junit_element(j);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			error = junit_end(j);
		}
		if (error < 0)
			goto out;
	}
	error = rc;
	if (!error && !seen_root)
		error = sg_error_set_at(err, SG_EINVAL, path, 0, 0,
		    "no XML element");
out:
	case_reset(j);
	while (j->nsuites)
		free(j->suites[--j->nsuites]);
	xr_close(&j->x);
	return error;
}

int
sg_junit_read(struct sg_test_totals *totals, const char *const *paths,
    size_t npaths, sg_test_cb cb, void *payload, struct sg_error *err)
{
	struct junit j;
	int error = 0;

	memset(totals, 0, sizeof(*totals));
	memset(&j, 0, sizeof(j));
	j.totals = totals;
	j.cb = cb;
	j.payload = payload;
	for (size_t i = 0; i < npaths && !error; i++) {
		error = junit_file(&j, paths[i], err);
		totals->nfiles += !error;
	}
	return error;
}

const char *
sg_test_status_name(enum sg_test_status st)
{
	static const char *const names[] = {"passed", "failed", "error",
	    "skipped"};

	return (unsigned)st < SG_ARRAY_SIZE(names) ? names[st] : "unknown";
}
