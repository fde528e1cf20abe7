package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.github.panamasockets.bindings.epoll_data;
import io.github.panamasockets.bindings.epoll_event;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.IntConsumer;

/**
 * The event-loop echo server on the facade with epoll: the "facade, epoll" contender of the
 * echo family, the Java twin of native/bench/echo-server-epoll.c, started by benchmarks/run
 * with the same contract:
 *
 * <pre>java -cp benchmarks.jar io.github.panamasockets.benchmarks.EchoServerFacadeEpoll PORT [-s SECONDS]</pre>
 *
 * One thread, one level-triggered epoll set, non-blocking sockets, TCP_NODELAY on every
 * accepted connection, backlog SOMAXCONN. It prints "listening on port N" (PORT 0 = ephemeral)
 * and echoes every byte back; a short write keeps the rest and waits for EPOLLOUT (not reading
 * meanwhile). Runs for SECONDS (default 600) or until SIGTERM/SIGINT, then closes everything.
 * The listener, the echo per connection and the stop pipe are {@link FacadeEcho}'s, shared
 * with EchoServerFacadePoll. The epoll_event array (256 events) and the one epoll_event given
 * to epoll_ctl are allocated once; the loop reads and writes them at the generated layout's
 * offsets, so it makes no slices and allocates nothing per event.
 *
 * <p>RLIMIT_NOFILE: the facade has no setrlimit; the JVM raises its own soft limit to the hard
 * one at start on Linux ({@code -XX:+MaxFDLimit}, the default), which is what the C server
 * does by hand.
 */
public final class EchoServerFacadeEpoll {
  private static final int MAX_EVENTS = 256;
  private static final long EV_SIZE = epoll_event.sizeof();
  private static final long EV_EVENTS = epoll_event.events$offset();
  private static final long EV_DATA = epoll_event.data$offset();
  private static final long EV_FD = EV_DATA + epoll_data.fd$offset();

  private EchoServerFacadeEpoll() {}

  private static int ep;
  private static MemorySegment ev;

  /** epoll_ctl(ep, op, fd, &{events, data.fd = fd}). */
  private static void watch(FacadeEcho s, int fd, int op, int events) {
    ev.set(JAVA_INT_UNALIGNED, EV_EVENTS, events);
    ev.set(JAVA_LONG_UNALIGNED, EV_DATA, 0L);
    ev.set(JAVA_INT_UNALIGNED, EV_FD, fd);
    if (epoll_ctl(ep, op, fd, ev) == -1) s.dieErrno("epoll_ctl");
  }

  public static void main(String[] args) {
    FacadeEcho s = new FacadeEcho("EchoServerFacadeEpoll", args);
    Arena arena = Arena.ofAuto();
    ev = epoll_event.allocate(arena);
    MemorySegment events = epoll_event.allocateArray(MAX_EVENTS, arena);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep == -1) s.dieErrno("epoll_create1");
    watch(s, s.listener, EPOLL_CTL_ADD, EPOLLIN);
    watch(s, s.stopFd, EPOLL_CTL_ADD, EPOLLIN);
    IntConsumer added = fd -> watch(s, fd, EPOLL_CTL_ADD, EPOLLIN);

    s.started();
    while (!s.stop) {
      int timeout = s.timeoutMs();
      if (timeout < 0) break;
      int n = epoll_wait(ep, events, MAX_EVENTS, timeout);
      if (n == -1) {
        if (errno() == EINTR) continue;
        s.dieErrno("epoll_wait");
      }
      for (int i = 0; i < n; i++) {
        long at = i * EV_SIZE;
        int fd = events.get(JAVA_INT_UNALIGNED, at + EV_FD);
        int what = events.get(JAVA_INT_UNALIGNED, at + EV_EVENTS);
        if (fd == s.listener) {
          s.acceptAll(added);
        } else if (fd == s.stopFd) {
          break; // s.stop is set: the loop ends
        } else if ((what & EPOLLOUT) != 0) {
          if (s.onWritable(fd) == FacadeEcho.READ) watch(s, fd, EPOLL_CTL_MOD, EPOLLIN);
        } else { // EPOLLIN, EPOLLHUP, EPOLLERR: read tells which
          if (s.onReadable(fd) == FacadeEcho.WRITE) watch(s, fd, EPOLL_CTL_MOD, EPOLLOUT);
        }
      }
    }
    s.finish(ep);
  }
}
