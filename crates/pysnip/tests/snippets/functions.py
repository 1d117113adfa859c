def add(a, b=10, *args, scale=1, **kw):
    return (a + b + sum(args)) * scale, kw

print(add(1), add(1, 2), add(1, 2, 3, 4), add(1, scale=2), add(1, x=5), add(b=3, a=4))
args = [1, 2, 3]
kw = {"scale": 3}
print(add(*args), add(*args, **kw), add(1, *[2], **{"y": 1}))

def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)

print(fact(10), fact(20))

def make_counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc

c = make_counter()
c()
c(5)
print(c())

def outer(x):
    def middle(y):
        def inner(z):
            return x + y + z
        return inner
    return middle

print(outer(1)(2)(3))
total = 0
def bump():
    global total
    total += 1
bump(); bump()
print(total)
square = lambda v: v * v
print(square(7), (lambda: "noargs")(), list(map(lambda p: p[0] * p[1], [(1, 2), (3, 4)])))
adders = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders])
def fib():
    a, b = 0, 1
    out = []
    while len(out) < 10:
        out.append(a)
        a, b = b, a + b
    return out
print(fib())
def noret():
    pass
print(noret(), add.__name__, square.__name__)
def kwonly(a, *, b, c=3):
    return a, b, c
print(kwonly(1, b=2), kwonly(1, b=2, c=4))
def varkw(**kwargs):
    return sorted(kwargs.items())
print(varkw(z=1, a=2))
def early(xs):
    for x in xs:
        if x > 2:
            return x
    return None
print(early([1, 5, 3]), early([]))
def rec_closure(n):
    def helper(k):
        return 0 if k == 0 else k + helper(k - 1)
    return helper(n)
print(rec_closure(10))
def shadow():
    x = 1
    def g():
        return [x for _ in range(2)]
    return g()
print(shadow())
