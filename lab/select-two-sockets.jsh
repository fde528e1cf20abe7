// Lesson: select() on two sockets. Two UDP sockets on 127.0.0.1; a datagram goes to the second
// only, and select reports just that one as readable.
// Replay: ./psock shell lab/select-two-sockets.jsh

int[] fds = new int[2];
var addrs = new MemorySegment[2];
for (int i = 0; i < 2; i++) {
    fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
    addrs[i] = sockaddr_in.allocate(arena);
    sin_family(addrs[i], AF_INET);
    s_addr(sin_addr(addrs[i]), inet_addr("127.0.0.1"));
    bind(fds[i], addrs[i], sizeof(addrs[i]));
    getsockname(fds[i], addrs[i], arena.allocateFrom(socklen_t, sizeof(addrs[i])));
    System.out.printf("socket %d: fd %d on 127.0.0.1:%d%n", i, fds[i], ntohs(sin_port(addrs[i])));
}

// Nothing to read yet: with a zero timeout select returns 0 at once.
var rset = fd_set.allocate(arena);
var zero = timeval.allocate(arena);      // tv_sec = 0, tv_usec = 0: poll, don't wait
int maxfd = Math.max(fds[0], fds[1]);
FD_ZERO(rset); FD_SET(fds[0], rset); FD_SET(fds[1], rset);
System.out.printf("select: %d ready%n", select(maxfd + 1, rset, MemorySegment.NULL, MemorySegment.NULL, zero));

// The first socket sends "ping" to the second.
sendto(fds[0], arena.allocateFrom("ping"), 4, 0, addrs[1], (int) sizeof(addrs[1]));

// select changes the sets in place: set them again before every call, as in C.
FD_ZERO(rset); FD_SET(fds[0], rset); FD_SET(fds[1], rset);
int ready = select(maxfd + 1, rset, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
System.out.printf("select: %d ready; fd %d readable: %b, fd %d readable: %b%n", ready, fds[0], FD_ISSET(fds[0], rset), fds[1], FD_ISSET(fds[1], rset));

var buf = arena.allocate(64);
long n = recv(fds[1], buf, 64, 0);
System.out.printf("fd %d received: %s%n", fds[1], cstring(buf, n));
close(fds[0]);
close(fds[1]);
