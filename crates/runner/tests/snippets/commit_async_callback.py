# commit_async(callback=...): the callback gets the offsets and None (or the error).
# kplay: --for 15s --partitions 1
from kafka import KafkaProducer, KafkaConsumer

producer = KafkaProducer()
for i in range(3):
    producer.send('t', value=str(i).encode())

def on_commit(offsets, response):
    for tp, om in offsets.items():
        print('committed', tp.topic, tp.partition, om.offset, 'response', response)

consumer = KafkaConsumer('t', group_id='g', auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=3000)
for m in consumer:
    print('got', m.value)
consumer.commit_async(callback=on_commit)
print(consumer.partitions_for_topic('missing'))
