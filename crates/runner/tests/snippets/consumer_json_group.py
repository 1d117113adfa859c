# kafka-python README: a consumer in a group with a JSON deserializer, fed by a producer.
# kplay: --for 20s --start producer.py=5s
# === consumer.py ===
from kafka import KafkaConsumer
import json

consumer = KafkaConsumer(
    'orders',
    group_id='billing',
    value_deserializer=lambda m: json.loads(m.decode('ascii')),
)
for message in consumer:
    print("%s:%d:%d: key=%s value=%s" % (message.topic, message.partition,
                                          message.offset, message.key, message.value))
# === producer.py ===
from kafka import KafkaProducer
import json

producer = KafkaProducer(value_serializer=lambda m: json.dumps(m).encode('ascii'))
for i in range(4):
    producer.send('orders', key=str(i).encode(), value={'order': i})
producer.flush()
