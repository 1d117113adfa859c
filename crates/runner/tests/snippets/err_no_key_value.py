# send() with neither key nor value.
# kplay: --for 1s
from kafka import KafkaProducer
producer = KafkaProducer()
producer.send('t')
