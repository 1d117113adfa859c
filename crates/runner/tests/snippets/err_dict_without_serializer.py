# Without value_serializer the value must be bytes.
# kplay: --for 1s
from kafka import KafkaProducer
producer = KafkaProducer()
producer.send('t', {'a': 1})
