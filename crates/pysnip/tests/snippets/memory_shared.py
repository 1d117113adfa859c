# The memory walk counts a shared object once and stops at cycles.
big = "x" * 1000000
refs = [big] * 200000
l = [1]
l.append(l)
d = {"self": None}
d["self"] = d
total = 0
for i in range(300000):
    total += i
print(len(refs), len(l), l[1] is l, d["self"] is d, total)
