package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.github.panamasockets.bindings.pollfd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.IntConsumer;

/**
 * The event-loop echo server on the facade with poll(2): the "facade, poll" contender of the
 * echo family, with the contract of native/bench/echo-server-epoll.c and EchoServerNio:
 *
 * <pre>java -cp benchmarks.jar io.github.panamasockets.benchmarks.EchoServerFacadePoll PORT [-s SECONDS]</pre>
 *
 * One thread, one pollfd array (poll is level-triggered), non-blocking sockets, TCP_NODELAY on
 * every accepted connection, backlog SOMAXCONN. It prints "listening on port N" (PORT 0 =
 * ephemeral) and echoes every byte back; a short write keeps the rest and waits for POLLOUT
 * (not reading meanwhile). Runs for SECONDS (default 600) or until SIGTERM/SIGINT, then closes
 * everything. The listener, the echo per connection and the stop pipe are {@link FacadeEcho}'s,
 * shared with EchoServerFacadeEpoll.
 *
 * <p>The pollfd array is allocated once for 65,536 descriptors (doubled, once, if ever full);
 * entry 0 is the stop pipe, entry 1 the listener, then one entry per connection. A closed
 * connection's entry is replaced by the last entry, so the array stays dense; entries are read
 * and written at the generated layout's offsets, and the loop allocates nothing per event.
 * Each poll hands the kernel every entry, which is poll's cost against epoll's, measured here.
 */
public final class EchoServerFacadePoll {
  private static final long SIZE = pollfd.sizeof();
  private static final long FD = pollfd.fd$offset();
  private static final long EVENTS = pollfd.events$offset();
  private static final long REVENTS = pollfd.revents$offset();

  private EchoServerFacadePoll() {}

  private static final Arena ARENA = Arena.ofAuto();
  private static MemorySegment fds = pollfd.allocateArray(65536, ARENA);
  private static int nfds;

  private static void add(int fd, int events) {
    if ((nfds + 1) * SIZE > fds.byteSize()) {
      MemorySegment bigger = ARENA.allocate(fds.byteSize() * 2, 8);
      bigger.copyFrom(fds);
      fds = bigger;
    }
    long at = nfds * SIZE;
    fds.set(JAVA_INT, at + FD, fd);
    fds.set(JAVA_SHORT, at + EVENTS, (short) events);
    fds.set(JAVA_SHORT, at + REVENTS, (short) 0);
    nfds++;
  }

  private static void setEvents(int i, int events) {
    fds.set(JAVA_SHORT, i * SIZE + EVENTS, (short) events);
  }

  /** Entry i takes the last entry's place (its revents, from the same poll, come along). */
  private static void remove(int i) {
    nfds--;
    if (i != nfds) MemorySegment.copy(fds, nfds * SIZE, fds, i * SIZE, SIZE);
  }

  public static void main(String[] args) {
    FacadeEcho s = new FacadeEcho("EchoServerFacadePoll", args);
    add(s.stopFd, POLLIN);
    add(s.listener, POLLIN);
    IntConsumer added = fd -> add(fd, POLLIN);

    s.started();
    loop:
    while (!s.stop) {
      int timeout = s.timeoutMs();
      if (timeout < 0) break;
      int n = poll(fds, nfds, timeout);
      if (n == -1) {
        if (errno() == EINTR) continue;
        s.dieErrno("poll");
      }
      // Entries appended by accept have revents 0; a removed entry's place is looked at again.
      for (int i = 0; i < nfds && n > 0;) {
        long at = i * SIZE;
        int revents = fds.get(JAVA_SHORT, at + REVENTS) & 0xffff;
        if (revents == 0) {
          i++;
          continue;
        }
        n--;
        fds.set(JAVA_SHORT, at + REVENTS, (short) 0);
        int fd = fds.get(JAVA_INT, at + FD);
        if (fd == s.stopFd) break loop; // s.stop is set
        if (fd == s.listener) {
          s.acceptAll(added);
          i++;
          continue;
        }
        boolean waitsForWrite = (fds.get(JAVA_SHORT, at + EVENTS) & POLLOUT) != 0;
        int next = waitsForWrite ? s.onWritable(fd) : s.onReadable(fd); // POLLIN, POLLHUP, POLLERR: read tells
        if (next == FacadeEcho.CLOSED) {
          remove(i); // look at i again: it is the entry that was last
        } else {
          setEvents(i, next == FacadeEcho.WRITE ? POLLOUT : POLLIN);
          i++;
        }
      }
    }
    s.finish();
  }
}
