f = str.encode
print(f('ab'))
print(list(map(str.upper, ['a', 'bc'])))
print(str.lower('ABC'), str.strip('  x  '), str.split('a,b', ','))
print(bytes.decode(b'hi'))
print(bytes.decode(b'caf\xc3\xa9', 'utf-8'))
d = {'a': 1}
print(dict.get(d, 'a'), dict.get(d, 'z', 5))
print(list.count([1, 1, 2], 1), tuple.index((3, 4), 4))
print(sorted(['b', 'A', 'c'], key=str.lower))
print(str.encode)
print(dict.fromkeys(['x', 'y'], 0))
print(hasattr(str, 'encode'), hasattr(str, 'nope'))
print(callable(str.upper))
ser = str.encode
print(ser('key-1') + b'!')
print(str.join('-', ['a', 'b']))
print(int.bit_length(255))
try:
    str.upper(1)
except TypeError as e:
    print('TypeError:', e)
try:
    str.upper()
except TypeError as e:
    print('TypeError:', e)
try:
    str.nope
except AttributeError as e:
    print('AttributeError:', e)
