d = {"a": 1, "b": 2}
k = d.keys()
v = d.values()
it = d.items()
print(k, v, it)
d["c"] = 3
print(k, len(k), "a" in k, "z" in k, 2 in v, ("a", 1) in it, ("a", 2) in it)
print(sorted(k, reverse=True), list(v), list(it), type(k).__name__, bool({}.keys()))
for key, val in d.items():
    print(key, val)
print([x for x in d.values() if x > 1], max(d.values()), sum(d.values()), sorted(d.items(), key=lambda kv: -kv[1]))
print(dict(d.items()) == d, set(d.keys()) == {"a", "b", "c"})
try:
    d.keys()[0]
except TypeError as e:
    print(e)
