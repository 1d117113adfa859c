# Auto-commit with records batched across polls: a crash loses what was polled, not written.
# kplay: --for 90s --start producer.py=4s --crash sink.py=14s --restart sink.py=16s
# === sink.py ===
from kafka import KafkaConsumer
from playground import process

consumer = KafkaConsumer('t', group_id='sink', enable_auto_commit=True)
batch = []
while True:
    polled = consumer.poll(timeout_ms=500)
    for tp, records in polled.items():
        batch.extend(records)
    if len(batch) >= 15 or (batch and not polled):   # full, or nothing more for now
        for r in batch:
            print('writing', r.value.decode())
            process(r.value)
        batch = []
# === producer.py ===
from kafka import KafkaProducer
import time
producer = KafkaProducer()
for i in range(30):
    producer.send('t', key=str(i % 3).encode(), value=str(i).encode())
    time.sleep(0.5)
