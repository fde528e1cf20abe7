package io.github.panamasockets.api;

import io.github.panamasockets.bindings.ErrnoTable;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.sockaddr_in6;
import io.github.panamasockets.bindings.sockaddr_un;
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
 */
final class Trace {
    private Trace() {}

    static final Logger LOG = LoggerFactory.getLogger("io.github.panamasockets.trace");

    static boolean on() {
        return LOG.isDebugEnabled();
    }

    /** Logs {@code call(args) = result}, with errno's name and text when the call failed. */
    static void log(String call, long result, int errno, String... args) {
        LOG.debug("{}({}) = {}", call, String.join(", ", args), result(result, errno));
    }

    /** As {@link #log} with strace's trailing decoding of what the call returned: "= 1 ([{fd=3, revents=POLLIN}])". */
    static void logWithOutput(String call, long result, int errno, String output, String... args) {
        LOG.debug("{}({}) = {}", call, String.join(", ", args), result(result, errno) + (result > 0 && output != null ? " (" + output + ")" : ""));
    }

    static String result(long result, int errno) {
        return result == -1 ? "-1 " + Errors.name(errno) + " (" + Errors.message(errno) + ")" : String.valueOf(result);
    }

    static String num(long v) {
        return String.valueOf(v);
    }

    /** A socket address as strace decodes it, by family; NULL as NULL. */
    static String sockaddr(MemorySegment addr, long len) {
        if (addr.equals(MemorySegment.NULL)) return "NULL";
        long n = Math.min(len, addr.byteSize());
        if (n < 2) return "{sa_family=?}";
        int family = Short.toUnsignedInt(addr.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
        String fam = Names.value("AF_", family);
        if (family == AF_INET && n >= sockaddr_in.sizeof()) {
            return "{sa_family=" + fam + ", sin_port=htons(" + Posix.ntohs(Short.toUnsignedInt(sockaddr_in.sin_port(addr)))
                    + "), sin_addr=inet_addr(\"" + Posix.inet_ntoa(sockaddr_in.sin_addr(addr)) + "\")}";
        }
        if (family == AF_INET6 && n >= sockaddr_in6.sizeof()) {
            return "{sa_family=" + fam + ", sin6_port=htons(" + Posix.ntohs(Short.toUnsignedInt(sockaddr_in6.sin6_port(addr)))
                    + "), sin6_flowinfo=htonl(" + Posix.ntohl(sockaddr_in6.sin6_flowinfo(addr)) + "), inet_pton(AF_INET6, \""
                    + Posix.inet6(sockaddr_in6.sin6_addr(addr)) + "\", &sin6_addr), sin6_scope_id=" + sockaddr_in6.sin6_scope_id(addr) + "}";
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

    /** A buffer as strace prints it: a C string literal of at most 32 bytes, then "..." when longer. */
    static String buffer(MemorySegment buf, long len) {
        if (buf.equals(MemorySegment.NULL)) return "NULL";
        if (len < 0 || len > buf.byteSize()) return "0x" + Long.toHexString(buf.address());
        return quote(buf, len, true);
    }

    static String quote(MemorySegment buf, long len, boolean truncate) {
        long shown = truncate ? Math.min(len, 32) : len;
        StringBuilder s = new StringBuilder("\"");
        for (long i = 0; i < shown; i++) {
            int b = buf.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            switch (b) {
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\r' -> s.append("\\r");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) s.append((char) b);
                    else s.append(String.format("\\%o", b));
                }
            }
        }
        s.append('"');
        if (truncate && len > shown) s.append("...");
        return s.toString();
    }

    /** An fd_set as strace prints it: the descriptors below nfds that are set, "[3 5]"; NULL as NULL. */
    static String fdSet(MemorySegment set, int nfds) {
        if (set.equals(MemorySegment.NULL)) return "NULL";
        List<String> fds = new ArrayList<>();
        int max = (int) Math.min(nfds, fd_set.sizeof() * 8);
        for (int fd = 0; fd < max; fd++) if (Posix.FD_ISSET(fd, set)) fds.add(String.valueOf(fd));
        return "[" + String.join(" ", fds) + "]";
    }

    /** A pollfd array: "[{fd=3, events=POLLIN}]", or with revents after the call. */
    static String pollfds(MemorySegment fds, long nfds, boolean revents) {
        List<String> items = new ArrayList<>();
        for (long i = 0; i < nfds; i++) {
            MemorySegment p = pollfd.asSlice(fds, i);
            if (revents && pollfd.revents(p) == 0) continue;
            items.add("{fd=" + pollfd.fd(p) + ", " + (revents ? "revents=" + Names.flags("POLL", Short.toUnsignedInt(pollfd.revents(p)))
                    : "events=" + Names.flags("POLL", Short.toUnsignedInt(pollfd.events(p)))) + "}");
        }
        return "[" + String.join(", ", items) + "]";
    }

    /** A value-result socklen_t* as strace prints it: [16] before, [16 => 16] is left to strace; we print the value. */
    static String socklen(MemorySegment len) {
        if (len.equals(MemorySegment.NULL)) return "NULL";
        return "[" + (len.byteSize() >= 4 ? len.get(ValueLayout.JAVA_INT_UNALIGNED, 0) : "?") + "]";
    }

    static String string(String s) {
        return s == null ? "NULL" : quote(MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8)), s.length(), false);
    }

}
