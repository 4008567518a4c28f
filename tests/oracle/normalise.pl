#!/usr/bin/perl
# tests/oracle/normalise.pl ipxe|wireboot NAME STATUS < console-output
#
# Turns one program's console output into the comparable form kept in NAME.expected
# (see README.md):
#   - ipxe: everything up to and including the banner's "Features: ..." line is dropped;
#     wireboot: its start-up lines ("wireboot ...", "entropy: ...", "network: no
#     interfaces found", "tcp-window: ...") while they lead the output.
#   - CR LF becomes LF; lines that draw a menu are dropped (iPXE: those that move
#     the cursor, ESC [ row ; col H; wireboot: those that end in ESC [ K) — the menus
#     look different by design, what `choose` returns is compared; then ANSI escape
#     sequences (ESC [ ... letter) are removed; a line that still holds a CR or a
#     backspace is rendered as a terminal shows it, trailing blanks dropped (iPXE's
#     prompt erases its text with backspaces, wireboot's with CR and blanks).
#   - An error line is prefixed "! ": for iPXE a line naming an error page
#     "(https://ipxe.org/...)", "X: command not found", "Could not ...", an argument
#     error ('"TEXT": invalid integer value', 'Option "x" requires an argument',
#     'Unrecognised option "--x"', "No default ...") and the lines of a "Usage:" block
#     (up to its "See https://ipxe.org/cmd/... for further information" line); for
#     wireboot every line "NAME.ipxe:LINE: ..." (its error format), except
#     "NAME.ipxe:LINE: script stopped: ..." which is dropped (the stop shows as the
#     status; iPXE prints nothing there).
#   - the last line is "exit N" for a status 0..127 and "exit failed" for a script
#     that stopped on an error (iPXE: 128..255, its negative error number; wireboot: 1,
#     so corpus scripts never use `exit 1` or `exit N` with N >= 128).
use strict;
use warnings;
my ($who, $name, $status) = @ARGV;
die "usage: normalise.pl ipxe|wireboot NAME STATUS\n" unless defined $status;
local $/;
my $text = <STDIN> // '';
$text =~ s/\r+\n/\n/g;
my @lines = split /\n/, $text, -1;
pop @lines if @lines && $lines[-1] eq '';
# a menu is drawn differently (iPXE: a full screen, cursor moves; wireboot: one line
# per item, each ending in "erase to end of line"): its drawing is not compared
@lines = grep { !($who eq 'ipxe' ? /\e\[\d+;\d+H/ : /\e\[K/) } @lines;
s/\e\[?[0-9;?]*[A-Za-z]//g for @lines;
# a line that moves back (CR, backspace) is shown as a terminal would show it, without
# its trailing blanks: iPXE's prompt erases its text with "\b \b", wireboot's with CR
for my $l (@lines) {
	next unless $l =~ /[\r\b]/;
	my @cells;
	my $col = 0;
	for my $c (split //, $l) {
		if ($c eq "\r") { $col = 0; }
		elsif ($c eq "\b") { $col-- if $col > 0; }
		else { $cells[$col++] = $c; }
	}
	$l = join '', map { defined $_ ? $_ : ' ' } @cells;
	$l =~ s/ +$//;
}
my @out;
if ($who eq 'ipxe') {
	my $i = 0;
	$i++ while $i < @lines && $lines[$i] !~ /^Features: /;
	splice @lines, 0, $i + 1 if $i < @lines;
	my $usage = 0;
	for my $l (@lines) {
		if ($l =~ /^Usage:$/) { $usage = 1; push @out, "! $l"; next; }
		if ($usage) {
			push @out, "! $l";
			$usage = 0 if $l =~ /^See https:\/\/ipxe\.org\/cmd\/\S+ for further information$/;
			next;
		}
		if ($l =~ /\(https:\/\/ipxe\.org\/[0-9a-f]+\)$/ || $l =~ /^\S+: command not found$/ ||
		    $l =~ /^Could not / || $l =~ /^"[^"]*" ?: / || $l =~ /^Option "/ ||
		    $l =~ /^Unrecognised option / || $l =~ /^No (default|image) /) {
			push @out, "! $l";
		} else {
			push @out, $l;
		}
	}
	$status = $status >= 128 ? 'failed' : $status;
} else {
	my $lead = 1;
	for my $l (@lines) {
		next if $lead && $l =~ /^(wireboot |entropy: |network: no interfaces found$|tcp-window: )/;
		$lead = 0;
		next if $l =~ /^\Q$name\E\.ipxe:\d+: script stopped: /;
		if ($l =~ /^\Q$name\E\.ipxe:\d+: /) { push @out, "! $l"; } else { push @out, $l; }
	}
	$status = $status == 1 ? 'failed' : $status;
}
print "$_\n" for @out;
print "exit $status\n";
