// epmd on the lab's addresses only. Given -address, epmd still adds every
// loopback address itself, [::1] included, which is outside 127.0.0.0/8.
// Started the systemd way instead (-systemd), it listens on exactly the
// sockets it is handed: a tiny Perl (perl-base is on every Debian) binds
// them as fds 3, 4, ... and execs epmd with LISTEN_PID/LISTEN_FDS, systemd's
// socket-passing protocol. 127.0.0.1 stays among them because an Erlang
// node always registers with the epmd on 127.0.0.1.

const BIND_AND_EXEC = [
  'BEGIN { $^F = 10 }', // the sockets must survive the exec (no close-on-exec up to fd 10)
  'use IO::Socket::INET;',
  'my ($port, $addresses) = splice(@ARGV, 0, 2);',
  'my $fd = 3;',
  'for my $address (split /,/, $addresses) {',
  '  my $s = IO::Socket::INET->new(LocalAddr => $address, LocalPort => $port, Listen => 128, ReuseAddr => 1)',
  '    or die "epmd: cannot listen on $address:$port: $@\\n";',
  '  fileno($s) == $fd++ or die "epmd: socket for $address is not fd " . ($fd - 1) . "\\n";',
  '  push @main::keep, $s;',
  '}',
  '$ENV{LISTEN_PID} = $$;',
  '$ENV{LISTEN_FDS} = $fd - 3;',
  'exec @ARGV or die "epmd: cannot run $ARGV[0]: $!\\n";',
].join('\n');

/** Command and arguments that run epmd listening on `addresses` (each on `port`) and nowhere else. */
export function epmdOnlyOn(addresses: readonly string[], port: number): { command: string; args: string[] } {
  return { command: 'perl', args: ['-e', BIND_AND_EXEC, String(port), addresses.join(','), 'epmd', '-systemd', '-port', String(port)] };
}
