package io.github.panamasockets.api;

import io.github.panamasockets.bindings.sockets_h;
import io.github.panamasockets.bindings.timespec;
import io.github.panamasockets.bindings.tm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Trace.hex;

/**
 * What socket programs take from {@code <stdlib.h>}, {@code <time.h>} and {@code <unistd.h>}
 * besides sockets: atoi, strtol, strtoul (in Java, with C's results and errno), getenv, exit,
 * sleep, usleep, nanosleep, time, ctime, gmtime, localtime and strftime (glibc's own, through the
 * bindings, their arguments checked first).
 */
public abstract class PosixStdlib extends PosixMacros {
    PosixStdlib() {}

    // ---- numbers from text -----------------------------------------------------------------

    private static boolean isspace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * strtol/strtoul over the bytes of a C string: the value, with C's saturation and errno ERANGE
     * on overflow; {@code end[0]} (when given) the index where the number ended (0 when there is none).
     */
    static long strtoBytes(byte[] s, int base, boolean signed, long[] end) {
        int i = 0;
        while (i < s.length && isspace(s[i])) i++;
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        if ((base == 0 || base == 16) && i + 2 < s.length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')
                && Character.digit(s[i + 2], 16) >= 0) {
            i += 2;
            base = 16;
        } else if (base == 0) base = i < s.length && s[i] == '0' ? 8 : 10;
        long acc = 0;
        boolean overflow = false, any = false;
        for (; i < s.length; i++) {
            int d = Character.digit(s[i] & 0xff, base);
            if (d < 0 || s[i] < 0) break;
            any = true;
            // acc * base + d past 2^64 - 1 is an overflow (acc is unsigned here)
            if (Long.compareUnsigned(acc, Long.divideUnsigned(-1L - d, base)) > 0) overflow = true;
            else acc = acc * base + d;
        }
        if (end != null) end[0] = any ? i : 0;
        if (!any) return 0;
        if (signed) {
            if (overflow || Long.compareUnsigned(acc, negative ? Long.MIN_VALUE : Long.MAX_VALUE) > 0) {
                ThreadErrno.current().errno = ERANGE;
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            return negative ? -acc : acc;
        }
        if (overflow) {
            ThreadErrno.current().errno = ERANGE;
            return -1L; // ULONG_MAX
        }
        return negative ? -acc : acc;
    }

    private static long strto(MemorySegment nptr, MemorySegment endptr, int base, boolean signed, String call) {
        if (endptr != null && !endptr.equals(MemorySegment.NULL)) {
            if (endptr.byteSize() < ValueLayout.ADDRESS.byteSize()) throw new IndexOutOfBoundsException(call + ": endptr, a segment of " + endptr.byteSize() + " bytes, cannot hold a pointer");
            if (!nptr.isNative()) throw new IllegalArgumentException(call + ": endptr cannot point into a heap segment");
        }
        if (base < 0 || base == 1 || base > 36) { ThreadErrno.current().errno = EINVAL; return 0; }
        long[] end = new long[1];
        long r = strtoBytes(PosixStdio.cbytes(nptr, call), base, signed, end);
        if (endptr != null && !endptr.equals(MemorySegment.NULL)) endptr.set(ValueLayout.ADDRESS_UNALIGNED, 0, MemorySegment.ofAddress(nptr.address() + end[0]));
        return r;
    }

    private static long strto(String nptr, MemorySegment endptr, int base, boolean signed, String call) {
        if (endptr != null && !endptr.equals(MemorySegment.NULL))
            throw new IllegalArgumentException(call + ": endptr cannot point into a Java String; copy the text into a segment (arena.allocateFrom) to learn where the number ended");
        if (base < 0 || base == 1 || base > 36) { ThreadErrno.current().errno = EINVAL; return 0; }
        return strtoBytes(PosixStdio.cbytes(nptr), base, signed, null);
    }

    /**
     * {@code long strtol(const char *nptr, char **endptr, int base)}, strtol(3). endptr is NULL or a
     * segment holding a pointer ({@code arena.allocate(C_POINTER)}), which receives the address of
     * the first byte after the number: {@code endptr.get(C_POINTER, 0).get(JAVA_BYTE, 0)} is C's
     * {@code **endptr}, and its address minus {@code nptr.address()} the number's length.
     * errno: ERANGE (the result is LONG_MIN or LONG_MAX), EINVAL (an unsupported base; 0). As in C, a
     * call that succeeds leaves errno as it was: set {@code errno(0)} first to tell.
     */
    public static long strtol(MemorySegment nptr, MemorySegment endptr, int base) {
        return strto(nptr, endptr, base, true, "strtol");
    }

    /** {@code strtol(argv[1], NULL, 10)} of a Java String; endptr must be NULL (it cannot point into a String). */
    public static long strtol(String nptr, MemorySegment endptr, int base) {
        return strto(nptr, endptr, base, true, "strtol");
    }

    /** {@code unsigned long strtoul(const char *nptr, char **endptr, int base)}, strtoul(3): as strtol; "-1" is ULONG_MAX (the long -1). errno: ERANGE, EINVAL. */
    public static long strtoul(MemorySegment nptr, MemorySegment endptr, int base) {
        return strto(nptr, endptr, base, false, "strtoul");
    }

    /** {@code strtoul} of a Java String; endptr must be NULL. */
    public static long strtoul(String nptr, MemorySegment endptr, int base) {
        return strto(nptr, endptr, base, false, "strtoul");
    }

    /** {@code int atoi(const char *nptr)}, atoi(3): {@code (int) strtol(nptr, NULL, 10)}, as glibc defines it. */
    public static int atoi(MemorySegment nptr) {
        return (int) strtol(nptr, MemorySegment.NULL, 10);
    }

    /** {@code atoi} of a Java String. */
    public static int atoi(String nptr) {
        return (int) strtol(nptr, MemorySegment.NULL, 10);
    }

    /** {@code long atol(const char *nptr)}, atoi(3): {@code strtol(nptr, NULL, 10)}. */
    public static long atol(MemorySegment nptr) {
        return strtol(nptr, MemorySegment.NULL, 10);
    }

    /** {@code atol} of a Java String. */
    public static long atol(String nptr) {
        return strtol(nptr, MemorySegment.NULL, 10);
    }

    // ---- environment and exit --------------------------------------------------------------

    /**
     * {@code char *getenv(const char *name)}, getenv(3): the value in this process's environment
     * now (C's environ, which {@code System.getenv} only snapshots at start-up), or null (NULL).
     */
    public static String getenv(String name) {
        if (name == null) throw new IllegalArgumentException("getenv: name is NULL");
        MemorySegment v;
        try (Arena arena = Arena.ofConfined()) {
            v = sockets_h.getenv(arena.allocateFrom(name));
        }
        if (v.equals(MemorySegment.NULL)) return null;
        return v.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /**
     * {@code void exit(int status)}, exit(3): flushes stdout and stderr, as C's exit flushes stdio,
     * and ends the process with status; Java's shutdown hooks run as C's atexit handlers would.
     * Never returns.
     */
    public static void exit(int status) {
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    // ---- sleeping --------------------------------------------------------------------------

    private static final class Nanosleep { static final Link.Shared H = Link.shared(sockets_h.nanosleep$address(), sockets_h.nanosleep$descriptor()); }

    /**
     * {@code int nanosleep(const struct timespec *req, struct timespec *rem)}, nanosleep(2); blocks.
     * rem may be NULL; when a signal interrupts the sleep, rem gets what was left.
     * errno: EFAULT (req or rem smaller than a struct timespec), EINTR, EINVAL (tv_nsec outside 0..999999999, or tv_sec negative).
     * Refused by the facade before the call: req not a struct timespec, rem neither NULL nor a writable one -1 EFAULT.
     */
    public static int nanosleep(MemorySegment req, MemorySegment rem) {
        req = Memory.orNull(req); // Java null is C's NULL
        rem = Memory.orNull(rem);
        ThreadErrno e = ThreadErrno.current();
        int r;
        if (!Memory.holds(req, timespec.sizeof()) || !Memory.nullOrWritable(rem, timespec.sizeof())) r = e.refuse(EFAULT);
        else try {
            r = (int) Link.call(Nanosleep.H, e.capture, req, rem);
            if (r == -1) e.tookCaptured();
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("nanosleep", r, e.errno, Trace.timespec(req),
                r == -1 && e.errno == EINTR ? Trace.timespec(rem) : rem.equals(MemorySegment.NULL) ? "NULL" : hex(rem));
        return r;
    }


    private static final class Sleep { static final MethodHandle H = Link.plain(sockets_h.sleep$address(), sockets_h.sleep$descriptor()); }

    /** {@code unsigned int sleep(unsigned int seconds)}, sleep(3); blocks: 0, or the seconds left when a signal woke it. */
    public static int sleep(int seconds) {
        int r;
        try { r = (int) Sleep.H.invokeExact(seconds); } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.LOG.debug("sleep({}) = {}", Integer.toUnsignedString(seconds), Integer.toUnsignedString(r));
        return r;
    }

    private static final class Usleep { static final Link.Shared H = Link.shared(sockets_h.usleep$address(), sockets_h.usleep$descriptor()); }

    /** {@code int usleep(useconds_t usec)}, usleep(3); blocks. errno: EINTR, EINVAL. */
    public static int usleep(int usec) {
        ThreadErrno e = ThreadErrno.current();
        int r;
        try {
            r = (int) Link.call(Usleep.H, e.capture, usec);
            if (r == -1) e.tookCaptured();
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("usleep", r, e.errno, Integer.toUnsignedString(usec));
        return r;
    }

    // ---- time ------------------------------------------------------------------------------

    private static final class Time { static final Link.Shared H = Link.shared(sockets_h.time$address(), sockets_h.time$descriptor()); }

    /**
     * {@code time_t time(time_t *tloc)}, time(2): seconds since the Epoch, also stored in *tloc unless it is NULL. errno: EFAULT (tloc smaller than a time_t).
     * Refused by the facade before the call: tloc neither NULL nor a writable time_t -1 EFAULT.
     */
    public static long time(MemorySegment tloc) {
        tloc = Memory.orNull(tloc); // Java null is C's NULL
        ThreadErrno e = ThreadErrno.current();
        long r;
        if (!Memory.nullOrWritable(tloc, sockets_h.time_t.byteSize())) r = e.refuse(EFAULT);
        else try {
            r = Link.call(Time.H, e.capture, tloc);
            if (r == -1) e.tookCaptured();
        } catch (Throwable t) { throw Link.rethrow(t); }
        if (Trace.on()) Trace.log("time", r, e.errno, tloc.equals(MemorySegment.NULL) ? "NULL" : "[" + r + "]");
        return r;
    }

    /** A time_t and a struct tm and a 26-byte buffer of this thread's: C's static results, per thread. */
    private static final class TimeBuffers {
        final Arena memory = Arena.ofAuto();
        final MemorySegment t = memory.allocate(sockets_h.time_t);
        final MemorySegment tm = memory.allocate(io.github.panamasockets.bindings.tm.layout());
        final MemorySegment text = memory.allocate(64);
        static final ThreadLocal<TimeBuffers> CURRENT = ThreadLocal.withInitial(TimeBuffers::new);
    }

    /**
     * {@code char *ctime(const time_t *timep)}, ctime(3): "Wed Jun 30 21:49:08 1993\n" in local
     * time, or null (NULL) for a time whose year does not fit (errno EOVERFLOW). timep holds a time_t.
     */
    public static String ctime(MemorySegment timep) {
        if (timep.byteSize() < sockets_h.time_t.byteSize()) throw new IndexOutOfBoundsException("ctime: timep, a segment of " + timep.byteSize() + " bytes, cannot hold a time_t");
        return ctime(timep.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
    }

    /** {@code ctime(&t)} of a time_t the caller holds as a long. */
    public static String ctime(long t) {
        TimeBuffers b = TimeBuffers.CURRENT.get();
        b.t.set(sockets_h.time_t, 0, t);
        // glibc's ctime_r needs 26 bytes and refuses (EOVERFLOW) a year that would not fit them
        if (sockets_h.ctime_r(b.t, b.text).equals(MemorySegment.NULL)) { ThreadErrno.current().errno = EOVERFLOW; return null; }
        return b.text.getString(0, StandardCharsets.US_ASCII);
    }

    /**
     * {@code struct tm *gmtime_r(const time_t *timep, struct tm *result)}, ctime(3): result (a
     * {@code tm.allocate(arena)}), or NULL with errno EOVERFLOW.
     */
    public static MemorySegment gmtime_r(MemorySegment timep, MemorySegment result) {
        return brokenDown(timep, result, false, "gmtime_r");
    }

    /** {@code struct tm *localtime_r(const time_t *timep, struct tm *result)}, ctime(3): as gmtime_r, in local time. */
    public static MemorySegment localtime_r(MemorySegment timep, MemorySegment result) {
        return brokenDown(timep, result, true, "localtime_r");
    }

    /**
     * {@code struct tm *gmtime(const time_t *timep)}, ctime(3): a struct tm of this thread's (C's is
     * one static struct; here each thread has its own), overwritten by its next gmtime or
     * localtime; or NULL with errno EOVERFLOW.
     */
    public static MemorySegment gmtime(MemorySegment timep) {
        return brokenDown(timep, TimeBuffers.CURRENT.get().tm, false, "gmtime");
    }

    /** {@code struct tm *localtime(const time_t *timep)}, ctime(3): as gmtime, in local time. */
    public static MemorySegment localtime(MemorySegment timep) {
        return brokenDown(timep, TimeBuffers.CURRENT.get().tm, true, "localtime");
    }

    private static MemorySegment brokenDown(MemorySegment timep, MemorySegment result, boolean local, String call) {
        if (timep.byteSize() < sockets_h.time_t.byteSize()) throw new IndexOutOfBoundsException(call + ": timep, a segment of " + timep.byteSize() + " bytes, cannot hold a time_t");
        if (result.byteSize() < tm.sizeof()) throw new IndexOutOfBoundsException(call + ": result, a segment of " + result.byteSize() + " bytes, cannot hold a struct tm");
        TimeBuffers b = TimeBuffers.CURRENT.get();
        b.t.set(sockets_h.time_t, 0, timep.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        MemorySegment r = local ? sockets_h.localtime_r(b.t, b.tm) : sockets_h.gmtime_r(b.t, b.tm);
        if (r.equals(MemorySegment.NULL)) { ThreadErrno.current().errno = EOVERFLOW; return MemorySegment.NULL; }
        if (result != b.tm) result.copyFrom(b.tm.asSlice(0, tm.sizeof()));
        ZONES.add(tm.tm_zone(b.tm).address());
        return result;
    }

    /** The tm_zone pointers glibc has given out: static strings, so safe to hand back to strftime. */
    private static final java.util.Set<Long> ZONES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * {@code size_t strftime(char *s, size_t max, const char *format, const struct tm *tm)},
     * strftime(3), in the C locale (as a C program that never calls setlocale prints it, whatever
     * LANG says; the JVM itself sets its locale from the environment): the length of the text written with its NUL into s, or 0 when
     * it (with the NUL) does not fit in max bytes. max past s throws IndexOutOfBoundsException.
     * tm's fields are read as they are; its tm_zone pointer (read by %Z) is used only when it is
     * one that gmtime or localtime gave, and read as NULL (an empty name) otherwise, so that a
     * struct tm filled by hand cannot send glibc to read arbitrary memory.
     */
    public static long strftime(MemorySegment s, long max, String format, MemorySegment tm) {
        if (!s.isNative()) throw new IllegalArgumentException("strftime: s is a heap segment; glibc writes into native memory only");
        if (Long.compareUnsigned(max, s.byteSize()) > 0) throw new IndexOutOfBoundsException("strftime: max " + Long.toUnsignedString(max) + " is past s, a segment of " + s.byteSize() + " bytes");
        if (tm.byteSize() < io.github.panamasockets.bindings.tm.sizeof()) throw new IndexOutOfBoundsException("strftime: tm, a segment of " + tm.byteSize() + " bytes, is smaller than a struct tm");
        if (format == null) throw new IllegalArgumentException("strftime: the format is NULL");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(io.github.panamasockets.bindings.tm.layout());
            copy.copyFrom(tm.asSlice(0, io.github.panamasockets.bindings.tm.sizeof()));
            MemorySegment zone = io.github.panamasockets.bindings.tm.tm_zone(copy);
            if (!ZONES.contains(zone.address())) io.github.panamasockets.bindings.tm.tm_zone(copy, MemorySegment.NULL);
            return sockets_h.strftime_l(s, max, arena.allocateFrom(format), copy, CLocale.C);
        }
    }

    /** The "C" locale, made once: C's default, which the JVM's setlocale(LC_ALL, "") replaced for the process. */
    private static final class CLocale {
        static final MemorySegment C;
        static {
            try (Arena arena = Arena.ofConfined()) {
                C = sockets_h.newlocale(LC_ALL_MASK, arena.allocateFrom("C"), MemorySegment.NULL);
            }
            if (C.equals(MemorySegment.NULL)) throw new IllegalStateException("newlocale(LC_ALL_MASK, \"C\", NULL) failed");
        }
    }
}
