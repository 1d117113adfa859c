import json
data = {"transaction_id": "123abc", "user_id": 456, "amount": 5000.5, "ok": True, "none": None, "tags": ["a", "b"], "nested": {"x": [1, {"y": []}], "e": {}}}
print(json.dumps(data))
print(json.dumps(data, indent=2))
print(json.dumps(data, indent=4, sort_keys=True))
print(json.dumps(data, separators=(",", ":")))
print(json.dumps([0.1, 1e16, 1.5e-7, -0.0, 1e22, 3.0, 123456789012345678, -9223372036854775807, 2.5e-5, 1e-4, 0.0001234]))
print(json.dumps(["héllo", "日本", "emoji 😀", "quote\" back\\ slash / tab\t nl\n cr\r bell\x07 del\x7f"]))
print(json.dumps(["héllo", "日本", "emoji 😀", "ctl\x01"], ensure_ascii=False))
print(json.dumps({1: "int key", 2.5: "float key", True: "bool", None: "none"}))
print(json.dumps(float("nan")), json.dumps(float("inf")), json.dumps(-float("inf")))
print(json.dumps((1, 2)), json.dumps("s"), json.dumps(None), json.dumps([]), json.dumps({}), json.dumps([[]], indent=2))
print(json.dumps({"a": [1, 2], "b": {"c": None}}, indent="\t"))
print(json.dumps([1, [2, [3]]], indent=0))
print(json.dumps({"b": 1, "a": {"d": 2, "c": 3}}, sort_keys=True, separators=(",", ": ")))
print(json.dumps({"k": "v"}).encode("utf-8"))
try:
    json.dumps({"b": b"bytes"})
except TypeError as e:
    print("TypeError:", e)
try:
    json.dumps({(1, 2): 3})
except TypeError as e:
    print("TypeError:", e)
try:
    json.dumps({1, 2})
except TypeError as e:
    print("TypeError:", e)
print(json.dumps({"b": b"x"}, default=lambda o: o.decode()))
