# A loop that never waits is stopped by the runner.
# kplay: --for 60s
print('start')
while True:
    pass
