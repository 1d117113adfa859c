# A misspelled consumer config: kafka-python raises KafkaConfigurationError (hint added).
# kplay: --for 1s
from kafka import KafkaConsumer
consumer = KafkaConsumer('t', group='analytics')
