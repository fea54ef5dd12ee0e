#!/usr/bin/env bash
# t1200-render: `specgate render` through the real binary: the Mustache
# spec's suites with partials as files, a generated C file compared byte
# for byte with mustache.js (tests/tools/mustache, pinned by its
# package-lock.json, installed on first use), inheritance and dynamic
# names, errors at TEMPLATE:line:col (JSON errors where Python's json
# module puts them), partial names that would leave DIR, the caps, usage.
. "$(dirname "$0")/lib.sh"

MJS=$SG_TEST_ROOT/tools/mustache
if [ ! -f "$MJS/node_modules/mustache/package.json" ]; then
	(cd "$MJS" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
	    echo "# cannot install mustache.js (npm ci in tests/tools/mustache)" >&2
fi

test_expect_success 'the spec suites through the binary, partials read from files' '
	python3 - "$DATA/mustache" <<-\EOF
	import json, os, subprocess, sys, tempfile
	src = sys.argv[1]
	n = bad = 0
	for f in sorted(os.listdir(src)):
	    if not f.endswith(".json"):
	        continue
	    for t in json.load(open(os.path.join(src, f)))["tests"]:
	        d = tempfile.mkdtemp(dir=".")
	        os.mkdir(d + "/p")
	        open(d + "/t.mustache", "w").write(t["template"])
	        json.dump(t["data"], open(d + "/d.json", "w"))
	        for k, v in t.get("partials", {}).items():
	            open(d + "/p/" + k + ".mustache", "w").write(v)
	        r = subprocess.run([os.environ["SPECGATE"], "-q", "render",
	            d + "/t.mustache", "--data", d + "/d.json", "--partials",
	            d + "/p"], capture_output=True)
	        n += 1
	        if r.returncode or r.stdout != t["expected"].encode():
	            bad += 1
	            print(f, t["name"], repr(r.stdout), r.stderr)
	print(n, "tests,", bad, "failed")
	sys.exit(1 if bad or n < 140 else 0)
	EOF
'

test_expect_success 'a generated C file: the same bytes as mustache.js' '
	R=$DATA/render &&
	sg render "$R/suite.mustache" --data "$R/suite.json" >ours &&
	node "$MJS/render.js" "$R/suite.mustache" "$R/suite.json" "$R" >theirs &&
	cmp ours theirs &&
	expect_grep "^  	pending(state, \"Ping &amp; pong: I send \"ping\"\");$" ours &&
	expect_grep "^static const double limits\[\] = { 0.5, 2, 1.25, 0 };$" ours
'

test_expect_success 'inheritance: a page overrides its layout, re-indented' '
	mkdir t &&
	printf "<html>\n  <title>{{\$title}}Site{{/title}}</title>\n  <body>\n    {{\$body}}\n    <p>empty</p>\n    {{/body}}\n  </body>\n</html>\n" >t/layout.mustache &&
	printf "{{<layout}}\n{{\$title}}{{name}}{{/title}}\n{{\$body}}\n{{#items}}\n<li>{{.}}</li>\n{{/items}}\n{{/body}}\n{{/layout}}\n" >t/page.mustache &&
	printf "{\"name\": \"A & B\", \"items\": [\"x\", \"y\"]}" >d.json &&
	sg render t/page.mustache --data d.json >out &&
	printf "<html>\n  <title>A &amp; B</title>\n  <body>\n    <li>x</li>\n    <li>y</li>\n  </body>\n</html>\n" >want &&
	cmp want out &&
	printf "{{<layout}}{{/layout}}" >t/bare.mustache &&
	sg render t/bare.mustache --data d.json >out &&
	expect_grep "^    <p>empty</p>$" out
'

test_expect_success 'dynamic names: the data picks the partial' '
	mkdir p &&
	printf "{{#items}}\n{{>*kind}}\n{{/items}}\n" >t.mustache &&
	printf "text: {{content}}\n" >p/text.mustache &&
	printf "<img src=\"{{{url}}}\">\n" >p/image.mustache &&
	printf "{\"items\": [{\"kind\": \"text\", \"content\": \"hi\"}, {\"kind\": \"image\", \"url\": \"a/b.png\"}, {\"kind\": \"none\"}]}" >d.json &&
	sg -q render t.mustache --data d.json --partials p >out &&
	printf "text: hi\n<img src=\"a/b.png\">\n" >want && cmp want out
'

test_expect_success 'template errors: exit 2 with TEMPLATE:line:col' '
	echo "{}" >d.json &&
	printf "a\nb {{name\n" >t1.mustache &&
	expect_exit 2 sg render t1.mustache --data d.json 2>err &&
	expect_grep "^t1.mustache:2:3: error: unclosed tag: no .}}. after .{{.$" err &&
	printf "{{#a}}\n  {{^b}}\n  {{/a}}\n" >t2.mustache &&
	expect_exit 2 sg render t2.mustache --data d.json 2>err &&
	expect_grep "^t2.mustache:3:3: error: end tag .a. does not match section .b. opened at 2:3$" err &&
	printf "\xc3\xa9\xc3\xa9 {{#list}}\n" >t3.mustache &&
	expect_exit 2 sg render t3.mustache --data d.json 2>err >out &&
	expect_grep "^t3.mustache:1:4: error: section .list. is not closed$" err &&
	test ! -s out
'

test_expect_success 'bad JSON: exit 2 at the line:col of Python'"'"'s json module' '
	echo "{{a}}" >t.mustache &&
	for doc in "{\n  \"a\": 1,\n}" "[1,\n   2,,3]" "{\"a\" 1}"; do
		printf "$doc" >d.json &&
		pos=$(python3 -c "import json,sys
try: json.load(open(\"d.json\"))
except ValueError as e: print(\"%d:%d\" % (e.lineno, e.colno))") &&
		expect_exit 2 sg render t.mustache --data d.json 2>err &&
		expect_grep "^d.json:$pos: error: invalid JSON: " err || return 1
	done &&
	printf "{\"a\": 1, \"a\": 2}" >d.json &&
	expect_exit 2 sg render t.mustache --data d.json 2>err &&
	expect_grep "duplicate object key" err
'

test_expect_success 'partials: DIR/name.mustache, the template'"'"'s directory by default' '
	mkdir -p tpl/sub other &&
	printf "[{{>sub/part}}]" >tpl/t.mustache &&
	printf "in tpl" >tpl/sub/part.mustache &&
	printf "in other" >other/part.mustache &&
	mkdir other/sub && printf "in other/sub" >other/sub/part.mustache &&
	echo "{}" >d.json &&
	test "$(sg render tpl/t.mustache --data d.json)" = "[in tpl]" &&
	test "$(sg render tpl/t.mustache --data d.json --partials other)" = "[in other/sub]"
'

test_expect_success 'a missing partial renders as nothing, with a warning unless -q' '
	printf "a{{>nope}}b\n" >t.mustache && echo "{}" >d.json &&
	sg render t.mustache --data d.json >out 2>err &&
	printf "ab\n" | cmp - out &&
	expect_grep "warning: no partial .nope. (./nope.mustache)" err &&
	sg -q render t.mustache --data d.json >out 2>err &&
	test ! -s err
'

test_expect_success 'partial names that leave DIR are refused (exit 2), even from the data' '
	mkdir p && echo secret >outside.mustache && echo "{\"n\": \"../outside\"}" >d.json &&
	for name in ../outside /etc/passwd a//b ./x "sub/.."; do
		printf "x\n {{>$name}}" >p/t.mustache &&
		expect_exit 2 sg render p/t.mustache --data d.json 2>err >out &&
		expect_grep "^p/t.mustache:2:2: error: partial name .$name. is refused" err &&
		test ! -s out || return 1
	done &&
	printf "{{>*n}}" >p/t.mustache &&
	expect_exit 2 sg render p/t.mustache --data d.json 2>err &&
	expect_grep "partial name .\.\./outside. is refused" err
'

test_expect_success 'a partial that does not parse: its own path:line:col' '
	mkdir p && printf "ok\n{{>inner}}\n" >t.mustache &&
	printf "line\n  {{#open}}\n" >p/inner.mustache && echo "{}" >d.json &&
	expect_exit 2 sg render t.mustache --data d.json --partials p 2>err &&
	expect_grep "^p/inner.mustache:2:3: error: section .open. is not closed$" err
'

test_expect_success 'caps: a recursive partial stops at 256 levels (exit 2)' '
	printf "x{{>t}}" >t.mustache && echo "{}" >d.json &&
	expect_exit 2 sg render t.mustache --data d.json 2>err >out &&
	expect_grep "nested more than 256 deep" err && test ! -s out
'

test_expect_success 'usage errors, unreadable files, a full disk' '
	echo "{{a}}" >t.mustache && echo "{\"a\": 1}" >d.json &&
	expect_exit 2 sg render t.mustache 2>err &&
	expect_grep "^usage: specgate render TEMPLATE --data FILE.json" err &&
	expect_exit 2 sg render --data d.json 2>/dev/null &&
	expect_exit 2 sg render nothere.mustache --data d.json 2>err &&
	expect_grep "nothere.mustache" err &&
	expect_exit 2 sg render t.mustache --data nothere.json 2>/dev/null &&
	expect_exit 2 sg render t.mustache --data d.json --partials d.json 2>err &&
	expect_grep "not a directory" err &&
	expect_exit 5 sg render t.mustache --data d.json >/dev/full 2>/dev/null &&
	sg help render | grep -q -- "--partials DIR"
'

test_done
