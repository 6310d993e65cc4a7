# The wasm build: one set of C sources, two binaries per module.
#   actq.simd.wasm    -msimd128 (wasm SIMD, 4 lanes)
#   actq.scalar.wasm  the same algorithms on one lane, for runtimes without SIMD
#   lab.simd.wasm, lab.scalar.wasm: the same core plus the lab's training and integer
#     inference kernels (src/c/lab/), loaded by actq/lab only, so `load()` stays small
# Standalone wasm (no JS glue): src/js/loader.js instantiates it. Debian's emcc 3.1.6
# needs NODE_PATH to find its acorn module under this Node.
export NODE_PATH := /usr/share/nodejs$(if $(NODE_PATH),:$(NODE_PATH))

EMCC ?= emcc
OUT := src/js/wasm
SOURCES := $(wildcard src/c/*.c)
LAB_SOURCES := $(SOURCES) $(wildcard src/c/lab/*.c)
HEADERS := $(wildcard src/c/*.h)

# -ffp-contract=off: no fused multiply-add, so both builds round identically.
# -O2, not -O3: -O3's extra inlining and unrolling made the SIMD binary 70 KB (budget 64 KiB)
# for no speed; the loops that must unroll say so with pragmas (activations.c, simd.h).
CFLAGS_COMMON := -O2 -std=c11 -Wall -Wextra -Werror -ffp-contract=off -fno-math-errno
LDFLAGS_COMMON := -sSTANDALONE_WASM --no-entry -sMALLOC=emmalloc -sALLOW_MEMORY_GROWTH=1 \
  -sMAXIMUM_MEMORY=4GB -sINITIAL_MEMORY=4MB -sTOTAL_STACK=64KB -sFILESYSTEM=0
CFLAGS_SIMD := -msimd128
CFLAGS_SCALAR :=

all: $(OUT)/actq.simd.wasm $(OUT)/actq.scalar.wasm $(OUT)/lab.simd.wasm $(OUT)/lab.scalar.wasm

$(OUT)/actq.%.wasm: $(SOURCES) $(HEADERS) emscripten.mk | $(OUT)
	$(EMCC) $(CFLAGS_COMMON) $(CFLAGS_$(shell echo $* | tr a-z A-Z)) $(SOURCES) $(LDFLAGS_COMMON) -o $@

$(OUT)/lab.%.wasm: $(LAB_SOURCES) $(HEADERS) emscripten.mk | $(OUT)
	$(EMCC) $(CFLAGS_COMMON) $(CFLAGS_$(shell echo $* | tr a-z A-Z)) $(LAB_SOURCES) $(LDFLAGS_COMMON) -o $@

$(OUT):
	mkdir -p $@

clean:
	rm -rf $(OUT)

.PHONY: all clean
