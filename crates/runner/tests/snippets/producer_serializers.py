# kafka-python README: a producer with key and value serializers; future.get() gives metadata.
# kplay: --for 5s
from kafka import KafkaProducer
import json

producer = KafkaProducer(
    bootstrap_servers='localhost:9092',
    key_serializer=lambda k: k.encode('utf-8'),
    value_serializer=lambda v: json.dumps(v).encode('utf-8'),
)
for user in ['alice', 'bob', 'alice']:
    future = producer.send('transactions', key=user, value={'user': user, 'amount': 10})
    meta = future.get(timeout=10)
    print(meta.topic, meta.partition, meta.offset, meta.serialized_key_size, meta.serialized_value_size)
producer.flush(timeout=5)
producer.close(timeout=5)
print(producer.metrics())
