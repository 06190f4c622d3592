#!/usr/bin/env python3
"""Parse PowerShell files with tree-sitter-powershell and report every syntax error.

Usage: psparse.py FILE...
Prints one line per problem (FILE:LINE:COLUMN: error: ...) and exits 1 if any file has an ERROR or MISSING node,
0 if all parse cleanly. Exits 3 if the tree-sitter packages are not installed (the tests treat that as a failure).
Requires the PyPI packages tree-sitter and tree-sitter-powershell (make psparse installs them into .build/psvenv).
"""
import sys

try:
    import tree_sitter
    import tree_sitter_powershell
except ImportError as error:  # pragma: no cover - exercised only on a broken setup
    print(f"psparse: missing Python package: {error}; install tree-sitter and tree-sitter-powershell", file=sys.stderr)
    sys.exit(3)


def make_parser():
    language = tree_sitter.Language(tree_sitter_powershell.language())
    try:
        return tree_sitter.Parser(language)
    except TypeError:  # older py-tree-sitter
        parser = tree_sitter.Parser()
        parser.set_language(language)
        return parser


def problems(tree, source):
    found = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_missing:
            found.append((node.start_point, f"missing {node.type}"))
        elif node.type == "ERROR":
            line = source.splitlines()[node.start_point[0]] if source else b""
            snippet = line.decode("utf-8", "replace").strip()[:100]
            found.append((node.start_point, f"syntax error near: {snippet}"))
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    return sorted(found)


def main(paths):
    if not paths:
        print("usage: psparse.py FILE...", file=sys.stderr)
        return 2
    parser = make_parser()
    failed = False
    for path in paths:
        with open(path, "rb") as handle:
            source = handle.read()
        tree = parser.parse(source)
        for (row, column), message in problems(tree, source):
            failed = True
            print(f"{path}:{row + 1}:{column + 1}: error: {message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
