def f(x):
    return x + y
print("before")
f(1)
