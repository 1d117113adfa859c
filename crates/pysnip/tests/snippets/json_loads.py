import json
print(json.loads('{"a": 1, "b": [true, false, null], "c": 1.5, "d": "x\\u00e9\\ud83d\\ude00\\n", "e": -0.5e3, "f": {}}'))
print(json.loads(b'{"user_id": 456}'), json.loads("[]"), json.loads(" 42 "), json.loads('"s"'), json.loads("1E2"), json.loads("NaN"))
v = json.loads(json.dumps({"t": "123abc", "amount": 5000}).encode("utf-8").decode("utf-8"))
print(v["t"], v["amount"] * 2)
bad = ['', '{', '{"a" 1}', '{"a": 1,}', '[1, 2', '[1 2]', '{"a": 1} x', "{'a': 1}", '"unterminated', '[1, tru]', '"bad \\q escape"', '\n\n  [1,\n  2,,]', '"ctl \x01"', '{"a":1}{"b":2}']
for b in bad:
    try:
        json.loads(b)
        print("parsed?!", repr(b))
    except json.JSONDecodeError as e:
        print("JSONDecodeError:", e)
try:
    json.loads("{")
except ValueError as e:
    print("as ValueError:", type(e).__name__, e)
try:
    json.loads(5)
except TypeError as e:
    print(e)
json.loads('{"a": }')
