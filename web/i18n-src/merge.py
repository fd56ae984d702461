"""Merges the console's UI strings (ui_*.py tables: key -> (en, zh-CN, zh-TW, vi)) into the shared catalogue.

Only the console's own top-level keys are rewritten, appended after the server's keys, whose text is
kept byte for byte so concurrent edits by other modules stay readable in diffs."""
import glob, json, os, re, runpy

here = os.path.dirname(os.path.abspath(__file__))
table = {}
for f in sorted(glob.glob(os.path.join(here, 'ui_*.py'))):
    table.update(runpy.run_path(f)['S'])
langs = ['en', 'zh-CN', 'zh-TW', 'vi']
tops = list(dict.fromkeys(k.split('.')[0] for k in table))

for i, lang in enumerate(langs):
    path = os.path.join(here, '..', '..', 'src', 'i18n', 'locales', f'{lang}.json')
    text = open(path, encoding='utf-8').read()
    original = json.loads(text)
    # Start from what the file holds under our top-level keys: other modules may add keys there
    # (the import report headers live under "import.report"), and those must survive a re-merge.
    ui = {t: json.loads(json.dumps(original[t])) for t in tops if isinstance(original.get(t), dict)}
    for key, vals in table.items():
        node = ui
        parts = key.split('.')
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = vals[i]
    # Cut at the first console key (they are always written last and together).
    starts = [m.start() for t in tops for m in [re.search(r'\n  "' + re.escape(t) + r'":', text)] if m]
    head = text[: min(starts)] if starts else text.rstrip().rstrip('}').rstrip()
    head = head.rstrip().rstrip(',')
    body = json.dumps(ui, ensure_ascii=False, indent=2)[1:-1].strip('\n')
    out = head + ',\n' + body + '\n}\n'
    merged = json.loads(out)
    lost = [k for k in original if k not in merged]
    if lost:
        # Someone appended after our block: fall back to a full rewrite rather than drop their keys.
        for t in tops:
            original.pop(t, None)
        original.update(ui)
        out = json.dumps(original, ensure_ascii=False, indent=2) + '\n'
    open(path, 'w', encoding='utf-8').write(out)
print(f'{len(table)} keys under {tops}')
