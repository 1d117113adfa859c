# A misspelled producer config: kafka-python 3.0 raises ValueError with the leftover dict.
# kplay: --for 1s
from kafka import KafkaProducer
producer = KafkaProducer(value_serialiser=None)
