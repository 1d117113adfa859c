try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e, type(e).__name__, e.args)
try:
    [][1]
except (KeyError, IndexError) as e:
    print("lookup", e)
try:
    {}["missing"]
except LookupError as e:
    print("KeyError str:", e, repr(e))
try:
    int("abc")
except ValueError as e:
    print(e)
else:
    print("no")
finally:
    print("finally runs")
def f():
    try:
        return "from try"
    finally:
        print("cleanup")
print(f())
class MyError(Exception):
    pass
class Sub(MyError):
    """docstring"""
try:
    raise Sub("custom message")
except MyError as e:
    print(type(e).__name__, e, isinstance(e, Exception), isinstance(e, MyError))
try:
    try:
        raise ValueError("inner")
    except ValueError:
        raise RuntimeError("outer") from None
except RuntimeError as e:
    print(e)
try:
    try:
        raise KeyError("k")
    except KeyError:
        print("re-raising")
        raise
except KeyError as e:
    print("got", repr(e))
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("fin", i)
def g():
    for i in range(5):
        try:
            if i == 2:
                break
        finally:
            print("g fin", i)
    return i
print(g())
try:
    assert 1 == 2, "math is broken"
except AssertionError as e:
    print("assert:", e)
try:
    raise TypeError
except TypeError as e:
    print(repr(e), str(e) == "")
try:
    undefined_name
except NameError as e:
    print(e)
try:
    None.attr
except AttributeError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    len(5)
except Exception as e:
    print(e)
e2 = ValueError("a", 2)
print(e2, e2.args, repr(e2))
try:
    raise Exception("bare")
except:
    print("bare except")
x = 0
try:
    x = 1
except Exception:
    x = 2
else:
    x += 10
print(x)
print(int.__name__, ValueError.__name__)
def h():
    raise ValueError("from h")
try:
    h()
except ValueError as e:
    print("h:", e)
raise KeyError("final")
