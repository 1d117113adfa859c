import sys
print(__name__)
if __name__ == "__main__":
    print("main guard works")
sys.stdout.write("written\n")
sys.stdout.flush()
def main():
    for i in range(3):
        if i == 2:
            sys.exit(0)
        print(i)
try:
    sys.exit(3)
except SystemExit as e:
    print("caught exit", e.args)
try:
    main()
finally:
    print("cleanup")
print("not reached")
