// A single-file program against the library: ./psock java [--trace] lab/BindTwice.java
import io.github.panamasockets.bindings.sockaddr_in;
import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;

void main() {
    try (Arena arena = Arena.ofConfined()) {            // java.lang.foreign comes with JDK 25's implicit imports
        var addr = sockaddr_in.allocate(arena);
        sin_family(addr, AF_INET);
        s_addr(sin_addr(addr), inet_addr("127.0.0.1"));  // port 0: the kernel picks one
        int a = socket(AF_INET, SOCK_STREAM, 0), b = socket(AF_INET, SOCK_STREAM, 0);
        bind(a, addr, sizeof(addr));
        getsockname(a, addr, arena.allocateFrom(socklen_t, sizeof(addr)));
        if (bind(b, addr, sizeof(addr)) == -1)
            perror("bind");                              // bind: Address already in use
        close(a);
        close(b);
    }
}
