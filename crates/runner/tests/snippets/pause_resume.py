# kafka-python: pause() stops fetching from a partition without a rebalance; resume() picks up
# where it stopped. Only TopicPartition namedtuples, and only assigned ones (KeyError otherwise).
# kplay: --for 10s --partitions 2
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

producer = KafkaProducer()
for i in range(6):
    producer.send('t', value=f'v{i}'.encode(), partition=i % 2)

consumer = KafkaConsumer(consumer_timeout_ms=1000, auto_offset_reset='earliest')
p0, p1 = TopicPartition('t', 0), TopicPartition('t', 1)
consumer.assign([p0, p1])
consumer.pause(p0)
print(consumer.paused())
print(sorted((m.partition, m.value) for m in consumer))
print(consumer.position(p0), consumer.position(p1))
consumer.resume(p0)
print(consumer.paused())
print(sorted((m.partition, m.value) for m in consumer))
try:
    consumer.pause(('t', 0))
except TypeError as e:
    print('TypeError:', e)
try:
    consumer.pause(TopicPartition('t', 7))
except KeyError as e:
    print('KeyError:', e)
