x = 1
y = 2.5
s = "hello"
print(x, y, s)
print(x + y, x * 3, 7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 / 2, 2 ** 10, 2 ** -1)
print(True, False, None, not x, x and y, 0 or "default")
a, b = 1, 2
a, b = b, a
print(a, b)
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abc"
print(init, last)
(p, q), r = (1, 2), 3
print(p, q, r)
n = 10
n += 5
n -= 3
n *= 2
n //= 5
n **= 2
print(n)
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 == 2, 1 == 1.0, "a" < "b")
print(1 if x else 2, "yes" if not x else "no")
print(0.1 + 0.2, 1e16, 1.5e-7, -0.0, 1e22, 123456789.123, 1/3, 2.0, 100.0, 1e-5, 0.0001)
print(10 ** 18, -2 ** 62, abs(-5), abs(-2.5))
print(int("42"), int("-7"), int(" 12 "), int("ff", 16), int("0x1f", 0), int(3.9), int(-3.9), float("1.5"), float("inf"), str(12), bool(0), bool([1]))
print(round(2.5), round(3.5), round(-2.5), round(2.675, 2), round(0.125, 2), round(1234, -2), round(1.5), round(7))
print(divmod(7, 2), divmod(-7, 2), pow(2, 10), pow(3, 4, 5), hex(255), oct(8), bin(5), ord("a"), chr(65))
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 2 ** 0.5)
print(1 << 10, 1024 >> 3, 6 & 3, 6 | 3, 6 ^ 3, ~5)
print(type(1).__name__, type("s").__name__, type([]).__name__, type(None).__name__, type(1.0).__name__, type({}).__name__)
print(isinstance(1, int), isinstance(True, int), isinstance(1, (str, float)), isinstance("x", str))
