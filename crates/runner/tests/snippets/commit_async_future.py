# commit_async() returns a kafka.future.Future. The playground's commit completes at once, so the
# future is already resolved (to None on success): callbacks added to it run immediately.
# kplay: --for 15s --partitions 1
from kafka import KafkaProducer, KafkaConsumer, TopicPartition

producer = KafkaProducer()
for i in range(3):
    producer.send('t', value=str(i).encode())

consumer = KafkaConsumer('t', group_id='g', auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=3000)
for m in consumer:
    pass
f = consumer.commit_async()
print(f.is_done, f.succeeded(), f.failed(), f.value, f.exception)
f.add_callback(lambda value, tag: print('callback', value, tag), 'done')
f.add_errback(lambda e: print('errback never runs', e))
print(consumer.committed(TopicPartition('t', 0)))
