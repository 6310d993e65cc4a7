# The native build: the core C sources of the wasm build (src/c/*.c, not src/c/lab/),
# unchanged, as two static libraries with src/c/actq.h as their header:
#   build/native/libactq.a         the SIMD source through SIMDe's wasm SIMD128 intrinsics
#                                  (simde/wasm/simd128.h; x86-64: SSE4.1, aarch64: NEON)
#   build/native/libactq-scalar.a  the scalar build
# Both give the wasm builds' bits (tests/native.test.js). Targets:
#   make -f native.mk            the two libraries
#   make -f native.mk examples   examples/c/*.c, linked against libactq.a
#   make -f native.mk driver     tests/native/driver.c against each library (for the tests)
#   make -f native.mk fuzz       the libFuzzer harnesses fuzz/*.c (clang, ASan + UBSan)
#   make -f native.mk fuzz-coverage  line coverage of src/c reached by the fuzz corpora
#   make -f native.mk clean
# Missing tools (clang, Debian's libsimde-dev, libFuzzer's runtime) are installed with
# apt-get when run as root; otherwise the build stops and prints the command.

NATIVE_CC ?= clang
AR := ar
NM := nm
OBJCOPY := objcopy
# TARGET=aarch64-linux-gnu: cross-build with clang into build/native-aarch64 (static
# binaries; tests/native.test.js runs them under qemu-aarch64 with ACTQ_NATIVE_TARGET=aarch64)
TARGET ?=
ifeq ($(TARGET),)
B := build/native
ARCH := $(shell uname -m)
else
ARCH := $(firstword $(subst -, ,$(TARGET)))
B := build/native-$(ARCH)
CROSS := --target=$(TARGET)
LDFLAGS := -static
AR := $(TARGET)-ar
endif

SOURCES := $(wildcard src/c/*.c)
HEADERS := $(wildcard src/c/*.h) src/c/actq.h
NAMES := $(notdir $(SOURCES:.c=))

# -ffp-contract=off as in the wasm build: no fused multiply-add, which would round once
# where wasm rounds twice (it changes bits wherever an FMA unit exists).
CFLAGS_COMMON := -O2 -std=c11 -Wall -Wextra -Werror -ffp-contract=off -fno-math-errno -Isrc/c $(CROSS)
ifeq ($(ARCH),x86_64)
CFLAGS_SIMD := -DACTQ_SIMDE -msse4.1
else
CFLAGS_SIMD := -DACTQ_SIMDE
endif
CFLAGS_SCALAR :=

# The fuzz build: the same sources with coverage, ASan and UBSan (any UB aborts).
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS_FUZZ := -O1 -g -std=c11 -Wall -Wextra -Werror -ffp-contract=off -fno-math-errno -Isrc/c $(FUZZ_SAN)
HARNESSES := $(notdir $(basename $(wildcard fuzz/*.c)))
EXAMPLES := $(notdir $(basename $(wildcard examples/c/*.c)))

all: $(B)/libactq.a $(B)/libactq-scalar.a

# ---- tools ---------------------------------------------------------------------------------
# $(call need,TEST,PACKAGES,WHAT): when TEST fails, install PACKAGES (root) or print how.
need = if ! ( $(1) ) >/dev/null 2>&1; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "native.mk: $(3) is missing; installing Debian's $(2) (apt-get)"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null || exit 1; \
    ( $(1) ) >/dev/null 2>&1 || { echo "native.mk: $(3) is still missing after installing $(2)"; exit 1; }; \
  else \
    printf 'native.mk: %s is missing. Install it with:\n  sudo apt-get update && sudo apt-get install -y %s\n' "$(3)" "$(2)"; \
    exit 1; \
  fi; \
fi

$(B)/.tools: native.mk | $(B)
	@$(call need,command -v $(NATIVE_CC),clang,$(NATIVE_CC))
	@$(if $(TARGET),$(call need,command -v $(TARGET)-gcc,gcc-$(TARGET),the $(TARGET) sysroot ($(TARGET)-gcc)))
	@$(call need,echo '#include <simde/wasm/simd128.h>' | $(NATIVE_CC) $(CFLAGS_SIMD) -x c -fsyntax-only -,libsimde-dev,SIMDe (simde/wasm/simd128.h))
	@touch $@

FUZZ_PROBE := echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
  | $(NATIVE_CC) -x c -fsanitize=fuzzer,address,undefined - -o $(B)/.fuzz-probe
$(B)/.fuzz-tools: native.mk | $(B)/.tools
	@$(call need,$(FUZZ_PROBE),libclang-rt-dev,libFuzzer ($(NATIVE_CC) -fsanitize=fuzzer))
	@rm -f $(B)/.fuzz-probe
	@touch $@

# ---- the libraries -------------------------------------------------------------------------
$(B)/simd/%.o: src/c/%.c $(HEADERS) native.mk | $(B)/.tools
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CFLAGS_COMMON) $(CFLAGS_SIMD) -c $< -o $@
$(B)/scalar/%.o: src/c/%.c $(HEADERS) native.mk | $(B)/.tools
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CFLAGS_COMMON) $(CFLAGS_SCALAR) -c $< -o $@

$(B)/libactq.a: $(NAMES:%=$(B)/simd/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(B)/libactq-scalar.a: $(NAMES:%=$(B)/scalar/%.o)
	rm -f $@ && $(AR) rcs $@ $^

# ---- examples and the test driver -----------------------------------------------------------
examples: $(EXAMPLES:%=$(B)/examples/%)
$(B)/examples/%: examples/c/%.c $(B)/libactq.a
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CFLAGS_COMMON) $< $(B)/libactq.a $(LDFLAGS) -lm -o $@

driver: $(B)/driver-simd $(B)/driver-scalar
$(B)/driver-simd: tests/native/driver.c src/c/actq.h $(B)/libactq.a
	$(NATIVE_CC) $(CFLAGS_COMMON) $< $(B)/libactq.a $(LDFLAGS) -lm -o $@
$(B)/driver-scalar: tests/native/driver.c src/c/actq.h $(B)/libactq-scalar.a
	$(NATIVE_CC) $(CFLAGS_COMMON) $< $(B)/libactq-scalar.a $(LDFLAGS) -lm -o $@

# ---- fuzzing ---------------------------------------------------------------------------------
# Each harness links both builds: SIMD as is, scalar with every symbol it defines renamed
# scalar_* (objcopy --redefine-syms), so one process compares them (fuzz/fuzz.h).
fuzz: $(HARNESSES:%=$(B)/fuzz/%)

$(B)/fuzz/simd/%.o: src/c/%.c $(HEADERS) native.mk | $(B)/.fuzz-tools
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CFLAGS_FUZZ) -fsanitize=fuzzer-no-link $(CFLAGS_SIMD) -c $< -o $@
$(B)/fuzz/scalar/%.o: src/c/%.c $(HEADERS) native.mk | $(B)/.fuzz-tools
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CFLAGS_FUZZ) -fsanitize=fuzzer-no-link $(CFLAGS_SCALAR) -c $< -o $@

$(B)/fuzz/libactq.a: $(NAMES:%=$(B)/fuzz/simd/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(B)/fuzz/libactq-scalar.a: $(NAMES:%=$(B)/fuzz/scalar/%.o)
	rm -f $@.tmp.a && $(AR) rcs $@.tmp.a $^
	$(NM) -g --defined-only $@.tmp.a | awk 'NF == 3 { print $$3 " scalar_" $$3 }' | sort -u > $@.syms
	$(OBJCOPY) --redefine-syms=$@.syms $@.tmp.a $@
	rm -f $@.tmp.a

$(B)/fuzz/%: fuzz/%.c fuzz/fuzz.h $(B)/fuzz/libactq.a $(B)/fuzz/libactq-scalar.a
	$(NATIVE_CC) $(CFLAGS_FUZZ) -fsanitize=fuzzer $< $(B)/fuzz/libactq.a $(B)/fuzz/libactq-scalar.a -lm -o $@

# Line coverage of src/c reached by the fuzz corpora (committed seeds, regressions and what
# the runs added): the harnesses rebuilt with clang's source coverage, each run once over its
# corpus, the profiles merged. Report: build/native/fuzz/coverage.txt.
CFLAGS_COV := -O1 -g -std=c11 -ffp-contract=off -fno-math-errno -Isrc/c -fprofile-instr-generate -fcoverage-mapping
fuzz-coverage: $(HARNESSES:%=$(B)/cov/%) | $(B)/.fuzz-tools
	@rm -f $(B)/cov/*.profraw
	@for h in $(HARNESSES); do mkdir -p $(B)/fuzz/corpus/$$h; \
	  LLVM_PROFILE_FILE=$(B)/cov/$$h.profraw $(B)/cov/$$h -runs=0 $(B)/fuzz/corpus/$$h fuzz/corpus/$$h \
	    $$(test -d fuzz/regressions/$$h && echo fuzz/regressions/$$h) >/dev/null 2>&1 || exit 1; done
	@llvm-profdata merge -sparse $(B)/cov/*.profraw -o $(B)/cov/all.profdata
	@llvm-cov report $(B)/cov/$(firstword $(HARNESSES)) $(foreach h,$(wordlist 2,99,$(HARNESSES)),-object $(B)/cov/$(h)) \
	  -instr-profile=$(B)/cov/all.profdata \
	  $(filter-out src/c/registry.c,$(SOURCES)) src/c/vmath.h src/c/simd.h src/c/simd_codes.h | tee $(B)/fuzz/coverage.txt
$(B)/cov/simd/%.o: src/c/%.c $(HEADERS) native.mk | $(B)/.fuzz-tools
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CFLAGS_COV) $(CFLAGS_SIMD) -c $< -o $@
$(B)/cov/scalar/%.o: src/c/%.c $(HEADERS) native.mk | $(B)/.fuzz-tools
	@mkdir -p $(@D)
	$(NATIVE_CC) $(CFLAGS_COV) -c $< -o $@
$(B)/cov/libactq.a: $(NAMES:%=$(B)/cov/simd/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(B)/cov/libactq-scalar.a: $(NAMES:%=$(B)/cov/scalar/%.o)
	rm -f $@.tmp.a && $(AR) rcs $@.tmp.a $^
	$(NM) -g --defined-only $@.tmp.a | awk 'NF == 3 { print $$3 " scalar_" $$3 }' | sort -u > $@.syms
	$(OBJCOPY) --redefine-syms=$@.syms $@.tmp.a $@
	rm -f $@.tmp.a
$(B)/cov/%: fuzz/%.c fuzz/fuzz.h $(B)/cov/libactq.a $(B)/cov/libactq-scalar.a
	$(NATIVE_CC) $(CFLAGS_COV) -fsanitize=fuzzer $< $(B)/cov/libactq.a $(B)/cov/libactq-scalar.a -lm -o $@

$(B):
	mkdir -p $@

clean:
	rm -rf $(B)

.PHONY: all examples driver fuzz fuzz-coverage clean
.SECONDARY:
