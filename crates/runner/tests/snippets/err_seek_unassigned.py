# seek() on a partition not assigned, poll() with a bad max_records.
# kplay: --for 1s
from kafka import KafkaConsumer, TopicPartition
consumer = KafkaConsumer('t', group_id='g')
try:
    consumer.seek(TopicPartition('t', 0), 0)
except ValueError as e:
    print('ValueError:', e)
try:
    consumer.poll(max_records=0)
except ValueError as e:
    print('ValueError:', e)
consumer.close()
for m in consumer:
    print('never')
print('iteration of a closed consumer ends')
consumer.poll()
