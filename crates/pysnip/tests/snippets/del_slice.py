# del with slices: every step, negative steps, empty and out-of-range slices
base = list(range(10))
cases = [
    (None, None, None), (2, 5, None), (None, None, 2), (1, None, 3),
    (None, None, -1), (None, None, -2), (8, 2, -3), (-3, None, None),
    (5, 2, None), (20, 30, None), (-100, 3, None), (3, 3, None),
]
for a, b, c in cases:
    l = list(base)
    del l[a:b:c]
    print(a, b, c, l)
nested = [[1], [2, [3]], "x", (4,), {5: 6}]
del nested[::2]
print(nested)
e = []
del e[:]
print(e)
try:
    l = [1, 2, 3]
    del l[::0]
except ValueError as err:
    print("ValueError:", err)
