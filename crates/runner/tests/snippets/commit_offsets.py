# commit() with explicit offsets: the committed offset is the next one to read.
# kplay: --for 15s --partitions 1
from kafka import KafkaProducer, KafkaConsumer, TopicPartition, OffsetAndMetadata

producer = KafkaProducer()
for i in range(10):
    producer.send('t', value=str(i).encode())

consumer = KafkaConsumer('t', group_id='g', enable_auto_commit=False, auto_offset_reset='earliest')
tp = TopicPartition('t', 0)
for message in consumer:
    if message.offset == 4:
        result = consumer.commit({tp: OffsetAndMetadata(message.offset + 1, '', -1)})
        print('commit returned', result)
        break
print('committed', consumer.committed(tp))
print('position', consumer.position(tp))
consumer.close(autocommit=False)
