#!/usr/bin/env python3
# yaml2json.py FILE.yml: print FILE as JSON, read as YAML 1.2 reads it (the
# way GitHub and GitLab do): only true and false are booleans, so the key
# `on:` of a workflow stays the string "on" (PyYAML's YAML 1.1 would make
# it True, as it would yes/no/on/off).
import json
import re
import sys

import yaml


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

with open(sys.argv[1], encoding="utf-8") as f:
    json.dump(yaml.load(f, Loader=Loader), sys.stdout, indent=1)
print()
