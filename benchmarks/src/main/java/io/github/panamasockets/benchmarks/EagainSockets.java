package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.sockets_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The sockets of the cheap calls that find nothing to do, the same as bench-cheap-calls.c's
 * open_eagain_sockets, all non-blocking, on 127.0.0.1 or an abstract AF_UNIX name:
 * {@code listener} (TCP, listening, no connection pending: accept gives EAGAIN), {@code tcp}
 * (a connected TCP socket nothing is sent to: read gives EAGAIN; its peer is kept open),
 * {@code streamTx} (an AF_UNIX stream socket whose peer reads nothing, filled: write gives
 * EAGAIN), {@code unixTx} and {@code unixRx}/{@code unixRxAddr} (an AF_UNIX datagram socket and
 * a receiver with an autobound abstract name whose queue is full: sendto gives EAGAIN),
 * {@code udp} (bound, empty: recvfrom gives EAGAIN) and {@code epfd} (epoll with {@code udp}
 * registered for EPOLLIN: epoll_wait with timeout 0 gives 0). Made through the facade, once per
 * benchmark trial (the contenders' set-up, not what they measure); buffers of 64 bytes.
 */
final class EagainSockets implements AutoCloseable {
  static final int BUF = 64;
  static final int MAX_EVENTS = 64;

  final Arena arena = Arena.ofConfined();
  final int listener, tcp, tcpPeer, streamTx, streamRx, udp, unixRx, unixTx, epfd;
  final MemorySegment buf = arena.allocate(BUF);
  final MemorySegment unixRxAddr = sockaddr_un.allocate(arena);
  final int unixRxLen;
  final MemorySegment events = epoll_event.allocateArray(MAX_EVENTS, arena);

  EagainSockets() {
    MemorySegment sin = sockaddr_in.allocate(arena);
    MemorySegment len = arena.allocate(sockets_h.socklen_t);
    sin_family(sin, AF_INET);
    sin_port(sin, htons(0));
    s_addr(sin_addr(sin), htonl(INADDR_LOOPBACK));
    listener = check("socket", socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    check("bind", bind(listener, sin, sizeof(sin)));
    check("listen", listen(listener, 16));
    len.set(JAVA_INT, 0, sizeof(sin));
    check("getsockname", getsockname(listener, sin, len));
    tcp = check("socket", socket(AF_INET, SOCK_STREAM, 0));
    check("connect", connect(tcp, sin, sizeof(sin)));
    int peer = -1;
    for (int i = 0; i < 1000 && peer < 0; i++) {
      peer = accept(listener, MemorySegment.NULL, MemorySegment.NULL);
      if (peer < 0 && errno() != EAGAIN) check("accept", peer);
      if (peer < 0) sleepMillis(1);
    }
    tcpPeer = check("accept", peer);
    check("fcntl", fcntl(tcp, F_SETFL, O_NONBLOCK));

    MemorySegment pair = arena.allocate(JAVA_INT, 2);
    check("socketpair", socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair));
    streamTx = pair.getAtIndex(JAVA_INT, 0);
    streamRx = pair.getAtIndex(JAVA_INT, 1);
    fill("write to the AF_UNIX stream", () -> write(streamTx, buf, BUF));

    udp = check("socket", socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0));
    sin_port(sin, htons(0));
    check("bind", bind(udp, sin, sizeof(sin)));

    // the receiver gets an abstract name from the kernel (autobind: bind with the family only)
    unixRx = check("socket", socket(AF_UNIX, SOCK_DGRAM, 0));
    unixRxAddr.set(JAVA_SHORT, sockaddr_un.sun_family$offset(), (short) AF_UNIX);
    check("bind", bind(unixRx, unixRxAddr, Short.BYTES));
    len.set(JAVA_INT, 0, sizeof(unixRxAddr));
    check("getsockname", getsockname(unixRx, unixRxAddr, len));
    unixRxLen = len.get(JAVA_INT, 0);
    unixTx = check("socket", socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0));
    fill("sendto the AF_UNIX receiver", () -> sendto(unixTx, buf, BUF, 0, unixRxAddr, unixRxLen));

    epfd = check("epoll_create1", epoll_create1(EPOLL_CLOEXEC));
    MemorySegment ev = epoll_event.allocate(arena);
    ev.set(JAVA_INT_UNALIGNED, epoll_event.events$offset(), EPOLLIN);
    ev.set(JAVA_INT_UNALIGNED, epoll_event.data$offset(), udp);
    check("epoll_ctl", epoll_ctl(epfd, EPOLL_CTL_ADD, udp, ev));
  }

  /** Calls {@code send} until it gives -1 EAGAIN: the queue is full. */
  private static void fill(String what, java.util.function.LongSupplier send) {
    long r;
    while ((r = send.getAsLong()) > 0) {}
    if (r != -1 || errno() != EAGAIN) throw new IllegalStateException(what + ": " + r + ", " + strerrorname(errno()));
  }

  /** Throws unless the call that returned {@code rc} gave -1 EAGAIN (what the loops measure, and nothing else). */
  static void expectEagain(String call, long rc, int errno) {
    if (rc != -1 || errno != EAGAIN) throw new AssertionError(call + " = " + rc + ", errno " + errno + ": expected -1 EAGAIN");
  }

  private static int check(String call, int rc) {
    if (rc == -1) throw new IllegalStateException(call + ": " + strerror(errno()));
    return rc;
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (int fd : new int[] {listener, tcp, tcpPeer, streamTx, streamRx, udp, unixRx, unixTx, epfd}) io.github.panamasockets.api.Posix.close(fd);
    arena.close();
  }
}
