# kplay: --for 1s
def f(n):
    return f(n + 1)

f(0)
