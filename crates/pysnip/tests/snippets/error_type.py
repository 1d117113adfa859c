items = [1, 2, 3]
total = 0
for i in items:
    total += i
print(total)
print(total + "x")
