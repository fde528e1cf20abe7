package io.github.panamasockets.api;

import io.github.panamasockets.bindings.ErrnoTable;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.linger;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_un;
import io.github.panamasockets.bindings.tcp_info;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.bindings.SocketsConstants.*;

/**
 * The strace-style trace: with the logger {@code io.github.panamasockets.trace} at DEBUG, each
 * facade call is logged as strace prints it, arguments decoded. Callers test {@link #on()} first,
 * so that with the logger off nothing is built and nothing allocated.
 *
 * <p>Start-up: SLF4J is initialised at the first {@code on()}, and only when it could say DEBUG:
 * with {@code -Dpanamasockets.trace=off}, or with no SLF4J provider on the class path (SLF4J
 * would bind its no-op logger), the trace is off and SLF4J is never loaded (its initialisation
 * costs tens of milliseconds of a cold JVM).
 */
final class Trace {
    private Trace() {}

    /** The system property that turns the trace off without asking SLF4J: {@code -Dpanamasockets.trace=off}. */
    static final String PROPERTY = "panamasockets.trace";
    static final String LOGGER_NAME = "io.github.panamasockets.trace";

    /** The logger, for the calls that log lines of their own: used only after {@link #on()} said yes. */
    static final Log LOG = new Log();

    static boolean on() {
        Logger l = Slf4j.LOGGER;
        return l != null && l.isDebugEnabled();
    }

    /** The SLF4J logger behind the trace, null when it cannot log: for tests that set its level. */
    static Logger slf4jLogger() {
        return Slf4j.LOGGER;
    }

    /** Holds the logger, so that SLF4J is initialised on the first {@link #on()}, not before. */
    private static final class Slf4j {
        static final Logger LOGGER = mayLog() ? LoggerFactory.getLogger(LOGGER_NAME) : null;
    }

    /**
     * Whether SLF4J could log the trace: not turned off by the property, and a provider to log
     * with (SLF4J 2 finds providers through ServiceLoader, or takes the one {@code slf4j.provider}
     * names), looked for as SLF4J looks: with the loader of its LoggerFactory (loaded, not
     * initialised). In a named module the services file cannot be seen this way: SLF4J is asked.
     */
    static boolean mayLog() {
        String p = System.getProperty(PROPERTY);
        if (p != null && (p.equalsIgnoreCase("off") || p.equalsIgnoreCase("false"))) return false;
        if (System.getProperty("slf4j.provider") != null || Trace.class.getModule().isNamed()) return true;
        ClassLoader loader = LoggerFactory.class.getClassLoader();
        return loader == null || loader.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null;
    }

    /**
     * SLF4J's debug(format, args...), through which every line goes: it puts strace -f's
     * "[pid N] " before the line when {@link TraceTasks} says so. Only after {@link #on()}.
     */
    static final class Log {
        void debug(String format, Object... args) {
            Slf4j.LOGGER.debug(TraceTasks.prefix() + format, args);
        }
    }

    /** Logs {@code call(args) = result}, with errno's name and text when the call failed. */
    static void log(String call, long result, int errno, String... args) {
        LOG.debug("{}({}) = {}", call, String.join(", ", args), result(result, errno));
    }

    /** As {@link #log} with strace's trailing decoding of what the call returned: "= 1 ([{fd=3, revents=POLLIN}])", "= 0 (Timeout)". */
    static void logWithOutput(String call, long result, int errno, String output, String... args) {
        LOG.debug("{}({}) = {}", call, String.join(", ", args), result(result, errno) + (result >= 0 && output != null ? " (" + output + ")" : ""));
    }

    /**
     * A library call that is not itself a system call (inet_pton, getaddrinfo, mkdtemp,
     * posix_spawn, ...), marked with a leading "~": strace never shows such a call, only the system
     * calls it makes, if any. The result is given as it is to be printed.
     */
    static void logLibrary(String call, String result, String... args) {
        LOG.debug("~{}({}) = {}", call, String.join(", ", args), result);
    }

    /** As {@link #log} for a result that is a set of flags, as strace prints fcntl(F_GETFL): "= 0x802 (flags O_RDWR|O_NONBLOCK)". */
    static void logFlags(String call, long result, int errno, String prefix, String... args) {
        String r = result < 0 ? result(result, errno)
                : result == 0 ? "0" + (prefix.equals("O_") ? " (flags O_RDONLY)" : "") // O_RDONLY is 0: the access mode, not a bit
                : "0x" + Long.toHexString(result) + " (flags " + Names.flags(prefix, (int) result) + ")";
        LOG.debug("{}({}) = {}", call, String.join(", ", args), r);
    }

    static String result(long result, int errno) {
        return result == -1 ? "-1 " + Errors.name(errno) + " (" + Errors.message(errno) + ")" : String.valueOf(result);
    }

    static String num(long v) {
        return String.valueOf(v);
    }

    /** A mode as strace prints it: 0644. */
    static String octal(int mode) {
        return "0" + Integer.toOctalString(mode);
    }

    /** A pointer as strace prints one it does not decode: 0x7f..., or NULL. */
    static String hex(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "NULL" : "0x" + Long.toHexString(p.address());
    }

    /**
     * Whether the trace may read {@code n} bytes of {@code s}: not NULL, within it, alive and this
     * thread's to read. The trace decodes what a call was given, which may be anything the facade
     * refused: it reads only such segments, and reads them unaligned, so that it never throws.
     */
    static boolean readable(MemorySegment s, long n) {
        return !s.equals(MemorySegment.NULL) && n >= 0 && n <= s.byteSize() && s.scope().isAlive() && s.isAccessibleBy(Thread.currentThread());
    }

    /**
     * A socket address as strace decodes it, by family; NULL as NULL, one it cannot read as its address.
     * Like every decoder here it never throws, also when another thread closes the segment's shared
     * arena between the {@link #readable} check and the read: the trace runs after the call, when
     * nothing may throw.
     */
    static String sockaddr(MemorySegment addr, long len) {
        try {
            return sockaddrOf(addr, len);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(addr);
        }
    }

    private static String sockaddrOf(MemorySegment addr, long len) {
        if (addr.equals(MemorySegment.NULL)) return "NULL";
        long n = Math.min(len, addr.byteSize());
        if (n < 2) return "{sa_family=?}";
        if (!readable(addr, n)) return hex(addr);
        int family = Short.toUnsignedInt(addr.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
        String fam = Names.value("AF_", family);
        if (family == AF_INET && n >= sockaddr_in.sizeof()) {
            return "{sa_family=" + fam + ", sin_port=htons(" + port(addr, sockaddr_in.sin_port$offset())
                    + "), sin_addr=inet_addr(\"" + ipv4(addr.asSlice(sockaddr_in.sin_addr$offset(), 4)) + "\")}";
        }
        if (family == AF_INET6 && n >= sockaddr_in6.sizeof()) {
            return "{sa_family=" + fam + ", sin6_port=htons(" + port(addr, sockaddr_in6.sin6_port$offset())
                    + "), sin6_flowinfo=htonl(" + Integer.toUnsignedString(Posix.ntohl(addr.get(ValueLayout.JAVA_INT_UNALIGNED, sockaddr_in6.sin6_flowinfo$offset())))
                    + "), inet_pton(AF_INET6, \"" + Posix.inet6(addr.asSlice(sockaddr_in6.sin6_addr$offset(), 16)) + "\", &sin6_addr), sin6_scope_id="
                    + Integer.toUnsignedString(addr.get(ValueLayout.JAVA_INT_UNALIGNED, sockaddr_in6.sin6_scope_id$offset())) + "}";
        }
        if (family == AF_UNIX) {
            long off = sockaddr_un.sun_path$offset();
            if (n <= off) return "{sa_family=" + fam + "}";
            MemorySegment path = addr.asSlice(off, n - off);
            boolean abstractName = path.get(ValueLayout.JAVA_BYTE, 0) == 0;
            return "{sa_family=" + fam + ", sun_path=" + (abstractName ? "@" + quote(path.asSlice(1), path.byteSize() - 1, false)
                    : quote(path, Posix.strnlen(path), false)) + "}";
        }
        return "{sa_family=" + fam + ", sa_data=" + quote(addr.asSlice(2, n - 2), n - 2, false) + "}";
    }

    /** A port in network order at {@code offset}, in host order: 0..65535. */
    private static int port(MemorySegment addr, long offset) {
        return Posix.ntohs(Short.toUnsignedInt(addr.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset)));
    }

    /** An IPv4 address (4 bytes, network order) in dotted decimal, as inet_ntoa(3) prints it. */
    private static String ipv4(MemorySegment in) {
        return (in.get(ValueLayout.JAVA_BYTE, 0) & 0xff) + "." + (in.get(ValueLayout.JAVA_BYTE, 1) & 0xff) + "."
                + (in.get(ValueLayout.JAVA_BYTE, 2) & 0xff) + "." + (in.get(ValueLayout.JAVA_BYTE, 3) & 0xff);
    }

    /** A buffer as strace prints it: a C string literal of at most 32 bytes, then "..." when longer. */
    static String buffer(MemorySegment buf, long len) {
        if (buf.equals(MemorySegment.NULL)) return "NULL";
        if (!readable(buf, Math.min(len, 32))) return hex(buf);
        if (len > buf.byteSize()) return hex(buf);
        try {
            return quote(buf, len, true);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(buf);
        }
    }

    /**
     * Bytes as strace quotes them: \n \t \r \f \v by name, other unprintable bytes in octal, in
     * three digits when an octal digit follows ("\0001" is the bytes 0 and '1'), else the fewest.
     */
    static String quote(MemorySegment buf, long len, boolean truncate) {
        long shown = truncate ? Math.min(len, 32) : len;
        StringBuilder s = new StringBuilder("\"");
        for (long i = 0; i < shown; i++) {
            int b = buf.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            switch (b) {
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\r' -> s.append("\\r");
                case '\f' -> s.append("\\f");
                case 0x0b -> s.append("\\v");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) s.append((char) b);
                    else {
                        int next = i + 1 < shown ? buf.get(ValueLayout.JAVA_BYTE, i + 1) : -1;
                        String octal = Integer.toOctalString(b);
                        s.append('\\').append(next >= '0' && next <= '7' ? "000".substring(octal.length()) + octal : octal);
                    }
                }
            }
        }
        s.append('"');
        if (truncate && len > shown) s.append("...");
        return s.toString();
    }

    /** An fd_set as strace prints it: the descriptors below nfds that are set, "[3 5]"; NULL as NULL, a short segment as its address. */
    static String fdSet(MemorySegment set, int nfds) {
        if (set.equals(MemorySegment.NULL)) return "NULL";
        if (!readable(set, fd_set.sizeof())) return hex(set);
        List<String> fds = new ArrayList<>();
        int max = (int) Math.min(nfds, fd_set.sizeof() * 8);
        try {
            for (int fd = 0; fd < max; fd++) if (Posix.FD_ISSET(fd, set)) fds.add(String.valueOf(fd));
        } catch (IllegalStateException closedMeanwhile) {
            return hex(set);
        }
        return "[" + String.join(" ", fds) + "]";
    }

    /** A struct timeval as strace prints it, "{tv_sec=0, tv_usec=0}"; NULL as NULL, a short segment as its address. */
    /** A struct timespec as strace prints it, read unaligned; NULL as NULL, one it cannot read as its address. */
    static String timespec(MemorySegment ts) {
        if (ts.equals(MemorySegment.NULL)) return "NULL";
        if (!readable(ts, io.github.panamasockets.bindings.timespec.sizeof())) return hex(ts);
        try {
            return "{tv_sec=" + ts.get(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timespec.tv_sec$offset())
                    + ", tv_nsec=" + ts.get(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timespec.tv_nsec$offset()) + "}";
        } catch (IllegalStateException closedMeanwhile) {
            return hex(ts);
        }
    }

    static String timeval(MemorySegment tv) {
        if (tv.equals(MemorySegment.NULL)) return "NULL";
        if (!readable(tv, io.github.panamasockets.bindings.timeval.sizeof())) return hex(tv);
        try {
            return "{tv_sec=" + tv.get(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timeval.tv_sec$offset())
                    + ", tv_usec=" + tv.get(ValueLayout.JAVA_LONG_UNALIGNED, io.github.panamasockets.bindings.timeval.tv_usec$offset()) + "}";
        } catch (IllegalStateException closedMeanwhile) {
            return hex(tv);
        }
    }

    /** What select(2) returned, as strace prints it: "in [5], out [4], left {tv_sec=0, tv_usec=0}" (empty sets left out). */
    static String selected(int nfds, MemorySegment readfds, MemorySegment writefds, MemorySegment exceptfds, MemorySegment timeout) {
        List<String> parts = new ArrayList<>();
        String[] names = {"in", "out", "except"};
        MemorySegment[] sets = {readfds, writefds, exceptfds};
        for (int i = 0; i < 3; i++) {
            String fds = fdSet(sets[i], nfds);
            if (!fds.equals("NULL") && !fds.equals("[]")) parts.add(names[i] + " " + fds);
        }
        if (!timeout.equals(MemorySegment.NULL)) parts.add("left " + timeval(timeout));
        return String.join(", ", parts);
    }

    /** A pollfd array: "[{fd=3, events=POLLIN}]", or with revents after the call. */
    static String pollfds(MemorySegment fds, long nfds, boolean revents) {
        if (nfds < 0 || nfds > fds.byteSize() / pollfd.sizeof() || !readable(fds, nfds * pollfd.sizeof())) return hex(fds);
        try {
            return pollfdsOf(fds, nfds, revents);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(fds);
        }
    }

    private static String pollfdsOf(MemorySegment fds, long nfds, boolean revents) {
        List<String> items = new ArrayList<>();
        for (long i = 0; i < nfds; i++) {
            long at = i * pollfd.sizeof();
            int fd = fds.get(ValueLayout.JAVA_INT_UNALIGNED, at + pollfd.fd$offset());
            int events = Short.toUnsignedInt(fds.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + pollfd.events$offset()));
            int got = Short.toUnsignedInt(fds.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + pollfd.revents$offset()));
            if (revents && got == 0) continue;
            items.add("{fd=" + fd + ", " + (revents ? "revents=" + Names.flags("POLL", got) : "events=" + Names.flags("POLL", events)) + "}");
        }
        return "[" + String.join(", ", items) + "]";
    }

    /**
     * A socket option's value as strace decodes it: SO_ERROR as errno's name ("[ECONNREFUSED]"),
     * SO_RCVTIMEO and SO_SNDTIMEO as a timeval, SO_LINGER as a struct linger, TCP_INFO by its state;
     * any other 4-byte value as an int, "[1]"; what cannot be read, as its address.
     */
    static String option(int level, int optname, MemorySegment optval, long len) {
        if (len <= 0 || !readable(optval, len)) return hex(optval);
        if (level == SOL_SOCKET && optname == SO_ERROR && len == 4) {
            int error = optval.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            return "[" + (error == 0 ? "0" : Errors.name(error)) + "]";
        }
        if (level == SOL_SOCKET && (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO) && len >= io.github.panamasockets.bindings.timeval.sizeof()) {
            return timeval(optval);
        }
        if (level == SOL_SOCKET && optname == SO_LINGER && len >= linger.sizeof()) {
            return "{l_onoff=" + optval.get(ValueLayout.JAVA_INT_UNALIGNED, linger.l_onoff$offset())
                    + ", l_linger=" + optval.get(ValueLayout.JAVA_INT_UNALIGNED, linger.l_linger$offset()) + "}";
        }
        if (level == IPPROTO_TCP && optname == TCP_INFO && len > tcp_info.tcpi_state$offset()) {
            return "{tcpi_state=" + tcpState(Byte.toUnsignedInt(optval.get(ValueLayout.JAVA_BYTE, tcp_info.tcpi_state$offset()))) + ", ...}";
        }
        return len == 4 ? intAt(optval) : hex(optval);
    }

    /** A tcpi_state by name (these names share their values with TCP_ option names, so Names cannot tell them). */
    static String tcpState(int state) {
        return switch (state) {
            case TCP_ESTABLISHED -> "TCP_ESTABLISHED";
            case TCP_SYN_SENT -> "TCP_SYN_SENT";
            case TCP_SYN_RECV -> "TCP_SYN_RECV";
            case TCP_FIN_WAIT1 -> "TCP_FIN_WAIT1";
            case TCP_FIN_WAIT2 -> "TCP_FIN_WAIT2";
            case TCP_TIME_WAIT -> "TCP_TIME_WAIT";
            case TCP_CLOSE -> "TCP_CLOSE";
            case TCP_CLOSE_WAIT -> "TCP_CLOSE_WAIT";
            case TCP_LAST_ACK -> "TCP_LAST_ACK";
            case TCP_LISTEN -> "TCP_LISTEN";
            case TCP_CLOSING -> "TCP_CLOSING";
            default -> String.valueOf(state);
        };
    }

    /** An int at the start of a segment, "[1]" as strace prints an int*, or the address when it cannot be read. */
    static String intAt(MemorySegment p) {
        try {
            return readable(p, 4) ? "[" + p.get(ValueLayout.JAVA_INT_UNALIGNED, 0) + "]" : hex(p);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(p);
        }
    }

    /** A pointer the call stored, "[0x55...]", or the address of where it went when it cannot be read. */
    static String pointerAt(MemorySegment p) {
        try {
            return readable(p, ValueLayout.ADDRESS.byteSize()) ? "[" + hex(p.get(ValueLayout.ADDRESS_UNALIGNED, 0)) + "]" : hex(p);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(p);
        }
    }

    /** int[2] as strace prints the descriptors of pipe and socketpair: "[3, 4]". */
    static String intPair(MemorySegment p) {
        try {
            return readable(p, 8) ? "[" + p.get(ValueLayout.JAVA_INT_UNALIGNED, 0) + ", " + p.get(ValueLayout.JAVA_INT_UNALIGNED, 4) + "]" : hex(p);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(p);
        }
    }

    /** A value-result socklen_t* as strace prints it: [16] before, [16 => 16] is left to strace; we print the value. */
    static String socklen(MemorySegment len) {
        if (len.equals(MemorySegment.NULL)) return "NULL";
        try {
            return readable(len, 4) ? "[" + len.get(ValueLayout.JAVA_INT_UNALIGNED, 0) + "]" : hex(len);
        } catch (IllegalStateException closedMeanwhile) {
            return hex(len);
        }
    }

    /** The C string at the start of a readable segment, or null when it cannot be read (closed meanwhile). */
    static String cstringOrNull(MemorySegment s) {
        try {
            return readable(s, 0) ? Posix.cstring(s) : null;
        } catch (IllegalStateException closedMeanwhile) {
            return null;
        }
    }

    static String string(String s) {
        if (s == null) return "NULL";
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return quote(MemorySegment.ofArray(bytes), bytes.length, false);
    }

}
