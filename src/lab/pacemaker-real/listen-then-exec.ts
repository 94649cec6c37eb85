// A daemon in another network namespace that still answers on an address of
// this one: a tiny Perl (perl-base is on every Debian) binds the listening
// socket here as fd 3, then execs the command with LISTEN_PID/LISTEN_FDS,
// systemd's socket-passing protocol, which Debian's sshd takes. The command
// may enter other namespaces first (nsenter execs, so the pid stays the one
// LISTEN_PID names); the socket stays in the namespace it was made in.

const BIND_AND_EXEC = [
  'BEGIN { $^F = 3 }', // fd 3 must survive the exec (no close-on-exec up to it)
  'use IO::Socket::INET;',
  'my ($address, $port) = splice(@ARGV, 0, 2);',
  'my $s = IO::Socket::INET->new(LocalAddr => $address, LocalPort => $port, Listen => 128, ReuseAddr => 1)',
  '  or die "cannot listen on $address:$port: $@\\n";',
  'fileno($s) == 3 or die "the socket for $address:$port is not fd 3\\n";',
  '$ENV{LISTEN_PID} = $$;',
  '$ENV{LISTEN_FDS} = 1;',
  'exec @ARGV or die "cannot run $ARGV[0]: $!\\n";',
].join('\n');

/** argv that listens on address:port here, then runs `argv` (a socket-activated daemon) with the socket. */
export function listenThenExec(address: string, port: number, argv: readonly string[]): string[] {
  return ['perl', '-e', BIND_AND_EXEC, address, String(port), ...argv];
}
