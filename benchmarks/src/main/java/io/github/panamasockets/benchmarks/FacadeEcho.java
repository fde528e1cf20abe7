package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.api.Posix.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockets_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * What the facade's two echo servers (EchoServerFacadeEpoll, EchoServerFacadePoll) share, all
 * on {@code Posix.*}: the command line, the listening socket, the stop pipe, and the echo
 * itself, per connection, as native/bench/echo-server-epoll.c does it. Each server keeps only
 * its own event loop and says what a connection waits for.
 *
 * <p>Nothing is allocated per event. Made once at start: the 16 KiB read buffer, the tables
 * indexed by descriptor (65,536 entries, doubled if a descriptor is ever above that: never in
 * the benchmark, whose 1,000 connections stay far below), and a pool of 16 KiB buffers for the
 * rest of a short write (256 of them, another 256 whenever all are in use at once, which the
 * benchmark, with one 64-byte message in flight per connection, never comes near). A short
 * write's rest is moved to the start of its buffer after each write, so every write starts at a
 * buffer's start and no slice is made.
 *
 * <p>Stopping: SIGTERM/SIGINT run the JVM's shutdown hooks (the facade has no sigaction, and a
 * JVM keeps those signals for itself anyway). The hook sets {@link #stop} and writes one byte to
 * a pipe whose read end the event loop watches (the self-pipe trick), so a loop asleep in
 * epoll_wait/poll wakes at once; then it waits (5 s at most) until the loop has closed
 * everything. At the end, the summary line on standard error also gives the bytes the loop
 * thread allocated on the Java heap while it ran (ThreadMXBean), to show that it is none or
 * next to none.
 */
final class FacadeEcho {
  static final int BUF = 16384;
  private static final int POOL_STEP = 256;

  /** What a connection waits for after an event, or that it is gone (closed). */
  static final int READ = 0, WRITE = 1, CLOSED = 2;

  final String name;
  final int listener, stopFd;
  final long deadline;
  volatile boolean stop;
  long accepted, echoed;

  private final Arena arena = Arena.ofShared();
  private final MemorySegment buf = arena.allocate(BUF);
  private final MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
  private final MemorySegment pipeFds = arena.allocate(JAVA_INT, 2);
  private final MemorySegment hookByte = arena.allocate(1);
  private final int stopWriteFd;
  private final Object stopLock = new Object();
  private boolean finished;
  private final CountDownLatch closed = new CountDownLatch(1);
  private long allocatedAtStart;

  // per descriptor
  private boolean[] open = new boolean[65536];
  private int[] pendingSlot = new int[65536], pendingLen = new int[65536];
  // the pool of buffers for a short write's rest
  private MemorySegment[] slots = new MemorySegment[0];
  private int[] freeSlots = new int[0];
  private int freeCount;

  /** Parses {@code PORT [-s SECONDS]}, listens on 127.0.0.1:PORT, prints "listening on port N". */
  FacadeEcho(String name, String[] args) {
    this.name = name;
    if (args.length < 1 || args[0].startsWith("-")) usage();
    int port = -1;
    double seconds = 600;
    try {
      port = Integer.parseInt(args[0]);
      for (int i = 1; i + 1 < args.length; i++) {
        if (args[i].equals("-s")) seconds = Double.parseDouble(args[i + 1]);
      }
    } catch (NumberFormatException e) {
      usage();
    }
    if (port < 0 || port > 65535 || !(seconds > 0)) die("bad port or -s");
    deadline = System.nanoTime() + (long) (seconds * 1e9);
    Arrays.fill(pendingSlot, -1);
    growPool();

    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener == -1) dieErrno("socket");
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, one, sizeof(one));
    MemorySegment addr = sockaddr_in.allocate(arena);
    sin_family(addr, AF_INET);
    sin_port(addr, htons(port));
    s_addr(sin_addr(addr), htonl(INADDR_LOOPBACK));
    MemorySegment alen = arena.allocateFrom(sockets_h.socklen_t, sizeof(addr));
    if (bind(listener, addr, sizeof(addr)) == -1) dieErrno("bind 127.0.0.1:" + port);
    if (listen(listener, SOMAXCONN) == -1) dieErrno("listen");
    if (getsockname(listener, addr, alen) == -1) dieErrno("getsockname");

    if (pipe(pipeFds) == -1) dieErrno("pipe");
    stopFd = pipeFds.getAtIndex(JAVA_INT, 0);
    stopWriteFd = pipeFds.getAtIndex(JAVA_INT, 1);
    Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, name + "-stop"));

    System.out.println("listening on port " + ntohs(sin_port(addr)));
    System.out.flush();
  }

  private void onSignal() {
    stop = true;
    synchronized (stopLock) {
      if (!finished) write(stopWriteFd, hookByte, 1); // wakes the loop; nothing to do if it fails
    }
    try {
      closed.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The timeout for the next epoll_wait/poll: what is left, at most 1 s; -1 when time is up. */
  int timeoutMs() {
    long left = deadline - System.nanoTime();
    if (left <= 0) return -1;
    return (int) Math.min(1000, left / 1_000_000 + 1);
  }

  /** Called by the loop before its first wait. */
  void started() {
    allocatedAtStart = allocatedBytes();
  }

  /**
   * accept4 until EAGAIN; each new connection non-blocking with TCP_NODELAY, handed to
   * {@code added} (which starts watching it for reading). As the C server: EINTR and
   * ECONNABORTED are retried, EMFILE/ENFILE are reported and the rest of the queue left.
   */
  void acceptAll(IntConsumer added) {
    for (;;) {
      int fd = accept4(listener, MemorySegment.NULL, MemorySegment.NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd == -1) {
        int e = errno();
        if (e == EINTR || e == ECONNABORTED) continue;
        if (e == EAGAIN) return;
        if (e == EMFILE || e == ENFILE) {
          perror("accept4");
          return;
        }
        dieErrno("accept4");
      }
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, one, sizeof(one));
      if (fd >= open.length) growTables(fd);
      open[fd] = true;
      added.accept(fd);
      accepted++;
    }
  }

  /**
   * The connection is readable (or has an error or EOF, which read tells): reads and writes back
   * until it would block or a read is short. Returns READ, WRITE (a write was short: the rest is
   * kept, wait until writable and do not read meanwhile) or CLOSED (closed here).
   */
  int onReadable(int fd) {
    for (;;) {
      long n = read(fd, buf, BUF);
      if (n == 0) return drop(fd);
      if (n < 0) {
        int e = errno();
        if (e == EINTR) continue;
        return e == EAGAIN ? READ : drop(fd);
      }
      long w = write(fd, buf, n);
      if (w < 0) {
        int e = errno();
        if (e != EAGAIN && e != EINTR) return drop(fd);
        w = 0;
      }
      echoed += w;
      if (w < n) { // keep the rest, stop reading until it is out
        int slot = takeSlot();
        MemorySegment.copy(buf, w, slots[slot], 0, n - w);
        pendingSlot[fd] = slot;
        pendingLen[fd] = (int) (n - w);
        return WRITE;
      }
      if (n < BUF) return READ; // drained for now: level-triggered, we are told when there is more
    }
  }

  /** The connection is writable: writes what is kept. Returns READ (all written), WRITE or CLOSED. */
  int onWritable(int fd) {
    int slot = pendingSlot[fd];
    if (slot < 0) return READ;
    MemorySegment p = slots[slot];
    int len = pendingLen[fd];
    for (;;) {
      long n = write(fd, p, len);
      if (n > 0) {
        echoed += n;
        len -= (int) n;
        if (len == 0) {
          releaseSlot(fd);
          return READ;
        }
        MemorySegment.copy(p, n, p, 0, len); // the rest to the start: every write starts there
        continue;
      }
      int e = errno();
      if (e == EINTR) continue;
      if (e == EAGAIN) {
        pendingLen[fd] = len;
        return WRITE;
      }
      return drop(fd);
    }
  }

  /** Forgets and closes a connection (close also takes it out of an epoll set). Returns CLOSED. */
  int drop(int fd) {
    if (pendingSlot[fd] >= 0) releaseSlot(fd);
    open[fd] = false;
    close(fd);
    return CLOSED;
  }

  /** Closes everything, prints the summary line on standard error, lets the stop hook go on. */
  void finish(int... moreFds) {
    long allocated = allocatedBytes() - allocatedAtStart;
    for (int fd = 0; fd < open.length; fd++) {
      if (open[fd]) drop(fd);
    }
    for (int fd : moreFds) close(fd);
    close(listener);
    synchronized (stopLock) {
      finished = true;
      close(stopFd);
      close(stopWriteFd);
    }
    System.err.printf("%s: %s after %d connections, %d bytes echoed; the loop allocated %s bytes on the Java heap%n",
        name, stop ? "stopped by signal" : "time is up", accepted, echoed, allocated < 0 ? "?" : Long.toString(allocated));
    closed.countDown();
  }

  private int takeSlot() {
    if (freeCount == 0) growPool();
    return freeSlots[--freeCount];
  }

  private void releaseSlot(int fd) {
    freeSlots[freeCount++] = pendingSlot[fd];
    pendingSlot[fd] = -1;
    pendingLen[fd] = 0;
  }

  private void growPool() {
    int old = slots.length;
    MemorySegment slab = arena.allocate((long) POOL_STEP * BUF);
    slots = Arrays.copyOf(slots, old + POOL_STEP);
    freeSlots = Arrays.copyOf(freeSlots, old + POOL_STEP);
    for (int i = 0; i < POOL_STEP; i++) {
      slots[old + i] = slab.asSlice((long) i * BUF, BUF);
      freeSlots[freeCount++] = old + i;
    }
  }

  private void growTables(int fd) {
    int n = open.length;
    while (n <= fd) n *= 2;
    open = Arrays.copyOf(open, n);
    pendingLen = Arrays.copyOf(pendingLen, n);
    int from = pendingSlot.length;
    pendingSlot = Arrays.copyOf(pendingSlot, n);
    Arrays.fill(pendingSlot, from, n, -1);
  }

  /** Heap bytes allocated so far by the calling thread, or -1 where the JVM does not tell. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
      return t.getCurrentThreadAllocatedBytes();
    }
    return -1;
  }

  void usage() {
    System.err.println("usage: " + name + " PORT [-s SECONDS]");
    System.exit(2);
  }

  void die(String message) {
    System.err.println(name + ": " + message);
    exit1();
  }

  void dieErrno(String call) {
    int e = errno();
    System.err.println(name + ": " + call + ": " + strerror(e));
    exit1();
  }

  private void exit1() {
    synchronized (stopLock) {
      finished = true; // the stop hook has nothing to wake and nothing to wait for
    }
    closed.countDown();
    System.exit(1);
  }
}
