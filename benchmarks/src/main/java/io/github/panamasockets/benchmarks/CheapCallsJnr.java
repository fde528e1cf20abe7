package io.github.panamasockets.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.AddressFamily;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.Sock;
import jnr.constants.platform.SocketLevel;
import jnr.constants.platform.SocketOption;
import jnr.ffi.LibraryLoader;
import jnr.ffi.byref.IntByReference;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cheap calls, contender "jnr-posix" (com.github.jnr:jnr-posix, native POSIX through jnr-ffi).
 * See CheapCallsJdk for the family's conventions. Every call is followed by reading errno the
 * way the library offers it, {@code POSIX.errno()}, as the C loop reads errno and as the facade
 * captures it.
 *
 * <p>What jnr-posix really has: {@code POSIX.fcntl(int, Fcntl)} and {@code POSIX.close(int)}.
 * Its {@code POSIX} interface has no getsockopt; its libc binding {@code POSIX.libc()}
 * (interface {@code jnr.posix.LibC}) does: {@code getsockopt(int, int, int, ByteBuffer,
 * IntByReference)}, measured here as jnr-posix's getsockopt. It has no socket() either, so the
 * UDP socket is opened with a one-line jnr-ffi binding of libc's socket(), in setup only.
 * Constants come from jnr-constants (the platform's values), none is typed in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CheapCallsJnr {
  /** Only to open the UDP socket: jnr-posix has no socket(). */
  public interface SocketCall {
    int socket(int domain, int type, int protocol);
  }

  private static final int SOL_SOCKET = SocketLevel.SOL_SOCKET.intValue();
  private static final int SO_TYPE = SocketOption.SO_TYPE.intValue();
  private static final int EBADF = Errno.EBADF.intValue();

  private POSIX posix;
  private int fd = -1;
  private ByteBuffer optval;
  private IntByReference optlen;

  @Setup
  public void open() {
    posix = POSIXFactory.getNativePOSIX();
    if (!posix.isNative()) throw new IllegalStateException("jnr-posix fell back to its Java emulation");
    SocketCall libc = LibraryLoader.create(SocketCall.class).load("c");
    fd = libc.socket(AddressFamily.AF_INET.intValue(), Sock.SOCK_DGRAM.intValue(), 0);
    if (fd < 0) throw new IllegalStateException("socket: errno " + posix.errno());
    optval = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder());
    optlen = new IntByReference(Integer.BYTES); // in: sizeof(int); out: 4 again, so it can be reused
    if (posix.libc().getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen) != 0
        || optval.getInt(0) != Sock.SOCK_DGRAM.intValue()) {
      throw new IllegalStateException("getsockopt(SO_TYPE) did not say SOCK_DGRAM");
    }
  }

  @TearDown
  public void close() {
    if (fd >= 0) posix.close(fd);
    fd = -1;
  }

  @Benchmark
  public int getsockopt_so_type(Blackhole bh) {
    int rc = posix.libc().getsockopt(fd, SOL_SOCKET, SO_TYPE, optval, optlen);
    bh.consume(posix.errno());
    bh.consume(optval.getInt(0));
    return rc;
  }

  @Benchmark
  public int fcntl_f_getfl(Blackhole bh) {
    int flags = posix.fcntl(fd, Fcntl.F_GETFL);
    bh.consume(posix.errno());
    return flags;
  }

  @Benchmark
  public int close_ebadf() {
    int rc = posix.close(-1);
    int errno = posix.errno();
    if (rc != -1 || errno != EBADF) throw new AssertionError("close(-1) = " + rc + ", errno " + errno);
    return errno;
  }
}
