# kplay: --for 1s
from kafka import KafkaProducer
producer = KafkaProducer(
print('never')
