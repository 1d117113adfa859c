# Commit after process(): a crash re-delivers the message in flight (a duplicate), loses nothing.
# kplay: --for 90s --start producer.py=5s --process-ms 700 --crash consumer.py=9s --restart consumer.py=15s
# === consumer.py ===
from kafka import KafkaConsumer
from playground import process

consumer = KafkaConsumer('t', group_id='g', enable_auto_commit=False)
for message in consumer:
    print('processing', message.value.decode())
    process(message.value)
    consumer.commit()
# === producer.py ===
from kafka import KafkaProducer
import time
producer = KafkaProducer()
for i in range(12):
    producer.send('t', key=str(i % 3).encode(), value=str(i).encode())
    time.sleep(0.5)
