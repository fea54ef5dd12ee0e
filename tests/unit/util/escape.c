/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/util/escape.c: the UTF-8 check, U+FFFD for bytes
 * outside UTF-8, and the JSON and XML escapes under each flag, written
 * out byte for byte (the outputs they replaced are compared so by the
 * integration tests and by the Cucumber conformance files).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include "util/util.h"

/* s escaped into a fresh buffer under flags, checked against want. */
static void
check_json(const char *s, unsigned flags, const char *want)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	assert_int_equal(sg_buf_json_string(&b, s, flags), 0);
	assert_string_equal(b.ptr, want);
	sg_buf_release(&b);
}

static void
check_xml(const char *s, unsigned flags, const char *want)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	assert_int_equal(sg_buf_xml_escape(&b, s, flags), 0);
	assert_string_equal(b.ptr, want);
	sg_buf_release(&b);
}

SG_TEST(utf8_lengths)
{
	assert_int_equal(sg_utf8_len("a", 1), 1);
	assert_int_equal(sg_utf8_len("\xc3\xa9", 2), 2);
	assert_int_equal(sg_utf8_len("\xe2\x82\xac", 3), 3);
	assert_int_equal(sg_utf8_len("\xf0\x9f\x98\x80", 4), 4);
	/* cut short by n, even when the bytes past it would complete it */
	assert_int_equal(sg_utf8_len("\xe2\x82\xac", 2), 0);
	/* a lone continuation byte, and bytes that never start one */
	assert_int_equal(sg_utf8_len("\x80", 1), 0);
	assert_int_equal(sg_utf8_len("\xc0\xaf", 2), 0);
	assert_int_equal(sg_utf8_len("\xff", 1), 0);
	/* overlong, surrogate, past U+10FFFF */
	assert_int_equal(sg_utf8_len("\xe0\x80\xaf", 3), 0);
	assert_int_equal(sg_utf8_len("\xed\xa0\x80", 3), 0);
	assert_int_equal(sg_utf8_len("\xf4\x90\x80\x80", 4), 0);
	/* a NUL where a continuation byte should be */
	assert_int_equal(sg_utf8_len("\xc3", 2), 0);
}

SG_TEST(put_utf8_replaces_each_bad_byte)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	assert_int_equal(sg_buf_put_utf8(&b, "a\xff\xfe\xc3\xa9z", 6), 0);
	assert_string_equal(b.ptr, "a\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9z");
	sg_buf_truncate(&b, 0);
	/* n stops a sequence that would run past it */
	assert_int_equal(sg_buf_put_utf8(&b, "x\xc3\xa9", 2), 0);
	assert_string_equal(b.ptr, "x\xef\xbf\xbd");
	sg_buf_release(&b);
}

SG_TEST(json_plain_escapes)
{
	check_json(NULL, 0, "null");
	check_json("", 0, "\"\"");
	check_json("a\"b\\c/", 0, "\"a\\\"b\\\\c/\"");
	check_json("\b\f\n\r\t", 0, "\"\\b\\f\\n\\r\\t\"");
	check_json("\x01\x1f", 0, "\"\\u0001\\u001f\"");
	/* DEL and bytes past ASCII pass as they are */
	check_json("\x7f\xc3\xa9\xff", 0, "\"\x7f\xc3\xa9\xff\"");
}

SG_TEST(json_clean_and_hex_controls)
{
	unsigned f = SG_JSON_CLEAN | SG_JSON_HEX_CONTROLS;

	check_json(NULL, f, "null");
	check_json("caf\xc3\xa9", f, "\"caf\xc3\xa9\"");
	check_json("a\xff" "b\xe2\x82", f, "\"a\\ufffdb\\ufffd\\ufffd\"");
	check_json("\"\\\n", f, "\"\\\"\\\\\\n\"");
	check_json("\t\r\b\x7f", f, "\"\\u0009\\u000d\\u0008\\u007f\"");
	/* each flag alone */
	check_json("\xff\t", SG_JSON_CLEAN, "\"\\ufffd\\t\"");
	check_json("\xff\t", SG_JSON_HEX_CONTROLS, "\"\xff\\u0009\"");
}

SG_TEST(json_past_the_cap)
{
	struct sg_buf b;

	sg_buf_init(&b, 4);
	assert_int_equal(sg_buf_json_string(&b, "abcdef", 0), SG_ETOOBIG);
	assert_true(b.len <= 4);
	sg_buf_release(&b);
}

SG_TEST(xml_markup)
{
	check_xml(NULL, 0, "");
	check_xml("a<b>&\"c'", 0, "a&lt;b&gt;&amp;&quot;c'");
	check_xml("a<b>&\"c'", SG_XML_APOS, "a&lt;b&gt;&amp;&quot;c&#39;");
	/* without CLEAN, controls and bytes outside UTF-8 pass */
	check_xml("\x01\r\n\t\xff", 0, "\x01\r\n\t\xff");
}

SG_TEST(xml_clean_and_attr)
{
	check_xml("\x01x\xff\xc3\xa9\r\n\t'", SG_XML_CLEAN,
	    "\xef\xbf\xbdx\xef\xbf\xbd\xc3\xa9&#13;\n\t'");
	check_xml("a\r\n\tb&", SG_XML_CLEAN | SG_XML_ATTR,
	    "a&#13;&#10;&#9;b&amp;");
}

SG_TEST(xml_escapen_reads_n_bytes)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	assert_int_equal(sg_buf_xml_escapen(&b, "<a>\0<b>", 7, 0), 0);
	assert_int_equal(b.len, 19);
	assert_memory_equal(b.ptr, "&lt;a&gt;\0&lt;b&gt;", 19);
	sg_buf_release(&b);
	sg_buf_init(&b, 5);
	assert_int_equal(sg_buf_xml_escapen(&b, "<<", 2, 0), SG_ETOOBIG);
	sg_buf_release(&b);
}

SG_TEST_MAIN("util/escape")
