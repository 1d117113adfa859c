# commit() needs a group_id (kafka-python 3.0: IllegalStateError).
# kplay: --for 1s
from kafka import KafkaConsumer
consumer = KafkaConsumer('t')
consumer.commit()
