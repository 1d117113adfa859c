# kafka-python methods the playground does not model say so (NotImplementedError); a method
# kafka-python does not have either is an AttributeError, as in Python.
# kplay: --for 2s
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient

consumer = KafkaConsumer(group_id='g')
producer = KafkaProducer()
for call in [
    lambda: consumer.subscribe(pattern='^orders.*'),
    lambda: consumer.offsets_for_times({}),
    lambda: producer.init_transactions(),
    lambda: KafkaAdminClient().delete_topics(['t']),
    lambda: consumer.rewind(),
]:
    try:
        call()
    except Exception as e:
        print(type(e).__name__ + ':', e)
