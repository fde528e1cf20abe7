// Lesson: errno after a failed bind. Two sockets want the same address; the second is refused.
// Replay: ./psock shell lab/bind-eaddrinuse.jsh

// The first socket takes 127.0.0.1 on a port the kernel picks.
int first = socket(AF_INET, SOCK_STREAM, 0);
var addr = sockaddr_in.allocate(arena);
sin_family(addr, AF_INET);
s_addr(sin_addr(addr), inet_addr("127.0.0.1"));
bind(first, addr, sizeof(addr));
listen(first, 5);
getsockname(first, addr, arena.allocateFrom(socklen_t, sizeof(addr)));
System.out.printf("first socket: 127.0.0.1:%d%n", ntohs(sin_port(addr)));

// The second socket asks for the same address and port: bind returns -1 and sets errno.
int second = socket(AF_INET, SOCK_STREAM, 0);
int r = bind(second, addr, sizeof(addr));
int saved = errno();   // read errno right after the call that failed, as in C
System.out.printf("bind returned %d, errno %d (%s)%n", r, saved, strerrorname(saved));
perror("bind");        // C's message on stderr: "bind: Address already in use"

// A switch on errno, as C writes it: the constants are compile-time constants.
switch (saved) {
    case EADDRINUSE -> System.out.println("someone holds that port: pick another, or wait");
    case EACCES -> System.out.println("a port below 1024 needs CAP_NET_BIND_SERVICE");
    default -> System.out.println("other: " + strerror(saved));
}

// errno stays until the next call that fails: a successful close leaves it as it was.
close(second);
close(first);
System.out.printf("after two successful closes errno is still %s%n", strerrorname(errno()));
