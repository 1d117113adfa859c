# consumer_timeout_ms: the for loop ends (StopIteration) after that long without a record.
# kplay: --for 30s --start producer.py=4s
# === consumer.py ===
from kafka import KafkaConsumer
import time

consumer = KafkaConsumer('t', group_id='g', consumer_timeout_ms=5000)
start = time.time()
count = 0
for m in consumer:
    count += 1
print(f'loop ended after {round(time.time() - start)} s with {count} records')
# === producer.py ===
from kafka import KafkaProducer
producer = KafkaProducer()
producer.send('t', b'one')
producer.send('t', b'two')
