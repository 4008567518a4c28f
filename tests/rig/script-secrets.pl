#!/usr/bin/perl
# tests/rig/script-secrets.pl [FILE...] — the secret values iPXE script text sets: the value of
# every `set [SCOPE/]password[:TYPE] VALUE` and `set [SCOPE/]reverse-password[:TYPE] VALUE`
# (quotes removed; values holding ${...} skipped: they are references, not secrets), one per
# line.  The hosted and QEMU test libraries look for them in wireboot's output.
while (<>) {
	while (/(?:^|[\s;&|])set\s+(?:--\s+)?(?:[\w.-]+\/)?(?:reverse-)?password(?::\w+)?\s+("[^"]*"|'[^']*'|[^\s;&|]+)/g) {
		my $v = $1;
		$v =~ s/^(["'])(.*)\1$/$2/;
		print "$v\n" unless $v =~ /\$\{/;
	}
}
