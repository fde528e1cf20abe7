package io.github.panamasockets.api;

import io.github.panamasockets.bindings.linger;
import io.github.panamasockets.bindings.tcp_info;
import io.github.panamasockets.bindings.timeval;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket option values and flag results in the trace, decoded as strace decodes them. */
class TraceOptionValuesTest {

    @Test
    void soErrorPrintsErrnosName() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals("[ECONNREFUSED]", Trace.option(SOL_SOCKET, SO_ERROR, arena.allocateFrom(ValueLayout.JAVA_INT, ECONNREFUSED), 4));
            assertEquals("[0]", Trace.option(SOL_SOCKET, SO_ERROR, arena.allocateFrom(ValueLayout.JAVA_INT, 0), 4));
            assertEquals("[4242]", Trace.option(SOL_SOCKET, SO_ERROR, arena.allocateFrom(ValueLayout.JAVA_INT, 4242), 4), "a number no errno names");
        }
    }

    @Test
    void timeoutsPrintAsATimevalAndLingerAsItsStruct() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tv = timeval.allocate(arena);
            timeval.tv_sec(tv, 5);
            timeval.tv_usec(tv, 250);
            assertEquals("{tv_sec=5, tv_usec=250}", Trace.option(SOL_SOCKET, SO_RCVTIMEO, tv, tv.byteSize()));
            assertEquals("{tv_sec=5, tv_usec=250}", Trace.option(SOL_SOCKET, SO_SNDTIMEO, tv, tv.byteSize()));
            MemorySegment l = linger.allocate(arena);
            linger.l_onoff(l, 1);
            linger.l_linger(l, 0);
            assertEquals("{l_onoff=1, l_linger=0}", Trace.option(SOL_SOCKET, SO_LINGER, l, l.byteSize()));
        }
    }

    @Test
    void tcpInfoPrintsItsState() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = tcp_info.allocate(arena);
            tcp_info.tcpi_state(info, (byte) TCP_TIME_WAIT);
            assertEquals("{tcpi_state=TCP_TIME_WAIT, ...}", Trace.option(IPPROTO_TCP, TCP_INFO, info, info.byteSize()));
            assertEquals("TCP_CLOSING", Trace.tcpState(TCP_CLOSING), "11, as TCP_INFO is: the state's name here");
        }
    }

    @Test
    void otherValuesPrintAsAnIntOrTheirAddress() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals("[1]", Trace.option(SOL_SOCKET, SO_REUSEADDR, arena.allocateFrom(ValueLayout.JAVA_INT, 1), 4));
            MemorySegment short2 = arena.allocate(2);
            assertTrue(Trace.option(SOL_SOCKET, SO_LINGER, short2, 8).startsWith("0x"), "a length past the segment: its address, nothing read");
            assertEquals("NULL", Trace.option(SOL_SOCKET, SO_ERROR, MemorySegment.NULL, 4));
        }
    }

    @Test
    void aMsghdrIsDecodedThroughWhatItPointsTo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = io.github.panamasockets.bindings.msghdr.allocate(arena);
            MemorySegment iov = io.github.panamasockets.bindings.iovec.allocate(arena); // iov_base NULL, iov_len 0
            io.github.panamasockets.bindings.msghdr.msg_iov(msg, iov);
            io.github.panamasockets.bindings.msghdr.msg_iovlen(msg, 1);
            io.github.panamasockets.bindings.msghdr.msg_flags(msg, MSG_CTRUNC);
            assertEquals("{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=NULL, iov_len=0}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_CTRUNC}",
                    TraceMsghdr.sent(msg));
            io.github.panamasockets.bindings.msghdr.msg_iovlen(msg, 0);
            assertEquals("{msg_name=NULL, msg_namelen=0, msg_iov=[], msg_iovlen=0, msg_controllen=0, msg_flags=MSG_CTRUNC}", TraceMsghdr.sent(msg));
            io.github.panamasockets.bindings.msghdr.msg_iov(msg, MemorySegment.NULL);
            assertEquals("{msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_controllen=0, msg_flags=MSG_CTRUNC}", TraceMsghdr.sent(msg));
            MemorySegment shorter = arena.allocate(8);
            assertEquals("0x" + Long.toHexString(shorter.address()), TraceMsghdr.sent(shorter), "a segment shorter than a msghdr: its address, nothing read");
            assertEquals("NULL", TraceMsghdr.received(MemorySegment.NULL, 0, -1));
        }
    }

    @Test
    void libraryCallsAreMarkedAndTheNetdbCallsTraced(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // In a child JVM with the trace at DEBUG, into a file: each library call with its leading "~".
        java.util.List<String> options = new java.util.ArrayList<>(Child.traceOptions());
        java.nio.file.Path log = dir.resolve("trace.log");
        options.set(1, "-Dorg.slf4j.simpleLogger.logFile=" + log);
        Child.Result r = Child.java(dir, LibraryCalls.class, options);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        java.util.List<String> lines = java.nio.file.Files.readAllLines(log).stream().map(l -> l.replaceFirst("^(\\[[^\\]]+] )?DEBUG ", "")).toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("~inet_pton\\(AF_INET, \"127\\.0\\.0\\.1\", 0x[0-9a-f]+\\) = 1"), lines.get(0));
        assertTrue(lines.get(1).matches("~inet_ntop\\(AF_INET, 0x[0-9a-f]+, 0x[0-9a-f]+, 16\\) = \"127\\.0\\.0\\.1\""), lines.get(1));
        assertEquals("~getnameinfo({sa_family=AF_INET, sin_port=htons(8888), sin_addr=inet_addr(\"127.0.0.1\")}, 16, \"127.0.0.1\", 64, \"8888\", 16, "
                + "NI_NUMERICHOST|NI_NUMERICSERV) = 0", lines.get(2));
    }

    /** The child of {@link #libraryCallsAreMarkedAndTheNetdbCallsTraced}. */
    static final class LibraryCalls {
        public static void main(String[] args) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment addr = io.github.panamasockets.bindings.sockaddr_in.allocate(arena);
                sin_family(addr, AF_INET);
                sin_port(addr, htons(8888));
                if (inet_pton(AF_INET, "127.0.0.1", sin_addr(addr)) != 1) System.exit(1);
                if (inet_ntop(AF_INET, sin_addr(addr), arena.allocate(16), 16).equals(MemorySegment.NULL)) System.exit(2);
                if (getnameinfo(addr, 16, arena.allocate(64), 64, arena.allocate(16), 16, NI_NUMERICHOST | NI_NUMERICSERV) != 0) System.exit(3);
            }
        }
    }

    @Test
    void aReadAtEndOfFileShowsAnEmptyString() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals("\"\"", Trace.buffer(arena.allocate(1024), 0), "strace: read(9, \"\", 1024) = 0");
        }
    }
}
