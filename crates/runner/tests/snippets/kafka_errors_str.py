# kafka.errors: str(e) starts with the class name (KafkaError.__str__); the hierarchy of 3.0.12.
# kplay: --for 1s
from kafka import KafkaConsumer
from kafka.errors import KafkaError, IllegalStateError, RetriableError, KafkaTimeoutError

consumer = KafkaConsumer('t')
try:
    consumer.commit()
except KafkaError as e:
    print(type(e).__name__, '|', e)
try:
    raise KafkaTimeoutError('slow')
except RetriableError:
    print('KafkaTimeoutError is a RetriableError')
try:
    raise KafkaError('boom')
except RuntimeError:
    print('KafkaError is a RuntimeError (wrong for 3.0.12)')
except Exception:
    print('KafkaError is an Exception, not a RuntimeError')
