import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import static java.lang.foreign.ValueLayout.*;

/** Raw FFM for benchmarks/interleaved/run: each function linked with its own descriptor, errno captured and read after each call. */
public class RawDriver {
  static final Linker L = Linker.nativeLinker();
  static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  static MemorySegment f(String n) { return L.defaultLookup().find(n).orElseThrow(); }
  static final MethodHandle CLOSE = L.downcallHandle(f("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
  static final MethodHandle GSO = L.downcallHandle(f("getsockopt"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
  static final MethodHandle READ = L.downcallHandle(f("read"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
  static final MethodHandle SOCKET = L.downcallHandle(f("socket"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
  static int fd;
  static MemorySegment optval, optlen, buf, cap;
  public static void setup() throws Throwable {
    Arena a = Arena.global();
    cap = a.allocate(Linker.Option.captureStateLayout());
    optval = a.allocate(4); optlen = a.allocate(4); buf = a.allocate(64);
    fd = (int) SOCKET.invokeExact(cap, 2, 2 | 04000, 0);
  }
  public static long close(int n) throws Throwable { long s = 0; for (int i = 0; i < n; i++) s += (int) CLOSE.invokeExact(cap, -1) + cap.get(JAVA_INT, 0); return s; }
  public static long getsockopt(int n) throws Throwable {
    long s = 0;
    for (int i = 0; i < n; i++) { optlen.set(JAVA_INT, 0, 4); s += (int) GSO.invokeExact(cap, fd, 1, 3, optval, optlen) + cap.get(JAVA_INT, 0); }
    return s;
  }
  public static long read(int n) throws Throwable { long s = 0; for (int i = 0; i < n; i++) s += (long) READ.invokeExact(cap, fd, buf, 64L) + cap.get(JAVA_INT, 0); return s; }
}
