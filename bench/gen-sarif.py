#!/usr/bin/env python3
# bench/gen-sarif.py MB OUT - write a SARIF 2.1.0 log of about MB megabytes
# for bench/gates.sh, shaped like CodeQL's: 50 rules with default levels,
# results with a location and a four-step code flow, one in ten with its
# own level.
import sys, json
mb = float(sys.argv[1]); out = open(sys.argv[2], "w")
rules = [{"id": "r%d" % i, "defaultConfiguration": {"level": ["error", "warning", "note"][i % 3]},
          "shortDescription": {"text": "rule %d" % i}} for i in range(50)]
head = {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "gen", "rules": rules}}, "results": []}]}
h = json.dumps(head, indent=2)
pre, post = h.rsplit('"results": []', 1)
out.write(pre + '"results": [\n')
target = int(mb * 1e6); n = 0; written = len(pre)
while written < target:
    r = {"ruleId": "r%d" % (n % 50), "ruleIndex": n % 50, "message": {"text": "finding number %d with some text" % n},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/file%d.c" % (n % 997)},
                        "region": {"startLine": n % 5000 + 1, "startColumn": 3}}}],
         "codeFlows": [{"threadFlows": [{"locations": [{"location": {"physicalLocation": {"artifactLocation": {"uri": "src/file%d.c" % (n % 997)}, "region": {"startLine": k}}, "message": {"text": "step %d" % k}}} for k in range(4)]}]}]}
    if n % 10 == 3:
        r["level"] = "note"
    s = (",\n" if n else "") + json.dumps(r, indent=2)
    out.write(s); written += len(s); n += 1
out.write("\n]" + post + "\n")
