# The README's two commands. Each installs what it needs by itself.
.PHONY: demo test
demo:
	./scripts/demo.sh
test:
	./scripts/test.sh
