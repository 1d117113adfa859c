# kafka-python README: manual assign, seek, seek_to_beginning/end, position; no group.
# kplay: --for 10s --partitions 2
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

producer = KafkaProducer()
for i in range(6):
    producer.send('t', value=f'v{i}'.encode(), partition=i % 2)

consumer = KafkaConsumer(consumer_timeout_ms=1000)
tp = TopicPartition('t', 0)
consumer.assign([tp])
print(consumer.assignment())
consumer.seek(tp, 1)
print([m.value for m in consumer])
consumer.seek_to_beginning(tp)
print(consumer.position(tp))
consumer.seek_to_end()
print(consumer.position(tp))
print(consumer.end_offsets([tp, TopicPartition('t', 1)]))
print(consumer.partitions_for_topic('t'))
