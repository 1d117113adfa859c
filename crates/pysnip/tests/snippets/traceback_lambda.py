import json
def deserialize(m):
    return json.loads(m.decode("utf-8"))
handler = lambda raw: deserialize(raw)["missing"]
print(handler(b'{"present": 1}'))
