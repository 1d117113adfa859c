# A misspelled auto_offset_reset: kafka-python warns and uses no reset policy, so a new group
# fails at its first fetch with NoOffsetForPartitionError.
# kplay: --for 10s --partitions 1
from kafka import KafkaConsumer
consumer = KafkaConsumer('t', group_id='g', auto_offset_reset='earlist')
for m in consumer:
    print(m)
