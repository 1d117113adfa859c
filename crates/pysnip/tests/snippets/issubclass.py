class KafkaError(Exception):
    pass


class CommitFailedError(KafkaError):
    pass


print(issubclass(CommitFailedError, KafkaError), issubclass(KafkaError, CommitFailedError))
print(issubclass(CommitFailedError, Exception), issubclass(KafkaError, BaseException))
print(issubclass(KeyError, LookupError), issubclass(KeyError, (ValueError, IndexError)))
print(issubclass(KeyError, (ValueError, LookupError)), issubclass(ValueError, ()))
print(issubclass(KeyboardInterrupt, Exception), issubclass(KeyboardInterrupt, BaseException))
print(issubclass(bool, int), issubclass(int, bool), issubclass(int, int), issubclass(str, (bytes, str)))
print(issubclass(ValueError, object), issubclass(dict, object), issubclass(list, Exception))
print(issubclass(ValueError, int), issubclass(RecursionError, RuntimeError))
print(issubclass(type(KeyError('k')), LookupError), issubclass(type(3), int))
try:
    issubclass(3, int)
except TypeError as e:
    print('TypeError:', e)
try:
    issubclass(int, 3)
except TypeError as e:
    print('TypeError:', e)
issubclass(ValueError)
