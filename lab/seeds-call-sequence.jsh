// Lesson: the seeds' call sequence, both ends in one session on 127.0.0.1.
//   server: socket - bind - listen - accept - read/write - close
//   client: socket - connect - write/read - close
// Replay: ./psock shell lab/seeds-call-sequence.jsh   (the trace shows each call and its result)

// server 1. socket()
int listenfd = socket(AF_INET, SOCK_STREAM, 0);
// server 2. bind() to 127.0.0.1, port 0: the kernel picks a free port
var servaddr = sockaddr_in.allocate(arena);
memset(servaddr, 0, sizeof(servaddr));
sin_family(servaddr, AF_INET);
sin_port(servaddr, htons(0));
s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
bind(listenfd, servaddr, sizeof(servaddr));
// server 3. listen(): up to 5 connections wait for accept
listen(listenfd, 5);
// which port did the kernel pick? getsockname() writes the address back
var addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
getsockname(listenfd, servaddr, addrlen);
System.out.printf("server listening on 127.0.0.1:%d%n", ntohs(sin_port(servaddr)));

// client 1. socket(), 2. the server's address (servaddr, as getsockname left it), 3. connect()
int sockfd = socket(AF_INET, SOCK_STREAM, 0);
connect(sockfd, servaddr, sizeof(servaddr));

// server 4. accept(): the connection the client made is already waiting
var cliaddr = sockaddr_in.allocate(arena);
addrlen.set(socklen_t, 0, sizeof(cliaddr));
int connfd = accept(listenfd, cliaddr, addrlen);
System.out.printf("client ip:%s, port:%d%n", inet_ntoa(sin_addr(cliaddr)), ntohs(sin_port(cliaddr)));

// 5. send and receive: the client writes, the server reads and echoes, the client reads the echo
var msg = arena.allocateFrom("hello");
write(sockfd, msg, 5);
var buf = arena.allocate(1024);
long n = read(connfd, buf, 1024);
write(connfd, buf, n);
n = read(sockfd, buf, 1024);
System.out.printf("client received: %s%n", cstring(buf, n));

// 6. close: the client first; the server's read then returns 0, end of file
close(sockfd);
n = read(connfd, buf, 1024);
System.out.printf("server read %d: the client has closed%n", n);
close(connfd);
close(listenfd);
