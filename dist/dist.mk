# SPDX-License-Identifier: GPL-2.0
# Installation (FHS; DESTDIR for staging, PREFIX /usr/local by default, /usr
# for a distribution package):
#   make install       segoff-nl, its man page, the BPF object (for
#                      `ip link ... obj` and bpftool; segoff-nl carries its
#                      own copy, the skeleton, and needs no file) and the
#                      systemd unit segoff@.service (segoff-nl up/down)
#   make install-dkms  the module's sources and dkms.conf in
#                      /usr/src/segoff-VERSION, for `dkms install`
# The DKMS tree goes where dkms looks, /usr/src whatever PREFIX is; the
# unit where systemd looks for units of PREFIX. Configuration stays in
# /etc/segoff: up reads it there whatever PREFIX is.

# Also the tool's --version (user/segoff-nl.c); selftests/datapath/install.sh
# checks that the two agree.
VERSION	:= 0.1
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SEGOFF_LIBDIR ?= $(PREFIX)/lib/segoff
UNITDIR	?= $(PREFIX)/lib/systemd/system
DKMSDIR	?= /usr/src/segoff-$(VERSION)
INSTALL	?= install

# What a DKMS build needs: Kbuild descends into kmod/, which includes
# the uapi header and include/segoff/.
DKMS_SRCS := Kbuild kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h) \
	include/uapi/linux/segoff.h $(wildcard include/segoff/*.h)

.PHONY: install install-dkms uninstall

install: $(SEGOFF_NL) $(BPF_OBJ)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -D -m 0755 $(SEGOFF_NL) $(DESTDIR)$(SBINDIR)/segoff-nl
	$(Q)$(INSTALL) -D -m 0644 user/segoff-nl.8 $(DESTDIR)$(MANDIR)/man8/segoff-nl.8
	$(Q)$(INSTALL) -D -m 0644 $(BPF_OBJ) $(DESTDIR)$(SEGOFF_LIBDIR)/segoff.bpf.o
	$(Q)mkdir -p $(DESTDIR)$(UNITDIR)
	$(Q)sed 's|@SBINDIR@|$(SBINDIR)|g' dist/segoff@.service >$(DESTDIR)$(UNITDIR)/segoff@.service
	$(Q)chmod 0644 $(DESTDIR)$(UNITDIR)/segoff@.service

install-dkms:
	$(call msg,INSTALL,$(DESTDIR)$(DKMSDIR))
	$(Q)for f in $(DKMS_SRCS); do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DKMSDIR)/$$f || exit 1; \
	done
	$(Q)sed 's|@VERSION@|$(VERSION)|g' dist/dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf
	$(Q)chmod 0644 $(DESTDIR)$(DKMSDIR)/dkms.conf

uninstall:
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/segoff-nl $(DESTDIR)$(MANDIR)/man8/segoff-nl.8 \
		$(DESTDIR)$(SEGOFF_LIBDIR)/segoff.bpf.o $(DESTDIR)$(UNITDIR)/segoff@.service
	$(Q)rmdir $(DESTDIR)$(SEGOFF_LIBDIR) 2>/dev/null || true
	$(Q)rm -rf $(DESTDIR)$(DKMSDIR)

# The README's picture of the stock data with its cuts, redrawn by
# `make plot` (selftests/datapath/plot.sh checks it is current).
STOCK_SVG := Documentation/stock_cuts.svg
.PHONY: plot
plot: $(SEGOFF_NL)
	$(call msg,PLOT,$(STOCK_SVG))
	$(Q)$(SEGOFF_NL) segment data/stock_000001SZ.txt plot $(STOCK_SVG) >/dev/null
