# The two commands of README: "make run" and "make test". Meson does the building; this file
# only installs what is missing and chains the steps.
BUILD ?= build
TESTBUILD ?= build-test
DB ?= nextcall.db

.PHONY: run build test test-unit test-integration deps deps-test format po clean

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

LISTEN ?= 127.0.0.1:8080

# Creates ./nextcall.db with the demo team when it does not exist, then serves it.
run: build
	@[ -f $(DB) ] || $(BUILD)/nextcall --db $(DB) init --demo
	@$(BUILD)/nextcall --db $(DB) init >/dev/null
	@echo "nextcall: http://$(LISTEN)/  (demo logins: elena = head of sales; anna, oleg, mike ="
	@echo "  reps; admin = admin; password demo1234). Stop with Ctrl-C."
	$(BUILD)/nextcall --db $(DB) serve --listen $(LISTEN)

# Every test, built with warnings as errors under AddressSanitizer and UBSan.
test: deps-test
	scripts/test.sh $(TESTBUILD)

# After changing the interface's strings: extracts po/nextcall.pot from the sources and merges
# it into the catalogs (new strings untranslated); tests/i18n fails until both are done.
po: deps
	scripts/po-update.sh

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'src/*.cc' 'tests/*.c')

clean:
	rm -rf $(BUILD) $(TESTBUILD)
