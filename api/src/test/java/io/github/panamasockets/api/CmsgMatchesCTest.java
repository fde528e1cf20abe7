package io.github.panamasockets.api;

import io.github.panamasockets.bindings.cmsghdr;
import io.github.panamasockets.bindings.msghdr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CMSG_FIRSTHDR and CMSG_NXTHDR answer what this machine's C macros answer, at every header-size
 * boundary: a C program compiled now walks the same control buffers (every msg_controllen from 0
 * to 96, a cmsg at every 8-byte offset inside, every cmsg_len from 0 to 104 and the huge ones) and
 * prints where each macro points, or NULL. CMSG_DATA: C's address, and the facade's length.
 */
@ExtendWith(NoLeaks.class)
class CmsgMatchesCTest {
    static final int MAX_CONTROLLEN = 96, MAX_LEN = 104;
    /** cmsg_len values past any buffer: C compares them as size_t; the facade must not overflow on them. */
    static final long[] HUGE_LENS = {Long.MAX_VALUE, Long.MAX_VALUE - 6, Long.MIN_VALUE, -8, -1, 1L << 62};

    static final String C = """
            #include <stdio.h>
            #include <string.h>
            #include <sys/socket.h>
            static union { struct cmsghdr align; unsigned char b[256]; } buf;
            static long where(void *p) { return p ? (long) ((unsigned char *) p - buf.b) : -1L; }
            int main(void) {
                static const unsigned long huge[] = {HUGE};
                struct msghdr m;
                memset(&m, 0, sizeof m);
                m.msg_control = buf.b;
                for (size_t controllen = 0; controllen <= MAX_CONTROLLEN; controllen++) {
                    m.msg_controllen = controllen;
                    printf("first %zu %ld\\n", controllen, where(CMSG_FIRSTHDR(&m)));
                    for (size_t at = 0; at <= controllen; at += 8) {
                        struct cmsghdr *c = (struct cmsghdr *) (buf.b + at);
                        for (size_t i = 0; i <= MAX_LEN + sizeof huge / sizeof huge[0]; i++) {
                            size_t len = i <= MAX_LEN ? i : huge[i - MAX_LEN - 1];
                            memset(buf.b, 0, sizeof buf.b);
                            c->cmsg_len = len;
                            printf("next %zu %zu %zu %ld\\n", controllen, at, len, where(CMSG_NXTHDR(&m, c)));
                        }
                    }
                }
                return 0;
            }
            """;

    @Test
    void firsthdrAndNxthdrPointWhereCsMacrosPoint(@TempDir Path dir) throws Exception {
        assumeTrue(Child.haveCc(), "cc is not installed: cannot build the C reference");
        StringBuilder huge = new StringBuilder();
        for (long h : HUGE_LENS) huge.append(huge.isEmpty() ? "" : ", ").append(Long.toUnsignedString(h)).append("UL");
        Path exe = Child.cc(dir, "cmsg", C.replace("MAX_CONTROLLEN", String.valueOf(MAX_CONTROLLEN))
                .replace("MAX_LEN", String.valueOf(MAX_LEN)).replace("HUGE", huge));
        Child.Result c = Child.run(dir, List.of(exe.toString()), 60);
        assertEquals(0, c.exit(), c.stderr());
        List<String> expected = c.lines();

        List<String> actual = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            MemorySegment msg = arena.allocate(msghdr.layout());
            msghdr.msg_control(msg, buf);
            for (int controllen = 0; controllen <= MAX_CONTROLLEN; controllen++) {
                msghdr.msg_controllen(msg, controllen);
                actual.add("first " + controllen + " " + where(buf, CMSG_FIRSTHDR(msg)));
                for (int at = 0; at <= controllen; at += 8) {
                    for (int i = 0; i <= MAX_LEN + HUGE_LENS.length; i++) {
                        long len = i <= MAX_LEN ? i : HUGE_LENS[i - MAX_LEN - 1];
                        buf.fill((byte) 0);
                        buf.set(ValueLayout.JAVA_LONG, at, len);
                        actual.add("next " + controllen + " " + at + " " + Long.toUnsignedString(len) + " "
                                + where(buf, CMSG_NXTHDR(msg, buf.asSlice(at, cmsghdr.sizeof()))));
                    }
                }
            }
        }
        assertEquals(expected.size(), actual.size(), "lines");
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), "line " + i + " (C, then the facade)");
    }

    /** Where p points in buf, as the C program prints it: -1 for NULL. */
    private static long where(MemorySegment buf, MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? -1 : p.address() - buf.address();
    }

    /**
     * Where the facade is stricter than glibc 2.36's CMSG_NXTHDR (which looks only at the current
     * header): a next header whose own cmsg_len runs past the buffer is not handed out. Each side
     * of that boundary, exactly.
     */
    @Test
    void nxthdrRefusesANextHeaderWhoseLengthRunsPastTheBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(48, 8);
            MemorySegment msg = arena.allocate(msghdr.layout());
            msghdr.msg_control(msg, control);
            msghdr.msg_controllen(msg, 48);
            cmsghdr.cmsg_len(control, 16); // a bare header: the next one at 16, 32 bytes before the end
            long[][] nextLenAndWhere = {{0, 16}, {16, 16}, {32, 16}, {25, 16}, {33, -1}, {40, -1}, {-1, -1}, {Long.MAX_VALUE, -1}, {Long.MIN_VALUE, -1}};
            for (long[] c : nextLenAndWhere) {
                control.set(ValueLayout.JAVA_LONG, 16, c[0]);
                MemorySegment next = CMSG_NXTHDR(msg, CMSG_FIRSTHDR(msg));
                assertEquals(c[1], where(control, next), "next header's cmsg_len " + Long.toUnsignedString(c[0]));
                if (c[1] >= 0) assertEquals(32, next.byteSize(), "to the end of the control buffer");
            }
        }
    }

    /**
     * msg_controllen is taken as it is up to the last address (C's macro looks only at the length);
     * one byte more would run the buffer past any address: NULL, where C would wrap around.
     */
    @Test
    void aControllenToTheLastAddressIsTakenAndOneMoreIsNot() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(64, 8);
            MemorySegment msg = arena.allocate(msghdr.layout());
            msghdr.msg_control(msg, control);
            long toTheEnd = Long.MAX_VALUE - control.address();
            msghdr.msg_controllen(msg, toTheEnd);
            assertEquals(control.address(), CMSG_FIRSTHDR(msg).address());
            assertEquals(toTheEnd, CMSG_FIRSTHDR(msg).byteSize());
            msghdr.msg_controllen(msg, toTheEnd + 1);
            assertEquals(MemorySegment.NULL, CMSG_FIRSTHDR(msg), "past the last address");
            msghdr.msg_controllen(msg, -1);
            assertEquals(MemorySegment.NULL, CMSG_FIRSTHDR(msg), "SIZE_MAX");
        }
    }

    /** CMSG_DATA is C's cmsg + CMSG_ALIGN(sizeof(struct cmsghdr)); its length is cmsg_len's data, cut at the segment. */
    @Test
    void cmsgDataStartsWhereCsDoesAndEndsAtCmsgLenOrTheSegment() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cmsg = arena.allocate(40, 8);
            long[][] lenAndSize = {{0, 0}, {15, 0}, {16, 0}, {17, 1}, {CMSG_LEN(4), 4}, {40, 24}, {41, 24}, {4096, 24}};
            for (long[] c : lenAndSize) {
                cmsghdr.cmsg_len(cmsg, c[0]);
                MemorySegment data = CMSG_DATA(cmsg);
                assertEquals(cmsg.address() + 16, data.address(), "cmsg_len " + c[0]);
                assertEquals(c[1], data.byteSize(), "cmsg_len " + c[0]);
            }
            MemorySegment bare = cmsg.asSlice(0, cmsghdr.sizeof());
            cmsghdr.cmsg_len(bare, 64);
            assertEquals(cmsg.address() + 16, CMSG_DATA(bare).address(), "a segment of just the header");
            assertEquals(0, CMSG_DATA(bare).byteSize());
            assertEquals(MemorySegment.NULL, CMSG_DATA(cmsg.asSlice(0, cmsghdr.sizeof() - 1)), "one byte short of a header");
        }
    }
}
