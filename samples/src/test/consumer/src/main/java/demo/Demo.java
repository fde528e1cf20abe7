package demo;

import io.github.panamasockets.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;

public class Demo {
    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            MemorySegment addr = sockaddr_in.allocate(arena);
            sin_family(addr, AF_INET);
            s_addr(sin_addr(addr), inet_addr("127.0.0.1"));
            if (bind(fd, addr, sizeof(addr)) == -1) {
                perror("bind");
                System.exit(1);
            }
            getsockname(fd, addr, arena.allocateFrom(socklen_t, sizeof(addr)));
            System.out.println("bound to 127.0.0.1:" + ntohs(sin_port(addr)));
            close(fd);
        }
    }
}
