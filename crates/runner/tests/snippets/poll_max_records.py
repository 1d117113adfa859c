# poll() returns {TopicPartition: [records]} with at most max_records records; {} on timeout.
# kplay: --for 20s --partitions 1
from kafka import KafkaProducer, KafkaConsumer

producer = KafkaProducer()
for i in range(7):
    producer.send('t', value=f'v{i}'.encode())

consumer = KafkaConsumer('t', group_id='g', auto_offset_reset='earliest')
while True:
    batch = consumer.poll(timeout_ms=5000, max_records=3)
    if not batch:
        print('empty poll')
        break
    for tp, records in batch.items():
        print(tp.topic, tp.partition, [r.value for r in records])
consumer.commit()
print(consumer.committed(list(consumer.assignment())[0]))
consumer.close()
