"""Regenerates tests/snippets/*.out with CPython (python3 tests/gen_expected.py). Not needed by the tests."""
import pathlib, re, subprocess, sys

d = pathlib.Path(__file__).parent / "snippets"
for f in sorted(d.glob("*.py")):
    if len(sys.argv) > 1 and f.stem not in sys.argv[1:]:
        continue
    r = subprocess.run([sys.executable, f.name], cwd=d, capture_output=True, text=True)
    out = r.stdout
    if r.returncode != 0:
        lines = r.stderr.strip().splitlines()
        last = lines[-1]
        nums = [int(m.group(2)) for m in re.finditer(r'File "([^"]*)", line (\d+)', r.stderr) if m.group(1).split("/")[-1] == f.name] or [int(m.group(1)) for m in re.finditer(r'File "[^"]*", line (\d+)', r.stderr)]
        out += f"!! line {nums[-1] if nums else 0}: {last}\n"
    f.with_suffix(".out").write_text(out)
    print(f.name, "ok" if r.returncode == 0 else "error")
