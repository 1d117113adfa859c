# kafka-python README: send with headers and a timestamp; a consumer reads them back.
# kplay: --for 10s --partitions 1
from kafka import KafkaProducer, KafkaConsumer

producer = KafkaProducer()
producer.send('events', value=b'clicked', headers=[('source', b'web'), ('v', b'2')], timestamp_ms=1000)
producer.send('events', key=b'k', value=None)
producer.flush()

consumer = KafkaConsumer('events', auto_offset_reset='earliest', consumer_timeout_ms=2000)
for m in consumer:
    print(m.offset, m.key, m.value, m.headers, m.timestamp)
print('done')
