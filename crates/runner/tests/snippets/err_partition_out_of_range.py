# An explicit partition the topic does not have.
# kplay: --for 1s
from kafka import KafkaProducer
producer = KafkaProducer()
producer.send('t', b'x', partition=0)
producer.send('t', b'x', partition=7)
