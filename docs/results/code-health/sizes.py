#!/usr/bin/env python3
"""Largest class (file lines) and longest method (declaration to closing brace) per package of src/main/java/xner.
A textual measure: comments, strings and char literals are skipped when braces are matched; lambdas count
inside their method. Usage: sizes.py [REPO_DIR]"""
import os, re, sys

root = os.path.join(sys.argv[1] if len(sys.argv) > 1 else '.', 'src/main/java/xner')
DECL = re.compile(r'^\s+(?:(?:public|private|protected|static|final|abstract|synchronized|default|native)\s+)*'
                  r'(?:<[^>]+>\s+)?(?:[\w.<>\[\]?, ]+\s+)?(\w+)\s*\([^;]*$')
NOT_METHOD = {'if', 'for', 'while', 'switch', 'catch', 'return', 'new', 'else', 'try', 'synchronized', 'do'}

def code_chars(text):
    """text with comments and literals blanked, newlines kept"""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i); j = n if j < 0 else j; out.append(' ' * (j - i)); i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2); j = n if j < 0 else j + 2
            out.append(''.join('\n' if ch == '\n' else ' ' for ch in text[i:j])); i = j
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3); j = n if j < 0 else j + 3
            out.append(''.join('\n' if ch == '\n' else ' ' for ch in text[i:j])); i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(' ' * (j + 1 - i)); i = j + 1
        else:
            out.append(c); i += 1
    return ''.join(out)

def methods(path):
    text = code_chars(open(path, encoding='utf-8').read())
    lines = text.split('\n')
    found = []
    for k, line in enumerate(lines):
        m = DECL.match(line)
        if not m or m.group(1) in NOT_METHOD or '=' in line.split('(')[0]:
            continue
        # the body starts at the first '{' before any ';' from here
        rest = '\n'.join(lines[k:])
        brace, semi = rest.find('{'), rest.find(';')
        if brace < 0 or (0 <= semi < brace):
            continue
        depth, j = 0, brace
        while j < len(rest):
            if rest[j] == '{': depth += 1
            elif rest[j] == '}':
                depth -= 1
                if depth == 0: break
            j += 1
        end = k + rest[:j].count('\n')
        found.append((end - k + 1, m.group(1), k + 1))
    return found

for pkg in sorted(os.listdir(root)):
    d = os.path.join(root, pkg)
    if not os.path.isdir(d):
        continue
    files = [f for f in os.listdir(d) if f.endswith('.java')]
    sizes = [(sum(1 for _ in open(os.path.join(d, f), encoding='utf-8')), f[:-5]) for f in files]
    ms = [(n, f[:-5] + '.' + name, line) for f in files for (n, name, line) in methods(os.path.join(d, f))]
    big = max(sizes)
    longest = max(ms) if ms else (0, '-', 0)
    print(f'{pkg:11s} largest class {big[1]} ({big[0]} lines); longest method {longest[1]} ({longest[0]} lines)')
