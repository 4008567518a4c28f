# wireboot — GNU make build.
#   make            build/host/wireboot, build/efi-aa64/wireboot.efi, build/efi-x64/wireboot.efi
#   make check      all tests (installs what they need on Debian 12)
#   make demo       U-Boot arm64 in QEMU: wireboot SAN-boots a diskless Linux to a shell (root on iSCSI)
#   make bench      TCP receive (vs the kernel), HTTPS, TFTP and FTP (vs curl), HTTPS per TLS suite on U-Boot arm64, NFS (vs nfs-cp), SAN read and boot storm (vs libiscsi) throughput, SAN boot and loss, into docs/benchmarks.md
#   make fuzz       long fuzz runs
#   make install    PREFIX=/usr/local DESTDIR=: bin/wireboot, share/wireboot/{aa64,x64}/wireboot.efi, wireboot(1), bash completion
# Knobs: EMBED=script.ipxe  TRUST=a.pem,b.pem  CODESIGN_TRUST=cs.pem  CERT=chain.pem PRIVKEY=key.pem  V=1  FUZZ_SECONDS=N

ifeq ($(V),1)
Q :=
else
Q := @
endif

DEPS     := build/deps
LWIPDIR  := $(DEPS)/lwip/src
BEARDIR  := $(DEPS)/bearssl
ZLIBDIR  := $(DEPS)/zlib
# (zlib's version is 1:1.2.13.dfsg-1: the stamp has its epoch colon as '_')
DEPSTAMP := $(DEPS)/lwip/.stamp-2.1.3+dfsg1-2 $(DEPS)/bearssl/.stamp-0.6+dfsg.1-3 \
	$(DEPS)/zlib/.stamp-1_1.2.13.dfsg-1

CLANG    ?= clang
LLD_LINK ?= lld-link
AR       := llvm-ar
PYTHON   ?= python3

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
# zlib without its libc-dependent parts (Z_SOLO: no gz* file functions, no default
# allocator: src/img/gzip.c passes plat_malloc/plat_free), its symbols prefixed z_
# (Z_PREFIX) so they never meet another zlib; the same macros for its sources and ours.
ZLIB_DEFS := -DZ_SOLO -DZ_PREFIX
INCS     := -Isrc -Isrc/net/port -I$(LWIPDIR)/include -I$(BEARDIR)/inc -I$(ZLIBDIR) $(ZLIB_DEFS)

# The build's date (Unix seconds): NTP refuses a time before it.  Reproducible:
# SOURCE_DATE_EPOCH if set, else the last commit's date, else now.
# (Objects are not rebuilt when only the date changes: an older date is a weaker check.)
WB_BUILD_EPOCH ?= $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),$(shell date +%s))
WB_BUILD_EPOCH := $(WB_BUILD_EPOCH)
BUILD_DEFS := -DWB_BUILD_EPOCH=$(WB_BUILD_EPOCH)LL

# Our sources
CORE_SRC := $(sort $(wildcard src/core/*.c src/net/*.c src/proto/*.c src/disk/*.c src/san/*.c src/tls/*.c src/img/*.c src/script/*.c src/app/*.c))
# the hosted CLI: src/cli (the subcommands; ISO C only, no Linux headers) over the
# Linux platform src/platform/host (hostcli.h: what the subcommands need from Linux)
HOST_SRC := $(sort $(wildcard src/platform/host/*.c src/cli/*.c))
EFI_SRC  := $(sort $(wildcard src/platform/efi/*.c src/libc/*.c))
HOST_MAIN := src/cli/main.c
HOST_LIB_SRC := $(filter-out $(HOST_MAIN),$(HOST_SRC))

# lwIP: core, IPv4 (DHCP/AutoIP/IGMP are ours or unused), Ethernet
LWIP_SRC := $(addprefix $(LWIPDIR)/core/,init.c def.c dns.c inet_chksum.c ip.c mem.c memp.c \
	netif.c pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
	$(addprefix $(LWIPDIR)/core/ipv4/,etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c) \
	$(LWIPDIR)/netif/ethernet.c
# zlib: the inflate side only (no deflate, no gz* file functions)
ZLIB_SRC := $(addprefix $(ZLIBDIR)/,inflate.c inftrees.c inffast.c adler32.c crc32.c zutil.c)
BEAR_SRC = $(sort $(shell find $(BEARDIR)/src -name '*.c' 2>/dev/null))

# Embedded script (EMBED=) becomes a C array
EMBED ?=
EMBED_SRC := $(EMBED)

TARGETS := build/host/wireboot build/efi-aa64/wireboot.efi build/efi-x64/wireboot.efi
all: $(TARGETS)

# the build set only (compiler, linker, the three source packages); check/demo/bench
# run `make deps` for the test and demo set.  One deps.sh run makes every stamp: a
# grouped target (&:, GNU make 4.3), or `make -jN` on a fresh clone starts one deps.sh
# per stamp at once and they race in build/deps/
$(DEPSTAMP) &:
	./scripts/deps.sh --build

# On a fresh clone the lwIP, BearSSL and zlib sources appear only when deps.sh has run, after
# make has already decided which objects it can build.  make remakes an included file
# first and then reads this Makefile again: through build/deps.mk, deps.sh runs before
# any rule is chosen, so a plain first `make` (or any build target) works.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include build/deps.mk
endif
build/deps.mk: $(DEPSTAMP)
	@mkdir -p build
	@echo "# the dependency sources are in place (see the Makefile)" > $@

# ---------------------------------------------------------------- per-target
# $(1)=dir $(2)=cflags for ours $(3)=cflags for third-party
define objs
$(patsubst %.c,$(1)/obj/%.o,$(subst $(DEPS)/,deps/,$(2)))
endef

HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(INCS) $(BUILD_DEFS) -DWB_PLATFORM_HOST=1
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

EFI_COMMON := -ffreestanding -fno-ms-compatibility -fno-ms-extensions -fshort-wchar \
	-fno-stack-protector -fno-stack-check -mno-stack-arg-probe -nostdlibinc \
	-fno-asynchronous-unwind-tables -Os -ffunction-sections -fdata-sections \
	-std=c11 -Isrc/libc $(INCS) $(BUILD_DEFS) -DWB_PLATFORM_EFI=1
EFI_AA64_CFLAGS := --target=aarch64-unknown-windows $(EFI_COMMON) -DBR_64=1
EFI_X64_CFLAGS  := --target=x86_64-unknown-windows -mno-red-zone -mgeneral-regs-only $(EFI_COMMON) \
	-DBR_AES_X86NI=0 -DBR_SSE2=0 -DBR_RDRAND=0
BEAR_DEFS := -DBR_USE_WIN32_RAND=0 -DBR_USE_WIN32_TIME=0 -DBR_USE_URANDOM=0 -DBR_USE_UNIX_TIME=0

# Generic compile rules: our code with warnings as errors, deps without.
# (regenerated when EMBED= changes, through build/embed.stamp)
build/%/embed.c: $(EMBED_SRC) scripts/embed.py build/embed.stamp
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) scripts/embed.py $(EMBED_SRC) > $@.tmp && mv $@.tmp $@
build/embed.stamp: FORCE
	@mkdir -p build
	@echo "$(EMBED)" | cmp -s - $@ || echo "$(EMBED)" > $@
FORCE:

# Built-in trust anchors and client credentials (TRUST=a.pem,b.pem CERT=chain.pem
# PRIVKEY=key.pem) become build/<target>/trust.c through tools/trustconv, a host
# program (BearSSL + src/tls/pem.c); regenerated when the knobs change
# (build/trust.stamp).  Without TRUST= the build says so: no server is trusted.
# CODESIGN_TRUST=a.pem,b.pem: the anchors imgverify trusts instead of TRUST='s.
TRUST   ?=
CODESIGN_TRUST ?=
CERT    ?=
PRIVKEY ?=
comma := ,
TRUST_INPUTS := $(subst $(comma), ,$(TRUST) $(CODESIGN_TRUST) $(CERT)) $(PRIVKEY)
build/tools/trustconv: tools/trustconv.c src/tls/pem.c src/tls/x509_info.c src/tls/pem.h src/tls/x509_info.h build/host/libbearssl.a
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) -std=c11 -O1 -Isrc -I$(BEARDIR)/inc $(WARN) -o $@ tools/trustconv.c src/tls/pem.c src/tls/x509_info.c build/host/libbearssl.a
build/%/trust.c: build/tools/trustconv build/trust.stamp $(TRUST_INPUTS)
	@mkdir -p $(dir $@)
	$(Q)build/tools/trustconv -o $@.tmp $(if $(TRUST),-t $(TRUST)) $(if $(CODESIGN_TRUST),-s $(CODESIGN_TRUST)) $(if $(CERT),-c $(CERT)) $(if $(PRIVKEY),-k $(PRIVKEY)) && mv $@.tmp $@
build/trust.stamp: FORCE
	@mkdir -p build
	@echo "$(TRUST)|$(CERT)|$(PRIVKEY)|$(CODESIGN_TRUST)" | cmp -s - $@ || echo "$(TRUST)|$(CERT)|$(PRIVKEY)|$(CODESIGN_TRUST)" > $@

# ---- host
HOST_OBJ := $(patsubst %.c,build/host/obj/%.o,$(CORE_SRC) $(HOST_SRC) build/host/embed.c build/host/trust.c)
HOST_LWIP_OBJ := $(patsubst $(DEPS)/%.c,build/host/deps/%.o,$(LWIP_SRC) $(ZLIB_SRC))
build/host/obj/%.o: %.c $(DEPSTAMP)
	@mkdir -p $(dir $@); $(if $(Q),echo "  CC[host]  $<")
	$(Q)$(CLANG) $(HOST_CFLAGS) $(WARN) -MMD -MP -c $< -o $@
build/host/obj/build/host/embed.o: build/host/embed.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(HOST_CFLAGS) $(WARN) -c $< -o $@
build/host/deps/%.o: $(DEPS)/%.c $(DEPSTAMP)
	@mkdir -p $(dir $@); $(if $(Q),echo "  CC[host]  $<")
	$(Q)$(CLANG) $(HOST_CFLAGS) -w -c $< -o $@
build/host/wireboot: $(HOST_OBJ) $(HOST_LWIP_OBJ) build/host/libbearssl.a
	$(Q)$(CLANG) -o $@ $^
	@echo "  LD        $@"

# BearSSL for the hosted builds (no sanitizers: it is not ours, and fast matters
# for the 64 MiB HTTPS tests); a sub-make because its file list exists only
# once deps.sh has run.
HOST_BEAR_CFLAGS := -std=c11 -O2 -g -I$(BEARDIR)/inc -I$(BEARDIR)/src -w
build/hostdeps/%.o: $(DEPS)/%.c $(DEPSTAMP)
	@mkdir -p $(dir $@); $(if $(Q),echo "  CC[host]  $<")
	$(Q)$(CLANG) $(HOST_BEAR_CFLAGS) -c $< -o $@
build/host/libbearssl.a: $(DEPSTAMP)
	$(Q)$(MAKE) --no-print-directory $(patsubst $(DEPS)/%.c,build/hostdeps/%.o,$(BEAR_SRC))
	@mkdir -p $(dir $@)
	$(Q)rm -f $@; $(AR) rcs $@ $(patsubst $(DEPS)/%.c,build/hostdeps/%.o,$(BEAR_SRC))
build/san/libbearssl.a: build/host/libbearssl.a
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# ---- host with sanitizers (unit tests, fuzzers, hosted integration)
SAN_CFLAGS := $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -fsanitize=fuzzer-no-link
SAN_OBJ := $(patsubst %.c,build/san/obj/%.o,$(CORE_SRC) $(HOST_LIB_SRC) build/san/trust.c)
SAN_LWIP_OBJ := $(patsubst $(DEPS)/%.c,build/san/deps/%.o,$(LWIP_SRC) $(ZLIB_SRC))
build/san/obj/%.o: %.c $(DEPSTAMP)
	@mkdir -p $(dir $@); $(if $(Q),echo "  CC[san]   $<")
	$(Q)$(CLANG) $(SAN_CFLAGS) $(WARN) -MMD -MP -c $< -o $@
build/san/deps/%.o: $(DEPS)/%.c $(DEPSTAMP)
	@mkdir -p $(dir $@); $(if $(Q),echo "  CC[san]   $<")
	$(Q)$(CLANG) $(SAN_CFLAGS) -w -c $< -o $@
build/san/libwb.a: $(SAN_OBJ) $(SAN_LWIP_OBJ)
	$(Q)rm -f $@; $(AR) rcs $@ $^
build/san/wireboot: build/san/obj/$(HOST_MAIN:.c=.o) build/san/obj/build/san/embed.o build/san/libwb.a build/san/libbearssl.a
	$(Q)$(CLANG) $(SAN_FLAGS) -o $@ $^
build/san/obj/build/san/embed.o: build/san/embed.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(WARN) -c $< -o $@

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,build/test/%,$(UNIT_SRC))
build/test/%: tests/unit/%.c tests/unit/unit.h build/san/libwb.a build/san/libbearssl.a
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(WARN) -Itests/unit -o $@ $< build/san/libwb.a build/san/libbearssl.a

# the SAN write driver of tests/hosted/san-write.sh (kernel sockets, ASan+UBSan)
build/test/sanio: tests/san/sanio.c build/san/libwb.a build/san/libbearssl.a
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(SAN_CFLAGS) $(WARN) -o $@ $< build/san/libwb.a build/san/libbearssl.a

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
build/fuzz/%: tests/fuzz/%.c build/san/libwb.a build/san/libbearssl.a
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(SAN_CFLAGS) -fsanitize=fuzzer $(WARN) -o $@ $< build/san/libwb.a build/san/libbearssl.a

# ---- EFI (one rule set per architecture)
define efi_target
$(1)_OBJ := $$(patsubst %.c,build/$(1)/obj/%.o,$$(CORE_SRC) $$(EFI_SRC) build/$(1)/embed.c build/$(1)/trust.c)
$(1)_LWIP := $$(patsubst $$(DEPS)/%.c,build/$(1)/deps/%.o,$$(LWIP_SRC) $$(ZLIB_SRC))
build/$(1)/obj/%.o: %.c $$(DEPSTAMP)
	@mkdir -p $$(dir $$@); $$(if $$(Q),echo "  CC[$(1)] $$<")
	$$(Q)$$(CLANG) $(2) $$(WARN) -fno-builtin -MMD -MP -c $$< -o $$@
build/$(1)/obj/build/$(1)/embed.o: build/$(1)/embed.c
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CLANG) $(2) $$(WARN) -c $$< -o $$@
build/$(1)/deps/%.o: $$(DEPS)/%.c $$(DEPSTAMP)
	@mkdir -p $$(dir $$@); $$(if $$(Q),echo "  CC[$(1)] $$<")
	$$(Q)$$(CLANG) $(2) $$(BEAR_DEFS) -I$$(BEARDIR)/src -w -c $$< -o $$@
# (a sub-make: the source list exists only once deps.sh has run)
build/$(1)/libbearssl.a: $$(DEPSTAMP)
	$$(Q)$$(MAKE) --no-print-directory $$(patsubst $$(DEPS)/%.c,build/$(1)/deps/%.o,$$(BEAR_SRC))
	$$(Q)rm -f $$@; $$(AR) rcs $$@ $$(patsubst $$(DEPS)/%.c,build/$(1)/deps/%.o,$$(BEAR_SRC))
build/$(1)/wireboot.efi: $$($(1)_OBJ) $$($(1)_LWIP) build/$(1)/libbearssl.a
	$$(Q)$$(LLD_LINK) -subsystem:efi_application -entry:efi_main -nodefaultlib -machine:$(3) \
		-dynamicbase -opt:ref -debug:none -out:$$@ $$($(1)_OBJ) $$($(1)_LWIP) build/$(1)/libbearssl.a
	@echo "  LD        $$@"
# a tiny EFI application the image tests chain (prints a marker and its load options)
build/$(1)/hello.efi: tests/efi/hello.c src/platform/efi/efi.h
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CLANG) $(2) $$(WARN) -c $$< -o build/$(1)/hello.o
	$$(Q)$$(LLD_LINK) -subsystem:efi_application -entry:efi_main -nodefaultlib -machine:$(3) \
		-dynamicbase -debug:none -out:$$@ build/$(1)/hello.o
endef
$(eval $(call efi_target,efi-aa64,$(EFI_AA64_CFLAGS),arm64))
$(eval $(call efi_target,efi-x64,$(EFI_X64_CFLAGS),x64))
# lwIP's objects depend on our port headers too (LWIP_HOOK_TCP_ISN, TCP_WND live there);
# the *_LWIP lists also hold zlib's objects (the third-party code built per target)
$(HOST_LWIP_OBJ) $(SAN_LWIP_OBJ) $(efi-aa64_LWIP) $(efi-x64_LWIP): src/net/port/lwipopts.h src/net/port/arch/cc.h

# ---------------------------------------------------------------- top-level
deps:
	./scripts/deps.sh

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

check: deps
	$(MAKE) --no-print-directory -j$(JOBS) all build/san/wireboot build/test/sanio $(UNIT_BIN) $(FUZZ_BIN) \
		build/efi-aa64/hello.efi build/efi-x64/hello.efi
	./tests/run-all.sh

demo: deps
	$(MAKE) --no-print-directory -j$(JOBS) all
	./tests/qemu/demo.sh

# one run: every section it writes names the same BENCH_RUN and the commit measured
bench: export BENCH_RUN := $(shell date -u '+%Y-%m-%d %H:%M:%S UTC')
bench: deps
	$(MAKE) --no-print-directory -j$(JOBS) build/host/wireboot
	./tests/bench/tcp-bench.sh
	./tests/bench/rxpath-bench.sh
	./tests/bench/https-bench.sh
	./tests/bench/https-fw-bench.sh
	./tests/bench/tftp-bench.sh
	./tests/bench/ftp-bench.sh
	./tests/bench/nfs-bench.sh
	./tests/bench/san-bench.sh
	./tests/bench/san-http-bench.sh
	./tests/bench/storm-bench.sh
	./tests/bench/boot-bench.sh
	./tests/bench/boot-https-bench.sh
	./tests/bench/loss-bench.sh

fuzz: deps
	$(MAKE) --no-print-directory $(FUZZ_BIN)
	./tests/fuzz/run.sh

clean:
	rm -rf build/host build/hostdeps build/san build/test build/fuzz build/efi-aa64 build/efi-x64 build/embed.stamp build/tools build/trust.stamp

.PHONY: all check demo bench fuzz clean deps FORCE
.SECONDARY:
-include $(shell find build -path build/deps -prune -o -name '*.d' -type f -print 2>/dev/null)

# ---------------------------------------------------------------- version, install
# `wireboot --version`: git describe at build time, a fixed string outside a git
# checkout (a release tarball).  build/version.h is rewritten only when it changes,
# and only main.c includes it (through -include), so nothing else rebuilds
# (src/cli/fetch.c gets it from main.c: cli_version).
# Always a release number first (the firmware tests and the banner read it as one):
# a tag vX.Y.Z gives X.Y.Z[-N-gHASH][-dirty]; untagged, 0.1.0+gHASH[-dirty].
WB_GIT_DESC := $(shell git describe --always --dirty --match 'v[0-9]*' 2>/dev/null)
WB_VERSION_STR := $(if $(WB_GIT_DESC),$(if $(filter v%,$(WB_GIT_DESC)),$(patsubst v%,%,$(WB_GIT_DESC)),0.1.0+g$(WB_GIT_DESC)),0.1.0)
build/version.h: FORCE
	@mkdir -p build
	@echo '#define WB_VERSION "$(WB_VERSION_STR)"' | cmp -s - $@ || \
		echo '#define WB_VERSION "$(WB_VERSION_STR)"' > $@
build/host/obj/$(HOST_MAIN:.c=.o) build/san/obj/$(HOST_MAIN:.c=.o): build/version.h
build/host/obj/$(HOST_MAIN:.c=.o) build/san/obj/$(HOST_MAIN:.c=.o): WARN += -include build/version.h

# make install [PREFIX=/usr/local] [DESTDIR=]: the hosted program, the two EFI
# applications, the manual page (docs/wireboot.1, its one source) and bash completion.
PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install
install: $(TARGETS)
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/wireboot/aa64 \
		$(DESTDIR)$(PREFIX)/share/wireboot/x64 $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	$(INSTALL) -m 755 build/host/wireboot $(DESTDIR)$(PREFIX)/bin/wireboot
	$(INSTALL) -m 644 build/efi-aa64/wireboot.efi $(DESTDIR)$(PREFIX)/share/wireboot/aa64/wireboot.efi
	$(INSTALL) -m 644 build/efi-x64/wireboot.efi $(DESTDIR)$(PREFIX)/share/wireboot/x64/wireboot.efi
	$(INSTALL) -m 644 docs/wireboot.1 $(DESTDIR)$(PREFIX)/share/man/man1/wireboot.1
	$(INSTALL) -m 644 contrib/bash-completion/wireboot \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wireboot
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/wireboot $(DESTDIR)$(PREFIX)/share/wireboot/aa64/wireboot.efi \
		$(DESTDIR)$(PREFIX)/share/wireboot/x64/wireboot.efi \
		$(DESTDIR)$(PREFIX)/share/man/man1/wireboot.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wireboot
	-rmdir $(DESTDIR)$(PREFIX)/share/wireboot/aa64 $(DESTDIR)$(PREFIX)/share/wireboot/x64 \
		$(DESTDIR)$(PREFIX)/share/wireboot 2>/dev/null
.PHONY: install uninstall
# the same version in the banner and ${builtin/version} (src/app/app.c) of every build
WB_APP_OBJ := $(foreach t,host san efi-aa64 efi-x64,build/$(t)/obj/src/app/app.o)
$(WB_APP_OBJ): build/version.h
$(WB_APP_OBJ): WARN += -include build/version.h
