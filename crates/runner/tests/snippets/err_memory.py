# kplay: --for 1s
s = 'x' * 10**10
