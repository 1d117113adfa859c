# kafka-python's TopicPartition (like its other records) is a namedtuple: it sorts and compares
# like a tuple, against records and plain tuples. Expected lines checked with CPython 3 and
# kafka-python 3.0.12.
# kplay: --for 5s --partitions 3
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

tps = [TopicPartition('t', 2), TopicPartition('s', 1), TopicPartition('t', 0)]
print(sorted(tps))
print(TopicPartition('t', 0) < TopicPartition('t', 1), TopicPartition('t', 1) <= ('t', 1))
print(max(tps), min(tps))
print(('a', 5) < TopicPartition('t', 0))

producer = KafkaProducer()
producer.send('t', b'x', partition=0).get()
consumer = KafkaConsumer(consumer_timeout_ms=500)
consumer.assign([TopicPartition('t', 2), TopicPartition('t', 0)])
print(sorted(consumer.assignment()))
