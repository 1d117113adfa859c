l = [3, 1, 2]
l.append(5)
l.extend([9, 0])
l.insert(0, 7)
print(l, len(l), l.pop(), l.pop(0), l)
l.remove(9)
print(l, l.index(2), l.count(1), sorted(l), sorted(l, reverse=True), l)
l.sort()
print(l)
l.sort(key=lambda x: -x)
print(l)
l.reverse()
print(l, l.copy(), l[::-1], l[1:3], l[-2:])
l[0] = 100
l[1:3] = ["a", "b", "c"]
print(l)
del l[0]
del l[-1]
print(l)
l.clear()
print(l, [1, 2] + [3], [0] * 3, [[1, 2], [3]], 2 in [1, 2], [] == [], [1, [2]] == [1, [2]])
t = (1, "a", 2.5)
print(t, t[1], len(t), t + (4,), t * 2, (1,), (), t.count(1), t.index("a"))
d = {"b": 1, "a": 2}
d["c"] = 3
print(d, d["a"], d.get("z"), d.get("z", 0), "a" in d, len(d), list(d), list(d.keys()), list(d.values()), list(d.items()))
d.update({"a": 20, "e": 5})
d.update(f=6)
print(d, d.pop("b"), d.pop("zz", None), d.setdefault("g", 7), d.setdefault("a", 0), d)
del d["g"]
for k, v in d.items():
    print(k, v, end="; ")
print()
print(dict(a=1, b=2), dict([("x", 1), ("y", 2)]), dict(zip("ab", [1, 2])), {**d, "z": 0}, d.copy() == d)
print({1: "int", 1.0: "float", True: "bool"}, {(1, 2): "t"}[(1, 2)], {None: 1}[None])
s = {3, 1, 2}
s.add(4)
s.add(1)
s.discard(10)
s.remove(4)
print(len(s), 2 in s, sorted(s), sorted(s | {9}), sorted(s & {1, 5}), sorted(s - {1}), sorted(s ^ {1, 7}), set(), set([1, 1, 2]) == {1, 2})
print(sorted(s.union([8])), sorted(s.intersection({2, 3})), s.issubset({1, 2, 3, 4}), {1}.isdisjoint({2}))
print([x * x for x in range(5)], [x for x in range(10) if x % 3 == 0], [(x, y) for x in range(2) for y in "ab"])
print({x: x * 2 for x in range(3)}, sorted({x % 3 for x in range(10)}), sum(x for x in range(5)), max(len(w) for w in ["a", "abc"]))
print(list(range(5)), list(range(2, 10, 3)), list(range(5, 0, -2)), range(3), len(range(0, 10, 3)), 5 in range(10), range(10)[-1])
print(list(enumerate("ab")), list(enumerate("ab", 1)), list(zip([1, 2, 3], "ab")), list(reversed([1, 2, 3])), list(map(str, [1, 2])), list(filter(None, [0, 1, 2])))
print(min(3, 1, 2), max([1, 5, 3]), min("bca"), max(["a", "bbb", "cc"], key=len), min([], default=-1), sum([1.5, 2.5]), sum([[1], [2]], []))
print(any([0, 1]), all([1, 0]), all([]), any([]), sorted("hello"), sorted([(2, "b"), (1, "z"), (2, "a")]))
words = ["banana", "Apple", "cherry"]
print(sorted(words), sorted(words, key=str.lower) if False else sorted(words, key=lambda w: w.lower()), sorted(words, key=len, reverse=True))
m = [[1, 2], [3, 4]]
print([row[1] for row in m], [[c * 2 for c in row] for row in m], m[1][0])
a = b = []
a.append(1)
print(b, a is b, [] is [], None is None)
