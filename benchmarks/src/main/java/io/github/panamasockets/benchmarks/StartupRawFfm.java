package io.github.panamasockets.benchmarks;

import static io.github.panamasockets.bindings.SocketsConstants.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Start-up contender "raw FFM, errno captured": StartupFacade's work with the JDK's FFM API
 * alone, written by hand: one Linker, each function looked up and linked with
 * {@code captureCallState("errno")} when first needed, errno read after each call, no bindings
 * classes (only SocketsConstants' compile-time constants, which javac copies in). The floor a
 * facade that links lazily can reach.
 */
public final class StartupRawFfm {
  private StartupRawFfm() {}

  static final Linker LINKER = Linker.nativeLinker();
  static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  static final VarHandle ERRNO_VALUE =
      Linker.Option.captureStateLayout().varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

  static MethodHandle link(String name, FunctionDescriptor descriptor) {
    MemorySegment address = LINKER.defaultLookup().find(name).orElseThrow();
    return LINKER.downcallHandle(address, descriptor, ERRNO);
  }

  public static void main(String[] args) throws Throwable {
    if (args.length == 1 && (args[0].equals("one") || args[0].equals("ten"))) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment capture = arena.allocate(Linker.Option.captureStateLayout());
        System.exit(args[0].equals("one") ? one(capture) : ten(arena, capture));
      }
    }
    System.err.println("usage: StartupRawFfm one|ten");
    System.exit(2);
  }

  static int one(MemorySegment capture) throws Throwable {
    MethodHandle socket = link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    int fd = (int) socket.invokeExact(capture, AF_INET, SOCK_STREAM, 0);
    return fd < 0 && (int) ERRNO_VALUE.get(capture, 0L) != 0 ? 1 : 0;
  }

  static int ten(Arena arena, MemorySegment capture) throws Throwable {
    MemorySegment addr = arena.allocate(16);
    MemorySegment len = arena.allocate(JAVA_INT);
    MemorySegment one = arena.allocate(JAVA_INT);
    MemorySegment buf = arena.allocate(1);
    one.set(JAVA_INT, 0, 1);
    len.set(JAVA_INT, 0, 16);
    addr.set(JAVA_SHORT, 0, (short) AF_INET);
    addr.set(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), 4, INADDR_LOOPBACK);
    int lfd = (int) link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT))
        .invokeExact(capture, AF_INET, SOCK_STREAM, 0);
    if (lfd < 0) return failed(capture);
    int r = (int) link("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT))
        .invokeExact(capture, lfd, SOL_SOCKET, SO_REUSEADDR, one, 4);
    if (r < 0) return failed(capture);
    r = (int) link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)).invokeExact(capture, lfd, addr, 16);
    if (r < 0) return failed(capture);
    r = (int) link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)).invokeExact(capture, lfd, 1);
    if (r < 0) return failed(capture);
    r = (int) link("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)).invokeExact(capture, lfd, addr, len);
    if (r < 0) return failed(capture);
    int cfd = (int) link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT))
        .invokeExact(capture, AF_INET, SOCK_STREAM, 0);
    if (cfd < 0) return failed(capture);
    r = (int) link("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)).invokeExact(capture, cfd, addr, 16);
    if (r < 0) return failed(capture);
    int afd = (int) link("accept", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS))
        .invokeExact(capture, lfd, MemorySegment.NULL, MemorySegment.NULL);
    if (afd < 0) return failed(capture);
    buf.set(JAVA_BYTE, 0, (byte) 'x');
    long n = (long) link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG)).invokeExact(capture, cfd, buf, 1L);
    if (n != 1) return failed(capture);
    buf.set(JAVA_BYTE, 0, (byte) 0);
    n = (long) link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG)).invokeExact(capture, afd, buf, 1L);
    if (n != 1 || buf.get(JAVA_BYTE, 0) != 'x') return failed(capture);
    MethodHandle close = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    for (int fd : new int[] {afd, cfd, lfd}) {
      if ((int) close.invokeExact(capture, fd) < 0) return failed(capture);
    }
    return 0;
  }

  static int failed(MemorySegment capture) {
    System.err.println("StartupRawFfm: errno " + (int) ERRNO_VALUE.get(capture, 0L));
    return 1;
  }
}
