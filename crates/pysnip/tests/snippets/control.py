for i in range(3):
    print(i, end=" ")
print()
for i in range(10):
    if i == 2:
        continue
    if i == 5:
        break
    print(i, end=",")
else:
    print("no break")
print()
for i in range(2):
    pass
else:
    print("loop completed")
n = 0
while n < 5:
    n += 1
    if n == 3:
        continue
else:
    print("while done", n)
while True:
    n -= 1
    if n < 2:
        break
print(n)
for k in {"a": 1, "b": 2}:
    print(k)
for ch in "hi":
    print(ch)
for a, b in [(1, 2), (3, 4)]:
    print(a + b)
for i, (x, y) in enumerate(zip("ab", "cd")):
    print(i, x, y)
for b in b"AB":
    print(b)
x = 5
if x > 10:
    print("big")
elif x > 3:
    print("medium")
else:
    print("small")
if not []:
    print("empty list is falsy")
print("sep test", 1, 2, sep="-", end="!\n")
print()
print("a", "b", sep="")
for i in range(3):
    for j in range(3):
        if j == 1:
            break
        print(i, j)
result = [i for i in range(20) if i % 2 if i % 3]
print(result)
