/* SPDX-License-Identifier: MIT */
/*
 * http.c - a one-request HTTP/1.1 client over a plain socket (sys/http.h).
 *
 * Shape: parse the URL into host, port and target; getaddrinfo; for each
 * address, a non-blocking connect bounded by the deadline; write the
 * request; read until the end of the stream or of Content-Length, with
 * poll() recomputing the time left on every turn; then parse the status
 * line and the two headers that matter (Content-Length,
 * Transfer-Encoding: chunked) and decode the body.
 *
 * Rejected: libcurl.  It would add a library and TLS to a code path that
 * only ever asks a health endpoint one question; the parser here is
 * small enough to fuzz and to read.
 */
#include "sys/http.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sys/self.h"

void
sg_http_response_release(struct sg_http_response *r)
{
	if (!r)
		return;
	free(r->content_type);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

struct url {
	char host[256];
	char port[8];
	const char *target; /* borrowed from the URL: "/healthz" */
	char *auth;	    /* "user:pass" in base64, or NULL */
};

/* RFC 4648 base64 of n bytes at p: a new string. */
static char *
base64(const char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *in = (const unsigned char *)p;
	char *out = sg_xmalloc((n + 2) / 3 * 4 + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 |
		    (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
		    (i + 2 < n ? in[i + 2] : 0);

		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

/*
 * http://[user:pass@]host[:port][/target]: a userinfo is sent as Basic
 * authentication, and never shown (messages name the URL masked).
 */
static int
parse_url(struct url *u, const char *url, struct sg_error *err)
{
	const char *p = url + 7, *end, *colon, *at;
	size_t n;
	unsigned long port = 80;
	char *e;
	char *shown;
	int error;

	u->auth = NULL;
	if (strncasecmp(url, "http://", 7)) {
		shown = sg_url_mask(url);
		error = sg_error_set(err, SG_EINVAL,
		    "'%s' is not a plain http:// URL (https is not supported)",
		    shown);
		free(shown);
		return error;
	}
	end = p + strcspn(p, "/?#");
	at = memrchr(p, '@', (size_t)(end - p));
	if (at) {
		u->auth = base64(p, (size_t)(at - p));
		p = at + 1;
	}
	if (*p == '[') {
		colon = memchr(p, ']', (size_t)(end - p));
		if (!colon)
			goto bad;
		n = (size_t)(colon - p - 1);
		p++;
		colon = colon[1] == ':' ? colon + 1 : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		n = (size_t)((colon ? colon : end) - p);
	}
	if (!n || n >= sizeof(u->host) || memchr(p, '@', n))
		goto bad;
	memcpy(u->host, p, n);
	u->host[n] = '\0';
	if (colon) {
		errno = 0;
		port = strtoul(colon + 1, &e, 10);
		if (e != end || e == colon + 1 || errno || !port ||
		    port > 65535)
			goto bad;
	}
	snprintf(u->port, sizeof(u->port), "%lu", port);
	u->target = *end == '/' ? end : (*end == '?' ? end : "/");
	if (*end == '#')
		u->target = "/";
	return 0;
bad:
	free(u->auth);
	u->auth = NULL;
	shown = sg_url_mask(url);
	error = sg_error_set(err, SG_EINVAL, "'%s' is not a valid http URL",
	    shown);
	free(shown);
	return error;
}

static int
time_left(uint64_t deadline)
{
	uint64_t now = sg_clock_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

/* Wait for fd to be ready for `events`; 0, or -1 with errno (ETIMEDOUT). */
static int
wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd pfd = {fd, events, 0};
	int n;

	for (;;) {
		n = poll(&pfd, 1, time_left(deadline));
		if (n > 0)
			return 0;
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

static int
connect_one(int *out, const struct addrinfo *ai, uint64_t deadline)
{
	socklen_t len = sizeof(int);
	int fd, soerr = 0, e;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS)
			goto fail;
		if (wait_fd(fd, POLLOUT, deadline) < 0)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			goto fail;
		if (soerr) {
			errno = soerr;
			goto fail;
		}
	}
	*out = fd;
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

static int
dial(int *out, const struct url *u, uint64_t deadline, struct sg_error *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	int rc, e = ECONNREFUSED;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(u->host, u->port, &hints, &res);
	if (rc)
		return sg_error_set(err, SG_EIO, "cannot resolve '%s': %s",
		    u->host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		if (connect_one(out, ai, deadline) == 0)
			break;
		e = errno;
	}
	freeaddrinfo(res);
	if (!ai)
		return sg_error_set_errno(err, SG_EIO, e,
		    "cannot connect to %s:%s", u->host, u->port);
	return 0;
}

static int
send_all(int fd, const char *p, size_t n, uint64_t deadline)
{
	ssize_t w;

	while (n) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) < 0)
				return -1;
			continue;
		}
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read everything until EOF or the cap into b. */
static int
recv_all(struct sg_buf *b, int fd, uint64_t deadline, struct sg_error *err)
{
	char chunk[4096];
	ssize_t n;

	for (;;) {
		if (wait_fd(fd, POLLIN, deadline) < 0)
			return sg_error_set_errno(err, SG_EIO, errno,
			    "no complete response");
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return sg_error_set_errno(err, SG_EIO, errno,
			    "cannot read the response");
		if (n == 0)
			return 0;
		if (sg_buf_put(b, chunk, (size_t)n) < 0)
			return sg_error_set(err, SG_ETOOBIG,
			    "the response is larger than %u bytes",
			    SG_HTTP_HEADER_MAX + SG_HTTP_BODY_MAX);
	}
}

/* The value of header `name` in the header block [h, end), or NULL. */
static const char *
header(const char *h, const char *end, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	const char *eol;

	while (h < end) {
		eol = memchr(h, '\n', (size_t)(end - h));
		eol = eol ? eol : end;
		if ((size_t)(eol - h) > nl && h[nl] == ':' &&
		    !strncasecmp(h, name, nl)) {
			h += nl + 1;
			while (h < eol && (*h == ' ' || *h == '\t'))
				h++;
			*len = (size_t)(eol - h);
			while (*len && (h[*len - 1] == '\r' ||
			    h[*len - 1] == ' '))
				(*len)--;
			return h;
		}
		h = eol + 1;
	}
	return NULL;
}

/* Decode a chunked body in place; -1 when it is malformed. */
static long
dechunk(char *p, size_t len)
{
	size_t in = 0, outl = 0;
	unsigned long n;
	char *e;

	for (;;) {
		if (in >= len)
			return -1;
		errno = 0;
		n = strtoul(p + in, &e, 16);
		if (e == p + in || errno)
			return -1;
		e = memchr(e, '\n', len - (size_t)(e - p));
		if (!e)
			return -1;
		in = (size_t)(e - p) + 1;
		if (!n)
			return (long)outl;
		if (n > len - in)
			return -1;
		memmove(p + outl, p + in, n);
		outl += n;
		in += n;
		if (in < len && p[in] == '\r')
			in++;
		if (in < len && p[in] == '\n')
			in++;
	}
}

static int
parse_response(struct sg_http_response *out, struct sg_buf *b,
    struct sg_error *err)
{
	char *hend = strstr(b->ptr, "\r\n\r\n");
	const char *v;
	char *body;
	size_t vlen, blen;
	long n;
	int status;

	if (!hend || strncmp(b->ptr, "HTTP/1.", 7) || b->len < 12 ||
	    b->ptr[8] != ' ' || sscanf(b->ptr + 9, "%3d", &status) != 1 ||
	    status < 100 || status > 999)
		return sg_error_set(err, SG_EIO, "not an HTTP/1.x response");
	if ((size_t)(hend - b->ptr) > SG_HTTP_HEADER_MAX)
		return sg_error_set(err, SG_ETOOBIG,
		    "the response headers are larger than %u bytes",
		    SG_HTTP_HEADER_MAX);
	body = hend + 4;
	blen = b->len - (size_t)(body - b->ptr);
	if ((v = header(b->ptr, hend, "Transfer-Encoding", &vlen)) &&
	    vlen == 7 && !strncasecmp(v, "chunked", 7)) {
		if ((n = dechunk(body, blen)) < 0)
			return sg_error_set(err, SG_EIO,
			    "a malformed chunked body");
		blen = (size_t)n;
	} else if ((v = header(b->ptr, hend, "Content-Length", &vlen))) {
		n = strtol(v, NULL, 10);
		if (n < 0 || (size_t)n > blen)
			return sg_error_set(err, SG_EIO,
			    "the connection closed before the body ended");
		blen = (size_t)n;
	}
	if (blen > SG_HTTP_BODY_MAX)
		return sg_error_set(err, SG_ETOOBIG,
		    "the response body is larger than %u bytes",
		    SG_HTTP_BODY_MAX);
	out->status = status;
	if ((v = header(b->ptr, hend, "Content-Type", &vlen)))
		out->content_type = sg_xstrndup(v, vlen);
	out->body = sg_xstrndup(body, blen);
	out->len = blen;
	return 0;
}

int
sg_http_get(struct sg_http_response *out, const char *url,
    unsigned timeout_ms, struct sg_error *err)
{
	uint64_t deadline = sg_clock_ms() + timeout_ms;
	struct sg_buf b;
	struct url u;
	char *req = NULL;
	int fd = -1;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&u, 0, sizeof(u));
	sg_buf_init(&b, SG_HTTP_HEADER_MAX + SG_HTTP_BODY_MAX + 4);
	if ((error = parse_url(&u, url, err)) < 0 ||
	    (error = dial(&fd, &u, deadline, err)) < 0)
		goto out;
	req = sg_xasprintf("GET %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\n"
			   "%s%s%s"
			   "User-Agent: specgate-smoke\r\nAccept: */*\r\n"
			   "Connection: close\r\n\r\n",
	    u.target, strchr(u.host, ':') ? "[" : "", u.host,
	    strchr(u.host, ':') ? "]" : "", strcmp(u.port, "80") ? ":" : "",
	    strcmp(u.port, "80") ? u.port : "",
	    u.auth ? "Authorization: Basic " : "", u.auth ? u.auth : "",
	    u.auth ? "\r\n" : "");
	if (send_all(fd, req, strlen(req), deadline) < 0) {
		char *shown = sg_url_mask(url);

		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot send the request to %s", shown);
		free(shown);
		goto out;
	}
	if ((error = recv_all(&b, fd, deadline, err)) < 0 ||
	    (error = parse_response(out, &b, err)) < 0)
		goto out;
out:
	if (fd >= 0)
		close(fd);
	if (req)
		sg_memzero(req, strlen(req));
	free(req);
	if (u.auth)
		sg_memzero(u.auth, strlen(u.auth));
	free(u.auth);
	sg_buf_release(&b);
	return error;
}
