package io.github.panamasockets.bindings;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.bindings.sockets_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw bindings, called as C would call them: socket, bind to 127.0.0.1:0, getsockname, listen, close. */
class RawBindingsSmokeTest {

    @Test
    void socketBindGetsocknameListenCloseReturnWhatCReturns() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = socket(AF_INET(), SOCK_STREAM(), 0);
            assertTrue(fd >= 0, "socket() = " + fd);
            try {
                MemorySegment addr = sockaddr_in.allocate(arena);
                sockaddr_in.sin_family(addr, (short) AF_INET());
                sockaddr_in.sin_port(addr, htons((short) 0));
                in_addr.s_addr(sockaddr_in.sin_addr(addr), inet_addr(arena.allocateFrom("127.0.0.1")));
                assertEquals(0, bind(fd, sockaddrArg(bind$descriptor(), addr, arena), (int) sockaddr_in.sizeof()));

                MemorySegment bound = sockaddr_in.allocate(arena);
                MemorySegment len = arena.allocateFrom(socklen_t, (int) sockaddr_in.sizeof());
                assertEquals(0, getsockname(fd, sockaddrArg(getsockname$descriptor(), bound, arena), len));
                assertEquals(sockaddr_in.sizeof(), len.get(socklen_t, 0));
                assertEquals(AF_INET(), sockaddr_in.sin_family(bound));
                int port = Short.toUnsignedInt(ntohs(sockaddr_in.sin_port(bound)));
                assertNotEquals(0, port, "the kernel chose no port");
                assertEquals(0x7f000001, ntohl(in_addr.s_addr(sockaddr_in.sin_addr(bound))));

                assertEquals(0, listen(fd, 5));
            } finally {
                assertEquals(0, close(fd));
            }
            // C's close on a closed descriptor: -1 (the errno, EBADF, is the facade's to capture).
            assertEquals(-1, close(fd));
        }
    }

    /**
     * What the raw bindings take for glibc's transparent {@code __SOCKADDR_ARG} (the second
     * parameter): ./psock generate passes the pointer itself, jextract the union by value, so there
     * the union must hold the pointer. (The facade hides this: it links both as a pointer.)
     */
    private static MemorySegment sockaddrArg(FunctionDescriptor function, MemorySegment addr, Arena arena) {
        if (!(function.argumentLayouts().get(1) instanceof GroupLayout)) return addr;
        MemorySegment union = __SOCKADDR_ARG.allocate(arena);
        __SOCKADDR_ARG.__sockaddr__(union, addr);
        return union;
    }
}
